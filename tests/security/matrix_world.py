"""The world of the authorisation matrix: the same set of objects in two départements.

Département 93 belongs to the persona cast of `tests/conftest.py` (Association 93: amina, hugo,
paul; ines's shelter; claire's police; sophie's prefecture; louis's coordination). Département 13
mirrors it around yasmine's Association 13, with four more personas: marcel (local coordinator
13, chair of platform 13), olga (service provider, Shelter 13), victor (judicial officer, Police
13) and, back in 93, kim (service provider of a health centre that no orientation names).

Each département holds (names are the keys of `World.objects`):

- `organisation`: the owner association; `member`: a membership of it that is not an
  administrator (hugo in 93, zeno in 13);
- `assessing`: a case under preliminary assessment, shared with the local coordination, with a
  draft `assessment` and the person's account, with one exploitative `situation`, its facts,
  an `exploiter` and a `workplace`, and a document attached (`evidence`);
- `main`: an adult presumed victim, protection open, the `consent` to referral, a shelter
  `need`, an `orientation` sent to the shelter with the person's consent to share, a
  `residence` application, a `non_punishment` record and a `compensation` claim;
- `child`: a child presumed victim (guardian, child protection alert);
- `closed`: a presumed victim whose support is closed, follow-up due;
- `pending`: a case before the département's platform (`pending_referral`) with a `question`
  and a document attached (`pending_evidence`);
- `refused`: a case the platform did not identify (`decision`);
- `judicial`: a case referred to the police (`judicial_referral`) and identified;
- `granted`: a case nadia opened by exceptional access (`grant`);
- `transfer`: a transfer of a case of the association to the local coordination, proposed by
  the association's administrator and waiting for the coordinator's decision;
- `transferred`: a transfer accepted: a case the local coordination handed to the association,
  the coordination keeping read-only access (`former_share`) as the person agreed;
- `concern`: a concern the association entered (staff entry), not triaged;
- `entry`: a contact post of the département's prefecture; `service`: the shelter's service;
- `seat`: a platform member's seat (not the chair's).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from opennrm.cases import transfer as transfers
from opennrm.cases.enums import (
    ConsentMethod,
    ConsentScope,
    FormerOwnerAccess,
    IdentificationStatus,
    ShareReason,
)
from opennrm.cases.evidence import Upload, attach_evidence
from opennrm.cases.models import Case, Consent
from opennrm.core.models import Membership, Organisation, Territory, User
from opennrm.demo.documents import fictional_pdf
from opennrm.detection import accounts, facts
from opennrm.detection import actions as detection
from opennrm.detection.models import PreliminaryAssessment
from opennrm.identification import actions as identification
from opennrm.identification.models import Route
from opennrm.identification.services import refer
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.privacy import breakglass
from opennrm.support import closure, compensation, non_punishment, plans, residence
from opennrm.support.models import ClaimKind, Need, Service, ServiceType
from opennrm.support.services import open_protection, record_immediate_needs
from tests.acting import actor_for
from tests.factories import (
    CaseFactory,
    ConcernFactory,
    ContactEntryFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TrainingRecordFactory,
)

RECOGNISED = {
    "authorised_reporter": True,
    "reporter_recognised_on": datetime.date(2025, 1, 6),
    "reporter_recognition_ref": "TEST-AR-MATRIX",
}


def acting(user: User, membership: Membership | None = None) -> Any:
    """`user` acting for their (only) organisation, for actions in the set-up."""
    return actor_for(user, membership)


def organisation(name: str, kind: str, code: str, **extra: Any) -> Organisation:
    territory = Territory.objects.get(code=code)
    return OrganisationFactory(name=name, kind=kind, territories=[territory], **extra)


def person(org: Organisation, role: str, name: str, *, admin: bool = False) -> User:
    user: User = MembershipFactory(
        organisation=org,
        role=role,
        is_admin=admin,
        user__full_name=name,
        user__email=f"{name.lower()}.matrix@test.opennrm.invalid",
    ).user
    return user


@dataclass
class Side:
    """The organisations and people of one département, before its objects exist."""

    code: str
    owner: Organisation  # the association owning the cases
    admin: User  # its administrator (field worker)
    staff: User  # a field worker who is not an administrator
    coordination: Organisation
    coordinator: User  # local coordinator, chair of the platform
    police: Organisation
    officer: User  # judicial officer
    shelter: Organisation
    provider: User  # service provider of the shelter
    prefecture: Organisation
    platform_member: User  # a platform member of the owner association


@dataclass
class World:
    """The objects of one département, by name (see the module's docstring)."""

    code: str
    side: Side
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]


