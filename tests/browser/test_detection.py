"""Detection and preliminary identification seen through a real browser (issue 3, acceptance).

A member of the public files a concern (with and without JavaScript); the local coordinator
opens a case and gives it to an association; the association's worker records the identity,
assesses with the indicators, informs the person of their rights, records consent, concludes
"presumed victim", sees the reflection period and refers by the platform route; the
coordinator sees the referral. A second run: an adult refuses referral and only an anonymous
notification is created, holding nothing that identifies the person.

Every page visited is checked with axe-core (no violation allowed).
"""

import datetime
import re
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import Page, expect

from opennrm.cases.enums import ConsentScope, IdentificationStatus
from opennrm.cases.models import Case
from opennrm.core.models import User
from opennrm.detection import actions
from opennrm.detection.advice import engine_summary
from opennrm.detection.models import AnonymousNotification, Concern
from opennrm.identification.models import Referral
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.indicators.engine import evaluate
from opennrm.profiles.loader import active_profile
from tests.acting import actor_for
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.browser.helpers import assert_accessible
from tests.browser.pages import (
    AnonymousNotificationPage,
    AssessmentPage,
    AssessmentStartPage,
    CaseListPage,
    CasePage,
    ConcernListPage,
    ConcernPage,
    ConsentsPage,
    IdentityPage,
    LoginPage,
    ProtectionPage,
    ReferralPage,
    ReportConcernPage,
    ReportThanksPage,
    RightsPage,
)
from tests.factories import PASSWORD, TOTP_SECRET, CaseFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Indicators of the adults' labour set (catalogue 2026.1) the worker finds present: each of the
# three dimensions an adult's presumption needs is met by one strong and one medium or weak
# indicator, or by two strong ones.
PRESENT = {
    "AL-DR-01": "Promised a job in a restaurant; made to work on a building site.",  # S
    "AL-DR-08": "",  # M: deceived about wages
    "AL-EX-01": "Twelve hours a day, seven days a week.",  # S
    "AL-EX-04": "",  # M: very low or no pay
    "AL-CD-01": "The employer keeps her passport.",  # S
    "AL-CD-03": "",  # S: isolation, confinement or surveillance
}
ABSENT = ("AL-CR-01", "AL-CD-04")
LABOUR_SIGNS = ["long_hours", "unpaid", "housed_at_work", "no_papers"]

# The person, as the worker records them (fictional).
GIVEN_NAMES = "Ilinca Fictiva"
FAMILY_NAME = "Personne-Fictive"
DATE_OF_BIRTH = datetime.date(1990, 4, 12)


def french(message: str) -> str:
    """The text French visitors see for a message of the project's catalogue."""
    with translation.override("fr"):
        return translation.gettext(message)


def french_date(day: datetime.date, format_name: str) -> str:
    """A date as the French pages show it (`DATE_FORMAT` or `SHORT_DATE_FORMAT`)."""
    with translation.override("fr"):
        return formats.date_format(day, format_name)


