"""Non-punishment: offences committed under constraint, the note to the prosecutor's office
contact person (PDF) citing the profile's legal bases, the outcome, the asylum flag."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.models import TransitionError
from opennrm.support import non_punishment
from opennrm.support.models import NonPunishmentOutcome, NonPunishmentRecord
from tests.factories import OrganisationFactory
from tests.support.conftest import acting, client_for, pdf_text, territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prosecutor(cast):
    return OrganisationFactory(
        name="Prosecutor 93 (fictional)", kind="prosecutor", territories=[territory("93")]
    )


def test_the_note_renders_as_pdf_with_the_legal_bases_and_the_asylum_flag(
    cast, presumed, prosecutor
):
    client = client_for(cast.amina)
    response = client.post(
        reverse("web:support_non_punishment", args=[presumed.reference]),
        {
            "offences": "Theft in a supermarket, March 2026\nUse of a false document",
            "circumstances": "The exploiters held her passport and sent her to steal every day.",
            "factors": ["ordered", "documents_confiscated"],
            "prosecutor": prosecutor.pk,
            "proceedings_reference": "PV-2026-0001",
            "asylum_safeguard": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = NonPunishmentRecord.objects.get(case=presumed)
    assert entry.factors == ["ordered", "documents_confiscated"]
    note = client.get(
        reverse("web:support_non_punishment_note", args=[presumed.reference, entry.pk]),
        {"language": "en"},
    )
    assert note.status_code == 200
    assert note["Content-Type"] == "application/pdf"
    text = pdf_text(note.content)
    assert "Note on the non-punishment of a victim of trafficking in human beings" in text
    assert "Prosecutor 93 (fictional)" in text
    assert "Theft in a supermarket" in text
    assert "Identity documents confiscated" in text
    # The profile's legal bases: non-punishment (CoE Convention art. 26) and the offence.
    assert "art. 26" in text
    assert "Code pénal, art. 225-4-1" in text
    assert "must not be held against the person's claim for international protection" in text
    assert presumed.person.family_name in text
    assert AuditEntry.objects.filter(
        action="document.non_punishment_note", object_id=str(entry.pk)
    ).exists()


def test_without_the_flag_the_note_does_not_carry_it(cast, presumed):
    entry = non_punishment.record_offences(
        presumed,
        actor=acting(cast.amina),
        offences="Begging",
        circumstances="Forced by the network.",
        asylum_safeguard=False,
    )
    note = client_for(cast.amina).get(
        reverse("web:support_non_punishment_note", args=[presumed.reference, entry.pk]),
        {"language": "en"},
    )
    assert "international protection" not in pdf_text(note.content)


def test_the_note_sent_and_the_outcome(cast, presumed, prosecutor):
    entry = non_punishment.record_offences(
        presumed,
        actor=acting(cast.amina),
        offences="Selling drugs",
        circumstances="Under threats against the family.",
        factors=["threats"],
        prosecutor=prosecutor,
    )
    today = timezone.localdate()
    non_punishment.mark_note_sent(entry, actor=acting(cast.amina), sent_on=today)
    with pytest.raises(TransitionError):
        non_punishment.record_outcome(
            entry, actor=acting(cast.amina), outcome="pending", outcome_on=today
        )
    non_punishment.record_outcome(
        entry,
        actor=acting(cast.amina),
        outcome=NonPunishmentOutcome.NOT_PROSECUTED,
        outcome_on=today,
    )
    entry.refresh_from_db()
    assert (entry.note_sent_on, entry.outcome) == (today, "not_prosecuted")
    actions = set(
        AuditEntry.objects.filter(
            object_id=str(entry.pk), object_type="support.nonpunishmentrecord"
        ).values_list("action", flat=True)
    )
    assert {
        "non_punishment.record",
        "non_punishment.note_sent",
        "non_punishment.outcome",
    } <= actions


def test_only_a_prosecutors_office_receives_the_note(cast, presumed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        non_punishment.record_offences(
            presumed,
            actor=acting(cast.amina),
            offences="x",
            circumstances="y",
            prosecutor=cast.prefecture,
        )
