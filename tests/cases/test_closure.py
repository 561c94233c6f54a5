"""Closing a case that never reached support (not presumed a victim, withdrew, contact lost…):
who may, in which states, what it writes (transition log, audit without personal data, the
retention clock), reopening, and the retention dry run that now sees such cases."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases import closure
from opennrm.cases.enums import CaseClosingReason, IdentificationStatus
from opennrm.cases.models import Case, CaseClosure, CaseEvent, TransitionError
from opennrm.privacy.models import CaseRetention
from opennrm.privacy.retention import add_months, closure_date, run_retention
from opennrm.profiles.loader import active_profile
from tests.cases.conftest import ALIAS, FAMILY_NAME, GIVEN_NAMES, actor_for
from tests.factories import CaseFactory

SECRET_NOTE = "Fictional note: Zorabelle went back to her cousin in Lyon."


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _client(user):
    """A signed-in client reading the pages in English (the profile's default is French)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _post_close(client, case, **values):
    data = {
        "reason": CaseClosingReason.NOT_PRESUMED,
        "closed_on": timezone.localdate().isoformat(),
        "note": "",
        "confirm": "on",
    }
    data.update(values)
    return client.post(reverse("web:case_close", args=[case.reference]), data)


def _set_status(case: Case, status: str) -> None:
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()


def _open_support(case: Case, user) -> None:
    from opennrm.support.services import open_protection

    _set_status(case, IdentificationStatus.PRESUMED_VICTIM)
    open_protection(case, actor=actor_for(user))


def _no_personal_data(entry: AuditEntry) -> None:
    payload = entry.payload().decode()
    for personal in (GIVEN_NAMES, FAMILY_NAME, ALIAS, "Zorabelle", "Lyon", "cousin"):
        assert personal not in payload


# Allowed states ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [IdentificationStatus.PRELIMINARY_ASSESSMENT, IdentificationStatus.NOT_PRESUMED]
)
def test_the_owner_closes_a_case_that_never_reached_support(cast, case, status):
    _set_status(case, status)
    client = _client(cast.amina)
    page = client.get(reverse("web:case_close", args=[case.reference]))
    assert page.status_code == 200
    assert page.context["refusal"] is None
    assert 'name="confirm"' in page.content.decode()

    response = _post_close(client, case, reason=CaseClosingReason.WITHDREW, note=SECRET_NOTE)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case", args=[case.reference])

    closed = CaseClosure.objects.get(case=case)
    assert (closed.reason, closed.closed_on, closed.closed_by) == (
        CaseClosingReason.WITHDREW,
        timezone.localdate(),
        cast.amina,
    )
    assert closed.organisation == cast.association
    assert closed.note == SECRET_NOTE
    case.refresh_from_db()
    assert case.status == status  # the identification status is not touched
    assert case.is_closed

    # The transition log: one event, the reason's code only.
    event = CaseEvent.objects.get(case=case, kind="case.closed")
    assert (event.source, event.actor, event.organisation) == (status, cast.amina, cast.association)
    assert event.details == {"reason": "withdrew", "closure": closed.pk}

    # The audit: ids and codes, no personal data (not the names, not the note).
    audit = AuditEntry.objects.get(action="case.close")
    assert (audit.actor, audit.organisation) == (cast.amina, cast.association)
    assert (audit.object_type, audit.object_id) == ("cases.case", str(case.pk))
    assert audit.details == {
        "closure": closed.pk,
        "reason": "withdrew",
        "status": str(status),
        "closed_on": timezone.localdate().isoformat(),
    }
    _no_personal_data(audit)
    retention_audit = AuditEntry.objects.get(action="retention.closed")
    assert retention_audit.object_id == str(case.pk)
    _no_personal_data(retention_audit)

    # The retention clock started.
    assert CaseRetention.objects.get(case=case).closed_at is not None
    assert closure_date(case) == timezone.localdate()

    # The case page says so; the close link is gone, the reopening form is there.
    detail = client.get(reverse("web:case", args=[case.reference]))
    html = detail.content.decode()
    assert 'id="closure"' in html
    assert SECRET_NOTE in html  # the owner's staff read the note
    assert 'id="close-case"' not in html
    assert reverse("web:case_reopen", args=[case.reference]) in html
    assert detail.context["next_steps"] == []