@dataclass
class Extras:
    """The personas added to the cast for the matrix."""

    marcel: User  # local coordinator 13, chair of platform 13
    olga: User  # service provider, Shelter 13
    victor: User  # judicial officer, Police 13
    kim: User  # service provider, Health centre 93: no orientation names it


def sides(cast: Any) -> tuple[Side, Side, Extras]:
    """Département 93 from the cast; département 13 built to mirror it."""
    side93 = Side(
        code="93",
        owner=cast.association,
        admin=cast.amina,
        staff=cast.hugo,
        coordination=cast.coordination,
        coordinator=cast.louis,
        police=cast.police,
        officer=cast.claire,
        shelter=cast.accommodation,
        provider=cast.ines,
        prefecture=cast.prefecture,
        platform_member=cast.paul,
    )
    coordination13 = organisation("Coordination 13 (fictional)", "local_coordination", "13")
    police13 = organisation("Police 13 (fictional)", "police", "13", **RECOGNISED)
    shelter13 = organisation("Shelter 13 (fictional)", "accommodation", "13")
    prefecture13 = organisation("Prefecture 13 (fictional)", "prefecture", "13")
    extras = Extras(
        marcel=person(coordination13, "local_coordinator", "Marcel", admin=True),
        olga=person(shelter13, "service_provider", "Olga", admin=True),
        victor=person(police13, "judicial_officer", "Victor"),
        kim=person(
            organisation("Health centre 93 (fictional)", "health", "93"), "service_provider", "Kim"
        ),
    )
    zeno = person(cast.other_association, "field_worker", "Zeno")
    for user in (extras.victor, zeno):
        TrainingRecordFactory(user=user)
    side13 = Side(
        code="13",
        owner=cast.other_association,
        admin=cast.yasmine,
        staff=zeno,
        coordination=coordination13,
        coordinator=extras.marcel,
        police=police13,
        officer=extras.victor,
        shelter=shelter13,
        provider=extras.olga,
        prefecture=prefecture13,
        platform_member=person(cast.other_association, "platform_member", "Zoe"),
    )
    return side93, side13, extras


# Set-up steps ------------------------------------------------------------------------------


def _platform(side: Side) -> dict[str, Any]:
    """The département's platform: the chair and five voting members (quorum 5, at least two
    institutions and two from civil society), one of them the owner's platform member."""
    code = side.code
    voters = {
        "prefecture": (person(side.prefecture, "platform_member", f"Prisca{code}"), "other"),
        "labour": (
            person(
                organisation(f"Labour inspection {code} (fictional)", "labour_inspection", code),
                "platform_member",
                f"Irene{code}",
            ),
            "other",
        ),
        "association": (side.platform_member, "association"),
        "legal": (
            person(
                organisation(f"Legal aid {code} (fictional)", "legal_aid", code),
                "platform_member",
                f"Lina{code}",
            ),
            "lawyer",
        ),
        "health": (
            person(
                organisation(f"Health service {code} (fictional)", "health", code),
                "platform_member",
                f"Psyche{code}",
            ),
            "psychologist",
        ),
    }
    platform = identification.ensure_platform(Territory.objects.get(code=code))
    chair = acting(side.coordinator)
    identification.add_member(
        platform, membership=side.coordinator.memberships.get(), profession="other", actor=chair
    )
    seats = {
        key: identification.add_member(
            platform, membership=user.memberships.get(), profession=profession, actor=chair
        )
        for key, (user, profession) in voters.items()
    }
    return {"platform": platform, "seats": seats, "voters": voters}


def _presumed(side: Side, **values: Any) -> Case:
    """A presumed victim with a concluded assessment, protection open."""
    case: Case = CaseFactory(owner=side.owner, territory=_territory(side), **values)
    request = acting(side.admin)
    case.transition(IdentificationStatus.PRESUMED_VICTIM, actor=request)
    open_protection(case, actor=request)
    case.refresh_from_db()
    return case


