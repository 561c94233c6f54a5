"""Orientation and support seen through a real browser (issue 5, acceptance).

A presumed victim without residence rights who does not cooperate with the authorities is
oriented to accommodation; the provider accepts; the free places go down by one; health and
legal aid orientations follow; after formal identification the support closes as self-reliant.
"""

import datetime
import re
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from opennrm.cases.enums import IdentificationStatus
from opennrm.core.models import User
from opennrm.support.models import (
    Need,
    Orientation,
    OrientationStatus,
    ServiceType,
    SupportRecord,
    SupportStatus,
)
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.helpers import assert_accessible
from tests.browser.pages import FormPage, LoginPage
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory, OrganisationFactory, PersonFactory
from tests.support.conftest import acting, make_presumed, service, territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def french(message: str) -> str:
    """The text French visitors see for a message of the project's catalogue."""
    with translation.override("fr"):
        return translation.gettext(message)


@pytest.fixture
def contexts(browser: Any, base_url: str) -> Iterator[Any]:
    """Open one browser context per person; all closed at the end."""
    opened: list[Any] = []

    def open_context() -> Page:
        context = browser.new_context(base_url=base_url, locale="fr-FR")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        opened.append(context)
        return cast("Page", context.new_page())

    yield open_context
    for context in opened:
        context.close()


