"""The residence pathway: applications with a residence authority, outcomes with reasons for
refusal, renewal reminders, outcomes per authority for monitoring, and the supporting letter
(PDF)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import TransitionError
from opennrm.monitoring import counts as monitoring
from opennrm.support import residence
from opennrm.support.models import ASYLUM, ResidenceApplication, ResidenceOutcome, residence_bases
from tests.factories import OrganisationFactory
from tests.support.conftest import acting, client_for, pdf_text, territory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def apply(case, user, prefecture, basis="residence_complaint", **values):
    return residence.apply(
        case,
        actor=acting(user),
        basis=basis,
        prefecture=prefecture,
        applied_on=values.pop("applied_on", TODAY() - datetime.timedelta(days=60)),
        **values,
    )


def test_the_legal_bases_come_from_the_profile_with_asylum_apart(cast, presumed):
    codes = [code for code, _label in residence_bases()]
    assert codes == [
        "reflection_period",
        "residence_complaint",
        "residence_conviction",
        "residence_exit_prostitution",
        ASYLUM,
    ]
    with pytest.raises(ValidationError):
        apply(presumed, cast.amina, cast.prefecture, basis="thb_offence")
    asylum = residence.apply(
        presumed,
        actor=acting(cast.amina),
        basis=ASYLUM,
        authority_name="Asylum office (fictional)",
        applied_on=TODAY(),
    )
    assert asylum.authority == "Asylum office (fictional)"


def test_a_refusal_records_the_reason_given(cast, presumed):
    application = apply(presumed, cast.amina, cast.prefecture)
    with pytest.raises(ValidationError):
        residence.decide(
            application, actor=acting(cast.amina), outcome="refused", decided_on=TODAY()
        )
    residence.decide(
        application,
        actor=acting(cast.amina),
        outcome=ResidenceOutcome.REFUSED,
        decided_on=TODAY(),
        refusal_reason="exploitation_abroad",
    )
    application.refresh_from_db()
    assert (application.outcome, application.refusal_reason) == ("refused", "exploitation_abroad")
    with pytest.raises(TransitionError):  # decided once
        residence.decide(
            application,
            actor=acting(cast.amina),
            outcome=ResidenceOutcome.GRANTED,
            decided_on=TODAY(),
            valid_until=TODAY(),
        )
    entry = AuditEntry.objects.get(action="residence.decide", object_id=str(application.pk))
    assert entry.details["refusal_reason"] == "exploitation_abroad"


def test_renewal_reminders(cast, presumed):
    application = apply(presumed, cast.amina, cast.prefecture)
    residence.decide(
        application,
        actor=acting(cast.amina),
        outcome=ResidenceOutcome.GRANTED,
        decided_on=TODAY(),
        valid_from=TODAY(),
        valid_until=TODAY() + datetime.timedelta(days=45),
    )
    assert list(ResidenceApplication.objects.renewal_due(30)) == []
    assert list(ResidenceApplication.objects.renewal_due(60)) == [application]
    assert list(
        ResidenceApplication.objects.renewal_due(60).for_organisation(cast.association)
    ) == [application]
    assert not ResidenceApplication.objects.renewal_due(60).for_organisation(cast.other_association)
    assert list(
        ResidenceApplication.objects.renewal_due(60).in_territories(
            cast.coordination.territories.all()
        )
    ) == [application]
    renewal = residence.renew(application, actor=acting(cast.amina), applied_on=TODAY())
    assert renewal.renewal_of == application
    assert list(ResidenceApplication.objects.renewal_due(60)) == []
    with pytest.raises(TransitionError):
        residence.renew(application, actor=acting(cast.amina), applied_on=TODAY())


def test_outcomes_per_authority_for_monitoring(cast, presumed):
    other = OrganisationFactory(
        name="Prefecture 13 (fictional)", kind="prefecture", territories=[territory("13")]
    )
    for outcome, prefecture, reason in (
        (ResidenceOutcome.GRANTED, cast.prefecture, ""),
        (ResidenceOutcome.REFUSED, cast.prefecture, "offence_not_characterised"),
        (ResidenceOutcome.REFUSED, other, "exploitation_abroad"),
        (ResidenceOutcome.REFUSED, other, "exploitation_abroad"),
    ):
        application = apply(presumed, cast.amina, prefecture)
        residence.decide(
            application,
            actor=acting(cast.amina),
            outcome=outcome,
            decided_on=TODAY(),
            refusal_reason=reason,
            valid_until=TODAY() + datetime.timedelta(days=365) if not reason else None,
        )
    apply(presumed, cast.amina, other)  # pending
    rows = {
        (row["authority"], row["outcome"]): row["count"]
        for row in residence.outcomes_by_authority()
    }
    assert rows == {
        ("Prefecture 13 (fictional)", "pending"): 1,
        ("Prefecture 13 (fictional)", "refused"): 2,
        ("Prefecture 93 (fictional)", "granted"): 1,
        ("Prefecture 93 (fictional)", "refused"): 1,
    }
    refusals = residence.refusal_reasons_by_authority()
    assert {
        "authority": "Prefecture 13 (fictional)",
        "refusal_reason": "exploitation_abroad",
        "count": 2,
    } in refusals
    page = client_for(cast.nadia).get(reverse("web:support_residence_outcomes"))
    assert page.status_code == 200
    assert "Prefecture 13 (fictional)" in page.content.decode()
    assert presumed.reference not in page.content.decode()  # counts only
    assert client_for(cast.louis).get(reverse("web:support_residence_outcomes")).status_code == 200
    for user in (cast.amina, cast.ines, cast.yasmine):
        assert client_for(user).get(reverse("web:support_residence_outcomes")).status_code == 404
    # Kept by the monitoring job: the same figures, nationally and for the coordinator's 93.
    live_national = page.context["rows"]
    live_local = client_for(cast.louis).get(reverse("web:support_residence_outcomes"))
    monitoring.refresh()
    kept_page = client_for(cast.nadia).get(reverse("web:support_residence_outcomes"))
    assert kept_page.context["counts"].counted_at is not None
    assert sorted(map(str, kept_page.context["rows"])) == sorted(map(str, live_national))
    kept_local = client_for(cast.louis).get(reverse("web:support_residence_outcomes"))
    assert sorted(map(str, kept_local.context["rows"])) == sorted(
        map(str, live_local.context["rows"])
    )
    assert sorted(map(str, kept_page.context["refusals"])) == sorted(
        map(str, page.context["refusals"])
    )


def test_the_supporting_letter_renders_as_pdf_and_is_audited(cast, presumed):
    application = apply(presumed, cast.amina, cast.prefecture)
    response = client_for(cast.amina).get(
        reverse("web:support_residence_letter", args=[presumed.reference, application.pk]),
        {"language": "en"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Letter supporting an application for a residence permit" in text
    assert "CESEDA, art. L.425-1" in text
    assert presumed.person.family_name in text
    assert "Prefecture 93 (fictional)" in text
    assert "do not depend on this application" in text
    assert AuditEntry.objects.filter(
        action="document.residence_letter", object_id=str(application.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="person.read_identity", actor=cast.amina).exists()


def test_the_pages_record_an_application_and_its_decision(cast, presumed):
    client = client_for(cast.amina)
    response = client.post(
        reverse("web:support_residence", args=[presumed.reference]),
        {
            "basis": "residence_exit_prostitution",
            "prefecture": cast.prefecture.pk,
            "applied_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = ResidenceApplication.objects.get(case=presumed)
    response = client.post(
        reverse("web:support_residence_decide", args=[presumed.reference, application.pk]),
        {
            "outcome": "refused",
            "decided_on": TODAY().isoformat(),
            "refusal_reason": "incomplete_file",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.outcome == "refused"
    detail = client.get(
        reverse("web:support_residence_detail", args=[presumed.reference, application.pk])
    )
    assert "Incomplete file" in detail.content.decode()


def test_the_overdue_page_lists_permits_to_renew_ended_less_than_a_year_ago(cast, presumed):
    """The organisation's overdue page lists permits ending soon or lapsed this year; one that
    lapsed longer ago is history (the case page still shows it), so the list does not grow
    with the years."""
    recent = apply(
        presumed, cast.amina, cast.prefecture, applied_on=TODAY() - datetime.timedelta(days=510)
    )
    residence.decide(
        recent,
        actor=acting(cast.amina),
        outcome=ResidenceOutcome.GRANTED,
        decided_on=TODAY() - datetime.timedelta(days=500),
        valid_from=TODAY() - datetime.timedelta(days=500),
        valid_until=TODAY() - datetime.timedelta(days=100),
    )
    assert list(ResidenceApplication.objects.renewal_due(60, ended_within_days=365)) == [recent]
    assert list(ResidenceApplication.objects.renewal_due(60, ended_within_days=90)) == []
    response = client_for(cast.amina).get(reverse("web:overdue"))
    renewals = next(s for s in response.context["sections"] if s.anchor == "renewals")
    assert [row.reference for row in renewals.rows] == [presumed.reference]
    assert renewals.rows[0].day == recent.valid_until
    ResidenceApplication.objects.filter(pk=recent.pk).update(
        valid_until=TODAY() - datetime.timedelta(days=400)
    )
    response = client_for(cast.amina).get(reverse("web:overdue"))
    renewals = next(s for s in response.context["sections"] if s.anchor == "renewals")
    assert renewals.rows == []
    assert list(ResidenceApplication.objects.renewal_due(60)) == [recent]  # the case page's