def _territory(side: Side) -> Territory:
    return Territory.objects.get(code=side.code)


def _for_referral(side: Side) -> Case:
    """A presumed victim whose concluded assessment and consent allow a referral."""
    case: Case = CaseFactory(
        owner=side.owner, territory=_territory(side), status=IdentificationStatus.PRESUMED_VICTIM
    )
    PreliminaryAssessment.objects.create(
        case=case,
        catalogue_version=latest_catalogue().version,
        set_code="adults_labour",
        answers={"AL-DR-01": {"answer": "present", "note": "Fictional: promised a job."}},
        conclusion="presumed_victim",
        reasons="Fictional reasons: deceptive recruitment and withheld wages.",
        assessed_by=side.admin,
        organisation=side.owner,
        finalised_at=timezone.now(),
    )
    Consent.objects.create(
        case=case,
        scope=ConsentScope.REFERRAL,
        method=ConsentMethod.ORAL,
        recorded_by=side.admin,
        recorded_for=side.owner,
    )
    return case


def _referred(side: Side, route: str) -> Any:
    case = _for_referral(side)
    target = side.police if route == Route.JUDICIAL else side.coordination
    return refer(
        case,
        route=route,
        target=target,
        consent=case.active_consent(ConsentScope.REFERRAL),
        actor=acting(side.admin),
    )


def _service(org: Organisation, code: str) -> Service:
    service = Service(
        organisation=org,
        name=f"{org.name} — house A",
        service_type=ServiceType.ACCOMMODATION,
        accepts_adults=True,
        trained_staff=True,
        capacity_updated_at=timezone.now(),
        places_total=10,
        places_free=3,
    )
    service.full_clean()
    service.save()
    service.territories.set([Territory.objects.get(code=code)])
    return service


def _evidence(case: Case, actor: Any) -> Any:
    """A fictional PDF attached to the case by its owner's field worker."""
    return attach_evidence(
        case,
        Upload(fictional_pdf(["FICTIONAL - matrix test"]), "pdf", "matrix.pdf"),
        kind="medical_certificate",
        actor=actor,
    )


