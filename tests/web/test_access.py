"""Who reaches which page: every URL of opennrm.web.urls × every persona of the cast.

Outsiders get 404 (never 403); anonymous visitors are sent to the login page except on the
public pages.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from opennrm.web import urls as web_urls
from tests.factories import ContactEntryFactory

PERSONAS = (
    "anonymous",
    "nadia",
    "louis",
    "amina",
    "hugo",
    "claire",
    "sophie",
    "paul",
    "ines",
    "robert",
    "yasmine",
)
SIGNED_IN = PERSONAS[1:]
LOGIN = "login"  # expected outcome: redirect to the login page


@dataclass(frozen=True)
class Page:
    name: str  # URL name in the "web" namespace
    expected: dict[str, int | str]  # persona -> status (or LOGIN); others get `default`
    default: int | str
    method: str = "get"
    public: bool = False


PAGES = [
    Page("home", {}, 200, public=True),
    Page("legal", {}, 200, public=True),
    Page("personal_data", {}, 200, public=True),
    Page("accessibility", {}, 200, public=True),
    Page("directory", {}, 200, public=True),
    Page("dashboard", {}, 200),
    # GET is refused (405) to everyone signed in: the switch only takes a POST.
    Page("switch_organisation", {}, 405),
    # Without a valid membership id the switch is refused with a message, then the dashboard.
    Page("switch_organisation", {}, 302, method="post"),
    # The private page of Association 93: its members only.
    Page("organisation", {"amina": 200, "hugo": 200, "paul": 200}, 404),
    # Administration of Association 93: amina only (hugo and paul are members, not admins).
    Page("invite", {"amina": 200}, 404),
    Page("add_training", {"amina": 200}, 404),
    Page("deactivate_member", {"amina": 200}, 404),
    # Resending an invitation takes only a POST (405 to a GET), by the organisation's admin.
    Page("resend_invitation", {}, 405),
    Page("resend_invitation", {"amina": 302}, 404, method="post"),
    # The directory: the national coordinator, and the contact body (prefecture 93, sophie).
    Page("directory_manage", {"nadia": 200, "sophie": 200}, 404),
    Page("directory_create", {"nadia": 200, "sophie": 200}, 404),
    Page("directory_edit", {"nadia": 200, "sophie": 200}, 404),
    Page("directory_unpublish", {"nadia": 200, "sophie": 200}, 404),
    Page("directory_confirm", {}, 405),
    Page("directory_confirm", {"nadia": 302, "sophie": 302}, 404, method="post"),
    Page("directory_coverage", {"nadia": 200}, 404),
    Page("audit", {"robert": 200}, 404),
    Page("audit_export", {"robert": 200}, 404),
]


@pytest.fixture
def world(cast):
    """The cast, a published entry of prefecture 93, and hugo's membership id."""
    cast.prefecture_entry = ContactEntryFactory(organisation=cast.prefecture)
    cast.hugo_membership = cast.hugo.memberships.get()
    return cast


def _url(name: str, world) -> str:
    association = world.association.pk
    kwargs = {
        "organisation": {"pk": association},
        "invite": {"pk": association},
        "add_training": {"pk": association, "membership_pk": world.hugo_membership.pk},
        "deactivate_member": {"pk": association, "membership_pk": world.hugo_membership.pk},
        "resend_invitation": {"pk": association, "membership_pk": world.hugo_membership.pk},
        "directory_edit": {"pk": world.prefecture_entry.pk},
        "directory_confirm": {"pk": world.prefecture_entry.pk},
        "directory_unpublish": {"pk": world.prefecture_entry.pk},
    }.get(name, {})
    return reverse(f"web:{name}", kwargs=kwargs)


def _expected(page: Page, persona: str) -> int | str:
    if persona == "anonymous":
        return 200 if page.public else LOGIN
    return page.expected.get(persona, page.default)


CASES = [
    pytest.param(page, persona, id=f"{page.method}-{page.name}-{persona}")
    for page in PAGES
    for persona in PERSONAS
]


# The views of the foundation (issue 2); later areas (cases, concerns…) have their own tables.
FOUNDATION_VIEWS = {
    "opennrm.web.public.views",
    "opennrm.web.dashboard.views",
    "opennrm.web.organisations.views",
    "opennrm.web.directory.views",
    "opennrm.web.audit.views",
}


def test_the_table_covers_every_url_of_the_foundation():
    names = {
        pattern.name
        for pattern in web_urls.urlpatterns
        if pattern.callback.__module__ in FOUNDATION_VIEWS
    }
    assert names == {page.name for page in PAGES}


@pytest.mark.parametrize(("page", "persona"), CASES)
def test_access(world, page, persona):
    user = None if persona == "anonymous" else getattr(world, persona)
    client = world.client_for(user)
    url = _url(page.name, world)
    response = getattr(client, page.method)(url)
    expected = _expected(page, persona)
    if expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("account_login")
        assert parse_qs(location.query)["next"] == [url]
    else:
        assert response.status_code == expected, response.get("Location")
    assert response.status_code != 403


@pytest.mark.parametrize("url", ["/", "/legal/", "/directory/", "/accounts/login/"])
def test_public_pages_need_no_account(db, url):
    response = Client().get(url)
    assert response.status_code == 200


def test_a_members_own_organisation_page_is_reachable(cast):
    """Every persona reaches its own organisation's page (nadia hers, not the association's)."""
    for name in SIGNED_IN:
        user = getattr(cast, name)
        organisation = user.memberships.get().organisation
        response = cast.client_for(user).get(reverse("web:organisation", args=[organisation.pk]))
        assert response.status_code == 200, name


def test_an_unknown_organisation_is_not_found_like_a_foreign_one(cast):
    client = cast.client_for(cast.amina)
    assert client.get(reverse("web:organisation", args=[999_999])).status_code == 404
    assert (
        client.get(reverse("web:organisation", args=[cast.other_association.pk])).status_code == 404
    )


def test_an_outsider_admin_cannot_manage_members_of_another_organisation(world):
    """yasmine administers her own association, not Association 93: 404 everywhere there."""
    client = world.client_for(world.yasmine)
    member = world.hugo_membership
    for url in (
        reverse("web:invite", args=[world.association.pk]),
        reverse("web:add_training", args=[world.association.pk, member.pk]),
        reverse("web:deactivate_member", args=[world.association.pk, member.pk]),
    ):
        assert client.post(url, {}).status_code == 404
    member.refresh_from_db()
    assert member.is_active


def test_an_admin_cannot_reach_a_foreign_membership_through_their_own_organisation(world):
    """amina administers Association 93; yasmine's membership is not one of its members."""
    foreign = world.yasmine.memberships.get()
    client = world.client_for(world.amina)
    for name in ("add_training", "deactivate_member"):
        url = reverse(f"web:{name}", args=[world.association.pk, foreign.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


def test_a_deactivated_member_loses_access(world):
    membership = world.hugo_membership
    membership.is_active = False
    membership.save()
    response = world.client_for(world.hugo).get(
        reverse("web:organisation", args=[membership.organisation_id])
    )
    assert response.status_code == 404


def test_a_deactivated_account_is_logged_out(world):
    client = world.client_for(world.hugo)
    world.hugo.is_active = False
    world.hugo.save()
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
