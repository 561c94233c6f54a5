"""The audit viewer of the data protection officer: filters, pages, the chain's verification,
and the CSV export (formulas neutralised, the export itself audited)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from tests.factories import OrganisationFactory
from tests.privacy.conftest import client_for, open_access

AUDIT = "/audit/"
EXPORT = "/audit/export.csv"


def _ids(response) -> set[int]:
    return {entry.pk for entry in response.context["page"].object_list}


def _backdate(entry: AuditEntry, days: int) -> None:
    """Move an entry into the past behind the application's back (the seal then breaks, which
    is what a real change would do; the chain's cache is cleared by the fixture)."""
    moment = timezone.now() - datetime.timedelta(days=days)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                "UPDATE audit_auditentry SET created_at = %s WHERE id = %s", [moment, entry.pk]
            )
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def as_(user):
    return Actor.for_user(user)


@pytest.fixture
def trail(cast, case):
    """A few entries of different kinds, actors, organisations and objects."""
    return {
        "nadia": record(
            "directory.update", actor=Actor.for_user(cast.nadia), organisation=cast.national
        ),
        "amina": record(
            "case.read",
            actor=Actor.for_user(cast.amina),
            organisation=cast.association,
            target=case,
        ),
        "claire": record(
            "judicial.referral_read",
            actor=Actor.for_user(cast.claire),
            organisation=cast.police,
            details={},
        ),
        "robert": record(
            "auth.login", actor=Actor.for_user(cast.robert), organisation=cast.national
        ),
    }


def test_the_urls_are_the_expected_ones():
    assert reverse("web:audit") == AUDIT
    assert reverse("web:audit_export") == EXPORT


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "judicial.referral_read"}, {"claire"}),
        ({"actor": "AMINA@test"}, {"amina"}),
        ({"organisation": "police 93"}, {"claire"}),
        ({"object_type": "cases.case"}, {"amina"}),
    ],
)
def test_filters(cast, trail, params, expected):
    response = client_for(cast.robert).get(AUDIT, params)
    assert response.status_code == 200
    shown = _ids(response)
    for name, entry in trail.items():
        assert (entry.pk in shown) == (name in expected), name


def test_filter_by_object_id_and_by_dates(cast, case, trail):
    client = client_for(cast.robert)
    shown = _ids(client.get(AUDIT, {"object_type": "cases.case", "object_id": str(case.pk)}))
    assert trail["amina"].pk in shown
    assert trail["claire"].pk not in shown
    _backdate(trail["nadia"], 10)
    day = timezone.localdate() - datetime.timedelta(days=10)
    shown = _ids(client.get(AUDIT, {"date_from": day.isoformat(), "date_to": day.isoformat()}))
    assert shown == {trail["nadia"].pk}
    shown = _ids(client.get(AUDIT, {"date_from": timezone.localdate().isoformat()}))
    assert trail["nadia"].pk not in shown
    assert trail["amina"].pk in shown
    response = client.get(AUDIT, {"date_from": "2026-02-02", "date_to": "2026-02-01"})
    assert response.context["form"].errors["date_to"]


def test_filter_what_was_done_under_exceptional_access(cast, case, trail):
    open_access(cast.nadia, case)
    client_for(cast.nadia).get(reverse("web:case", args=[case.reference]))
    response = client_for(cast.robert).get(AUDIT, {"break_glass": "on"})
    actions = [entry.action for entry in response.context["page"].object_list]
    assert sorted(actions) == ["breakglass.open", "case.read"]
    assert "Exceptional access" in response.content.decode()


def test_pages_keep_the_filters(cast):
    for i in range(60):
        record("concern.read", object_type="test.thing", object_id=str(i))
    client = client_for(cast.robert)
    response = client.get(AUDIT, {"action": "concern.read"})
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 50
    html = response.content.decode()
    assert "?action=concern.read&amp;page=2" in html
    second = client.get(AUDIT, {"action": "concern.read", "page": 2})
    assert len(second.context["page"].object_list) == 10
    assert {e.action for e in second.context["page"].object_list} == {"concern.read"}