def build_world(side: Side, national: User) -> World:
    """Every object a route of the matrix names, in the side's département."""
    world = World(code=side.code, side=side)
    objects = world.objects
    owner = acting(side.admin)
    today = timezone.localdate()

    objects["organisation"] = side.owner
    objects["member"] = side.staff.memberships.get()
    objects["entry"] = ContactEntryFactory(organisation=side.prefecture, territory=_territory(side))
    objects["service"] = _service(side.shelter, side.code)
    objects["concern"] = ConcernFactory(
        territory=_territory(side),
        channel="hotline",
        created_by=side.admin,
        created_for=side.owner,
    )

    # Preliminary assessment, the case shared with the local coordination.
    assessing: Case = CaseFactory(owner=side.owner, territory=_territory(side))
    assessing.share_with(side.coordination, ShareReason.COORDINATION, actor=owner)
    objects["assessing"] = assessing
    objects["assessment"] = detection.start_assessment(
        assessing, set_code="adults_labour", version=latest_catalogue().version, actor=owner
    )
    accounts.save_section(
        assessing, "background", {"background": "Fictional background."}, actor=owner
    )
    objects["situation"] = accounts.add_situation(
        assessing, {"description": "Fictional situation."}, actor=owner
    )
    facts.save_facts(assessing, {"recruitment_methods": ["friends"]}, actor=owner)
    objects["exploiter"] = facts.add_exploiter(
        assessing, {"name": "Fictional Matrix Exploiter"}, actor=owner
    )
    objects["workplace"] = facts.add_workplace(
        assessing, {"name": "Fictional Matrix Orchards"}, actor=owner
    )
    objects["evidence"] = _evidence(assessing, owner)

    # Protection and support.
    main = _presumed(side, person=PersonFactory(sex="female"))
    record_immediate_needs(main, actor=owner, shelter=True, medical=True)
    objects["main"] = main
    objects["consent"] = detection.record_consent(
        main,
        scope=ConsentScope.REFERRAL,
        method=ConsentMethod.ORAL,
        organisation=None,
        actor=owner,
    )
    need = Need.objects.filter(case=main, service_type=ServiceType.ACCOMMODATION).first()
    need = need or plans.add_need(main, service_type=ServiceType.ACCOMMODATION, actor=owner)
    objects["need"] = need
    orientation = plans.propose(need, objects["service"], actor=owner, brief="Fictional.")
    plans.consent_to_orientation(orientation, method=ConsentMethod.ORAL, actor=owner)
    orientation.refresh_from_db()
    plans.send(orientation, actor=owner)
    orientation.refresh_from_db()
    objects["orientation"] = orientation
    # The person's consent to share data with the shelter, given for the orientation.
    objects["share_consent"] = main.consents.get(scope=ConsentScope.SHARE)
    objects["residence"] = residence.apply(
        main,
        actor=owner,
        basis="residence_complaint",
        prefecture=side.prefecture,
        applied_on=today - datetime.timedelta(days=60),
    )
    objects["non_punishment"] = non_punishment.record_offences(
        main, actor=owner, offences="Fictional offence", circumstances="Fictional."
    )
    objects["compensation"] = compensation.lodge(
        main,
        actor=owner,
        kind=ClaimKind.COMPENSATION_COMMISSION,
        body_name="Compensation commission (fictional)",
    )

    objects["child"] = _presumed(side, person=PersonFactory(estimated_age=15))
    closed = _presumed(side)
    closure.close_support(closed, actor=owner, reason="lost_contact", follow_up_on=today)
    objects["closed"] = closed

    # Formal identification: the platform (pending, refused) and the judicial route.
    platform = _platform(side)
    objects["seat"] = platform["seats"]["health"]
    pending = _referred(side, Route.PLATFORM)
    objects["pending"] = pending.case
    objects["pending_referral"] = pending
    objects["pending_evidence"] = _evidence(pending.case, owner)
    objects["question"] = identification.request_information(
        pending, question="Fictional question?", actor=acting(side.coordinator)
    )
    refused = _referred(side, Route.PLATFORM)
    for user, _profession in platform["voters"].values():
        identification.cast_vote(
            refused, choice="not_identified", reasons="Fictional reasons.", actor=acting(user)
        )
    objects["refused"] = refused.case
    objects["decision"] = identification.record_platform_decision(
        refused,
        outcome="not_identified",
        reasons="Fictional reasons.",
        actor=acting(side.coordinator),
    )
    judicial = _referred(side, Route.JUDICIAL)
    identification.record_statement(
        judicial,
        kind="testimony",
        recorded_on=today,
        service="Fictional unit",
        offence="Fictional offence",
        procedure_reference="PROC-MATRIX",
        actor=acting(side.officer),
    )
    identification.record_judicial_decision(
        judicial, outcome="identified", reasons="Fictional.", actor=acting(side.officer)
    )
    objects["judicial"] = judicial.case
    objects["judicial_referral"] = judicial

    # Transfers: one waiting for the local coordinator, one accepted by the association.
    agreed = transfers.Agreement(
        person_consents=True, method=ConsentMethod.ORAL, former_access=FormerOwnerAccess.READ_ONLY
    )
    transferring: Case = CaseFactory(owner=side.owner, territory=_territory(side))
    objects["transfer"] = transfers.propose_transfer(
        transferring,
        actor=owner,
        to_organisation=side.coordination,
        to_territory=_territory(side),
        reason="better_placed",
        agreement=agreed,
    )
    handed: Case = CaseFactory(owner=side.coordination, territory=_territory(side))
    transferred = transfers.propose_transfer(
        handed,
        actor=acting(side.coordinator),
        to_organisation=side.owner,
        to_territory=_territory(side),
        reason="better_placed",
        agreement=agreed,
    )
    objects["transferred"] = transfers.accept_transfer(transferred, actor=owner)

    # Exceptional access, opened by the national coordinator on a case of its own.
    granted: Case = CaseFactory(owner=side.owner, territory=_territory(side))
    objects["granted"] = granted
    objects["grant"] = breakglass.open_grant(
        acting(national),
        case=granted,
        reason="Fictional: the person's lawyer asked for a copy of the file (matrix test).",
        hours=4,
        identity=False,
    )
    return world
