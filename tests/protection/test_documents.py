"""The leaflet and the reflection period attestation render as PDF, in French and in English;
text is extracted with pypdf and checked."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from opennrm.audit.models import AuditEntry
from tests.protection.conftest import pdf_language, pdf_text, words


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _leaflet(cast, case, **params):
    response = cast.client_for(cast.amina).get(
        reverse("web:leaflet", args=[case.reference]), params
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def test_the_leaflet_in_french(cast, presumed, contact):
    response = _leaflet(cast, presumed, language="fr")
    text = pdf_text(response.content)
    assert pdf_language(response.content) == "fr"
    with translation.override("fr"):
        own_text = (
            gettext("Your rights"),
            gettext(
                "You can be given safe accommodation, away from the place of exploitation if "
                "needed. Accommodation does not depend on filing a complaint or on your "
                "residence status."
            ),
        )
    for sentence in own_text:  # the leaflet's own text goes through the French catalogue
        assert words(sentence) in text, sentence
    for expected in (
        "30",  # reflection period days, from the profile
        "Délai de rétablissement et de réflexion — CESEDA, art. R.425-1 et suivants",
        "Carte de séjour temporaire (plainte ou témoignage) (CESEDA, art. L.425-1)",
        "CESEDA, art. L.425-3",
        "CESEDA, art. L.425-4",
        "Non-sanction des victimes",
        "art. 26",
        "En danger immédiat : appelez le 17",
        "Fictional THB contact post, foreigners office",
        "01 00 00 00 00",
    ):
        assert words(expected) in text, expected
    assert 'filename="leaflet-93-fr.pdf"' in response["Content-Disposition"]


def test_the_leaflet_in_english(cast, presumed, contact):
    text = pdf_text(_leaflet(cast, presumed, language="en").content)
    for expected in (
        "Your rights",
        "You are entitled to a recovery and reflection period of 30 days.",
        "Recovery and reflection period — CESEDA, art. R.425-1 et suivants",
        "Temporary residence card (complaint or testimony) (CESEDA, art. L.425-1)",
        "Resident card after final conviction (CESEDA, art. L.425-3)",
        "Residence permit (exit-from-prostitution pathway) (CESEDA, art. L.425-4)",
        "Non-punishment of victims",
        "Accommodation does not depend on filing a complaint or on your residence status.",
        "compensation for all the harm you suffered, including unpaid wages",
        "legal aid",
        "In immediate danger: call 17",
        "Fictional THB contact post, foreigners office",
        "it contains no personal information about you",
    ):
        assert words(expected) in text, expected


def test_the_leaflet_holds_no_personal_data(cast, presumed, contact):
    text = pdf_text(_leaflet(cast, presumed, language="en").content)
    person = presumed.person
    for secret in (person.given_names, person.family_name, person.pseudonym, presumed.reference):
        assert secret not in text
    entry = AuditEntry.objects.get(action="document.leaflet")
    assert entry.details == {"requested": "en", "language": "en"}


def test_a_language_without_translation_falls_back_with_a_note(cast, presumed):
    # Hindi has no leaflet: the worker is first told which language is given instead
    # (tests/protection/test_leaflet_languages.py), then downloads it from that warning.
    response = _leaflet(cast, presumed, language="hi", fallback="en", given_instead="en")
    text = pdf_text(response.content)
    assert pdf_language(response.content) == "en"
    assert "This leaflet is not yet available in Hindi: it is printed in English." in text
    assert "right to an interpreter" in text
    french = _leaflet(cast, presumed, language="hi", fallback="fr", given_instead="fr")
    assert pdf_language(french.content) == "fr"
    assert "En danger immédiat" in pdf_text(french.content)


def test_an_unknown_language_code_is_not_found(cast, presumed):
    response = cast.client_for(cast.amina).get(
        reverse("web:leaflet", args=[presumed.reference]), {"language": "zz"}
    )
    assert response.status_code == 404
    assert cast.client_for(None).get("/leaflet/zz/").status_code == 404


def test_the_public_leaflet_has_no_local_contacts(cast, contact):
    response = cast.client_for(None).get(reverse("web:public_leaflet", args=["en"]))
    text = pdf_text(response.content)
    assert "30 days" in text
    assert "Fictional THB contact post" not in text
    assert "http://testserver/directory/" in text
    assert "public" in response["Cache-Control"]


def test_the_public_leaflet_follows_the_osce_profile(db, settings):
    settings.OPENNRM_PROFILE = "osce"
    from django.test import Client

    text = pdf_text(Client().get(reverse("web:public_leaflet", args=["en"])).content)
    for expected in (
        "You are entitled to a recovery and reflection period of 90 days.",
        "Council of Europe Convention on Action against Trafficking in Human Beings, art. 13",
        "Residence permit (Council of Europe Convention",
        "Compensation and legal redress",
        "In immediate danger: call 112",
    ):
        assert words(expected) in text, expected
    assert "CESEDA" not in text


# Attestation ------------------------------------------------------------------------------


def _attestation(cast, case, user=None, **params):
    return cast.client_for(user or cast.amina).get(
        reverse("web:reflection_attestation", args=[case.reference]), params
    )


def test_the_attestation_in_french_names_the_person_and_is_audited(cast, presumed):
    response = _attestation(cast, presumed, language="fr")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert presumed.reference not in response["Content-Disposition"]
    text = pdf_text(response.content)
    period = presumed.reflection_periods.get()
    person = presumed.person
    assert pdf_language(response.content) == "fr"
    with translation.override("fr"):
        start = date_format(period.starts_on, "DATE_FORMAT")
        end = date_format(period.ends_on, "DATE_FORMAT")
        title = gettext("Attestation: recovery and reflection period")
    for expected in (
        title,
        presumed.reference,
        start,
        end,
        f"{person.given_names} {person.family_name}",
        cast.association.name,
        "Délai de rétablissement et de réflexion — CESEDA, art. R.425-1 et suivants",
        "30",
        period.starts_on.strftime("%Y"),
        "Roumanie",  # the nationality, named by its country in the document's language
    ):
        assert words(expected) in text, expected
    entry = AuditEntry.objects.get(action="document.reflection_attestation")
    assert entry.object_id == str(presumed.pk)
    assert entry.details == {"period": period.pk, "language": "fr"}
    assert entry.actor == cast.amina
    assert AuditEntry.objects.filter(action="person.read_identity").exists()


def test_the_attestation_in_english(cast, presumed):
    text = pdf_text(_attestation(cast, presumed, language="en").content)
    assert "Roumanie" not in text
    period = presumed.reflection_periods.get()
    with translation.override("en"):
        start = date_format(period.starts_on, "DATE_FORMAT")
        end = date_format(period.ends_on, "DATE_FORMAT")
    for expected in (
        "Attestation: recovery and reflection period",
        presumed.reference,
        f"Recovery and reflection period: from {start} to {end} (30 days).",
        "Legal basis: Recovery and reflection period — CESEDA, art. R.425-1 et suivants",
        "does not depend on the person's cooperation with the authorities",
        "Romania",  # in the document's language, whatever the interface's (French here)
    ):
        assert words(expected) in text, expected


def test_every_download_is_audited(cast, presumed):
    _attestation(cast, presumed, language="en")
    _attestation(cast, presumed, user=cast.hugo, language="en")
    entries = AuditEntry.objects.filter(action="document.reflection_attestation")
    assert [entry.actor for entry in entries.order_by("id")] == [cast.amina, cast.hugo]


def test_no_attestation_without_a_reflection_period(cast, assessed):
    assert _attestation(cast, assessed).status_code == 404
    assert not AuditEntry.objects.filter(action="document.reflection_attestation").exists()


def test_no_attestation_without_the_persons_name(cast, presumed):
    person = presumed.person
    person.given_names = person.family_name = ""
    person.save()
    response = _attestation(cast, presumed)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:protection", args=[presumed.reference])
    assert not AuditEntry.objects.filter(action="document.reflection_attestation").exists()
