"""Fixtures of formal identification: a full platform in 93, referred cases, a prosecutor.

Every name is fictional. The person's names below appear nowhere else: their absence from a
page or a message proves the identity is not there.
"""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from opennrm.cases.enums import ConsentMethod, ConsentScope
from opennrm.cases.models import Case, Consent
from opennrm.core.models import Organisation, Territory, User
from opennrm.detection.models import PreliminaryAssessment
from opennrm.identification import actions
from opennrm.identification.models import Platform, PlatformMember, Referral, Route
from opennrm.identification.services import refer
from tests.acting import actor_for
from tests.factories import CaseFactory, MembershipFactory, OrganisationFactory

GIVEN_NAMES = "Quilliane Ombeline"
FAMILY_NAME = "Zarkowskaya"
ALIAS = "Hummingbird-Seventeen"


@pytest.fixture(autouse=True)
def english():
    """Messages in the source language, whatever the French catalogue already holds."""
    from django.utils import translation

    with translation.override("en"):
        yield


def client_as(cast, user):
    """A signed-in client that reads the pages in English (the source language)."""
    from django.conf import settings

    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def org(name: str, kind: str, code: str | None = "93") -> Organisation:
    territories = [Territory.objects.get(code=code)] if code else []
    return OrganisationFactory(name=name, kind=kind, territories=territories)


def member(organisation: Organisation, role: str, name: str) -> User:
    return MembershipFactory(
        organisation=organisation,
        role=role,
        user__full_name=name,
        user__email=f"{name.lower().replace(' ', '.')}@test.opennrm.invalid",
    ).user


@dataclass
class PlatformCast:
    """The platform of 93 and its members, by name. `first` vote the first time, `second` the
    reconsideration (none of them took the first decision). Louis, the local coordinator,
    chairs; Lucie, a member for the coordination, is the deputy chair he designated: she chairs
    the cases he is excluded from (ADR 0010)."""

    platform: Platform
    seats: dict[str, PlatformMember]
    users: dict[str, User]
    lucie: User  # deputy chair (a platform member designated by the chair)
    first: tuple[str, ...] = ("prisca", "irene", "paul", "lina", "psyche")
    second: tuple[str, ...] = ("lucie", "igor", "dora", "medard", "ulysse")

    def actor(self, name: str):
        return actor_for(self.users[name], self.seats[name].membership)


@pytest.fixture
def platform93(cast) -> PlatformCast:
    lucie = member(cast.coordination, "platform_member", "Lucie")
    prefecture_member = member(cast.prefecture, "platform_member", "Prisca")
    labour = org("Labour inspection 93 (fictional)", "labour_inspection")
    child = org("Child protection 93 (fictional)", "child_protection")
    directorate = org("Labour directorate 93 (fictional)", "labour_directorate")
    legal = org("Bar legal aid 93 (fictional)", "legal_aid")
    health = org("Health centre 93 (fictional)", "health")
    union = org("Trade union 93 (fictional)", "trade_union")
    users = {
        "louis": cast.louis,
        "lucie": lucie,
        "paul": cast.paul,
        "prisca": prefecture_member,
        "irene": member(labour, "platform_member", "Irene"),
        "igor": member(child, "platform_member", "Igor"),
        "dora": member(directorate, "platform_member", "Dora"),
        "lina": member(legal, "platform_member", "Lina"),
        "psyche": member(health, "platform_member", "Psyche"),
        "medard": member(health, "platform_member", "Medard"),
        "ulysse": member(union, "platform_member", "Ulysse"),
    }
    professions = {
        "louis": "other",
        "lucie": "other",
        "paul": "association",
        "prisca": "other",
        "irene": "other",
        "igor": "other",
        "dora": "other",
        "lina": "lawyer",
        "psyche": "psychologist",
        "medard": "physician",
        "ulysse": "trade_union",
    }
    platform = actions.ensure_platform(Territory.objects.get(code="93"))
    chair = actor_for(cast.louis)
    seats = {}
    for name, user in users.items():
        membership = user.memberships.get()
        seats[name] = actions.add_member(
            platform, membership=membership, profession=professions[name], actor=chair
        )
    seats["lucie"] = actions.designate_deputy_chair(seats["lucie"], actor=chair)
    return PlatformCast(platform=platform, seats=seats, users=users, lucie=lucie)


@pytest.fixture
def prosecutors(cast):
    """A prosecutor's office in 93 with its THB contact person, and one in 13."""
    office = org("Prosecutor's office 93 (fictional)", "prosecutor")
    other = org("Prosecutor's office 13 (fictional)", "prosecutor", "13")
    return {
        "office": office,
        "contact": member(office, "contact_person", "Procida"),
        "clerk": member(office, "field_worker", "Clerkson"),  # no liaison capability
        "other_contact": member(other, "contact_person", "Marseillette"),
    }


def presumed_case(cast, *, child: bool = False, **extra) -> Case:
    """A presumed victim's case of Association 93 with a concluded assessment and, for an
    adult, the consent to referral."""
    values = {
        "owner": cast.association,
        "status": "presumed_victim",
        "person__given_names": GIVEN_NAMES,
        "person__family_name": FAMILY_NAME,
        "person__aliases": ALIAS,
        "person__estimated_age": 15 if child else 32,
    }
    values.update(extra)
    case = CaseFactory(**values)
    PreliminaryAssessment.objects.create(
        case=case,
        catalogue_version="2026.1",
        set_code="adults_labour",
        answers={"AL-DR-01": {"answer": "present", "note": "Fictional: promised a job."}},
        conclusion="presumed_victim",
        reasons="Fictional reasons: deceptive recruitment and withheld wages.",
        assessed_by=cast.amina,
        organisation=cast.association,
        finalised_at=timezone.now(),
    )
    if not case.child:
        Consent.objects.create(
            case=case,
            scope=ConsentScope.REFERRAL,
            method=ConsentMethod.ORAL,
            recorded_by=cast.amina,
            recorded_for=cast.association,
        )
    return case


def referred(cast, case: Case, route: str) -> Referral:
    target = cast.police if route == Route.JUDICIAL else cast.coordination
    consent = None if case.child else case.active_consent(ConsentScope.REFERRAL)
    return refer(case, route=route, target=target, consent=consent, actor=actor_for(cast.amina))


@pytest.fixture
def platform_referral(cast, platform93) -> Referral:
    return referred(cast, presumed_case(cast), Route.PLATFORM)


@pytest.fixture
def judicial_referral(cast) -> Referral:
    return referred(cast, presumed_case(cast), Route.JUDICIAL)


def vote_all(platform93: PlatformCast, referral: Referral, names, choice: str = "identified"):
    for name in names:
        actions.cast_vote(
            referral,
            choice=choice,
            reasons=f"Fictional reasons of {name}.",
            actor=platform93.actor(name),
        )
