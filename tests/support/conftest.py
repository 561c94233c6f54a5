"""Fixtures of the support step: a presumed victim of Association 93 (amina's organisation),
services in the directory (Shelter 93 is ines's organisation), and helpers to act as a persona.
"""

import datetime
import io
import threading
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from opennrm.cases.enums import IdentificationStatus
from opennrm.cases.models import TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory, User
from opennrm.support.models import Service, ServiceType
from opennrm.support.services import open_protection, record_immediate_needs
from tests.acting import actor_for
from tests.factories import CaseFactory, MembershipFactory, OrganisationFactory, PersonFactory


def acting(user: User) -> Actor:
    """`user` acting for their (only) organisation, for actions called in tests."""
    return actor_for(user)


def client_for(user: User) -> Client:
    """A signed-in client using the English interface (the pages' texts are checked)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def make_presumed(case, user, **needs):
    """What concluding the assessment does: presumed victim, protection opens at once; then
    the immediate needs (`needs`) are recorded."""
    request = acting(user)
    case.transition(IdentificationStatus.PRESUMED_VICTIM, actor=request)
    open_protection(case, actor=request)
    if needs:
        record_immediate_needs(case, actor=request, **needs)
    case.refresh_from_db()
    return case


def territory(code: str) -> Territory:
    return Territory.objects.get(code=code)


def service(organisation: Organisation, **values) -> Service:
    """A service straight in the database (the directory's rules are tested elsewhere)."""
    territories = values.pop("territories", [territory("93")])
    defaults = {
        "name": f"{organisation.name} service",
        "service_type": ServiceType.ACCOMMODATION,
        "accepts_adults": True,
        "trained_staff": True,
        "capacity_updated_at": timezone.now(),
    }
    defaults.update(values)
    if defaults["service_type"] == ServiceType.ACCOMMODATION:
        defaults.setdefault("places_total", 10)
        defaults.setdefault("places_free", 3)
    created = Service(organisation=organisation, **defaults)
    created.full_clean()
    created.save()
    created.territories.set(territories)
    return created


@dataclass
class Providers:
    shelter: Service  # Shelter 93 (ines): adults, women and men, 3 free of 10
    health_org: Organisation
    health: Service
    legal_org: Organisation
    legal: Service
    doctor: User  # service provider of the health centre
    lawyer: User  # service provider of the legal aid service


def _provider(org: Organisation, name: str) -> User:
    return MembershipFactory(
        organisation=org,
        role="service_provider",
        user__full_name=name,
        user__email=f"{name.lower()}@test.opennrm.invalid",
    ).user


@pytest.fixture
def providers(cast) -> Providers:
    health_org = OrganisationFactory(
        name="Health centre 93 (fictional)", kind="health", territories=[territory("93")]
    )
    legal_org = OrganisationFactory(
        name="Legal aid 93 (fictional)", kind="legal_aid", territories=[territory("93")]
    )
    return Providers(
        shelter=service(cast.accommodation, name="Shelter 93 — house A"),
        health_org=health_org,
        health=service(health_org, name="Health centre 93", service_type=ServiceType.HEALTH),
        legal_org=legal_org,
        legal=service(legal_org, name="Legal aid desk 93", service_type=ServiceType.LEGAL_AID),
        doctor=_provider(health_org, "Doctor"),
        lawyer=_provider(legal_org, "Lawyer"),
    )


@pytest.fixture
def presumed(cast):
    """An adult presumed victim of Association 93 who needs shelter and medical care. Not
    referred to formal identification (not cooperating) and with no residence application."""
    case = CaseFactory(owner=cast.association, person=PersonFactory(sex="female"))
    return make_presumed(case, cast.amina, shelter=True, medical=True)


@pytest.fixture
def child(cast):
    """A child presumed victim of Association 93 (estimated age 15)."""
    case = CaseFactory(owner=cast.association, person=PersonFactory(estimated_age=15, sex="male"))
    assert case.child
    return make_presumed(case, cast.amina, shelter=True)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def need_for(case, service_type: str, user: User):
    from opennrm.support import plans
    from opennrm.support.models import Need

    found = Need.objects.filter(case=case, service_type=service_type).first()
    return found or plans.add_need(case, service_type=service_type, actor=acting(user))


def proposed(case, target: Service, user: User, **values):
    from opennrm.support import plans

    need = need_for(case, target.service_type, user)
    return plans.propose(need, target, actor=acting(user), **values)


def consented(case, target: Service, user: User, **values):
    """Proposed, and the person agreed to share their data with the provider."""
    from opennrm.cases.enums import ConsentMethod
    from opennrm.support import plans

    orientation = proposed(case, target, user, **values)
    if not case.child:
        plans.consent_to_orientation(orientation, method=ConsentMethod.ORAL, actor=acting(user))
        orientation.refresh_from_db()
    return orientation


def sent(case, target: Service, user: User, **values):
    from opennrm.support import plans

    orientation = consented(case, target, user, **values)
    plans.send(orientation, actor=acting(user))
    orientation.refresh_from_db()
    return orientation


def race(*works) -> list[BaseException]:
    """Run each callable in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(works))
    errors: list[BaseException] = []

    def run(work) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            work()
        except TransitionError as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
