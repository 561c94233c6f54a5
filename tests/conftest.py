"""The cast: one persona per role, plus outsiders. Used by every access test."""

import os
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client

from opennrm.core.models import Organisation, User
from tests.factories import MembershipFactory, OrganisationFactory, TrainingRecordFactory

# Browser tests drive Playwright's sync API, which runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def territories(db: None) -> None:
    call_command("load_territories", verbosity=0)


@dataclass
class Cast:
    """The personas: each is a User with MFA set up and one membership."""

    national: Organisation
    association: Organisation  # 93, authorised reporter
    police: Organisation  # 93
    prefecture: Organisation  # 93
    accommodation: Organisation  # 93
    coordination: Organisation  # 93
    other_association: Organisation  # 13: the outsider's organisation
    nadia: User  # national coordinator
    louis: User  # local coordinator 93
    amina: User  # field worker, association 93, organisation administrator
    hugo: User  # field worker, association 93, not administrator
    claire: User  # judicial officer, police 93
    sophie: User  # contact person, prefecture 93
    paul: User  # platform member, association 93
    ines: User  # service provider, accommodation 93
    robert: User  # data protection officer
    yasmine: User  # outsider: field worker of another organisation, another département

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def _org(name: str, kind: str, code: str | None, **extra: object) -> Organisation:
    from opennrm.core.models import Territory

    territories = [Territory.objects.get(code=code)] if code else []
    return OrganisationFactory(name=name, kind=kind, territories=territories, **extra)


def _member(org: Organisation, role: str, name: str, *, admin: bool = False) -> User:
    membership = MembershipFactory(
        organisation=org,
        role=role,
        is_admin=admin,
        user__full_name=name,
        user__email=f"{name.lower()}@test.opennrm.invalid",
    )
    return membership.user


@pytest.fixture
def cast(territories: None) -> Cast:
    import datetime

    recognised = {
        "authorised_reporter": True,
        "reporter_recognised_on": datetime.date(2025, 1, 6),
        "reporter_recognition_ref": "TEST-AR-1",
    }
    national = _org("National coordinator (fictional)", "national_coordinator", None, national=True)
    association = _org("Association 93 (fictional)", "association", "93", **recognised)
    police = _org("Police 93 (fictional)", "police", "93", **recognised)
    prefecture = _org("Prefecture 93 (fictional)", "prefecture", "93")
    accommodation = _org("Shelter 93 (fictional)", "accommodation", "93")
    coordination = _org("Coordination 93 (fictional)", "local_coordination", "93")
    other = _org("Association 13 (fictional)", "association", "13", **recognised)
    people = {
        "nadia": _member(national, "national_coordinator", "Nadia", admin=True),
        "louis": _member(coordination, "local_coordinator", "Louis", admin=True),
        "amina": _member(association, "field_worker", "Amina", admin=True),
        "hugo": _member(association, "field_worker", "Hugo"),
        "claire": _member(police, "judicial_officer", "Claire"),
        "sophie": _member(prefecture, "contact_person", "Sophie", admin=True),
        "paul": _member(association, "platform_member", "Paul"),
        "ines": _member(accommodation, "service_provider", "Ines", admin=True),
        "robert": _member(national, "data_protection_officer", "Robert"),
        "yasmine": _member(other, "field_worker", "Yasmine", admin=True),
    }
    for name in ("amina", "hugo", "claire", "yasmine"):
        TrainingRecordFactory(user=people[name])
    return Cast(
        national=national,
        association=association,
        police=police,
        prefecture=prefecture,
        accommodation=accommodation,
        coordination=coordination,
        other_association=other,
        **people,
    )