def test_the_page_links_to_closing_only_when_allowed(cast, case):
    url = reverse("web:case", args=[case.reference])
    close_url = reverse("web:case_close", args=[case.reference])
    assert close_url in _client(cast.amina).get(url).content.decode()
    assert close_url in _client(cast.hugo).get(url).content.decode()
    # louis sees the case through the coordination share, paul is not field staff.
    for user in (cast.louis, cast.paul):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert close_url not in response.content.decode()
    _open_support(case, cast.amina)
    assert close_url not in _client(cast.amina).get(url).content.decode()


def test_the_coordination_reads_that_the_case_is_closed_but_not_the_note(cast, case):
    closure.close_case(
        case,
        actor=actor_for(cast.amina),
        reason=CaseClosingReason.OTHER,
        note=SECRET_NOTE,
    )
    response = _client(cast.louis).get(reverse("web:case", args=[case.reference]))
    html = response.content.decode()
    assert 'id="closure"' in html
    assert str(CaseClosingReason.OTHER.label) in html
    assert SECRET_NOTE not in html
    assert reverse("web:case_reopen", args=[case.reference]) not in html


# Refused states ----------------------------------------------------------------------------


def test_open_support_refuses_it_support_closure_applies(cast, case):
    _open_support(case, cast.amina)
    client = _client(cast.amina)
    page = client.get(reverse("web:case_close", args=[case.reference]))
    assert page.status_code == 200
    assert "Support is open for this case" in page.context["refusal"]
    assert 'name="confirm"' not in page.content.decode()

    response = _post_close(client, case)
    assert response.status_code == 200
    assert not CaseClosure.objects.filter(case=case).exists()
    assert not AuditEntry.objects.filter(action__in=["case.close", "retention.closed"]).exists()
    assert not CaseRetention.objects.filter(case=case, closed_at__isnull=False).exists()
    with pytest.raises(TransitionError, match="close it from the support plan"):
        closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")


def test_closed_support_already_counts(cast, case):
    from opennrm.support.models import SupportRecord

    _open_support(case, cast.amina)
    SupportRecord.objects.filter(case=case).update(status="closed")
    with pytest.raises(TransitionError, match="its closure already counts"):
        closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    assert not CaseClosure.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        IdentificationStatus.PRESUMED_VICTIM,
        IdentificationStatus.IDENTIFIED_VICTIM,
        IdentificationStatus.NOT_IDENTIFIED,
    ],
)
def test_from_presumed_victim_on_a_case_is_not_closed_here(cast, case, status):
    _set_status(case, status)  # (support would be open; even without it, refused)
    with pytest.raises(TransitionError, match="before the person is presumed a victim"):
        closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    response = _post_close(_client(cast.amina), case)
    assert response.status_code == 200
    assert response.context["refusal"]
    assert not CaseClosure.objects.exists()


def test_a_closed_case_is_not_closed_twice(cast, case):
    closure.close_case(case, actor=actor_for(cast.amina), reason="lost_contact")
    with pytest.raises(TransitionError, match="already closed"):
        closure.close_case(case, actor=actor_for(cast.hugo), reason="duplicate")
    assert CaseClosure.objects.filter(case=case).count() == 1
    assert AuditEntry.objects.filter(action="case.close").count() == 1


def test_form_rules_other_needs_a_note_no_future_date_confirmation_required(cast, case):
    client = _client(cast.amina)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for values, field in (
        ({"reason": CaseClosingReason.OTHER, "note": "  "}, "note"),
        ({"closed_on": tomorrow.isoformat()}, "closed_on"),
        ({"confirm": ""}, "confirm"),
        ({"reason": "not_a_reason"}, "reason"),
    ):
        response = _post_close(client, case, **values)
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert not CaseClosure.objects.exists()
    # The action checks the same rules (the form is not the only guard).
    request = actor_for(cast.amina)
    with pytest.raises(TransitionError, match="future"):
        closure.close_case(case, actor=request, reason="withdrew", closed_on=tomorrow)
    with pytest.raises(TransitionError, match="before it was detected"):
        closure.close_case(
            case,
            actor=request,
            reason="withdrew",
            closed_on=case.detected_on - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="Say why"):
        closure.close_case(case, actor=request, reason="other", note="")
    assert not CaseClosure.objects.exists()


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["yasmine", "claire", "louis", "paul", "ines", "nadia"])
def test_others_get_not_found_and_nothing_changes(cast, case, persona):
    client = _client(getattr(cast, persona))
    assert client.get(reverse("web:case_close", args=[case.reference])).status_code == 404
    assert _post_close(client, case).status_code == 404
    assert not CaseClosure.objects.exists()
    closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    response = client.post(
        reverse("web:case_reopen", args=[case.reference]), {"reason": "Fictional reason"}
    )
    assert response.status_code == 404
    assert case.is_closed


