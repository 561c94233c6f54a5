"""The interface shell adapts to the role, and a user with two memberships chooses one."""

import pytest
from django.conf import settings
from django.urls import reverse

from opennrm.web.middleware import SESSION_KEY
from tests.factories import MembershipFactory


def _english(client):
    """The interface in English (the language switch sets this cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


COVERAGE = "Directory coverage"
AUDIT = "Audit trail"
ENTRIES = "Directory entries"


def _nav(response) -> list[str]:
    return [item.url_name for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("nadia", {COVERAGE, ENTRIES}, {AUDIT}),
        ("robert", {AUDIT}, {COVERAGE, ENTRIES}),
        ("amina", set(), {COVERAGE, AUDIT, ENTRIES}),
        ("hugo", set(), {COVERAGE, AUDIT, ENTRIES}),
        ("sophie", {ENTRIES}, {COVERAGE, AUDIT}),
        ("louis", set(), {COVERAGE, AUDIT, ENTRIES}),
        ("yasmine", set(), {COVERAGE, AUDIT, ENTRIES}),
    ],
)
def test_dashboard_shows_the_navigation_of_the_role(cast, persona, visible, hidden):
    response = _english(cast.client_for(getattr(cast, persona))).get(reverse("web:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for label in visible:
        assert label in html
    for label in hidden:
        assert label not in html


FOUNDATION_ITEMS = {
    "web:dashboard",
    "web:organisation",
    "web:directory_manage",
    "web:directory_coverage",
    "web:audit",
}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "nadia",
            ["web:dashboard", "web:organisation", "web:directory_manage", "web:directory_coverage"],
        ),
        ("robert", ["web:dashboard", "web:organisation", "web:audit"]),
        ("amina", ["web:dashboard", "web:organisation"]),
        ("sophie", ["web:dashboard", "web:organisation", "web:directory_manage"]),
        ("claire", ["web:dashboard", "web:organisation"]),
        ("yasmine", ["web:dashboard", "web:organisation"]),
    ],
)
def test_navigation_items_match_the_pages_the_role_may_open(cast, persona, expected):
    """The foundation's items by role (later areas add theirs); every item opens."""
    client = cast.client_for(getattr(cast, persona))
    response = client.get(reverse("web:dashboard"))
    assert [name for name in _nav(response) if name in FOUNDATION_ITEMS] == expected
    for item in response.context["nav_items"]:
        assert client.get(item.url).status_code == 200, item.url_name


def test_every_nav_link_is_in_the_page(cast):
    response = cast.client_for(cast.nadia).get(reverse("web:dashboard"))
    html = response.content.decode()
    for url in (
        reverse("web:directory_coverage"),
        reverse("web:directory_manage"),
        reverse("web:organisation", args=[cast.national.pk]),
    ):
        assert f'href="{url}"' in html
    assert f'href="{reverse("web:audit")}"' not in html


def test_anonymous_visitors_get_no_private_navigation(db):
    from django.test import Client

    response = Client().get(reverse("web:home"))
    assert response.context["nav_items"] == []
    assert reverse("web:dashboard") not in response.content.decode()


@pytest.fixture
def hugo_twice(cast):
    """hugo: field worker of Association 93 and platform member of Coordination 93."""
    second = MembershipFactory(
        user=cast.hugo, organisation=cast.coordination, role="platform_member"
    )
    first = cast.hugo.memberships.get(organisation=cast.association)
    return first, second


def test_a_user_with_two_memberships_switches_organisation(cast, hugo_twice):
    first, second = hugo_twice
    client = _english(cast.client_for(cast.hugo))
    response = client.get(reverse("web:dashboard"))
    # Memberships are ordered by organisation name: Association 93 comes first.
    assert response.context["current_membership"] == first
    assert 'id="membership-select"' in response.content.decode()

    response = client.post(reverse("web:switch_organisation"), {"membership": second.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.session[SESSION_KEY] == second.pk

    response = client.get(reverse("web:dashboard"))
    assert response.context["current_membership"] == second
    assert (
        "You act as Platform member for Coordination 93 (fictional)." in response.content.decode()
    )
    # Acting for the coordination: its page is the one in the navigation.
    organisation_item = next(
        i for i in response.context["nav_items"] if i.url_name == "web:organisation"
    )
    assert organisation_item.args == (cast.coordination.pk,)

    client.post(reverse("web:switch_organisation"), {"membership": first.pk})
    response = client.get(reverse("web:dashboard"))
    assert response.context["current_membership"] == first


@pytest.mark.parametrize("value", ["other", "", "not-a-number", "0"])
def test_switching_to_a_membership_that_is_not_ones_own_is_refused(cast, hugo_twice, value):
    first, _second = hugo_twice
    foreign = cast.amina.memberships.get()
    membership_id = str(foreign.pk) if value == "other" else value
    client = _english(cast.client_for(cast.hugo))
    response = client.post(
        reverse("web:switch_organisation"), {"membership": membership_id}, follow=True
    )
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["current_membership"] == first
    assert "You cannot act for this organisation." in response.content.decode()


def test_switching_to_a_deactivated_membership_is_refused(cast, hugo_twice):
    first, second = hugo_twice
    second.is_active = False
    second.save()
    client = _english(cast.client_for(cast.hugo))
    client.post(reverse("web:switch_organisation"), {"membership": second.pk})
    assert SESSION_KEY not in client.session
    assert client.get(reverse("web:dashboard")).context["current_membership"] == first


def test_a_stale_session_choice_falls_back_to_a_valid_membership(cast, hugo_twice):
    first, second = hugo_twice
    client = _english(cast.client_for(cast.hugo))
    client.post(reverse("web:switch_organisation"), {"membership": second.pk})
    second.is_active = False
    second.save()
    response = client.get(reverse("web:dashboard"))
    assert response.context["current_membership"] == first
    assert client.get(reverse("web:organisation", args=[cast.coordination.pk])).status_code == 404
