"""Retention, end to end: a dry run first (counts only, nothing changes), then the run: closed
cases past the active stage are archived (out of every organisation's view, readable under
exceptional access), those past the archive are anonymised; statistics stay identical and no
name remains anywhere in the database."""

import datetime
import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentMethod, ConsentScope
from opennrm.cases.models import Case, CaseEvent, CaseTransfer, Person, SafeContact
from opennrm.cases.safe_contact import record_safe_contact
from opennrm.core.models import Territory
from opennrm.detection import accounts, actions, facts
from opennrm.detection.models import (
    AccountFacts,
    Exploiter,
    Guardian,
    LinkToken,
    PersonAccount,
    PreliminaryAssessment,
    Workplace,
)
from opennrm.privacy.models import CaseRetention, RetentionStage
from opennrm.privacy.retention import add_months, closure_date, mark_closed, run_retention
from opennrm.profiles.loader import active_profile
from tests.factories import CaseFactory
from tests.privacy.conftest import acting, client_for, open_access

TODAY = datetime.date(2031, 6, 15)
NAMES = {
    "active": ("Aurelinde", "Quoxtamberg"),
    "recent": ("Belisaria", "Ravenscroftova"),
    "archive": ("Celestyna", "Szymborskawa"),
    "anonymise": ("Dorotheya", "Thunderwoodsen"),
    "child": ("Evangelyne", "Umbrafieldova"),
}
SECRET_NOTE = "Fictional narrative naming Dorotheya at the bus station."


def _closed(months_before: int) -> datetime.datetime:
    day = add_months(TODAY, -months_before)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _case(cast, key: str, **values) -> Case:
    given, family = NAMES[key]
    person = {
        "person__given_names": given,
        "person__family_name": family,
        "person__aliases": f"{given}-alias",
        "person__date_of_birth": datetime.date(1990, 7, 14),
        "person__gender_identity": "Fictional identity",
    }
    return CaseFactory(owner=cast.association, **{**person, **values})


