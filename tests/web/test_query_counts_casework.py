"""The formal identification and support pages run a pinned number of queries, and it does not
grow with the data: more referrals, votes, members, questions, notifications, orientations,
services or residence applications of the kinds each page lists."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

import pytest
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.cases.evidence import Upload, attach_evidence
from opennrm.cases.models import Case
from opennrm.cases.safe_contact import record_safe_contact
from opennrm.core.models import Notification, Organisation, Territory, User
from opennrm.demo.documents import fictional_pdf
from opennrm.detection import accounts
from opennrm.identification import actions
from opennrm.identification.models import PlatformMember, Referral, Route
from opennrm.support import plans, residence
from opennrm.support.models import (
    Orientation,
    ResidenceApplication,
    ResidenceOutcome,
    Service,
    ServiceType,
)
from tests.factories import CaseFactory, PersonFactory
from tests.identification.conftest import actor_for, member, org, presumed_case, referred
from tests.support.conftest import acting, make_presumed, sent, service

# The header's count of unread notifications, on every signed-in page (one query).
HEADER = 1

GROWTH = 20  # more rows of each kind the page lists
_serial = count()


@dataclass
class World:
    """One of each thing the pages show, in 93."""

    seats: dict[str, PlatformMember]
    referral: Referral  # pending before the platform, with a vote; Association 93 referred it
    judicial: Referral  # pending before Police 93
    support_case: Case  # Association 93's presumed victim, in support
    orientation: Orientation  # sent to Shelter 93
    service: Service  # Shelter 93's accommodation

    @property
    def reference(self) -> str:
        return self.referral.case.reference

    @property
    def support_reference(self) -> str:
        return self.support_case.reference


def _name(prefix: str) -> str:
    return f"{prefix} {next(_serial)} (fictional)"


def _seat(platform, kind: str, profession: str, chair: HttpRequest) -> PlatformMember:
    """A new member of the platform, for a new body of `kind` in 93; the chair adds them."""
    user = member(org(_name(f"Body {kind}"), kind), "platform_member", _name("Member"))
    return actions.add_member(
        platform, membership=user.memberships.get(), profession=profession, actor=chair
    )


def _presumed(cast) -> Case:
    """An adult presumed victim of Association 93, assessed, who consented to referral."""
    return presumed_case(cast, person__given_names=_name("Given"), person__aliases="")


def _account(cast, case: Case, situations: int = 1) -> None:
    """The person's account of the case, with exploitative situations in two départements."""
    amina = actor_for(cast.amina)
    accounts.save_section(case, "background", {"background": "Fictional."}, actor=amina)
    t93, t13 = Territory.objects.get(code="93"), Territory.objects.get(code="13")
    for i in range(situations):
        accounts.add_situation(
            case,
            {"territory": t93 if i % 2 else t13, "forms": ["forced_labour"], "timing": "Fict."},
            actor=amina,
        )


def _documents(cast, case: Case, number: int = 1) -> None:
    """Documents attached to the case (the referred file lists them)."""
    for i in range(number):
        attach_evidence(
            case,
            Upload(fictional_pdf([f"FICTIONAL {i}"]), "pdf", f"document-{i}.pdf"),
            kind="letter",
            actor=actor_for(cast.amina),
        )


def _vote(referral: Referral, seat: PlatformMember) -> None:
    actions.cast_vote(
        referral,
        choice="identified",
        reasons="Fictional reasons.",
        actor=actor_for(seat.membership.user, seat.membership),
    )


def _decide(cast, world: World, referral: Referral) -> None:
    for name in ("prisca", "irene", "paul", "lina", "psyche"):
        _vote(referral, world.seats[name])
    actions.record_platform_decision(
        referral,
        outcome="identified",
        reasons="Fictional decision.",
        actor=actor_for(cast.louis),
    )


def _due(referral: Referral, days: int) -> None:
    """Move the decision deadline (overdue when negative): the deadline lists show it."""
    due = timezone.localdate() + datetime.timedelta(days=days)
    Referral.objects.filter(pk=referral.pk).update(decision_due=due)


def _supported(cast) -> Case:
    case = CaseFactory(owner=cast.association, person=PersonFactory())
    return make_presumed(case, cast.amina, shelter=True, medical=True)