def test_the_action_refuses_who_is_not_the_owners_field_staff(cast, case):
    for user in (cast.louis, cast.paul, cast.yasmine):
        with pytest.raises(TransitionError, match="cannot do this"):
            closure.close_case(case, actor=actor_for(user), reason="withdrew")
    assert not CaseClosure.objects.exists()


def test_reopen_takes_only_a_post(cast, case):
    closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    url = reverse("web:case_reopen", args=[case.reference])
    assert _client(cast.amina).get(url).status_code == 405
    assert case.is_closed


def test_anonymous_visitors_are_sent_to_log_in(cast, case):
    from django.test import Client

    for name in ("case_close", "case_reopen"):
        response = Client().post(reverse(f"web:{name}", args=[case.reference]), {})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# Reopening ---------------------------------------------------------------------------------


def test_reopening_stops_the_retention_clock_and_keeps_the_record(cast, case):
    closure.close_case(case, actor=actor_for(cast.amina), reason="lost_contact")
    client = _client(cast.hugo)
    url = reverse("web:case_reopen", args=[case.reference])

    assert client.post(url, {"reason": ""}).status_code == 302
    assert case.is_closed  # no reason, nothing done

    response = client.post(url, {"reason": "Fictional: the person called back."})
    assert response.status_code == 302
    assert not case.is_closed
    reopened = CaseClosure.objects.get(case=case)
    assert (reopened.reopened_by, reopened.reopen_reason) == (
        cast.hugo,
        "Fictional: the person called back.",
    )
    assert CaseRetention.objects.get(case=case).closed_at is None
    assert closure_date(case) is None
    assert CaseEvent.objects.filter(case=case, kind="case.reopened").count() == 1
    audit = AuditEntry.objects.get(action="case.reopen")
    assert audit.details == {"closure": reopened.pk, "retention_cleared": True}
    assert "called back" not in audit.payload().decode()

    # Reopened, it can be closed again (a new closure; the old one stays on record).
    closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    assert CaseClosure.objects.filter(case=case).count() == 2
    assert CaseClosure.objects.in_force().get(case=case).reason == "withdrew"
    closure.reopen_case(case, actor=actor_for(cast.amina), reason="Fictional: again.")
    with pytest.raises(TransitionError, match="not closed"):
        closure.reopen_case(case, actor=actor_for(cast.amina), reason="Fictional: twice.")
    assert AuditEntry.objects.filter(action="case.reopen").count() == 2


def test_a_case_that_is_not_closed_cannot_be_reopened(cast, case):
    with pytest.raises(TransitionError, match="not closed"):
        closure.reopen_case(case, actor=actor_for(cast.amina), reason="Fictional")
    assert not AuditEntry.objects.filter(action="case.reopen").exists()


def test_a_closed_case_takes_no_status_change_until_reopened(cast, case):
    closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    request = actor_for(cast.amina)
    with pytest.raises(TransitionError, match="reopen it first"):
        case.transition(IdentificationStatus.NOT_PRESUMED, actor=request)
    case.refresh_from_db()
    assert case.status == IdentificationStatus.PRELIMINARY_ASSESSMENT
    closure.reopen_case(case, actor=request, reason="Fictional: new facts.")
    case.transition(IdentificationStatus.NOT_PRESUMED, actor=request)
    assert case.status == IdentificationStatus.NOT_PRESUMED


