"""The API's documentation page (/api/v1/docs) works under the strict CSP: Swagger UI from
django-ninja's static files (no CDN), no inline script or style. Its rendering in Chromium is
tests/browser/test_api_docs.py."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.hardening.test_headers import inline_code

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs"


class _Assets(HTMLParser):
    """The page's scripts and stylesheets, and the Swagger UI settings it carries."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.settings: dict[str, object] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" or (tag == "link" and attributes.get("rel") == "stylesheet"):
            self.urls.append(attributes.get("src") or attributes.get("href") or "")
        if "data-swagger-settings" in attributes:
            self.settings = json.loads(attributes["data-swagger-settings"] or "{}")


def _page(cast) -> tuple[str, _Assets]:
    response = cast.client_for(cast.hugo).get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _Assets()
    assets.feed(html)
    return html, assets


def test_the_page_has_no_inline_code_and_only_local_assets(cast):
    html, assets = _page(cast)
    assert inline_code(html) == []
    assert "cdn" not in html.lower()
    assert assets.urls == [
        "/static/ninja/swagger-ui.css",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/opennrm/api-docs.js",
    ]
    for url in assets.urls:  # installed with django-ninja or ours, found by staticfiles
        assert finders.find(url.removeprefix("/static/")), url


def test_the_settings_point_at_the_schema_and_at_no_outside_validator(cast):
    _, assets = _page(cast)
    assert assets.settings["url"] == "/api/v1/openapi.json"
    assert assets.settings["validatorUrl"] is None


def test_the_page_stays_behind_the_login_page(db):
    response = Client().get(DOCS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_costs_the_signed_in_queries_only(cast, django_assert_num_queries):
    """The session, the user, the memberships and the MFA check: nothing more."""
    client = cast.client_for(cast.hugo)
    assert client.get(DOCS).status_code == 200  # warm up
    with django_assert_num_queries(4):
        assert client.get(DOCS).status_code == 200