def _apply(case: Case, user: User, prefecture: Organisation, basis: str) -> ResidenceApplication:
    return residence.apply(
        case,
        actor=acting(user),
        basis=basis,
        prefecture=prefecture,
        applied_on=timezone.localdate() - datetime.timedelta(days=30),
    )


@pytest.fixture
def world(cast) -> World:
    platform = actions.ensure_platform(Territory.objects.get(code="93"))
    chair = actor_for(cast.louis)
    seats = {
        "louis": actions.add_member(
            platform, membership=cast.louis.memberships.get(), profession="other", actor=chair
        ),
        "paul": actions.add_member(
            platform,
            membership=cast.paul.memberships.get(),
            profession="association",
            actor=chair,
        ),
        "prisca": _seat(platform, "prefecture", "other", chair),
        "irene": _seat(platform, "labour_inspection", "other", chair),
        "lina": _seat(platform, "legal_aid", "lawyer", chair),
        "psyche": _seat(platform, "health", "psychologist", chair),
    }
    referral = referred(cast, _presumed(cast), Route.PLATFORM)
    _vote(referral, seats["paul"])
    paused = referred(cast, _presumed(cast), Route.PLATFORM)
    actions.request_information(paused, question="Fictional question?", actor=chair)
    judicial = referred(cast, _presumed(cast), Route.JUDICIAL)
    _account(cast, referral.case)
    _account(cast, judicial.case)
    _documents(cast, referral.case)
    _documents(cast, judicial.case)
    _due(referral, 3)
    _due(judicial, -3)
    Notification.send(
        [cast.amina], kind="identification.referred", message="Fictional notification."
    )
    case = _supported(cast)
    shelter = service(
        cast.accommodation, name="Shelter 93 — house A", places_total=30, places_free=30
    )
    orientation = sent(case, shelter, cast.amina)
    # How to reach the person safely: read (and audited) on the judicial file, the support
    # plan and the provider's orientation.
    for safe in (judicial.case, case):
        record_safe_contact(
            safe,
            {"phone": "Fictional 0600", "precautions": "Fictional."},
            actor=actor_for(cast.amina),
        )
    _apply(case, cast.amina, cast.prefecture, "residence_complaint")
    world = World(
        seats=seats,
        referral=referral,
        judicial=judicial,
        support_case=case,
        orientation=orientation,
        service=shelter,
    )
    _decide(cast, world, referred(cast, _presumed(cast), Route.PLATFORM))
    return world


# What grows ---------------------------------------------------------------------------------


def more_platform(cast, world: World) -> None:
    """Members who vote on the world's case, one who declares a conflict; referrals pending,
    voted on, with a conflict, paused by a question, decided."""
    louis, paul = actor_for(cast.louis), actor_for(cast.paul)
    _account(cast, world.referral.case, GROWTH)
    _documents(cast, world.referral.case, GROWTH)
    platform = world.seats["louis"].platform
    kinds = [("prefecture", "other"), ("association", "association")]
    for i in range(GROWTH):
        seat = _seat(platform, *kinds[i % 2], louis)
        if i == 0:
            actions.declare_conflict(
                world.referral, actor=actor_for(seat.membership.user, seat.membership)
            )
        else:
            _vote(world.referral, seat)
    for i in range(GROWTH):
        referral = referred(cast, _presumed(cast), Route.PLATFORM)
        _due(referral, [-3, 3, 60][i % 3])
        if i % 5 == 1:
            actions.cast_vote(referral, choice="identified", reasons="Fictional.", actor=paul)
        elif i % 5 == 2:
            actions.declare_conflict(referral, actor=paul)
        elif i % 5 == 3:
            actions.request_information(referral, question="Fictional?", actor=louis)
        elif i % 5 == 4:
            _decide(cast, world, referral)


def more_judicial(cast, world: World) -> None:
    """Judicial referrals received by Police 93: pending, with a statement, decided."""
    claire = actor_for(cast.claire)
    _account(cast, world.judicial.case, GROWTH)
    _documents(cast, world.judicial.case, GROWTH)
    for i in range(GROWTH):
        referral = referred(cast, _presumed(cast), Route.JUDICIAL)
        _due(referral, [-3, 3, 60][i % 3])
        if i % 2:
            actions.record_statement(
                referral,
                kind="complaint",
                recorded_on=timezone.localdate(),
                service="Fictional unit",
                offence="Fictional offence",
                procedure_reference=f"PV-FICT-{i}",
                actor=claire,
            )
        if i % 4 == 1:
            actions.record_judicial_decision(
                referral, outcome="identified", reasons="Fictional reasons.", actor=claire
            )


