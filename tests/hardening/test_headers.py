"""Security headers on every page, and no inline script, event handler or style attribute in
what we render (our templates, allauth's, django-dsfr's)."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from opennrm.web.security import build_csp, build_permissions_policy
from tests.factories import PASSWORD, CaseFactory

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'none'"},
    "object-src": {"'none'"},
}


def parse_csp(header: str) -> dict[str, set[str]]:
    policy = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *sources = directive.split()
        policy[name] = set(sources)
    return policy


def test_the_policy_is_the_strict_one(client, db):
    response = client.get("/")
    policy = parse_csp(response["Content-Security-Policy"])
    for directive, sources in EXPECTED_CSP.items():
        assert policy[directive] == sources, directive
    everything = " ".join(" ".join(sources) for sources in policy.values())
    assert "unsafe-inline" not in everything
    assert "unsafe-eval" not in everything
    assert "*" not in everything.split()


@pytest.mark.parametrize(
    "path", ["/", "/legal/", "/directory/", "/report/", "/accounts/login/", "/does-not-exist/"]
)
def test_every_response_carries_the_security_headers(client, db, path):
    response = client.get(path)
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions


def test_the_api_and_static_files_carry_them_too(cast):
    client = cast.client_for(cast.hugo)
    response = client.get("/api/v1/indicators/catalogues")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    static = Client().get("/static/opennrm/quick-exit.js")
    assert static.status_code == 200
    # WhiteNoise answers before the session; our middleware sits outside it and still adds them.
    assert "Content-Security-Policy" in static


def test_report_only_mode_uses_the_report_only_header(settings, db):
    from django.test import RequestFactory

    from opennrm.web.security import SecurityHeadersMiddleware

    settings.OPENNRM_CSP_REPORT_ONLY = True
    from django.http import HttpResponse

    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/"))
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy-Report-Only" in response


def test_a_view_may_set_its_own_policy(db):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from opennrm.web.security import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_builders():
    assert build_csp({"default-src": ["'self'"], "upgrade-insecure-requests": []}) == (
        "default-src 'self'; upgrade-insecure-requests"
    )
    assert build_permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


# No inline script or style in what we render ---------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects inline scripts, event handler attributes, style attributes and <style> blocks."""

    DATA_TYPES = {"application/json", "application/ld+json", "text/template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            self._in_inline_script = "src" not in attributes and kind not in self.DATA_TYPES
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:80]!r}")
        if self._in_style and data.strip():
            self.problems.append(f"<style> block: {data.strip()[:80]!r}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_the_finder_finds_what_it_looks_for():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        '<button onclick="go()">x</button><p style="color:red">y</p><style>p{}</style>'
        '<a href="javascript:void(0)">z</a>'
    )
    problems = inline_code(html)
    assert len(problems) == 5, problems


PUBLIC_PAGES = [
    "/",
    "/legal/",
    "/directory/",
    "/report/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/signup/",
    "/does-not-exist/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_inline_code(client, db, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert inline_code(response.content.decode()) == []


def _logged_in_pages(cast) -> list[str]:
    case = CaseFactory(owner=cast.association)
    return [
        "/dashboard/",
        "/cases/",
        f"/cases/{case.reference}/",
        f"/cases/{case.reference}/identity/",
        "/cases/new/",
        "/concerns/",
        "/concerns/new/",
        f"/organisations/{cast.association.pk}/",
        f"/organisations/{cast.association.pk}/invite/",
        "/overdue/",
        "/accounts/2fa/",
        "/accounts/password/change/",
        "/accounts/logout/",
    ]


def test_staff_pages_have_no_inline_code(cast):
    client = cast.client_for(cast.amina)
    for path in _logged_in_pages(cast):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert inline_code(response.content.decode()) == [], path


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("robert", "/audit/"),
        ("nadia", "/manage/directory/coverage/"),
        ("sophie", "/manage/directory/"),
        ("sophie", "/manage/directory/new/"),
        ("louis", "/concerns/"),
    ],
)
def test_other_roles_pages_have_no_inline_code(cast, persona, path):
    response = cast.client_for(getattr(cast, persona)).get(path)
    assert response.status_code == 200, path
    assert inline_code(response.content.decode()) == [], path


def _log_in(client: Client, email: str) -> None:
    """Password then TOTP through allauth: the MFA pages want a recent real login."""
    from tests.browser.pages import current_totp_code
    from tests.factories import TOTP_SECRET

    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    if response["Location"].startswith(reverse("mfa_authenticate")):
        response = client.post(
            reverse("mfa_authenticate"), {"code": current_totp_code(TOTP_SECRET)}
        )
        assert response.status_code == 302


def _reauthenticate(client: Client) -> None:
    page = client.get(reverse("account_reauthenticate"))
    assert page.status_code == 200
    assert inline_code(page.content.decode()) == []
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_the_mfa_pages_have_no_inline_code(cast, no_mfa, fresh_cache):
    """allauth's MFA pages (TOTP activation with its QR code, recovery codes) as we render
    them: their scripts are dropped by our layout, the QR code is a data: image (img-src)."""
    client = Client()
    _log_in(client, no_mfa.email)
    _reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert inline_code(html) == []
    assert re.search(r'<img[^>]+src="data:image/svg\+xml', html)

    client = Client()
    _log_in(client, cast.hugo.email)
    _reauthenticate(client)
    assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    for name in (
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert inline_code(response.content.decode()) == [], name


def test_the_admin_has_no_inline_code(staff_without_mfa, settings):
    settings.OPENNRM_REQUIRE_MFA = False
    client = Client()
    client.force_login(staff_without_mfa)
    for path in [
        "/admin/",
        "/admin/core/user/",
        f"/admin/core/user/{staff_without_mfa.pk}/change/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert inline_code(response.content.decode()) == [], path


def test_no_template_of_ours_holds_inline_code():
    from pathlib import Path

    import opennrm

    root = Path(opennrm.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        # Template tags could hide a handler from the HTML parser: look at the source too.
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"\s(on[a-z]+|style)\s*=", text):
            offenders.append(f"{template}: event handler or style attribute")
    assert offenders == []


# Browser cache -------------------------------------------------------------------------------


def test_private_answers_are_not_kept_by_the_browser_and_public_ones_may_be(cast):
    """A shared computer's browser keeps nothing of a signed-in page, an API answer or an
    account page; public pages and static files stay cacheable. (Every signed-in route is
    checked by the authorisation matrix.)"""
    anonymous = Client()
    for path in ("/", "/directory/", "/legal/"):
        assert "no-store" not in anonymous.get(path).get("Cache-Control", ""), path
    for path in ("/api/v1/cases/assessments/1/conclusion", reverse("account_login")):
        assert "no-store" in anonymous.get(path)["Cache-Control"], path
    signed_in = cast.client_for(cast.amina)
    for path in ("/", "/dashboard/", "/api/v1/indicators/catalogues"):
        response = signed_in.get(path)
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path
    static = signed_in.get("/static/opennrm/quick-exit.js")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