@pytest.fixture
def world(cast):
    """Five cases of Association 93 with different statistics; four are closed."""
    t13 = Territory.objects.get(code="13")
    cases = {
        "active": _case(cast, "active"),
        "recent": _case(cast, "recent", forms=["sexual_exploitation"]),
        "archive": _case(cast, "archive", person__sex="male", person__nationalities=["NG"]),
        "anonymise": _case(
            cast,
            "anonymise",
            forms=["forced_labour", "forced_begging"],
            person__nationalities=["AL", "XK"],
            territory=t13,
            places="Fictional: a farm near the bus station.",
            period_start=datetime.date(2023, 3, 17),
        ),
        "child": _case(
            cast,
            "child",
            person__estimated_age=15,
            person__date_of_birth=None,
            person__sex="male",
        ),
    }
    assert cases["child"].child
    mark_closed(cases["recent"], _closed(3))
    mark_closed(cases["archive"], _closed(30))
    mark_closed(cases["anonymise"], _closed(90))
    mark_closed(cases["child"], _closed(120))
    # What a file holds, with narratives that name the person.
    target = cases["anonymise"]
    request = acting(cast.amina)
    PreliminaryAssessment.objects.create(
        case=target,
        catalogue_version="2026.1",
        set_code="adults_labour",
        answers={"AL-DR-01": {"answer": "present", "note": SECRET_NOTE}},
        reasons=SECRET_NOTE,
        assessed_by=cast.amina,
        organisation=cast.association,
    )
    CaseEvent.log(target, "person.rectified", actor=request, note=SECRET_NOTE)
    # The person's account (issue #12): its narratives and the interview record go; the codes
    # (sector, forms, country, means of control) stay, dates at month precision.
    accounts.save_section(
        target,
        "control",
        {"control_means": ["documents", "debt"], "control": SECRET_NOTE},
        actor=request,
    )
    accounts.save_section(
        target,
        "interview",
        {"interview_on": datetime.date(2024, 2, 14), "interview_place": "Fictional Quai 9"},
        actor=request,
    )
    accounts.add_situation(
        target,
        {
            "started_on": datetime.date(2023, 3, 17),
            "abroad": True,
            "country": "RO",
            "commune": "Fictionville Gare",
            "sector": "agriculture",
            "forms": ["forced_labour"],
            "description": SECRET_NOTE,
        },
        actor=request,
    )
    # The facts (codes only) stay whole; the exploiters' and workplaces' names, notes,
    # addresses, towns and SIRET go, with their blind-index tokens; codes stay.
    facts.save_facts(
        target,
        {
            "recruitment_methods": ["friends"],
            "transit_countries": ["HU"],
            "sectors": ["agriculture"],
        },
        actor=request,
    )
    facts.add_exploiter(
        target,
        {"roles": ["recruiter"], "nationality": "RO", "sex": "male", "name": "Fictional Wenceslas "
         "Brumaire", "notes": SECRET_NOTE},
        actor=request,
    )  # fmt: skip
    facts.add_workplace(
        target,
        {
            "name": "SARL Fictional Orchards Brumaire",
            "address": "Fictional 9 chemin des Ombres",
            "commune": "Fictionville Gare",
            "country": "RO",
            "sector": "agriculture",
            "siret": "73282932000074",
        },
        actor=request,
    )
    # How to reach the person safely (issue #12, point 6): every contact detail, the language
    # and the precautions go; the flags (codes) stay.
    record_safe_contact(
        target,
        {
            "phone": "+33 6 00 11 22 33",
            "address": "Fictional 4 rue du Secret",
            "through_organisation": True,
            "contact_organisation_other": "Fictional cousin Albérique",
            "preferred_language": "ro",
            "safe_times": "Fictional Tuesdays at noon",
            "do_not_call": True,
            "precautions": SECRET_NOTE,
        },
        actor=request,
    )
    actions.record_consent(
        target,
        scope=ConsentScope.SHARE,
        method=ConsentMethod.ORAL,
        organisation=cast.accommodation,
        actor=request,
    )
    # A transfer proposed and declined (issue #12, point 7): its narratives go, codes stay.
    CaseTransfer.objects.create(
        case=target,
        kind="proposal",
        status="declined",
        from_organisation=cast.association,
        to_organisation=cast.other_association,
        from_territory=t13,
        to_territory=t13,
        reason="distancing",
        explanation=SECRET_NOTE,
        asked_by=cast.amina,
        asked_at=_closed(92),
        decided_by=cast.yasmine,
        decided_at=_closed(91),
        decision_note=SECRET_NOTE,
    )
    Guardian.objects.create(
        case=cases["child"],
        kind="ad_hoc",
        name="Fictional Guardian Wolkenstein",
        contact="wolkenstein@example.invalid",
        recorded_by=cast.amina,
    )
    return cases


def statistics() -> Counter:
    """Counts by forms, sex, nationality and département, as statistics would make them."""
    counts: Counter = Counter()
    for case in Case.objects.select_related("person", "territory"):
        for form in case.forms:
            counts["form", form] += 1
        counts["sex", case.person.sex] += 1
        for nationality in case.person.nationalities:
            counts["nationality", nationality] += 1
        counts["territory", case.territory.code] += 1
        counts["child", case.child] += 1
        counts["month", case.detected_on.strftime("%Y-%m")] += 1
    return counts


def every_text_in_the_database() -> str:
    """Every value of every row of every model (decrypted, as the application reads it)."""
    parts = []
    for model in apps.get_models():
        if model._meta.label_lower in {"audit.auditentry", "sessions.session"}:
            continue
        for row in model._base_manager.all():
            for field in model._meta.concrete_fields:
                parts.append(str(field.value_from_object(row)))
    return "\n".join(parts)


def test_the_profiles_set_the_retention_periods():
    retention = active_profile().retention
    assert retention.active_months == 24
    assert retention.archive_months == 60
    assert "CNIL" in retention.reference


def test_closure_comes_from_support_or_from_the_date_recorded_here(cast, world):
    assert closure_date(world["active"]) is None
    assert closure_date(world["archive"]) == add_months(TODAY, -30)
    from opennrm.support.services import open_protection

    # Open support means an open case, whatever was recorded here.
    open_protection(world["archive"], actor=acting(cast.amina))
    assert closure_date(world["archive"]) is None


