"""Recognition of authorised reporters: who may, what it changes, the public list, reminders,
the history, and the pages' query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.core.acting import Actor
from opennrm.core.models import Notification, Organisation, Territory
from opennrm.recognition import access, actions, reminders
from opennrm.recognition.models import Recognition, RecognitionTransition, Status
from opennrm.recognition.tasks import recognition_expiry
from tests.acting import actor_for
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


def _recognise(cast, organisation: Organisation, **values) -> Recognition:
    defaults = {
        "reference": "AR-2026-1",
        "recognised_on": TODAY - datetime.timedelta(days=30),
        "forms_of_exploitation": ["forced_labour"],
        "agreement_clauses": ["roles", "non_removal"],
        "agreement_signed_on": TODAY - datetime.timedelta(days=30),
    }
    defaults.update(values)
    return actions.recognise(organisation, actor=actor_for(cast.nadia), **defaults)


def test_recognise_keeps_the_organisation_in_step_with_history_and_audit(cast):
    organisation = OrganisationFactory(kind="association")
    recognition = _recognise(cast, organisation, territories=[Territory.objects.get(code="93")])
    organisation.refresh_from_db()
    assert organisation.authorised_reporter
    assert organisation.reporter_recognition_ref == "AR-2026-1"
    assert organisation.reporter_recognised_on == recognition.recognised_on
    assert list(recognition.transitions.values_list("action", flat=True)) == ["recognised"]
    assert AuditEntry.objects.filter(action="recognition.recognised").count() == 1


def test_renewal_is_a_new_record_and_the_old_one_is_kept(cast):
    organisation = OrganisationFactory(kind="association")
    first = _recognise(cast, organisation)
    second = _recognise(cast, organisation, reference="AR-2026-2", recognised_on=TODAY)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED and first.reference == "AR-2026-1"
    assert second.replaces == first and second.status == Status.IN_FORCE
    organisation.refresh_from_db()
    assert organisation.reporter_recognition_ref == "AR-2026-2"
    assert AuditEntry.objects.filter(action="recognition.renewed").count() == 1


@pytest.mark.parametrize("persona", ["amina", "louis", "yasmine", "robert", "sophie"])
def test_only_the_competent_body_recognises_or_withdraws(cast, persona):
    organisation = OrganisationFactory(kind="association")
    actor = actor_for(getattr(cast, persona))
    with pytest.raises(PermissionDenied):
        actions.recognise(organisation, actor=actor, reference="X", recognised_on=TODAY)
    _recognise(cast, organisation)
    with pytest.raises(PermissionDenied):
        actions.withdraw(organisation, actor=actor, reason="No.")
    assert Organisation.objects.get(pk=organisation.pk).authorised_reporter


def test_a_type_that_may_not_be_recognised_is_refused(cast):
    with pytest.raises(ValidationError):
        _recognise(cast, cast.prefecture)


def test_unknown_codes_are_refused(cast):
    with pytest.raises(ValidationError):
        _recognise(cast, OrganisationFactory(kind="association"), forms_of_exploitation=["nope"])
    with pytest.raises(ValidationError):
        _recognise(cast, OrganisationFactory(kind="association"), agreement_clauses=["nope"])


def test_withdrawal_stops_the_organisation_reporting(cast):
    from opennrm.detection.rules import reporter_refusal

    _recognise(cast, cast.association)
    amina = cast.amina.memberships.get()
    assert reporter_refusal(amina, timezone.localdate()) is None
    client = cast.client_for(cast.nadia)
    url = f"/manage/recognitions/{cast.association.pk}/withdraw/"
    assert client.get(url).status_code == 200  # the confirmation page
    response = client.post(url, {"reason": "Agreement breached."})
    assert response.status_code == 302
    cast.association.refresh_from_db()
    assert not cast.association.authorised_reporter
    recognition = Recognition.objects.get(organisation=cast.association)
    assert recognition.status == Status.WITHDRAWN
    assert recognition.withdrawal_reason == "Agreement breached."
    amina.organisation.refresh_from_db()
    assert reporter_refusal(amina, timezone.localdate()) is not None
    assert AuditEntry.objects.filter(action="recognition.withdrawn").count() == 1
    with pytest.raises(ValidationError):
        actions.withdraw(cast.association, actor=actor_for(cast.nadia), reason="Again.")


def test_recognise_through_the_page(cast):
    organisation = OrganisationFactory(kind="association", name="Fictional shelter association")
    client = cast.client_for(cast.nadia)
    url = f"/manage/recognitions/{organisation.pk}/recognise/"
    page = client.get(url)
    assert page.status_code == 200
    t13 = Territory.objects.get(code="13")
    response = client.post(
        url,
        {
            "submission": page.context["form"]["submission"].value(),
            "reference": "AR-PAGE",
            "recognised_on": "2026-11-02",
            "expires_on": "2029-11-02",
            "forms_of_exploitation": ["forced_labour", "sexual_exploitation"],
            "territories": [str(t13.pk)],
            "agreement_clauses": ["roles", "reflection_period"],
            "agreement_signed_on": "2026-11-01",
            "agreement_expires_on": "2028-11-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    recognition = Recognition.objects.get(organisation=organisation)
    assert list(recognition.territories.all()) == [t13]
    assert recognition.agreement_clauses == ["reflection_period", "roles"]
    history = client.get(f"/manage/recognitions/{organisation.pk}/")
    assert b"AR-PAGE" in history.content


@pytest.mark.parametrize("persona", ["amina", "louis", "yasmine", "robert", "hugo"])
def test_the_pages_are_hidden_from_others(cast, persona):
    client = cast.client_for(getattr(cast, persona))
    pk = cast.association.pk
    for url in (
        "/manage/recognitions/",
        f"/manage/recognitions/{pk}/",
        f"/manage/recognitions/{pk}/recognise/",
        f"/manage/recognitions/{pk}/withdraw/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/manage/recognitions/{pk}/withdraw/", {"reason": "x"}).status_code == 404


def test_list_shows_states(cast):
    soon = OrganisationFactory(kind="association", name="Expiring association")
    _recognise(cast, soon, expires_on=timezone.localdate() + datetime.timedelta(days=20))
    gone = OrganisationFactory(kind="association", name="Withdrawn association")
    _recognise(cast, gone)
    actions.withdraw(gone, actor=actor_for(cast.nadia), reason="Ended.")
    page = cast.client_for(cast.nadia).get("/manage/recognitions/")
    rows = {row["organisation"].name: row["state"] for row in page.context["rows"]}
    assert rows["Expiring association"] == "expiring"
    assert rows["Withdrawn association"] == "withdrawn"
    assert "Prefecture 93 (fictional)" not in rows


def test_public_list_matches_the_recognitions_in_force(cast, client):
    t93 = Territory.objects.get(code="93")
    t13 = Territory.objects.get(code="13")
    _recognise(cast, cast.association, reference="R93")
    _recognise(cast, cast.other_association, reference="R13", territories=[t13])
    gone = OrganisationFactory(kind="association", name="Withdrawn one", territories=[t93])
    _recognise(cast, gone)
    actions.withdraw(gone, actor=actor_for(cast.nadia), reason="Ended.")
    page = client.get("/authorised-reporters/")
    assert page.status_code == 200
    listed = {(row.territory.code, row.organisation) for row in page.context["reporters"]}
    in_force = {
        (unit.code, recognition.organisation.name)
        for recognition in Recognition.objects.in_force()
        for unit in (recognition.territories.all() or recognition.organisation.territories.all())
    }
    assert (
        listed == in_force == {("93", cast.association.name), ("13", cast.other_association.name)}
    )
    assert b"Withdrawn one" not in page.content
    only_93 = client.get("/authorised-reporters/?territory=93")
    assert [row.organisation for row in only_93.context["reporters"]] == [cast.association.name]
    assert b"/authorised-reporters/" in client.get("/directory/").content


def test_reminders_are_sent_once_to_the_body_and_the_administrators(cast):
    today = timezone.localdate()
    recognition = _recognise(
        cast,
        cast.association,
        recognised_on=today - datetime.timedelta(days=300),
        expires_on=today + datetime.timedelta(days=59),
        agreement_expires_on=today + datetime.timedelta(days=400),
    )
    assert reminders.send_reminders(today) == 1
    assert reminders.send_reminders(today) == 0  # idempotent
    recipients = set(
        Notification.objects.filter(kind="recognition.expiry").values_list(
            "recipient__email", flat=True
        )
    )
    assert recipients == {cast.nadia.email, cast.amina.email}
    # 14 days before: a second reminder, once.
    later = recognition.expires_on - datetime.timedelta(days=14)
    assert reminders.send_reminders(later) == 1
    assert reminders.send_reminders(later) == 0
    assert Notification.objects.filter(recipient=cast.amina, kind="recognition.expiry").count() == 2


def test_the_job_lapses_expired_recognitions_and_runs_twice_safely(cast):
    today = timezone.localdate()
    _recognise(
        cast,
        cast.association,
        recognised_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=1),
    )
    recognition_expiry.call()
    recognition_expiry.call()
    cast.association.refresh_from_db()
    assert not cast.association.authorised_reporter
    assert RecognitionTransition.objects.filter(action="expired").count() == 1


def test_history_and_published_need_no_personal_data(cast):
    _recognise(cast, cast.association)
    rows = access.published()
    assert all(not hasattr(row, "email") for row in rows)
    with pytest.raises(Exception):  # noqa: B017 - Http404
        access.history(Actor.public(), cast.association)


# Queries per page, constant however many recognitions (the header's own included).
PAGES = [
    ("nadia", "/manage/recognitions/", 7),
    ("nadia", "/manage/recognitions/{pk}/", 10),
    ("nadia", "/manage/recognitions/{pk}/recognise/", 11),
    ("nadia", "/manage/recognitions/{pk}/withdraw/", 6),
    (None, "/authorised-reporters/", 4),
    (None, "/authorised-reporters/?territory=93", 5),
]


def _grow(cast) -> None:
    t93 = Territory.objects.get(code="93")
    for i in range(15):
        organisation = OrganisationFactory(kind="association", territories=[t93])
        _recognise(cast, organisation, reference=f"G{i}")
        _recognise(cast, cast.association, reference=f"H{i}", territories=[t93])


@pytest.mark.parametrize(("persona", "url", "queries"), PAGES)
def test_queries_are_pinned_and_constant(cast, django_assert_num_queries, persona, url, queries):
    _recognise(cast, cast.association)
    url = url.format(pk=cast.association.pk)
    client = cast.client_for(getattr(cast, persona) if persona else None)
    client.get(url)  # warm up
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _grow(cast)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_data_migration_takes_over_every_recognised_organisation(cast):
    """Organisations recognised in the admin (the cast's three) get a recognition in force,
    with their reference and date, no agreement details, expiry unknown."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("opennrm.recognition.migrations.0002_existing_recognitions")
    migration.take_over(apps, None)
    migration.take_over(apps, None)  # twice: nothing more
    taken = Recognition.objects.in_force()
    assert {r.organisation for r in taken} == {
        cast.association,
        cast.police,
        cast.other_association,
    }
    association = taken.get(organisation=cast.association)
    assert association.reference == "TEST-AR-1"
    assert association.recognised_on == datetime.date(2025, 1, 6)
    assert association.expires_on is None and association.agreement_clauses == []
    assert list(association.territories.values_list("code", flat=True)) == ["93"]
    assert association.transitions.get().action == "migrated"


def test_the_demo_recognises_its_authorised_reporters(settings):
    import io

    from django.core.management import call_command

    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    flagged = set(Organisation.objects.filter(authorised_reporter=True))
    assert flagged
    assert {r.organisation for r in Recognition.objects.in_force()} == flagged
    assert access.published()


def test_a_renewal_starts_from_the_latest_scope(cast):
    t13 = Territory.objects.get(code="13")
    _recognise(cast, cast.association, territories=[t13])
    page = cast.client_for(cast.nadia).get(f"/manage/recognitions/{cast.association.pk}/recognise/")
    form = page.context["form"]
    assert form["forms_of_exploitation"].value() == ["forced_labour"]
    assert form["territories"].value() == [str(t13.pk)]
    assert form["agreement_clauses"].value() == ["non_removal", "roles"]
    assert form["reference"].value() is None  # a new reference to give
