"""The demo data: made by the domain actions, idempotent, and refused outside demo mode."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import ConsentScope, IdentificationStatus
from opennrm.cases.evidence import read_content
from opennrm.cases.models import Case, CaseEvent, CaseShare, CaseTransfer, Consent, Person
from opennrm.core.models import Membership, Organisation, User
from opennrm.demo.acting import as_persona
from opennrm.demo.personas import (
    AMINA,
    CASE_ASSESSMENT,
    CASE_CHILD,
    CASE_PRESUMED,
    CASE_TRANSFERRED,
    DEMO_CONCERNS,
    DEMO_PERSONS,
    DEMO_SERVICES,
    PERSONAS,
    PLATFORM_93,
)
from opennrm.detection import accounts
from opennrm.detection.access import concerns_of_case, get_concern_for_member
from opennrm.detection.models import (
    ChildProtectionAlert,
    Concern,
    Guardian,
    PreliminaryAssessment,
    RightsInformation,
)
from opennrm.directory.models import ContactEntry
from opennrm.identification.models import (
    ConflictDeclaration,
    IdentificationDecision,
    Interview,
    JudicialRecord,
    PlatformMember,
    Referral,
    Vote,
)
from opennrm.support.models import (
    CompensationClaim,
    Need,
    NonPunishmentRecord,
    Orientation,
    OrientationTransition,
    Placement,
    ReflectionPeriod,
    ResidenceApplication,
    Service,
    SupportClosure,
    SupportRecord,
)

pytestmark = pytest.mark.django_db

COUNTED = (
    Organisation,
    User,
    Membership,
    ContactEntry,
    Concern,
    Case,
    Person,
    CaseEvent,
    CaseShare,
    CaseTransfer,
    Consent,
    PreliminaryAssessment,
    RightsInformation,
    Guardian,
    ChildProtectionAlert,
    ReflectionPeriod,
    SupportRecord,
    Referral,
    PlatformMember,
    ConflictDeclaration,
    Interview,
    Vote,
    JudicialRecord,
    IdentificationDecision,
    Service,
    Need,
    Orientation,
    OrientationTransition,
    Placement,
    ResidenceApplication,
    NonPunishmentRecord,
    CompensationClaim,
    SupportClosure,
    AuditEntry,
)


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_seed_demo_twice_gives_the_same_data(settings):
    settings.DEMO_MODE = True
    seed()
    first = counts()
    seed()
    assert counts() == first
    assert first["Concern"] == len(DEMO_CONCERNS)
    assert first["Case"] == len(DEMO_PERSONS) == 8
    assert first["PlatformMember"] == len(PLATFORM_93)
    assert first["Service"] == len(DEMO_SERVICES)
    assert first["User"] == len(PERSONAS)


def test_the_demo_data_of_detection_and_preliminary_identification(settings):
    settings.DEMO_MODE = True
    seed()
    # 93: two public concerns to triage, one of them overdue; a third opened a case.
    to_triage = Concern.objects.filter(territory__code="93").to_triage()
    assert to_triage.count() == 2
    assert [concern.is_overdue for concern in to_triage.order_by("reference")] == [False, True]
    assert Concern.objects.filter(territory__code="93", status="case_opened").count() == 1
    assert not Concern.objects.filter(channel__in=["direct"]).exists()

    association = Organisation.objects.get(kind="association", territories__code="93")
    coordination = Organisation.objects.get(kind="local_coordination", territories__code="93")

    # 93: a case under preliminary assessment, owned by the association, with a draft.
    under = Case.objects.get(reference=CASE_ASSESSMENT)
    assert (under.status, under.owner, under.child) == (
        IdentificationStatus.PRELIMINARY_ASSESSMENT,
        association,
        False,
    )
    draft = under.assessments.get()
    assert not draft.is_final and draft.answers
    assert under.events.filter(kind="concern.triaged").exists()
    # The concern it was opened from travels with it: the association reads its content.
    amina = as_persona(AMINA)
    [origin] = concerns_of_case(amina, under)
    assert origin.description.startswith("Signalement fictif (démo)")
    assert get_concern_for_member(amina, origin.reference) == origin

    # 93: a presumed victim: rights, consent, reflection period, referral to the platform.
    presumed = Case.objects.get(reference=CASE_PRESUMED)
    assert presumed.status == IdentificationStatus.PRESUMED_VICTIM
    assert presumed.rights_information.count() == 1
    consent = presumed.active_consent(ConsentScope.REFERRAL)
    assert consent is not None
    assert presumed.reflection_periods.count() == 1
    referral = presumed.referrals.get()
    assert (referral.route, referral.target, referral.consent) == (
        "platform",
        coordination,
        consent,
    )
    assert Case.objects.visible_to(coordination).filter(pk=presumed.pk).exists()
    kinds = set(presumed.events.values_list("kind", flat=True))
    assert {"status.presumed_victim", "rights.informed", "consent.referral"} <= kinds
    assert "referral.platform" in kinds
    # Its account is complete, and fictional: what the platform reads in the referred file.
    account = presumed.account
    assert accounts.filled_sections(account, account.situations.count()).complete
    assert "fictif (démo)" in account.recruitment
    assert account.situations.count() == 2
    # Its facts in standard terms, one exploiter and one workplace, fictional too.
    assert account.facts.recruitment_methods == ["friends"]
    assert account.facts.sectors == ["construction"]
    assert "démo" in account.exploiters.get().name
    assert "démo" in account.workplaces.get().name
    # How to reach her safely: through the association, never by post.
    safe = presumed.safe_contact
    assert safe.through_organisation and safe.do_not_write
    assert safe.contact_organisation == association
    assert "fictives (démo)" in safe.precautions
    # Two documents, generated and marked fictional in their content and their description.
    documents = {item.kind: item for item in presumed.evidence.all()}
    assert set(documents) == {"complaint_receipt", "photo"}
    receipt = PdfReader(io.BytesIO(read_content(documents["complaint_receipt"])))
    assert "DOCUMENT FICTIF" in receipt.pages[0].extract_text()
    assert all("(démo)" in item.description for item in documents.values())
    assert documents["photo"].file_format == "png"

    # 974: a child, with a guardian and a child protection alert.
    child = Case.objects.get(reference=CASE_CHILD)
    assert child.child and child.territory.code == "974"
    assert child.guardians.count() == 1
    alert = child.child_protection_alerts.get()
    assert alert.service is not None and alert.service.kind == "child_protection"

    # 93 → 13: a case transferred for the person's safety, with her consent; the association
    # of 93 keeps read-only access as she agreed; the history stays on the case.
    moved = Case.objects.get(reference=CASE_TRANSFERRED)
    association13 = Organisation.objects.get(kind="association", territories__code="13")
    assert (moved.owner, moved.territory.code) == (association13, "13")
    transfer = moved.transfers.get()
    assert (transfer.status, transfer.reason, transfer.from_organisation) == (
        "accepted",
        "distancing",
        association,
    )
    assert transfer.consent is not None and transfer.consent.scope == ConsentScope.TRANSFER
    assert Case.objects.visible_to(association).filter(pk=moved.pk).exists()  # read only
    moved_kinds = list(moved.events.values_list("kind", flat=True))
    assert moved_kinds[0] == "case.opened" and moved_kinds[-1] == "transfer.accepted"
    assert "status.presumed_victim" in moved_kinds

    # Made by the actions: each step has its audit entry.
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "concern.create",
        "concern.open_case",
        "case.create",
        "person.update",
        "assessment.create",
        "assessment.conclude",
        "rights.record",
        "consent.record",
        "referral.create",
        "account.save_section",
        "account.add_situation",
        "facts.save",
        "exploiter.add",
        "workplace.add",
        "evidence.upload",
        "guardian.record",
        "child_protection.alert",
        "transfer.propose",
        "transfer.accept",
    } <= actions

    # Every name says it is fictional.
    for person in Person.objects.all():
        assert "fictive" in person.given_names.lower()
    for guardian in Guardian.objects.all():
        assert "fictive" in guardian.name.lower()
    for concern in Concern.objects.all():
        assert concern.description.startswith("Signalement fictif (démo)")


def test_seed_demo_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        seed()
    assert not Organisation.objects.exists()
    assert not Case.objects.exists()