def test_closure_recorded_by_support_counts(cast):
    closure = pytest.importorskip("opennrm.support.closure")
    from opennrm.cases.enums import IdentificationStatus
    from opennrm.support.services import open_protection

    case = CaseFactory(owner=cast.association)
    request = acting(cast.amina)
    case.transition(IdentificationStatus.PRESUMED_VICTIM, actor=request)
    open_protection(case, actor=request)
    closed_on = timezone.localdate() - datetime.timedelta(days=10)
    closure.close_support(
        case,
        actor=request,
        reason="self_reliance",
        closed_on=closed_on,
        follow_up_on=closed_on + datetime.timedelta(days=30),
    )
    assert closure_date(case) == closed_on
    # The follow-up, once it took place, is the last contact: the clock starts there.
    followed = closed_on + datetime.timedelta(days=5)
    closure.record_follow_up(closure.current_closure(case), actor=request, followed_up_on=followed)
    assert closure_date(case) == followed


def test_dry_run_then_apply(cast, world):
    before = statistics()
    # The dry run: counts only, nothing changes.
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", f"--today={TODAY.isoformat()}", stdout=out)
    report = out.getvalue()
    assert "Dry run" in report
    assert "to archive: 1" in report
    assert "to anonymise: 2" in report
    assert "closed, still in the active stage: 1" in report
    for given, family in NAMES.values():
        assert given not in report
        assert family not in report
    for case in world.values():
        assert case.reference not in report
    assert not CaseRetention.objects.exclude(stage=RetentionStage.ACTIVE).exists()
    unchanged = Person.objects.get(pk=world["anonymise"].person_id)
    assert unchanged.family_name == NAMES["anonymise"][1]
    dry = AuditEntry.objects.get(action="retention.dry_run")
    assert dry.details["archive"] == 1
    assert dry.details["anonymise"] == 2

    # The run.
    out = io.StringIO()
    call_command("apply_retention", f"--today={TODAY.isoformat()}", stdout=out)
    assert "Applied" in out.getvalue()
    stages = dict(CaseRetention.objects.values_list("case_id", "stage"))
    assert stages[world["archive"].pk] == RetentionStage.ARCHIVED
    assert stages[world["anonymise"].pk] == RetentionStage.ANONYMISED
    assert stages[world["child"].pk] == RetentionStage.ANONYMISED
    assert stages[world["recent"].pk] == RetentionStage.ACTIVE
    assert world["active"].pk not in stages

    # Statistics are the same (dates at month precision), and no anonymised name remains.
    assert statistics() == before
    everything = every_text_in_the_database()
    for key in ("anonymise", "child"):
        given, family = NAMES[key]
        assert given not in everything
        assert family not in everything
    assert SECRET_NOTE not in everything
    assert "Wolkenstein" not in everything
    assert "bus station" not in everything
    # The others are untouched (the archived case keeps everything, out of sight).
    for key in ("active", "recent", "archive"):
        assert NAMES[key][1] in everything

    person = Person.objects.get(pk=world["anonymise"].person_id)
    assert person.pseudonym == world["anonymise"].person.pseudonym
    assert person.date_of_birth is None
    assert person.estimated_age is None
    assert person.gender_identity == ""
    assert person.nationalities == ["AL", "XK"]
    assert not person.index_tokens.exists()
    case = Case.objects.get(pk=world["anonymise"].pk)
    assert case.places == ""
    assert case.period_start == datetime.date(2023, 3, 1)
    assert case.age_at_detection is None
    assessment = case.assessments.get()
    assert assessment.answers == {"AL-DR-01": {"answer": "present"}}
    assert assessment.reasons == ""
    account = PersonAccount.objects.get(case=case)
    assert account.control == "" and account.interview_place == ""
    assert account.interview_on is None
    assert account.control_means == ["documents", "debt"]
    situation = account.situations.get()
    assert situation.commune == "" and situation.description == ""
    assert (situation.country, situation.sector) == ("RO", "agriculture")
    assert situation.forms == ["forced_labour"]
    assert situation.started_on == datetime.date(2023, 3, 1)
    assert "Fictionville Gare" not in everything and "Quai 9" not in everything
    kept = AccountFacts.objects.get(account=account)
    assert kept.recruitment_methods == ["friends"] and kept.transit_countries == ["HU"]
    exploiter = Exploiter.objects.get(account=account)
    assert (exploiter.name, exploiter.notes) == ("", "")
    assert (exploiter.roles, exploiter.nationality, exploiter.sex) == (["recruiter"], "RO", "male")
    workplace = Workplace.objects.get(account=account)
    assert (workplace.name, workplace.address, workplace.commune, workplace.siret) == ("",) * 4
    assert (workplace.country, workplace.sector) == ("RO", "agriculture")
    assert not LinkToken.objects.filter(case=case).exists()
    assert "Brumaire" not in everything and "chemin des Ombres" not in everything
    safe = SafeContact.objects.get(case=case)
    assert (safe.phone, safe.address, safe.safe_times, safe.precautions) == ("", "", "", "")
    assert (safe.contact_organisation_other, safe.preferred_language) == ("", "")
    assert safe.do_not_call and safe.through_organisation
    assert "rue du Secret" not in everything and "Albérique" not in everything
    transfer = CaseTransfer.objects.get(case=case)
    assert (transfer.explanation, transfer.decision_note) == ("", "")
    assert (transfer.reason, transfer.status, transfer.kind) == (
        "distancing",
        "declined",
        "proposal",
    )
    assert timezone.localtime(transfer.asked_at).day == 1  # dates at month precision
    assert timezone.localtime(transfer.decided_at).day == 1
    assert AuditEntry.objects.filter(action="retention.anonymise").count() == 2
    assert AuditEntry.objects.filter(action="retention.anonymise_person").count() == 2
    assert AuditEntry.objects.filter(action="retention.archive").count() == 1
    run = AuditEntry.objects.get(action="retention.run")
    assert run.details["persons_anonymised"] == 2

    # A second run finds nothing more to do.
    report2 = run_retention(TODAY)
    assert report2.counts["archive"] == 0
    assert report2.counts["anonymise"] == 0