@pytest.fixture
def contexts(browser: Any, base_url: str) -> Iterator[Any]:
    """Open more browser contexts (one per person, or one without JavaScript); all closed."""
    opened: list[Any] = []

    def open_context(**options: Any) -> Page:
        context = browser.new_context(base_url=base_url, locale="fr-FR", **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        opened.append(context)
        return cast("Page", context.new_page())

    yield open_context
    for context in opened:
        context.close()


def signed_in(open_context: Any, base_url: str, user: User) -> Page:
    """A fresh browser context where `user` has signed in (password and authenticator code)."""
    page = open_context()
    LoginPage(page, base_url).log_in(user.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return page


def file_concern(page: Page, base_url: str, description: str, *, check: bool = True) -> str:
    """The public form, filled and sent; returns the reference number shown at the end."""
    report = ReportConcernPage(page, base_url)
    report.navigate()
    if check:
        assert_accessible(page)
    report.fill(
        description=description,
        territory="93",
        commune="Saint-Denis",
        place_type="construction",
        sector="construction",
        signs=LABOUR_SIGNS,
        child_involved="no",
    )
    report.send()
    thanks = ReportThanksPage(page, base_url)
    expect(page).to_have_url(re.compile(r"/report/thanks/$"))
    expect(thanks.reference).to_have_text(re.compile(r"^S-[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    if check:
        assert_accessible(page)
    return thanks.reference.inner_text().strip()


def test_from_a_public_concern_to_a_referral_by_the_platform_route(
    page: Page, base_url: str, cast, contexts
) -> None:
    today = timezone.localdate()

    # 1. A member of the public reports what they saw: no account needed.
    reference = file_concern(
        page,
        base_url,
        "Fictional: a woman works on the building site in Saint-Denis every day from dawn to "
        "night; she sleeps in a container on site and says she has not been paid.",
    )
    # The same form works in a browser where JavaScript is off.
    no_js = contexts(java_script_enabled=False)
    no_js_reference = file_concern(
        no_js,
        base_url,
        "Fictional: three men sleep in the restaurant's cellar and never go out.",
        check=False,  # axe-core needs JavaScript; the JS-enabled run above checked this page
    )
    assert no_js_reference != reference
    concern = Concern.objects.get(reference=reference)
    assert (concern.channel, concern.territory.code, concern.child_involved) == (
        "public_report",
        "93",
        "no",
    )
    assert sorted(concern.signs) == sorted(LABOUR_SIGNS)
    assert concern.created_by is None and concern.contact == ""
    assert Concern.objects.filter(reference=no_js_reference, territory__code="93").exists()

    # 2. The local coordinator of 93 sees the concern and opens a case for Association 93.
    louis = signed_in(contexts, base_url, cast.louis)
    concerns = ConcernListPage(louis, base_url)
    concerns.navigate()
    expect(concerns.row(reference)).to_contain_text("Seine-Saint-Denis")
    expect(concerns.row(no_js_reference)).to_have_count(1)
    assert_accessible(louis)
    concerns.open(reference)
    assert_accessible(louis)
    ConcernPage(louis, base_url).open_case_for(cast.association.name)
    expect(louis).to_have_url(re.compile(r"/cases/C-[A-Z0-9]{4}-[A-Z0-9]{4}/$"))
    case_page = CasePage.current(louis, base_url)
    case_reference = case_page.reference
    expect(case_page.status).to_have_text(french("Under preliminary assessment"))
    expect(case_page.responsible).to_contain_text(cast.association.name)
    expect(case_page.timeline).to_contain_text(french("Opened from a concern"))
    assert_accessible(louis)
    case = Case.objects.get(reference=case_reference)
    assert case.owner == cast.association
    concern.refresh_from_db()
    assert (concern.status, concern.case) == ("case_opened", case)

    # 3. The association's worker finds the case and records the person's identity.
    amina = signed_in(contexts, base_url, cast.amina)
    cases = CaseListPage(amina, base_url)
    cases.navigate()
    expect(cases.row(case_reference)).to_contain_text(french("Under preliminary assessment"))
    assert_accessible(amina)
    cases.open(case_reference)
    case_page = CasePage(amina, base_url, case_reference)
    expect(case_page.age_group).to_contain_text(french("age not known"))
    assert_accessible(amina)
    case_page.show_identity()
    identity = IdentityPage(amina, base_url)
    assert_accessible(amina)
    identity.correct()
    assert_accessible(amina)
    identity.fill_identity(
        given_names=GIVEN_NAMES,
        family_name=FAMILY_NAME,
        date_of_birth=DATE_OF_BIRTH.isoformat(),
        sex="female",
        nationalities=["RO"],
        languages=["ro"],
    )
    identity.save()
    expect(amina).to_have_url(re.compile(rf"/cases/{case_reference}/identity/$"))
    expect(identity.identity).to_contain_text(FAMILY_NAME)
    assert_accessible(amina)
    case_page.navigate()
    expect(case_page.age_group).to_contain_text(french("Adult"))
    expect(case_page.age_group).not_to_contain_text(french("Child: child rules apply"))
    expect(case_page.timeline).to_contain_text(french("Person's details corrected"))
    # The case page itself stays pseudonymised.
    expect(amina.locator("main")).not_to_contain_text(FAMILY_NAME)

    # 4. A preliminary assessment with the adults' labour exploitation set: a draft first.
    case_page.follow(french("Start a preliminary assessment"))
    assert_accessible(amina)
    AssessmentStartPage(amina, base_url).start("adults_labour")
    expect(amina).to_have_url(re.compile(r"/assessments/\d+/$"))
    assessment = AssessmentPage(amina, base_url)
    expect(assessment.status).to_have_text(french("Draft"))
    assert_accessible(amina)
    for code, note in PRESENT.items():
        assessment.answer(code, "present", note)
    for code in ABSENT:
        assessment.answer(code, "absent")
    assessment.save_draft()
    expect(assessment.alerts.filter(has_text=french("Draft saved."))).to_be_visible()
    for code in PRESENT:
        expect(assessment.checked(code, "present")).to_be_checked()
    expect(assessment.checked(ABSENT[0], "absent")).to_be_checked()
    assessment.see_advice()
    expect(assessment.advice_outcome).to_have_text(french("Presumed victim"))
    expect(assessment.advice).to_contain_text("AL-CD-01")
    assert_accessible(amina)
    draft = case.assessments.get()
    assert not draft.is_final
    assert {code for code, value in draft.answers.items() if value["answer"] == "present"} == set(
        PRESENT
    )

    # 5. Rights information, in the person's language, with the leaflet.
    case_page.navigate()
    case_page.follow(french("Rights information"))
    rights = RightsPage(amina, base_url)
    assert_accessible(amina)
    rights.record(language="ro", leaflet_language="en")
    expect(rights.alerts.filter(has_text=french("Rights information recorded."))).to_be_visible()
    expect(rights.records).to_have_count(1)
    expect(rights.records.first).to_contain_text(french_date(today, "SHORT_DATE_FORMAT"))
    expect(rights.records.first).to_contain_text("Amina")
    assert_accessible(amina)

    # 6. The person consents to be referred to formal identification.
    case_page.navigate()
    case_page.follow(french("Consent"))
    consents = ConsentsPage(amina, base_url)
    assert_accessible(amina)
    consents.record(scope="referral", method="interpreted")
    expect(consents.rows.first).to_contain_text(french("Referral to formal identification"))
    expect(consents.rows.first).to_contain_text(french("Active"))
    assert_accessible(amina)

    # 7. The worker concludes: presumed victim, with reasons. Protection starts at once.
    case_page.navigate()
    case_page.follow(french("Continue the preliminary assessment"))
    assessment.conclude(
        "presumed_victim",
        "Deceived about the job, kept at work by confiscated papers and isolation; unpaid.",
    )
    expect(amina).to_have_url(re.compile(rf"/cases/{case_reference}/$"))
    expect(case_page.status).to_have_text(french("Presumed victim"))
    assert active_profile().reflection_period_days == 30
    ends_on = today + datetime.timedelta(days=30)
    expect(case_page.due_dates).to_contain_text(french("End of the reflection period"))
    expect(case_page.due_dates).to_contain_text(french_date(ends_on, "SHORT_DATE_FORMAT"))
    expect(case_page.timeline).to_contain_text(french("Concluded: presumed victim"))
    expect(case_page.timeline).to_contain_text(french("Recovery and reflection period started"))
    assert_accessible(amina)
    case_page.follow(french("Protection and immediate needs"))
    protection = ProtectionPage(amina, base_url)
    expect(protection.reflection_period).to_contain_text(french_date(today, "DATE_FORMAT"))
    expect(protection.reflection_period).to_contain_text(french_date(ends_on, "DATE_FORMAT"))
    assert_accessible(amina)

    # 8. Referral by the route the person chose: the département's platform.
    case_page.navigate()
    case_page.follow(french("Refer to formal identification"))
    referral_page = ReferralPage(amina, base_url)
    assert_accessible(amina)
    referral_page.choose(route="platform", target=cast.coordination.name, leave_out=("needs",))
    # The check before sending: the file as the platform will read it, nothing sent yet.
    expect(referral_page.check).to_be_visible()
    expect(amina.locator("main")).to_contain_text(french("Left out, as the person asked:"))
    assert not Referral.objects.filter(case=case).exists()
    assert_accessible(amina)
    referral_page.send()
    expect(referral_page.alerts.filter(has_text=cast.coordination.name)).to_be_visible()
    expect(referral_page.referrals).to_contain_text(cast.coordination.name)
    assert_accessible(amina)
    referral = Referral.objects.get(case=case)
    assert (referral.route, referral.target, referral.referring_organisation) == (
        "platform",
        cast.coordination,
        cast.association,
    )
    assert referral.consent == case.active_consent(ConsentScope.REFERRAL)
    assert "needs" not in referral.file_items and "account" in referral.file_items
    assert not AnonymousNotification.objects.exists()

    # 9. The coordinator sees the referral: in the case list and on the case page.
    cases = CaseListPage(louis, base_url)
    cases.navigate()
    expect(cases.row(case_reference)).to_contain_text(french("Presumed victim"))
    assert_accessible(louis)
    cases.open(case_reference)
    coordinator_view = CasePage(louis, base_url, case_reference)
    expect(coordinator_view.status).to_have_text(french("Presumed victim"))
    expect(coordinator_view.timeline).to_contain_text(
        french("Referred to formal identification (platform route)")
    )
    expect(coordinator_view.due_dates).to_contain_text(
        french_date(referral.decision_due, "SHORT_DATE_FORMAT")
    )
    # The coordination reads the pseudonymised case file, never the person's identity.
    expect(louis.locator("main")).not_to_contain_text(FAMILY_NAME)
    assert_accessible(louis)


# Second run: an adult presumed victim refuses referral ------------------------------------


def _acting(user: User) -> Any:
    """`user` acting for their (only) organisation, for actions in the set-up."""
    return actor_for(user)


def _presumed_victim(cast) -> Case:
    """An adult case of Association 93 concluded "presumed victim" through the domain actions
    (the same path as the UI: assessment, answers, engine's advice, conclusion, protection)."""
    request = _acting(cast.amina)
    case = CaseFactory(
        owner=cast.association,
        detected_by=cast.association,
        person=PersonFactory(
            given_names="Marta Fictiva",
            family_name="Refuznik-Fictive",
            aliases="La Fictive",
            date_of_birth=datetime.date(1988, 11, 3),
            estimated_age=None,
            nationalities=["MD"],
            languages=["ro"],
        ),
    )
    assert not case.child
    catalogue = latest_catalogue()
    assessment = actions.start_assessment(
        case, set_code="adults_labour", version=catalogue.version, actor=request
    )
    actions.save_answers(
        assessment,
        {code: {"answer": "present", "note": ""} for code in PRESENT},
        actor=request,
    )
    evaluation = evaluate(catalogue, "adults_labour", assessment.answer_map(), "adult")
    assert evaluation.presumed_victim == "yes"
    actions.conclude_assessment(
        assessment,
        conclusion="presumed_victim",
        reasons="Fictional: the indicators and the interview agree.",
        engine_outcome="presumed_victim",
        engine_summary=engine_summary(evaluation),
        actor=request,
    )
    case.refresh_from_db()
    assert case.status == IdentificationStatus.PRESUMED_VICTIM
    return case


def test_an_adult_who_refuses_referral_gives_only_an_anonymous_notification(
    page: Page, base_url: str, cast
) -> None:
    case = _presumed_victim(cast)
    person = case.person
    LoginPage(page, base_url).log_in(cast.amina.email, PASSWORD, TOTP_SECRET)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The referral page offers the anonymous notification while no consent is recorded.
    referral_page = ReferralPage(page, base_url)
    page.goto(f"{base_url}/cases/{case.reference}/referral/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main .fr-alert a[href$='/anonymous-notification/']").click()
    notification_page = AnonymousNotificationPage(page, base_url)
    expect(notification_page.heading).to_have_text(french("Anonymous notification"))
    assert_accessible(page)
    # Sending without confirming the refusal is refused, and nothing is created.
    notification_page.submit_form()
    expect(notification_page.field_errors).to_contain_text(
        french("Confirm that the person refuses referral.")
    )
    assert not AnonymousNotification.objects.exists()
    assert_accessible(page)
    notification_page.confirm_refusal()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/referral/$"))
    expect(
        referral_page.alerts.filter(
            has_text=french(
                "Anonymous notification sent. The case stays open: assistance continues."
            )
        )
    ).to_be_visible()
    assert_accessible(page)

    # Exactly one notification, no referral; the case stays open for assistance.
    notification = AnonymousNotification.objects.get()
    assert not Referral.objects.exists()
    case.refresh_from_db()
    assert case.status == IdentificationStatus.PRESUMED_VICTIM
    assert case.events.filter(kind="referral.refused").count() == 1
    assert (
        notification.age_group,
        notification.sex,
        notification.nationality,
        notification.territory.code,
        notification.sector,
        notification.notified_by,
    ) == ("adult", "female", "MD", "93", "construction", cast.association)
    assert notification.forms == case.forms

    # It holds no identifying value: no name, alias, date of birth, age or case reference.
    dob = person.date_of_birth
    identifying = {
        person.given_names,
        *person.given_names.split(),
        person.family_name,
        person.aliases,
        person.pseudonym,
        dob.isoformat(),
        dob.strftime("%d/%m/%Y"),
        case.reference,
        case.reference.split("-", 1)[1],
    }
    values = {
        field.attname: getattr(notification, field.attname)
        for field in AnonymousNotification._meta.concrete_fields
    }
    assert "case_id" not in values and "person_id" not in values
    for name, value in values.items():
        if name in {"id", "territory_id", "notified_by_id"}:
            continue  # keys of the row itself, the département and the notifying body
        assert value != case.age_at_detection, f"{name} holds the age"
        text = str(value)
        for secret in identifying:
            assert secret.lower() not in text.lower(), f"{name} holds {secret!r}"
    # The confirmation screen of the case says what happened, still without identity.
    case_page = CasePage(page, base_url, case.reference)
    case_page.navigate()
    expect(case_page.timeline).to_contain_text(
        french("Referral refused: anonymous notification sent")
    )
    expect(page.locator("main")).not_to_contain_text(person.family_name)
    assert_accessible(page)