def more_account(cast, world: World) -> None:
    """More exploitative situations in the person's account."""
    _account(cast, world.referral.case, GROWTH)
    _documents(cast, world.referral.case, GROWTH)


def more_deadlines(cast, world: World) -> None:
    more_platform(cast, world)
    more_judicial(cast, world)


def more_on_the_case(cast, world: World) -> None:
    """The world's case is referred by the judicial route too (statement, decision), and the
    platform asks its referrer questions, answered."""
    louis, amina = actor_for(cast.louis), actor_for(cast.amina)
    for _ in range(3):
        info = actions.request_information(world.referral, question="Fictional?", actor=louis)
        actions.answer_information_request(info, answer="Fictional answer.", actor=amina)
    actions.request_information(world.referral, question="Fictional, again?", actor=louis)
    judicial = referred(cast, world.referral.case, Route.JUDICIAL)
    claire = actor_for(cast.claire)
    actions.record_statement(
        judicial,
        kind="testimony",
        recorded_on=timezone.localdate(),
        service="Fictional unit",
        offence="Fictional offence",
        procedure_reference="PV-FICT-CASE",
        actor=claire,
    )
    actions.record_judicial_decision(
        judicial, outcome="identified", reasons="Fictional reasons.", actor=claire
    )


def more_notifications(cast, world: World) -> None:
    for _i in range(GROWTH):
        Notification.send(
            [cast.amina], kind="identification.referred", message="Fictional notification."
        )


def more_on_the_plan(cast, world: World) -> None:
    """Orientations of the world's case to more services, some answered."""
    health = Organisation.objects.create(name=_name("Health centre"), kind="health")
    for i in range(GROWTH):
        target = service(health, name=_name("Health service"), service_type=ServiceType.HEALTH)
        orientation = sent(world.support_case, target, cast.amina)
        if i % 3 == 1:
            plans.cancel(orientation, reason="Fictional reason.", actor=acting(cast.amina))


def more_for_the_provider(cast, world: World) -> None:
    """Orientations of other cases sent to Shelter 93, some accepted."""
    for i in range(GROWTH):
        orientation = sent(_supported(cast), world.service, cast.amina)
        if i % 4 == 0:
            plans.accept(orientation, actor=acting(cast.ines))


def more_services(cast, world: World) -> None:
    """Services of Shelter 93 and of other organisations, in 93 and 13."""
    health = Organisation.objects.create(name=_name("Health centre"), kind="health")
    t93, t13 = Territory.objects.get(code="93"), Territory.objects.get(code="13")
    for i in range(GROWTH):
        service(cast.accommodation, name=_name("Shelter 93 — house"), territories=[t93, t13])
        service(
            health,
            name=_name("Health service"),
            service_type=ServiceType.HEALTH,
            territories=[t93 if i % 2 else t13],
        )


def more_residence(cast, world: World) -> None:
    """Applications of the world's case and of others, to several prefectures, decided."""
    prefectures = [cast.prefecture, org(_name("Prefecture"), "prefecture", "13")]
    bases = ["residence_complaint", "residence_conviction", "residence_exit_prostitution"]
    for i in range(GROWTH):
        case = world.support_case if i % 4 == 0 else _supported(cast)
        application = _apply(case, cast.amina, prefectures[i % 2], bases[i % 3])
        today = timezone.localdate()
        if i % 3 == 1:
            residence.decide(
                application,
                actor=acting(cast.amina),
                outcome=ResidenceOutcome.REFUSED,
                decided_on=today,
                refusal_reason="exploitation_abroad",
            )
        elif i % 3 == 2:
            residence.decide(
                application,
                actor=acting(cast.amina),
                outcome=ResidenceOutcome.GRANTED,
                decided_on=today,
                valid_from=today,
                valid_until=today + datetime.timedelta(days=30),
            )


# The pages ----------------------------------------------------------------------------------

Grow = Callable[..., None]