def test_a_closed_case_is_not_an_overdue_assessment(cast, case):
    Case.objects.filter(pk=case.pk).update(
        assessment_due=timezone.localdate() - datetime.timedelta(days=3)
    )
    assert Case.objects.assessment_overdue().filter(pk=case.pk).exists()
    closure.close_case(case, actor=actor_for(cast.amina), reason="withdrew")
    assert not Case.objects.assessment_overdue().filter(pk=case.pk).exists()
    listing = _client(cast.amina).get(reverse("web:cases"))
    row = next(row for row in listing.context["rows"] if row.case.pk == case.pk)
    assert row.overdue is False
    assert row.case.closed is True


# Retention ---------------------------------------------------------------------------------


@pytest.mark.parametrize("profile_code", ["fr", "osce"])
def test_the_retention_dry_run_lists_the_closed_case_after_its_period(cast, settings, profile_code):
    settings.OPENNRM_PROFILE = profile_code
    retention = active_profile().retention
    detected = timezone.localdate() - datetime.timedelta(days=400)
    closed = CaseFactory(owner=cast.association, detected_on=detected)
    open_case = CaseFactory(owner=cast.association, detected_on=detected)
    closed_on = detected + datetime.timedelta(days=10)
    closure.close_case(
        closed,
        actor=actor_for(cast.amina),
        reason=CaseClosingReason.NOT_PRESUMED,
        closed_on=closed_on,
    )
    assert closure_date(closed) == closed_on

    archive_from = add_months(closed_on, retention.active_months)
    before = run_retention(archive_from - datetime.timedelta(days=1), dry_run=True)
    assert closed.pk not in before.to_archive + before.to_anonymise
    assert before.counts["stay_active"] >= 1

    report = run_retention(archive_from, dry_run=True)
    assert closed.pk in report.to_archive
    assert open_case.pk not in report.to_archive + report.to_anonymise
    anonymise_from = add_months(archive_from, retention.archive_months)
    assert closed.pk in run_retention(anonymise_from, dry_run=True).to_anonymise
    # A dry run changes nothing.
    assert CaseClosure.objects.in_force().filter(case=closed).exists()
    assert CaseRetention.objects.get(case=closed).stage == "active"


def test_a_reopened_case_leaves_the_retention_plan(cast, case):
    Case.objects.filter(pk=case.pk).update(
        detected_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    case.refresh_from_db()
    closure.close_case(
        case,
        actor=actor_for(cast.amina),
        reason="withdrew",
        closed_on=case.detected_on,
    )
    far = add_months(timezone.localdate(), 1200)
    assert case.pk in run_retention(far, dry_run=True).to_anonymise
    closure.reopen_case(case, actor=actor_for(cast.amina), reason="Fictional: back.")
    report = run_retention(far, dry_run=True)
    assert case.pk not in report.to_archive + report.to_anonymise


def test_anonymisation_clears_the_closing_note_and_keeps_the_reason(cast):
    detected = timezone.localdate() - datetime.timedelta(days=30)
    closed = CaseFactory(owner=cast.association, detected_on=detected)
    closure.close_case(
        closed,
        actor=actor_for(cast.amina),
        reason=CaseClosingReason.OTHER,
        note=SECRET_NOTE,
        closed_on=detected,
    )
    retention = active_profile().retention
    day = add_months(add_months(detected, retention.active_months), retention.archive_months)
    report = run_retention(day)
    assert closed.pk in report.to_anonymise
    kept = CaseClosure.objects.get(case=closed)
    assert kept.note == ""
    assert kept.reason == CaseClosingReason.OTHER
    assert kept.closed_on == detected.replace(day=1)


# Two closings at the same moment ------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises every write, so there is no real concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_a_case_is_closed_once_even_when_two_close_it_at_the_same_moment(cast):
    import threading

    case = CaseFactory(owner=cast.association)
    users = [cast.amina, cast.hugo]
    barrier = threading.Barrier(len(users))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(user) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            closure.close_case(case, actor=actor_for(user), reason="withdrew")
            outcome: object = "closed"
        except BaseException as error:  # collected and checked below
            outcome = error
        finally:
            thread_connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("closed") == 1, outcomes
    (refused,) = [outcome for outcome in outcomes if outcome != "closed"]
    assert isinstance(refused, TransitionError)
    assert CaseClosure.objects.filter(case=case).count() == 1
    assert AuditEntry.objects.filter(action="case.close").count() == 1
