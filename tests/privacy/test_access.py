"""Who reaches which page of data protection: every URL of opennrm.web.privacy.urls × the cast,
without any exceptional access. Outsiders get 404, never 403; anonymous visitors go to the
login page. A new URL without an expectation here fails the first test."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from opennrm.web.privacy import urls as privacy_urls
from tests.privacy.conftest import client_for, open_access

PERSONAS = (
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
ADMINISTRATORS = {"amina": 200, "louis": 200, "sophie": 200, "ines": 200, "yasmine": 200}

# URL name -> (method, {persona: status}); personas not named get 404.
EXPECTED: dict[str, tuple[str, dict[str, int]]] = {
    # Administrators (their organisation's cases), the holders, the DPO.
    "privacy_exceptional_access": ("get", {**ADMINISTRATORS, "nadia": 200, "robert": 200}),
    "privacy_exceptional_access_new": ("get", {"nadia": 200, "robert": 200}),
    # Closing: the holder (Nadia here) and the DPO; a GET is refused to everyone.
    "privacy_exceptional_access_revoke": ("post", {"nadia": 302, "robert": 302}),
    # The person's rights: the owner's administrator only (without exceptional access).
    "privacy_person_rights": ("get", {"amina": 200}),
    "privacy_subject_access_json": ("get", {"amina": 200}),
    "privacy_subject_access_pdf": ("get", {"amina": 200}),
    "privacy_subject_access_archive": ("get", {"amina": 200}),
    "privacy_rectification": ("get", {"amina": 200}),
    # The DPO's pages.
    "privacy_retention": ("get", {"robert": 200}),
    # The audit trail and its export: tests/web/test_access.py (opennrm.web.audit).
}


def test_every_url_has_an_expectation():
    assert {pattern.name for pattern in privacy_urls.urlpatterns} == set(EXPECTED)


def _url(name: str, case, grant) -> str:
    if name == "privacy_exceptional_access_revoke":
        return reverse(f"web:{name}", args=[grant.pk])
    if name.startswith(("privacy_person", "privacy_subject", "privacy_rectification")):
        return reverse(f"web:{name}", args=[case.reference])
    return reverse(f"web:{name}")


@pytest.mark.parametrize("persona", ("anonymous", *PERSONAS))
@pytest.mark.parametrize("name", list(EXPECTED))
def test_access(cast, case, name, persona):
    # A grant of Nadia's to close; it does not open the rights pages (not the DPO's).
    grant = open_access(cast.nadia, case)
    method, expected = EXPECTED[name]
    url = _url(name, case, grant)
    user = None if persona == "anonymous" else getattr(cast, persona)
    response = getattr(client_for(user), method)(url)
    if persona == "anonymous":
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("account_login")
        assert parse_qs(location.query)["next"] == [url]
    else:
        assert response.status_code == expected.get(persona, 404), response.get("Location")
    assert response.status_code != 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_closing_takes_only_a_post(cast, case, persona):
    grant = open_access(cast.nadia, case)
    url = reverse("web:privacy_exceptional_access_revoke", args=[grant.pk])
    assert client_for(getattr(cast, persona)).get(url).status_code == 405


def test_an_unknown_case_is_not_found_like_a_foreign_one(cast):
    for name in ("privacy_person_rights", "privacy_subject_access_json", "privacy_rectification"):
        url = reverse(f"web:{name}", args=["C-0000-0000"])
        assert client_for(cast.amina).get(url).status_code == 404