# (persona, URL name, URL arguments (World attributes), queries, audit entries, what grows).
# Signed-in pages include the session, the user, the memberships and the MFA check. An audit
# entry a page writes is one INSERT, on every database: appends take no lock (ADR 0013). The
# file put to formal identification reads the person's account: whether the reader decides on a
# referral in force, the account, its situations and their départements, and the audited read;
# and how to reach the person safely, for who may see the identity (the judicial service, not
# the platform: whether a share carries the identity, the record, the audited read), as on the
# support plan and the provider's orientation (the record and the audited read). The parts the
# person agreed to share add the rights information, the immediate needs, the timeline, and the
# facts, exploiters and workplaces (each behind its own check of the referral in force), and
# the documents attached to the case (whether the reader decides, which parts and documents
# the referrals they decide on share, the documents with who added them, the audited read).
PAGES: dict[str, tuple[str, str, tuple[str, ...], int, int, Grow]] = {
    # Formal identification
    "platform-member": ("paul", "web:platform", (), 9, 1, more_platform),
    "platform-chair": ("louis", "web:platform", (), 11, 1, more_platform),
    "platform-case": ("paul", "web:platform_case", ("referral",), 37, 3, more_platform),
    "platform-case-chair": ("louis", "web:platform_case", ("referral",), 39, 3, more_platform),
    "platform-members": ("louis", "web:platform_members", (), 15, 1, more_platform),
    # +1 for a platform member: the seats' départements are read first (see
    # identification.access._pending_platform_referrals)
    "deadlines-member": ("paul", "web:identification_deadlines", (), 9, 1, more_deadlines),
    "deadlines-local": ("louis", "web:identification_deadlines", (), 18, 1, more_deadlines),
    "deadlines-national": ("nadia", "web:identification_deadlines", (), 10, 1, more_deadlines),
    "deadlines-judicial": ("claire", "web:identification_deadlines", (), 8, 1, more_deadlines),
    "judicial-list": ("claire", "web:judicial_referrals", (), 10, 1, more_judicial),
    "judicial-referral": ("claire", "web:judicial_referral", ("judicial",), 33, 4, more_judicial),
    "identification": ("amina", "web:identification", ("reference",), 9, 1, more_on_the_case),
    "account": ("amina", "web:account", ("reference",), 12, 2, more_account),
    "notifications": ("amina", "web:notifications", (), 7, 1, more_notifications),
    # Support
    "support-plan": ("amina", "web:support_plan", ("support_reference",), 16, 2, more_on_the_plan),
    "support-orientation": (
        "amina",
        "web:support_orientation",
        ("support_reference", "orientation"),
        13,
        1,
        more_on_the_plan,
    ),
    "orientations-received": ("ines", "web:orientations_received", (), 5, 0, more_for_the_provider),
    "orientation-received": (
        "ines",
        "web:orientation_received",
        ("orientation",),
        9,
        2,
        more_for_the_provider,
    ),
    "services": ("amina", "web:services", (), 9, 0, more_services),
    "services-mine": ("ines", "web:services_mine", (), 6, 0, more_services),
    "service-edit": ("ines", "web:service_edit", ("service",), 9, 0, more_services),
    "residence": ("amina", "web:support_residence", ("support_reference",), 11, 1, more_residence),
    "residence-outcomes-local": (
        "louis",
        "web:support_residence_outcomes",
        (),
        8,
        1,
        more_residence,
    ),
    "residence-outcomes-national": (
        "nadia",
        "web:support_residence_outcomes",
        (),
        8,
        1,
        more_residence,
    ),
}


def _url(world: World, name: str, keys: tuple[str, ...]) -> str:
    values = [getattr(world, key) for key in keys]
    return reverse(name, args=[getattr(value, "pk", value) for value in values])


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_are_pinned_and_constant(cast, world, django_assert_num_queries, page):
    persona, name, keys, queries, audited, grow = PAGES[page]
    client = cast.client_for(getattr(cast, persona))
    url = _url(world, name, keys)
    assert client.get(url).status_code == 200  # warm up: content types, per-process caches
    entries = AuditEntry.objects.count()
    with django_assert_num_queries(queries + HEADER):
        assert client.get(url).status_code == 200
    assert AuditEntry.objects.count() == entries + audited
    grow(cast, world)
    with django_assert_num_queries(queries + HEADER):
        assert client.get(url).status_code == 200
