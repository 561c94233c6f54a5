"""The platform's pages: members managed by the chair, the workspace's lists, conflicts and
refusals shown with a clear message, interview and questions through the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opennrm.identification.models import InformationRequest, PlatformMember, Route
from tests.identification.conftest import (
    client_as,
    member,
    presumed_case,
    referred,
    vote_all,
)

pytestmark = pytest.mark.django_db


def test_the_chair_adds_and_removes_members(cast, platform93):
    newcomer = member(cast.accommodation, "platform_member", "Nadege")
    louis = client_as(cast, cast.louis)
    page = louis.get(reverse("web:platform_members"))
    assert "Nadege" in page.content.decode()  # offered: a platform role in the département
    response = louis.post(
        reverse("web:platform_members") + "?territory=93",
        {"membership": newcomer.memberships.get().pk, "profession": "other"},
    )
    assert response.status_code == 302
    seat = PlatformMember.objects.get(membership__user=newcomer, removed_at__isnull=True)
    assert seat.sector == "civil_society"  # accommodation is a service: civil society
    url = reverse("web:platform_member_remove", args=[seat.pk])
    assert louis.get(url).status_code == 200
    assert louis.post(url, {"confirm": "on"}).status_code == 302
    seat.refresh_from_db()
    assert seat.removed_at is not None
    # Not a chair: 404, even for a platform member of the département.
    assert client_as(cast, cast.paul).get(reverse("web:platform_members")).status_code == 404


def test_the_workspace_sorts_cases_awaiting_the_member(cast, platform93):
    voted = referred(cast, presumed_case(cast), Route.PLATFORM)
    waiting = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, voted, ("paul",))
    response = client_as(cast, cast.paul).get(reverse("web:platform"))
    assert [r.pk for r in response.context["awaiting_me"]] == [waiting.pk]
    assert [r.pk for r in response.context["awaiting_others"]] == [voted.pk]


def test_a_conflict_declared_on_the_page_hides_the_file_and_refuses_the_vote(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    paul = client_as(cast, cast.paul)
    page = paul.get(reverse("web:platform_case", args=[referral.pk])).content.decode()
    assert "Your organisation referred this case" in page  # Paul sits for the referrer
    response = paul.post(reverse("web:platform_conflict", args=[referral.pk]), {"confirm": "on"})
    assert response.status_code == 302
    page = paul.get(reverse("web:platform_case", args=[referral.pk])).content.decode()
    assert "You declared a conflict of interest" in page
    assert "Fictional reasons: deceptive recruitment" not in page
    response = paul.post(
        reverse("web:platform_vote", args=[referral.pk]),
        {"choice": "identified", "reasons": "Fictional."},
    )
    assert response.status_code == 200
    assert "cannot vote on it" in response.content.decode()


def test_a_vote_sent_after_the_decision_is_refused_and_says_so(cast, platform93):
    """The member's page was opened before the chair decided; the vote sent afterwards is
    refused, and the page says why (the vote form is no longer shown)."""
    from opennrm.identification import actions
    from opennrm.identification.models import Vote

    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, platform93.first)
    actions.record_platform_decision(
        referral, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )
    votes = Vote.objects.count()
    lucie = client_as(cast, platform93.users["lucie"])
    response = lucie.post(
        reverse("web:platform_vote", args=[referral.pk]),
        {"choice": "not_identified", "reasons": "Fictional, too late."},
        follow=True,
    )
    assert response.status_code == 200
    assert "already taken" in response.content.decode() or "no longer" in response.content.decode()
    assert Vote.objects.count() == votes


def test_a_decision_without_quorum_is_refused_on_the_page_with_what_is_missing(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    vote_all(platform93, referral, ("paul", "lina"))
    response = client_as(cast, cast.louis).post(
        reverse("web:platform_decision", args=[referral.pk]),
        {"outcome": "identified", "reasons": "Fictional."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The decision cannot be taken" in page
    assert "quorum not reached: 2 members" in page
    assert "not enough institutional members: 0 have voted, at least 2 are needed" in page


def test_more_information_through_the_pages(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    louis = client_as(cast, cast.louis)
    response = louis.post(
        reverse("web:platform_decision", args=[referral.pk]),
        {"outcome": "more_information", "question": ""},
    )
    assert response.status_code == 200  # the question is required
    louis.post(
        reverse("web:platform_decision", args=[referral.pk]),
        {"outcome": "more_information", "question": "Fictional: which employer?"},
    )
    info = InformationRequest.objects.get()
    amina = client_as(cast, cast.amina)
    page = amina.get(reverse("web:identification", args=[referral.case.reference]))
    assert "Fictional: which employer?" in page.content.decode()
    response = amina.post(
        reverse("web:identification_answer", args=[info.pk]), {"answer": "Fictional: a farm."}
    )
    assert response.status_code == 302
    info.refresh_from_db()
    assert info.answer == "Fictional: a farm." and info.resumed_on == timezone.localdate()


def test_interview_through_the_pages(cast, platform93):
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    seats = platform93.seats
    louis = client_as(cast, cast.louis)
    response = louis.post(
        reverse("web:platform_interview", args=[referral.pk]),
        {"members": [seats["psyche"].pk, seats["lina"].pk]},
    )
    assert response.status_code == 302
    lina = client_as(cast, platform93.users["lina"])
    response = lina.post(
        reverse("web:platform_interview_report", args=[referral.pk]),
        {"held_on": timezone.localdate().isoformat(), "report": "Fictional report."},
    )
    assert response.status_code == 302
    page = client_as(cast, cast.paul).get(reverse("web:platform_case", args=[referral.pk]))
    assert "Fictional report." in page.content.decode()


def test_pages_have_unique_ids(cast, platform93):
    import re

    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    page = client_as(cast, cast.louis).get(reverse("web:platform_case", args=[referral.pk]))
    ids = re.findall(r'\sid="([^"]+)"', page.content.decode())
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
