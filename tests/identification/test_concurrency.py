"""A platform decision is taken exactly once, even when the chair acts twice at the same
moment (two sessions) or two deputy chairs act at once on a case the chair is excluded from.

Run on PostgreSQL with real concurrent transactions (one thread, one connection each). SQLite
serialises every write of the whole database, so it cannot show row locks: skipped there.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.models import Case
from opennrm.identification import actions
from opennrm.identification.actions import IdentificationError
from opennrm.identification.models import IdentificationDecision, Referral, Route
from tests.identification.conftest import presumed_case, referred, vote_all

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writes and has no row locks")


def race(platform93, referral_pk, attempts):
    """Run the attempts (chair name, outcome) at the same moment; return what each got."""
    barrier = threading.Barrier(len(attempts))
    results: list[tuple[str, str, str]] = []

    def act(name: str, outcome: str) -> None:
        translation.activate("en")  # the active language is per thread
        try:
            referral = Referral.objects.get(pk=referral_pk)
            request = platform93.actor(name)
            barrier.wait(timeout=10)
            decision = actions.record_platform_decision(
                referral, outcome=outcome, reasons=f"Fictional, by {name}.", actor=request
            )
            results.append(("decided", name, decision.outcome))
        except IdentificationError as exc:
            results.append(("refused", name, " ".join(exc.messages)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def ready(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first)
    return referral


def _check_exactly_one(ready, results):
    assert sorted(outcome for outcome, _name, _detail in results) == ["decided", "refused"]
    refused = next(detail for outcome, _name, detail in results if outcome == "refused")
    assert "already taken" in refused
    decision = IdentificationDecision.objects.get(referral=ready)
    case = Case.objects.get(pk=ready.case_id)
    expected = {
        "identified": IdentificationStatus.IDENTIFIED_VICTIM,
        "not_identified": IdentificationStatus.NOT_IDENTIFIED,
    }[decision.outcome]
    assert case.status == expected
    assert case.events.filter(kind="identification.decision").count() == 1
    assert case.events.filter(kind__startswith="status.").count() == 1


def test_the_chair_deciding_twice_at_once_yields_exactly_one_decision(platform93, ready):
    results = race(platform93, ready.pk, [("louis", "identified"), ("louis", "not_identified")])
    _check_exactly_one(ready, results)


def test_two_deputy_chairs_deciding_a_reconsideration_at_once_yield_one(cast, platform93, ready):
    """The chair took the first decision: both deputies may chair the reconsideration."""
    from tests.identification.conftest import actor_for

    first = actions.record_platform_decision(
        ready, outcome="not_identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    second = actions.request_reconsideration(
        first, new_elements="Fictional: new elements.", actor=actor_for(cast.amina)
    )
    actions.designate_deputy_chair(platform93.seats["dora"], actor=platform93.actor("louis"))
    vote_all(platform93, second, platform93.second)
    results = race(platform93, second.pk, [("lucie", "identified"), ("dora", "identified")])
    assert sorted(outcome for outcome, _name, _detail in results) == ["decided", "refused"]
    refused = next(detail for outcome, _name, detail in results if outcome == "refused")
    assert "already taken" in refused
    decision = IdentificationDecision.objects.get(referral=second)
    assert decision.chair_id in {platform93.seats["lucie"].pk, platform93.seats["dora"].pk}
    case = Case.objects.get(pk=second.case_id)
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    assert case.events.filter(kind="identification.decision").count() == 2  # first, then this


def test_without_the_row_lock_the_unique_constraint_still_yields_one(
    platform93, ready, monkeypatch
):
    """Take the lock away and hold both transactions until both have passed every check:
    only the database's unique constraint on the decision's referral stands between them, and
    it lets exactly one insert through."""

    def unlocked(referral):
        return Referral.objects.select_related(
            "case", "case__territory", "target", "referring_organisation"
        ).get(pk=referral.pk)

    checked = threading.Barrier(2)
    original_check = actions._not_decided

    def check_then_wait(referral):
        original_check(referral)
        checked.wait(timeout=10)  # both saw "no decision yet"

    monkeypatch.setattr(actions, "_lock", unlocked)
    monkeypatch.setattr(actions, "_not_decided", check_then_wait)
    results = race(platform93, ready.pk, [("louis", "identified"), ("louis", "identified")])
    _check_exactly_one(ready, results)


def test_many_simultaneous_attempts_still_yield_one(platform93, ready):
    attempts = [("louis", "identified"), ("louis", "not_identified")] * 3
    results = race(platform93, ready.pk, attempts)
    assert [outcome for outcome, *_rest in results].count("decided") == 1
    assert IdentificationDecision.objects.filter(referral=ready).count() == 1


def test_votes_decisions_and_audited_reads_of_the_same_organisations_raise_no_error(
    cast, platform93
):
    """Members change their votes, the chair and others read the case (audited reads of the
    same organisations), then the chair decides, all at once: no deadlock, no database error.
    Locks are taken on the rows meant only (`of=("self",)`) and audit appends take no lock."""
    from opennrm.cases.access import get_case_for_member
    from opennrm.identification.access import get_platform_referral
    from tests.identification.conftest import actor_for

    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first[:3])
    barrier = threading.Barrier(5)
    errors: list[BaseException] = []
    decided = threading.Event()

    def guarded(work):
        def run(*args):
            translation.activate("en")
            try:
                barrier.wait(timeout=10)
                work(*args)
            except IdentificationError:
                pass  # a vote refused once the decision is taken: a rule, not a fault
            except BaseException as error:
                errors.append(error)
            finally:
                connections.close_all()

        return run

    def change_votes(name: str) -> None:
        for round_ in range(12):
            if decided.is_set():
                return
            actions.cast_vote(
                Referral.objects.get(pk=referral.pk),
                choice="identified" if round_ % 2 else "not_identified",
                reasons=f"Fictional, round {round_}.",
                actor=platform93.actor(name),
            )

    def read(actor_of) -> None:
        for _ in range(15):
            actor = actor_of()
            if actor.organisation == cast.association:
                get_case_for_member(actor, referral.case.reference)
            else:
                get_platform_referral(actor, referral.pk)

    def decide() -> None:
        for name in platform93.first[3:]:
            actions.cast_vote(
                Referral.objects.get(pk=referral.pk),
                choice="identified",
                reasons="Fictional.",
                actor=platform93.actor(name),
            )
        actions.record_platform_decision(
            Referral.objects.get(pk=referral.pk),
            outcome="identified",
            reasons="Fictional decision under load.",
            actor=platform93.actor("louis"),
        )
        decided.set()

    threads = [
        threading.Thread(target=guarded(change_votes), args=(platform93.first[0],)),
        threading.Thread(target=guarded(change_votes), args=(platform93.first[1],)),
        threading.Thread(target=guarded(read), args=(lambda: platform93.actor("louis"),)),
        threading.Thread(target=guarded(read), args=(lambda: actor_for(cast.amina),)),
        threading.Thread(target=guarded(decide)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert IdentificationDecision.objects.filter(referral=referral).count() == 1


def _waiting_on_a_lock(timeout: float = 10.0) -> None:
    """Until another session of the test database waits on a row lock."""
    import time

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh, inside a transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("no session came to wait on the lock")


def test_a_vote_caught_in_a_deadlock_is_run_again_and_recorded(cast, platform93, caplog):
    """Force a deadlock on the vote page: another transaction holds the member's vote row and,
    once the vote's transaction holds the referral and waits for that row, asks for the
    referral. PostgreSQL ends the vote's transaction (it waited longest: `deadlock_timeout`);
    the page runs it again (core.retry) and answers as usual: no 500, the vote recorded once."""
    import logging

    from django.db import transaction
    from django.urls import reverse

    from opennrm.identification.models import Vote
    from tests.identification.conftest import client_as

    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, ["paul"], choice="not_identified")
    seat = platform93.seats["paul"]
    answers: list[int] = []
    caplog.set_level(logging.WARNING, logger="opennrm.core.retry")

    def vote_through_the_page() -> None:
        try:
            client = client_as(cast, platform93.users["paul"])
            response = client.post(
                reverse("web:platform_vote", args=[referral.pk]),
                {"choice": "identified", "reasons": "Fictional: changed my mind."},
            )
            answers.append(response.status_code)
        finally:
            connections.close_all()

    page = threading.Thread(target=vote_through_the_page)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL deadlock_timeout = '10s'")  # the page is the one ended
        Vote.objects.select_for_update(of=("self",)).get(referral=referral, member=seat)
        page.start()
        _waiting_on_a_lock()  # the page holds the referral and waits for the vote
        Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)  # the circle
    page.join(timeout=60)
    assert answers == [302]
    conflicts = [r for r in caplog.records if r.name == "opennrm.core.retry"]
    assert conflicts and "40P01" in conflicts[0].getMessage()
    vote = Vote.objects.get(referral=referral, member=seat)
    assert vote.choice == "identified"
    assert Vote.objects.filter(referral=referral).count() == 1