def signed_in(open_context: Any, base_url: str, user: User) -> FormPage:
    page = open_context()
    LoginPage(page, base_url).log_in(user.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return FormPage(page, base_url)


def need_section(screen: FormPage, reference: str, service_type: str) -> Any:
    """The section of the support plan for one need (its orientations and its button)."""
    need = Need.objects.get(case__reference=reference, service_type=service_type)
    return screen.page.locator(f"main section.need[aria-labelledby='need-{need.pk}']")


def consent_and_send(screen: FormPage) -> None:
    """On the orientation page: the person agrees (orally) to share, then it is sent."""
    screen.tick("method", "oral")
    screen.submit_form("main form[action$='/consent/']")
    screen.submit_form("main form[action$='/send/']")
    expect(screen.page.locator("#transitions")).to_contain_text(french("Sent"))


def orient(screen: FormPage, reference: str, service_type: str, service_pk: int) -> Orientation:
    """From the support plan: orient the need to a (non-accommodation) service and send it."""
    screen.page.goto(f"{screen.base_url}/cases/{reference}/support/")
    with screen.page.expect_navigation():
        need_section(screen, reference, service_type).get_by_role(
            "link", name=french("Orient to a service")
        ).click()
    screen.tick("service", str(service_pk))
    screen.submit_form()
    expect(screen.alerts.filter(has_text=french("Orientation proposed."))).to_be_visible()
    consent_and_send(screen)
    return Orientation.objects.get(need__service_type=service_type, service_id=service_pk)


def test_from_presumed_victim_to_self_reliance(base_url: str, cast: Any, contexts: Any) -> None:
    # A presumed victim of Association 93 who needs shelter and medical care; no residence
    # application and no referral to formal identification (she does not cooperate).
    case = make_presumed(
        CaseFactory(owner=cast.association, person=PersonFactory(sex="female")),
        cast.amina,
        shelter=True,
        medical=True,
    )
    assert not case.child
    assert not case.residence_applications.exists() and not case.referrals.exists()
    reference = case.reference
    shelter = service(cast.accommodation, name="Shelter 93 — house A", places_free=3)
    health_org = OrganisationFactory(
        name="Health centre 93 (fictional)", kind="health", territories=[territory("93")]
    )
    legal_org = OrganisationFactory(
        name="Legal aid 93 (fictional)", kind="legal_aid", territories=[territory("93")]
    )
    health = service(health_org, name="Health centre 93", service_type=ServiceType.HEALTH)
    legal = service(legal_org, name="Legal aid desk 93", service_type=ServiceType.LEGAL_AID)

    # 1. amina opens the support plan and takes the needs from the immediate needs assessment.
    amina = signed_in(contexts, base_url, cast.amina)
    amina.page.goto(f"{base_url}/cases/{reference}/support/")
    expect(amina.heading).to_contain_text(reference)
    assert_accessible(amina.page)
    amina.submit_form("main form[action$='/needs/import/']")
    amina.page.locator("#id_service_type").select_option(ServiceType.LEGAL_AID)
    amina.page.locator("#id_description").fill("Rights, compensation, unpaid wages.")
    amina.submit_form("main form[action$='/needs/new/']")
    assert set(Need.objects.filter(case=case).values_list("service_type", flat=True)) == {
        ServiceType.ACCOMMODATION,
        ServiceType.HEALTH,
        ServiceType.LEGAL_AID,
    }

    # 2. Accommodation: the matching page offers the shelter; proposed, consented, sent.
    with amina.page.expect_navigation():
        need_section(amina, reference, ServiceType.ACCOMMODATION).get_by_role(
            "link", name=french("Find accommodation")
        ).click()
    expect(amina.page).to_have_url(re.compile(r"/accommodation/"))
    expect(amina.page.locator("#candidates")).to_contain_text(shelter.name)
    expect(amina.page.locator("#candidates")).to_contain_text("3 / 10")
    amina.tick("service", str(shelter.pk))
    amina.tick("urgency", "immediate")
    amina.page.locator("#id_brief").fill("Needs a bed tonight.")
    amina.submit_form()
    expect(amina.alerts.filter(has_text=french("Accommodation proposed."))).to_be_visible()
    consent_and_send(amina)
    placed = Orientation.objects.get(case=case, service=shelter)
    assert placed.status == OrientationStatus.SENT

    # 3. ines (Shelter 93) sees the orientation received and accepts: one place fewer.
    ines = signed_in(contexts, base_url, cast.ines)
    ines.page.goto(f"{base_url}/orientations/")
    waiting = ines.page.locator("#waiting")
    expect(waiting).to_contain_text(reference)
    with ines.page.expect_navigation():
        waiting.get_by_role("link", name=re.compile(reference)).click()
    with ines.page.expect_navigation():
        ines.page.locator("#accept").click()
    placed.refresh_from_db()
    assert placed.status == OrientationStatus.ACCEPTED
    shelter.refresh_from_db()
    assert shelter.places_free == 2
    ines.page.goto(f"{base_url}/services/mine/")
    with translation.override("fr"):
        capacity = translation.ngettext(
            "%(free)s free place of %(total)s.", "%(free)s free places of %(total)s.", 2
        ) % {
            "free": 2,
            "total": 10,
        }
    expect(ines.page.locator(f"#capacity-{shelter.pk}")).to_contain_text(capacity)

    # 4. Health care and legal aid follow.
    to_health = orient(amina, reference, ServiceType.HEALTH, health.pk)
    to_legal = orient(amina, reference, ServiceType.LEGAL_AID, legal.pk)
    assert {to_health.status, to_legal.status} == {OrientationStatus.SENT}
    amina.page.goto(f"{base_url}/cases/{reference}/support/")
    for service_type, target in ((ServiceType.HEALTH, health), (ServiceType.LEGAL_AID, legal)):
        expect(need_section(amina, reference, service_type)).to_contain_text(target.name)

    # 5. Formal identification (another step) happens meanwhile.
    case.transition(IdentificationStatus.IDENTIFIED_VICTIM, actor=acting(cast.claire))

    # 6. The person is self-reliant: amina closes support, with a follow-up date.
    amina.page.goto(f"{base_url}/cases/{reference}/support/")
    with amina.page.expect_navigation():
        amina.page.get_by_role("link", name=french("Close support"), exact=True).click()
    amina.tick("reason", "self_reliance")
    follow_up = timezone.localdate() + datetime.timedelta(days=90)
    amina.page.locator("#id_follow_up_on").fill(follow_up.isoformat())
    amina.page.locator("#id_note").fill("Job and flat found.")
    amina.submit_form()
    expect(amina.page).to_have_url(re.compile(rf"/cases/{reference}/support/$"))
    expect(amina.page.locator("#closure")).to_contain_text(french("Support closed"))
    expect(amina.page.locator("#closure")).to_contain_text(french("The person is self-reliant"))
    assert SupportRecord.objects.get(case=case).status == SupportStatus.CLOSED
    shelter.refresh_from_db()
    assert shelter.places_free == 3  # the stay ended: the place is free again
    placed.refresh_from_db()
    assert placed.status == OrientationStatus.COMPLETED
