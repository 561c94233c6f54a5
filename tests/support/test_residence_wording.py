"""The residence pages speak of the jurisdiction's own authorities, never of French prefectures
in general: the monitoring page counts per authority, and names the profile's authority types
(France: « Préfecture »; the OSCE model: migration authority); the application form and the
supporting letter follow the profile too."""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from opennrm.support import residence
from opennrm.support.models import ResidenceOutcome, residence_bases
from tests.factories import OrganisationFactory
from tests.support.conftest import acting, client_for, pdf_text, territory

pytestmark = pytest.mark.django_db

# What each shipped profile calls its residence authorities, in English and in French.
EXPECTED = {
    "fr": {"en": "Prefecture", "fr": "Préfecture", "kind": "prefecture"},
    "osce": {
        "en": "Migration authority",
        "fr": "Autorité chargée des migrations",
        "kind": "migration_authority",
    },
}
OLD_WORDING = (
    "Residence applications by prefecture",
    "Outcomes by prefecture and legal basis",
    "Prefecture or authority",
)


@pytest.fixture(params=["fr", "osce"])
def profile(request, settings):
    settings.OPENNRM_PROFILE = request.param
    return request.param


@pytest.fixture
def authority(profile, cast):
    """The residence authority of 93 in this profile, and a refused application lodged there."""
    if profile == "fr":
        return cast.prefecture
    return OrganisationFactory(
        name="Migration authority 93 (fictional)",
        kind="migration_authority",
        territories=[territory("93")],
    )


@pytest.fixture
def refused(cast, presumed, authority):
    request = acting(cast.amina)
    application = residence.apply(
        presumed,
        actor=request,
        basis=residence_bases()[0][0],
        prefecture=authority,
        applied_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    return residence.decide(
        application,
        actor=request,
        outcome=ResidenceOutcome.REFUSED,
        decided_on=timezone.localdate(),
        refusal_reason="incomplete_file",
    )


def _in_language(user, language: str):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _text(pattern: str, content: str) -> str:
    found = re.search(pattern, content, re.S)
    assert found, pattern
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def test_the_monitoring_page_counts_per_authority(profile, cast, authority, refused):
    page = client_for(cast.nadia).get(reverse("web:support_residence_outcomes"))
    assert page.status_code == 200
    content = page.content.decode()
    assert _text(r"<h1>(.*?)</h1>", content) == "Residence applications by authority"
    assert _text(r"<title>(.*?)</title>", content).startswith("Residence applications by authority")
    outcomes = _text(r'<table id="outcomes">(.*?)</table>', content)
    assert outcomes.startswith("Outcomes by authority and legal basis Authority Legal basis")
    assert authority.name in outcomes
    refusals = _text(r'<table id="refusals">(.*?)</table>', content)
    assert refusals.startswith("Reasons given for refusals Authority Reason Refusals")
    assert authority.name in refusals
    assert _text(r'<p id="authorities">(.*?)</p>', content) == (
        f"Authorities: the organisations of type “{EXPECTED[profile]['en']}” in OpenNRM, and "
        "those named in words (for example the asylum office)."
    )
    for old in OLD_WORDING:
        assert old not in content
    if profile == "osce":  # nothing French left on the page
        assert "prefecture" not in content.lower()
        assert "préfecture" not in content.lower()


def test_in_french_the_page_names_the_profiles_authority(profile, cast, refused):
    page = _in_language(cast.nadia, "fr").get(reverse("web:support_residence_outcomes"))
    assert page.status_code == 200
    content = page.content.decode()
    assert EXPECTED[profile]["fr"] in _text(r'<p id="authorities">(.*?)</p>', content)
    heading = _text(r"<h1>(.*?)</h1>", content).lower()
    assert "préfecture" not in heading and "prefecture" not in heading
    if profile == "osce":
        assert "préfecture" not in content.lower()


def test_without_authority_types_the_page_says_authority_only(monkeypatch, cast):
    from opennrm.profiles import loader
    from opennrm.profiles.schema import SupportRules

    profile = loader.load_profile("fr").model_copy(update={"support": SupportRules()})
    monkeypatch.setattr(loader, "load_profile", lambda code: profile)
    content = client_for(cast.louis).get(reverse("web:support_residence_outcomes")).content
    assert b'id="authorities"' not in content
    assert b"Residence applications by authority" in content


def test_the_form_and_the_letter_follow_the_profile(profile, cast, presumed, authority, refused):
    client = client_for(cast.amina)
    page = client.get(reverse("web:support_residence", args=[presumed.reference]))
    assert page.context["form"].fields["prefecture"].label == EXPECTED[profile]["en"]
    content = page.content.decode()
    assert ">Authority</th>" in content
    for old in OLD_WORDING:
        assert old not in content
    detail = client.get(
        reverse("web:support_residence_detail", args=[presumed.reference, refused.pk])
    ).content.decode()
    assert "<dt>Authority</dt>" in detail
    letter = client.get(
        reverse("web:support_residence_letter", args=[presumed.reference, refused.pk]),
        {"language": "en"},
    )
    assert letter.status_code == 200
    text = pdf_text(letter.content)
    assert f"To the contact person for trafficking in human beings {authority.name}" in text
    if profile == "osce":
        assert "prefecture" not in text.lower()