def test_archived_and_anonymised_cases_leave_the_organisations_view(cast, world):
    run_retention(TODAY)
    client = client_for(cast.amina)
    listing = client.get(reverse("web:cases")).content.decode()
    assert world["active"].reference in listing
    for key in ("archive", "anonymise"):
        assert world[key].reference not in listing
        assert client.get(reverse("web:case", args=[world[key].reference])).status_code == 404
    # Coordination, with which the case is shared, loses it too.
    assert (
        client_for(cast.louis).get(reverse("web:case", args=[world["archive"].reference]))
    ).status_code == 404
    # The archive is readable under exceptional access only.
    robert = client_for(cast.robert)
    archived_url = reverse("web:case", args=[world["archive"].reference])
    assert robert.get(archived_url).status_code == 404
    open_access(cast.robert, world["archive"], identity=True)
    assert robert.get(archived_url).status_code == 200
    copy = robert.get(
        reverse("web:privacy_subject_access_json", args=[world["archive"].reference])
    ).json()
    assert copy["person"]["family_name"] == NAMES["archive"][1]


def test_a_person_with_a_case_still_active_keeps_their_identity(cast, world):
    person = world["anonymise"].person
    CaseFactory(owner=cast.association, person=person)
    report = run_retention(TODAY)
    assert report.counts["persons_anonymised"] == 1  # the child only
    person.refresh_from_db()
    assert person.family_name == NAMES["anonymise"][1]
    case = Case.objects.get(pk=world["anonymise"].pk)
    assert case.places == ""


def test_the_background_task_runs_the_same(cast, world):
    from opennrm.privacy.tasks import apply_retention

    result = apply_retention.enqueue(today=TODAY.isoformat(), dry_run=True)
    assert result.return_value["archive"] == 1
    assert result.return_value["anonymise"] == 2
    assert not CaseRetention.objects.exclude(stage=RetentionStage.ACTIVE).exists()


def test_the_dpo_reads_the_report_and_only_the_dpo(cast, world):
    url = reverse("web:privacy_retention")
    response = client_for(cast.robert).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="retention-report"' in html
    for _given, family in NAMES.values():
        assert family not in html
    for persona in ("nadia", "amina", "louis", "yasmine"):
        assert client_for(getattr(cast, persona)).get(url).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))


def test_months_are_added_to_the_last_day_when_shorter():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 11, 15), 26) == datetime.date(2027, 1, 15)
    assert add_months(datetime.date(2024, 3, 31), -1) == datetime.date(2024, 2, 29)
