"""Formal identification seen through a real browser (issue 4, acceptance).

Both routes from referral to identified victim, and a platform case decided "not identified",
reconsidered by a different composition — chaired by a deputy chair the chair designates, since
the chair took the first decision — and then identified. The referral, the platform and
most of the votes are set up through the actions; the decisive steps are taken in Chromium by
people who sign in through the real login form (password and authenticator code).
"""

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opennrm.cases.enums import IdentificationStatus
from opennrm.identification import actions
from opennrm.identification.models import IdentificationDecision, Referral, Route
from tests.browser.pages import (
    CaseIdentificationPage,
    JudicialReferralListPage,
    JudicialReferralPage,
    PlatformCasePage,
    PlatformWorkspacePage,
    ReconsiderationPage,
)
from tests.browser.test_detection import assert_accessible, contexts, french, signed_in
from tests.identification.conftest import (
    actor_for,
    platform93,
    presumed_case,
    prosecutors,
    referred,
    vote_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["contexts", "platform93", "prosecutors"]  # fixtures used by the tests below

IDENTIFIED = "Identified as a victim of trafficking in human beings"


def identified_victim() -> str:
    return french(str(IdentificationStatus.IDENTIFIED_VICTIM.label))


def test_judicial_route_from_referral_to_identified_victim(
    page: Page, base_url: str, cast: Any, contexts: Any, prosecutors: Any
) -> None:
    case = presumed_case(cast)
    referral = referred(cast, case, Route.JUDICIAL)

    claire = signed_in(contexts, base_url, cast.claire)
    listing = JudicialReferralListPage(claire, base_url)
    listing.navigate()
    listing.open(case.reference)
    expect(claire).to_have_url(re.compile(rf"/judicial/referrals/{referral.pk}/$"))
    judicial = JudicialReferralPage(claire, base_url)
    judicial.record_statement(
        kind="complaint",
        recorded_on=timezone.localdate().isoformat(),
        service="Brigade de protection (fictional), Bobigny",
        offence="Traite des êtres humains (C. pén., art. 225-4-1)",
        procedure_reference="PV-FICT-2026-0042",
    )
    expect(claire).to_have_url(re.compile(rf"/judicial/referrals/{referral.pk}/$"))
    expect(judicial.statement).to_contain_text("PV-FICT-2026-0042")
    judicial.record_decision(
        outcome="identified", reasons="Fictional: the complaint establishes the facts."
    )
    expect(judicial.decision).to_contain_text(french(IDENTIFIED))
    expect(judicial.decision).to_contain_text("Fictional: the complaint establishes the facts.")

    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    decision = IdentificationDecision.objects.get()
    assert (decision.route, decision.outcome) == (Route.JUDICIAL, "identified")

    # The referring organisation sees the status on its follow-up page.
    amina = signed_in(contexts, base_url, cast.amina)
    follow_up = CaseIdentificationPage(amina, base_url, case.reference)
    follow_up.navigate()
    expect(follow_up.status).to_have_text(identified_victim())
    expect(follow_up.referrals).to_contain_text("PV-FICT-2026-0042")


def test_platform_route_from_referral_to_identified_victim(
    page: Page, base_url: str, cast: Any, contexts: Any, platform93: Any
) -> None:
    case = presumed_case(cast)
    referral = referred(cast, case, Route.PLATFORM)
    # Four members vote through the actions; Paul votes in the browser.
    vote_all(platform93, referral, [n for n in platform93.first if n != "paul"], "identified")

    paul = signed_in(contexts, base_url, cast.paul)
    workspace = PlatformWorkspacePage(paul, base_url)
    workspace.navigate()
    workspace.open(case.reference)
    expect(paul).to_have_url(re.compile(rf"/platform/cases/{referral.pk}/$"))
    platform_case = PlatformCasePage(paul, base_url)
    # The file holds the preliminary assessment, never the person's name.
    expect(paul.locator("main")).to_contain_text("Fictional reasons: deceptive recruitment")
    expect(paul.locator("main")).not_to_contain_text(case.person.family_name)
    assert_accessible(paul)
    platform_case.vote(choice="identified", reasons="Fictional: a consistent account.")
    expect(paul).to_have_url(re.compile(rf"/platform/cases/{referral.pk}/$"))
    expect(platform_case.votes).to_have_count(5)
    expect(platform_case.votes.filter(has_text="Paul")).to_contain_text(
        "Fictional: a consistent account."
    )
    expect(platform_case.decision_form).to_have_count(0)  # Paul is not the chair

    # The chair records the decision.
    louis = signed_in(contexts, base_url, cast.louis)
    chair_view = PlatformCasePage(louis, base_url)
    louis.goto(f"{base_url}/platform/cases/{referral.pk}/")
    chair_view.decide(
        outcome="identified", reasons="Fictional: consistent and corroborated account."
    )
    expect(louis).to_have_url(re.compile(rf"/platform/cases/{referral.pk}/$"))
    expect(chair_view.decision).to_contain_text(french(IDENTIFIED))
    expect(chair_view.decision).to_contain_text("Fictional: consistent and corroborated account.")
    assert_accessible(louis)

    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    decision = IdentificationDecision.objects.get()
    assert decision.route == Route.PLATFORM
    assert decision.voters.count() == 5

    amina = signed_in(contexts, base_url, cast.amina)
    follow_up = CaseIdentificationPage(amina, base_url, case.reference)
    follow_up.navigate()
    expect(follow_up.status).to_have_text(identified_victim())
    expect(amina.locator("main a[href*='/identification/attestation/']").first).to_be_visible()


def test_platform_case_not_identified_then_reconsidered_by_another_composition(
    page: Page, base_url: str, cast: Any, contexts: Any, platform93: Any
) -> None:
    case = presumed_case(cast)
    referral = referred(cast, case, Route.PLATFORM)
    # The chair has designated no deputy yet: he alone chairs the platform.
    actions.end_deputy_chair(platform93.seats["lucie"], actor=actor_for(cast.louis))
    vote_all(platform93, referral, platform93.first, "not_identified")
    first = actions.record_platform_decision(
        referral,
        outcome="not_identified",
        reasons="Fictional: too little in the file.",
        actor=actor_for(cast.louis),
    )
    case.refresh_from_db()
    assert case.status == IdentificationStatus.NOT_IDENTIFIED
    assert first.reconsideration_due is not None
    assert first.reconsideration_due >= timezone.localdate() + datetime.timedelta(days=1)

    # The referring organisation asks for a reconsideration with new elements.
    amina = signed_in(contexts, base_url, cast.amina)
    follow_up = CaseIdentificationPage(amina, base_url, case.reference)
    follow_up.navigate()
    expect(follow_up.referrals).to_contain_text("Fictional: too little in the file.")
    follow_up.ask_for_reconsideration()
    ReconsiderationPage(amina, base_url).ask("Fictional: a medical certificate.")
    expect(amina).to_have_url(re.compile(rf"/cases/{case.reference}/identification/$"))
    second = Referral.objects.get(reconsideration_of=first)

    # A member who took the first decision cannot vote on the reconsideration.
    paul = signed_in(contexts, base_url, cast.paul)
    paul.goto(f"{base_url}/platform/cases/{second.pk}/")
    expect(paul.locator("main")).to_contain_text(
        french("You took part in the decision being reconsidered")
    )
    expect(PlatformCasePage(paul, base_url).vote_form).to_have_count(0)

    # A different composition votes (all but Igor through the actions, Igor in the browser).
    vote_all(platform93, second, [n for n in platform93.second if n != "igor"], "identified")
    igor = signed_in(contexts, base_url, platform93.users["igor"])
    igor_view = PlatformCasePage(igor, base_url)
    igor.goto(f"{base_url}/platform/cases/{second.pk}/")
    igor_view.vote(choice="identified", reasons="Fictional: the certificate corroborates.")
    expect(igor_view.votes.filter(has_text="Igor")).to_contain_text(
        "Fictional: the certificate corroborates."
    )

    # The chair took the first decision: he cannot record, and his workspace says that nobody
    # can until he designates a deputy chair who did not take part.
    louis = signed_in(contexts, base_url, cast.louis)
    louis.goto(f"{base_url}/platform/cases/{second.pk}/")
    expect(PlatformCasePage(louis, base_url).decision_form).to_have_count(0)
    expect(louis.locator("main")).to_contain_text(french("Nobody can chair this case"))
    PlatformWorkspacePage(louis, base_url).navigate()
    unchaired = louis.locator("#unchaired")
    expect(unchaired).to_contain_text(french("Cases nobody can chair"))
    expect(unchaired).to_contain_text(case.reference)
    expect(unchaired).to_contain_text("Lucie")  # she took no part in the first decision
    assert_accessible(louis)
    with louis.expect_navigation():
        unchaired.locator("a[href$='/platform/members/']").click()
    designate = louis.locator("main form[action$='/deputy/']").filter(has_text="Lucie")
    with louis.expect_navigation():
        designate.get_by_role("button").click()
    expect(louis.locator("body")).to_contain_text(
        french("%(name)s is a deputy chair: they chair the cases every chair is excluded from.")
        % {"name": "Lucie"}
    )
    expect(louis.locator("main")).not_to_contain_text(french("Cases nobody can chair"))
    assert_accessible(louis)

    # Lucie, the deputy chair, records the reconsideration's decision.
    lucie = signed_in(contexts, base_url, platform93.lucie)
    chair_view = PlatformCasePage(lucie, base_url)
    lucie.goto(f"{base_url}/platform/cases/{second.pk}/")
    expect(lucie.locator("main")).to_contain_text(french("Reconsideration"))
    expect(lucie.locator("main")).to_contain_text(
        french("You chair this case as a deputy chair: every chair is excluded from it.")
    )
    assert_accessible(lucie)
    chair_view.decide(outcome="identified", reasons="Fictional: the certificate corroborates.")
    expect(chair_view.decision).to_contain_text(french(IDENTIFIED))

    case.refresh_from_db()
    assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
    decisions = list(IdentificationDecision.objects.order_by("decided_at"))
    assert [d.outcome for d in decisions] == ["not_identified", "identified"]
    first_voters = {m.pk for m in decisions[0].voters.all()} | {decisions[0].chair_id}
    second_voters = {m.pk for m in decisions[1].voters.all()} | {decisions[1].chair_id}
    assert not first_voters & second_voters
    assert decisions[1].chair_id == platform93.seats["lucie"].pk

    follow_up.navigate()
    expect(follow_up.status).to_have_text(identified_victim())
