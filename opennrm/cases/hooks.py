"""What data protection plugs into the case file, without `cases` importing it.

`cases` sits below `privacy` (privacy reads cases, persons and events). Two things of privacy
still shape the case file: which cases have left every view (archived, anonymised) and which are
opened to someone by an exceptional access; and the retention clock, which starts when a case
closes and stops when it is reopened. `privacy` registers both when its app is ready
(`opennrm/privacy/apps.py`). Without a registration nothing is retired, nothing is granted and
closing a case starts no clock.
"""

import datetime
from typing import Any, Protocol

from django.db.models import QuerySet

from opennrm.cases.models import Case
from opennrm.core.acting import Actor


class AccessPolicy(Protocol):
    """Cases out of every view, and the exceptional access of an actor."""

    def retired_case_ids(self) -> "QuerySet[Any, Any] | None": ...

    def granted_case_ids(self, actor: Actor) -> "QuerySet[Any, Any] | None": ...

    def read_details(self, actor: Actor, case: Case) -> dict[str, Any]: ...

    def allows_identity(self, actor: Actor, case: Case) -> bool: ...


class ClosureListener(Protocol):
    """Told, inside the closing or reopening transaction, that a case closed or goes on."""

    def case_closed(self, case: Case, closed_at: datetime.datetime, actor: Actor) -> None: ...

    def case_reopened(self, case: Case) -> bool: ...


class _NoPolicy:
    def retired_case_ids(self) -> "QuerySet[Any, Any] | None":
        return None

    def granted_case_ids(self, actor: Actor) -> "QuerySet[Any, Any] | None":
        return None

    def read_details(self, actor: Actor, case: Case) -> dict[str, Any]:
        return {}

    def allows_identity(self, actor: Actor, case: Case) -> bool:
        return False


_policy: AccessPolicy = _NoPolicy()
_listeners: list[ClosureListener] = []


def register_access_policy(policy: AccessPolicy) -> None:
    global _policy
    _policy = policy


def access_policy() -> AccessPolicy:
    return _policy


def register_closure_listener(listener: ClosureListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def case_closed(case: Case, closed_at: datetime.datetime, actor: Actor) -> None:
    for listener in _listeners:
        listener.case_closed(case, closed_at, actor)


def case_reopened(case: Case) -> bool:
    """Whether any listener stopped something (the retention clock) for the reopened case."""
    stopped = False
    for listener in _listeners:  # every listener is told, even after one answered True
        stopped = listener.case_reopened(case) or stopped
    return stopped


class FileListener(Protocol):
    """Told, inside the writing transaction, that a part of the case file changed (an account
    section saved, rights information recorded…), so that those who read the file are told."""

    def file_changed(self, case: Case, item: str, actor: Actor) -> None: ...


_file_listeners: list[FileListener] = []


def register_file_listener(listener: FileListener) -> None:
    if listener not in _file_listeners:
        _file_listeners.append(listener)


def file_changed(case: Case, item: str, actor: Actor) -> None:
    """A part of the case file (`opennrm.cases.enums.FileItem`) changed."""
    for listener in _file_listeners:
        listener.file_changed(case, item, actor)
