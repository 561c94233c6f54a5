"""A transaction that lost a lock conflict is run again, a bounded number of times.

Locks are taken on the rows meant only (`select_for_update(of=("self",))`) and in one order
(ARCHITECTURE.md, "Locks and their order"), so two transactions of OpenNRM should not wait on
each other in a circle. PostgreSQL may still end one of two transactions that do (a deadlock
detected: SQLSTATE 40P01; a serialisation failure: 40001), for instance between a state change
and a maintenance command or a future path that forgets the order. Such a failure says nothing
of what was asked: the same transaction, run again a moment later, succeeds. `in_retried_atomic`
runs a function in a transaction and, on such a failure only, rolls it back and runs it again
(up to `ATTEMPTS` times, after a short random pause); any other error goes up at once.

Only the outermost transaction can be run again (an inner block's failure aborts the whole
transaction): inside a transaction already open, the function runs once, in a savepoint, and a
conflict goes up to whoever opened the outer one. Everything the function does must therefore
be in the database (the audit entry, the case event, the outbox's e-mail, `on_commit` hooks are)
and it must read what it acts on inside the transaction (actions lock and read their rows again).
"""

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

logger = logging.getLogger(__name__)

ATTEMPTS = 3
PAUSE = 0.05  # seconds, doubled at each attempt, with jitter
# PostgreSQL's SQLSTATEs of a conflict the same transaction survives when run again.
DEADLOCK_DETECTED = "40P01"
SERIALIZATION_FAILURE = "40001"
CONFLICTS = frozenset({DEADLOCK_DETECTED, SERIALIZATION_FAILURE})

P = ParamSpec("P")
T = TypeVar("T")


def is_conflict(error: BaseException) -> bool:
    """A deadlock detected or a serialisation failure (psycopg's error, or Django's around it)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) in CONFLICTS:
            return True
        current = current.__cause__ or current.__context__
    return False


def in_retried_atomic(
    function: Callable[[], T], *, attempts: int = ATTEMPTS, using: str = DEFAULT_DB_ALIAS
) -> T:
    """`function()` in a transaction, run again after a lock conflict (at most `attempts`
    times in all). Inside a transaction already open, it runs once (see the module)."""
    if connections[using].in_atomic_block:
        with transaction.atomic(using=using):
            return function()
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic(using=using):
                return function()
        except OperationalError as error:
            if not is_conflict(error) or attempt == attempts:
                raise
            pause = PAUSE * 2 ** (attempt - 1) * (0.5 + random.random())  # noqa: S311 - jitter
            logger.warning(
                "Transaction conflict (%s), attempt %s of %s: run again in %.0f ms.",
                getattr(error.__cause__, "sqlstate", "") or type(error).__name__,
                attempt,
                attempts,
                pause * 1000,
            )
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def retried_atomic(function: Callable[P, T]) -> Callable[P, T]:
    """Decorate an action: it runs in its own transaction, run again after a lock conflict
    when it is the outermost one."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return in_retried_atomic(lambda: function(*args, **kwargs))

    return wrapper