def test_reading_the_trail_is_audited_with_the_filters(cast):
    client_for(cast.robert).get(AUDIT, {"action": "auth.login", "actor": "someone@"})
    entry = AuditEntry.objects.filter(action="audit.read").latest("id")
    assert entry.details["filters"] == {"action": "auth.login", "actor": True}
    assert "someone@" not in str(entry.details)


def test_the_chain_status_is_shown(cast, trail):
    client = client_for(cast.robert)
    html = client.get(AUDIT).content.decode()
    assert 'id="chain-status"' in html
    assert "The chain is intact" in html
    # Changed behind the application's back: a fresh verification shows where it breaks.
    _backdate(trail["claire"], 1)
    html = client.get(AUDIT, {"verify": "1"}).content.decode()
    assert "The audit chain is broken" in html
    assert f"Entry #{trail['claire'].pk}" in html


def test_who_acted_names_the_system_process_and_the_channel(cast):
    from opennrm.core.acting import Channel

    record("retention.run", actor=Actor.system("retention"))
    record("case.read", actor=Actor.for_user(cast.amina, channel=Channel.API))
    client = client_for(cast.robert)
    html = client.get(AUDIT).content.decode()
    assert "System: retention" in html
    assert "through: the API" in html and "through: a background job" in html
    rows = list(csv.reader(io.StringIO(client.get(EXPORT).content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Channel"
    by_action = {row[4]: row for row in rows[1:]}
    assert by_action["retention.run"][2] == "system:retention"
    assert by_action["retention.run"][-1] == "job"
    assert by_action["case.read"][2] == cast.amina.email


def test_the_viewer_says_how_many_entries_wait_for_their_seal(cast):
    from opennrm.audit.sealing import seal_all

    client = client_for(cast.robert)
    record("test.event")
    html = client.get(AUDIT).content.decode()
    assert "will be sealed within 1 minute" in html
    seal_all()
    html = client.get(AUDIT).content.decode()
    assert "Every entry is sealed" in html
    # An entry waiting for more than five minutes: the scheduler or the worker is stopped.
    entry = record("test.late")
    _backdate(entry, 1)
    html = client.get(AUDIT).content.decode()
    assert "Entries are waiting for their seal" in html


def test_the_chain_is_verified_in_the_background_and_the_latest_result_shown(cast, monkeypatch):
    from opennrm.audit import tasks
    from opennrm.audit.models import ChainCheck

    calls = []
    real = tasks.verify_chain

    def counting():
        calls.append(1)
        return real()

    monkeypatch.setattr(tasks, "verify_chain", counting)
    client = client_for(cast.robert)
    client.get(AUDIT)  # never verified: a verification is asked for (run at once here)
    client.get(AUDIT)  # the kept result is shown
    assert len(calls) == 1 and ChainCheck.objects.count() == 1
    client.get(AUDIT, {"verify": "1"})
    assert len(calls) == 2
    assert AuditEntry.objects.filter(action="audit.verify_requested").count() == 2


@pytest.mark.django_db
def test_a_verification_asked_for_and_not_finished_is_said_and_not_asked_twice(cast, settings):
    from opennrm.audit.models import ChainCheck

    # The database backend, with no worker running: the verification waits in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(cast.robert)
    html = client.get(AUDIT).content.decode()
    assert 'id="chain-requested"' in html
    assert ChainCheck.objects.count() == 0
    client.get(AUDIT)
    client.get(AUDIT, {"verify": "1"})
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="verify_audit_trail").count() == 1


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_csv_export_neutralises_formulas_and_is_audited(cast):
    hostile = OrganisationFactory(name='=HYPERLINK("http://evil.invalid","click")')
    record("concern.read", organisation=hostile, object_type="test.thing", object_id="+1+2")
    record("concern.read", object_type="test.thing", object_id="-3")
    record("concern.read", object_type="test.thing", object_id="@SUM(A1)")
    response = client_for(cast.robert).get(EXPORT, {"action": "concern.read"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Entry number", "When", "Who", "Acting for", "Action"]
    assert len(body) == 3
    cells = [cell for row in body for cell in row]
    assert '\'=HYPERLINK("http://evil.invalid","click")' in cells
    assert "'+1+2" in cells
    assert "'-3" in cells
    assert "'@SUM(A1)" in cells
    assert not any(cell[:1] in {"=", "+", "-", "@"} for cell in cells)
    entry = AuditEntry.objects.get(action="audit.export")
    assert entry.actor == cast.robert
    assert entry.details == {"rows": 3, "filters": {"action": "concern.read"}, "format": "csv"}


def test_csv_export_follows_the_filters(cast, trail):
    rows = _rows(client_for(cast.robert).get(EXPORT, {"organisation": "Police 93"}))
    assert [row[4] for row in rows[1:]] == ["judicial.referral_read"]
    assert rows[1][3] == Organisation.objects.get(pk=trail["claire"].organisation_id).name


@pytest.mark.parametrize(
    "persona", ["nadia", "louis", "amina", "hugo", "claire", "sophie", "paul", "ines", "yasmine"]
)
def test_only_the_dpo_reads_or_exports_the_trail(cast, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(AUDIT).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert not AuditEntry.objects.filter(action="audit.export").exists()


def test_anonymous_visitors_are_sent_to_the_login_page(db):
    for url in (AUDIT, EXPORT):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_details_named_like_dict_methods_are_shown(cast):
    """A detail called "items" (the referral's parts were first named so) once broke the page."""
    record("test.details", details={"items": ["account"], "keys": 2, "values": "x"})
    page = client_for(cast.robert).get(reverse("web:audit"))
    assert page.status_code == 200
    assert "Items: account" in page.content.decode()


def test_the_action_is_chosen_from_the_labelled_list(cast, trail):
    response = client_for(cast.robert).get(AUDIT)
    html = response.content.decode()
    assert '<option value="judicial.referral_read">' in html
    assert "Every action" in html
    response = client_for(cast.robert).get(AUDIT, {"action": "case.read"})
    assert _ids(response) == {trail["amina"].pk}


def test_an_unknown_action_or_object_type_is_a_form_error(cast, trail):
    client = client_for(cast.robert)
    for params, field, message in [
        ({"action": "cases.case"}, "action", "Choose an action from the list."),
        ({"object_type": "nothing.here"}, "object_type", "Choose an object type from the list."),
    ]:
        response = client.get(AUDIT, params)
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert message in response.content.decode()
        assert _ids(response) == set()
    export = client.get(EXPORT, {"action": "cases.case"})
    assert export.status_code == 200
    assert len(_rows(export)) == 1  # the header only


def test_the_object_type_is_chosen_from_a_list_of_named_records(cast, trail):
    html = client_for(cast.robert).get(AUDIT).content.decode()
    assert '<option value="cases.case">Case</option>' in html
    assert '<option value="cases.person">Person</option>' in html


def test_details_are_shown_with_labels_and_an_empty_one_shows_nothing(cast):
    record("audit.read", details={"page": 2, "filters": {}, "verified": False})
    record(
        "audit.export",
        details={"rows": 3, "filters": {"action": "case.read", "actor": True}},
    )
    record("case.share_revoke", details={"shares_revoked": [4, 5], "reason": ""})
    record("auth.login", details={})
    response = client_for(cast.robert).get(AUDIT)
    html = response.content.decode()
    table = html[html.index('<table id="audit-entries">') :]
    assert "filters={}" not in table and "{}" not in table
    assert "Page: 2" in table
    assert "Chain verified: no" in table
    assert "Filters: Action: Case read; Actor: yes" in table
    assert "Shares revoked: 4, 5" in table
    assert "Reason:" not in table
