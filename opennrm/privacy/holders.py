"""What the steps tell data protection about the records they hold.

Privacy imports no step package. Each step that holds something retention must know registers it
in a `personal_data.py` module of its package, found the way `core.scheduling` finds
`periodic.py`:

- a **closure source** (support): whether the step has the case open or closed, the last contact
  of a closed case, and which cases it closed;
- an **erasure source** (detection): records kept apart from any case (concerns closed at triage)
  whose content is erased some months after their clock started.
"""

import datetime
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

from opennrm.cases.models import Case
from opennrm.core.acting import Actor

MODULE = "personal_data"  # the module of each app that registers what it holds


@dataclass(frozen=True)
class ClosureSource:
    """A step that decides when a case is closed."""

    name: str
    # "open" or "closed" while the step has the case, None if it never had it.
    status: Callable[[Case], str | None]
    # The last contact of the case the step closed (closure, or a follow-up after it).
    closed_on: Callable[[Case], datetime.date | None]
    # A subquery of the ids of the cases the step closed.
    closed_case_ids: Callable[[], "QuerySet[Any, Any]"]


@dataclass(frozen=True)
class ErasureSource:
    """Records outside any case whose content is erased after the profile's period."""

    name: str
    # (record id, when its clock started) of every record still holding content.
    candidates: Callable[[], Iterable[tuple[int, datetime.datetime]]]
    # Erase one record's content in the name of `actor`; False if it no longer qualifies.
    erase: Callable[[int, Actor, datetime.datetime], bool]


_closure_sources: dict[str, ClosureSource] = {}
_erasure_sources: dict[str, ErasureSource] = {}
_lock = threading.Lock()
_discovered = False


def register_closure_source(source: ClosureSource) -> None:
    _closure_sources[source.name] = source


def register_erasure_source(source: ErasureSource) -> None:
    _erasure_sources[source.name] = source


def _autodiscover() -> None:
    global _discovered
    with _lock:
        if _discovered:
            return
        _discovered = True
    autodiscover_modules(MODULE)


def closure_sources() -> list[ClosureSource]:
    _autodiscover()
    return list(_closure_sources.values())


def erasure_sources() -> list[ErasureSource]:
    _autodiscover()
    return list(_erasure_sources.values())
