"""A transaction ended by a lock conflict is run again (opennrm.core.retry), a bounded number of
times; any other error goes up at once; inside an open transaction nothing is run again.

The deadlock is a real one, on PostgreSQL: two threads lock two rows in opposite orders.
"""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from opennrm.core import retry
from opennrm.core.models import Territory
from opennrm.core.retry import in_retried_atomic, is_conflict


class Conflict(Exception):
    sqlstate = retry.DEADLOCK_DETECTED


def _conflict() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = Conflict()
    return error


def test_a_deadlock_or_a_serialisation_failure_is_a_conflict_other_errors_are_not():
    assert is_conflict(_conflict())
    serialisation = OperationalError("could not serialize")
    serialisation.__cause__ = type("E", (Exception,), {"sqlstate": "40001"})()
    assert is_conflict(serialisation)
    assert not is_conflict(OperationalError("server closed the connection"))
    assert not is_conflict(ValueError("no"))


@pytest.mark.django_db(transaction=True)
def test_runs_again_after_a_conflict_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(retry, "PAUSE", 0.001)
    calls = []

    def twice_then_done():
        calls.append(1)
        if len(calls) < 3:
            raise _conflict()
        return "done"

    assert in_retried_atomic(twice_then_done) == "done"
    assert len(calls) == 3

    calls.clear()

    def always():
        calls.append(1)
        raise _conflict()

    with pytest.raises(OperationalError):
        in_retried_atomic(always)
    assert len(calls) == retry.ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_other_errors_are_not_run_again():
    calls = []

    def broken():
        calls.append(1)
        raise OperationalError("server closed the connection")

    with pytest.raises(OperationalError):
        in_retried_atomic(broken)
    assert calls == [1]


@pytest.mark.django_db(transaction=True)
def test_inside_an_open_transaction_it_runs_once():
    calls = []

    def conflict():
        calls.append(1)
        raise _conflict()

    with transaction.atomic(), pytest.raises(OperationalError):
        in_retried_atomic(conflict)
    assert calls == [1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_deadlock_is_run_again_and_both_transactions_succeed(territories):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writes and has no row locks")
    first, second = (Territory.objects.get(code=code).pk for code in ("93", "13"))
    both_hold_one = threading.Barrier(2)
    attempts: dict[str, int] = {"a": 0, "b": 0}
    errors: list[BaseException] = []

    def lock_in_order(name: str, order: tuple[int, int]) -> None:
        def work() -> None:
            attempts[name] += 1
            Territory.objects.select_for_update(of=("self",)).get(pk=order[0])
            if attempts[name] == 1:
                both_hold_one.wait(timeout=10)  # the first time only: the circle
            Territory.objects.select_for_update(of=("self",)).get(pk=order[1])
            Territory.objects.filter(pk=order[1]).update(name=f"Locked by {name}")

        try:
            in_retried_atomic(work)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=lock_in_order, args=("a", (first, second))),
        threading.Thread(target=lock_in_order, args=("b", (second, first))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # one was ended by PostgreSQL, then ran again
