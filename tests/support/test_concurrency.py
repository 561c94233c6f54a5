"""Accommodation capacity is never overbooked, even when placements happen at the same moment
(PostgreSQL: real concurrent transactions in threads)."""

import threading

import pytest
from django.db import connection, transaction

from opennrm.cases.models import TransitionError
from opennrm.support import accommodation, plans
from opennrm.support.models import Orientation, OrientationStatus, Placement, Service
from tests.factories import CaseFactory, PersonFactory
from tests.support.conftest import acting, make_presumed, sent, service

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write, so there is no real concurrency",
)

pytestmark = [pytest.mark.postgres, requires_postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _race(work, count: int) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(number: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            outcome = work(number)
            with lock:
                results.append(outcome)
        except BaseException as error:  # collected and checked below
            with lock:
                errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_concurrent_takes_never_exceed_the_free_places(cast):
    shelter = service(cast.accommodation, name="Race shelter", places_total=5, places_free=3)

    def take(_number: int) -> str:
        with transaction.atomic():
            accommodation.take_places(shelter, 1)
        return "taken"

    results, errors = _race(take, THREADS)
    assert results.count("taken") == 3
    assert len(errors) == THREADS - 3
    assert all(isinstance(error, TransitionError) for error in errors)
    shelter.refresh_from_db()
    assert shelter.places_free == 0


def test_concurrent_acceptances_place_only_as_many_persons_as_there_are_places(cast):
    shelter = service(cast.accommodation, name="Race shelter", places_total=10, places_free=3)
    orientations = []
    for _ in range(THREADS):
        case = make_presumed(
            CaseFactory(owner=cast.association, person=PersonFactory(sex="female")),
            cast.amina,
            shelter=True,
        )
        orientations.append(sent(case, shelter, cast.amina))

    def accept(number: int) -> int:
        plans.accept(orientations[number], actor=acting(cast.ines))
        return number

    accepted, errors = _race(accept, THREADS)
    assert len(accepted) == 3, errors
    assert all(isinstance(error, TransitionError) for error in errors), errors
    shelter.refresh_from_db()
    assert shelter.places_free == 0
    assert Placement.objects.filter(service=shelter).count() == 3
    assert Orientation.objects.filter(status=OrientationStatus.ACCEPTED).count() == 3
    # Those refused are still waiting for an answer: nothing half-done.
    assert Orientation.objects.filter(status=OrientationStatus.SENT).count() == THREADS - 3
    assert Service.objects.get(pk=shelter.pk).places_free >= 0
