"""Compensation and labour rights: claims, amounts claimed and awarded, legal aid, stay of
removal."""

import decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.support import compensation
from opennrm.support.models import ClaimKind, ClaimOutcome, CompensationClaim, LegalAid
from tests.support.conftest import acting, client_for

pytestmark = pytest.mark.django_db


def test_a_labour_court_claim_for_unpaid_wages_through_the_pages(cast, presumed):
    client = client_for(cast.amina)
    response = client.post(
        reverse("web:support_compensation", args=[presumed.reference]),
        {
            "kind": ClaimKind.LABOUR_COURT,
            "body_name": "Labour court of Bobigny (fictional)",
            "lodged_on": timezone.localdate().isoformat(),
            "amount_claimed": "18400.50",
            "currency": "eur",
            "legal_aid": LegalAid.GRANTED,
            "lawyer": "Legal aid desk 93",
            "stay_of_removal_needed": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    claim = CompensationClaim.objects.get(case=presumed)
    assert claim.amount_claimed == decimal.Decimal("18400.50")
    assert claim.currency == "EUR"
    assert claim.stay_of_removal_needed
    response = client.post(
        reverse("web:support_compensation_decide", args=[presumed.reference, claim.pk]),
        {
            "outcome": ClaimOutcome.AWARDED,
            "decided_on": timezone.localdate().isoformat(),
            "amount_awarded": "12000",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.outcome, claim.amount_awarded) == ("awarded", decimal.Decimal("12000"))
    page = client.get(reverse("web:support_compensation", args=[presumed.reference]))
    assert "12000" in page.content.decode()
    assert set(
        AuditEntry.objects.filter(object_id=str(claim.pk)).values_list("action", flat=True)
    ) >= {"compensation.lodge", "compensation.decide"}


def test_an_amount_is_awarded_only_when_the_claim_succeeds(cast, presumed):
    claim = compensation.lodge(
        presumed,
        actor=acting(cast.amina),
        kind=ClaimKind.COMPENSATION_COMMISSION,
        body_name="Compensation commission (fictional)",
    )
    with pytest.raises(ValidationError):
        compensation.lodge(
            presumed,
            actor=acting(cast.amina),
            kind=ClaimKind.CIVIL_PARTY,
            body_name="Criminal court",
            amount_claimed=decimal.Decimal("-1"),
        )
    decided = compensation.decide(
        claim,
        actor=acting(cast.amina),
        outcome=ClaimOutcome.REJECTED,
        decided_on=timezone.localdate(),
        amount_awarded=decimal.Decimal("500"),
    )
    assert decided.amount_awarded is None
