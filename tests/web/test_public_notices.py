"""The pages French public services must have (issue 17, point 7): the accessibility
statement with its compliance status in the footer, the legal notice, the personal-data
notice, filled from the instance's settings and the profile; the display settings dialog."""

import datetime
import importlib
import os
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOTICES = ("web:accessibility", "web:legal", "web:personal_data")


def page(name: str, language: str = "en") -> str:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", NOTICES)
def test_each_notice_has_the_quick_exit_and_the_footer_links(name, settings):
    html = page(name)
    assert "data-quick-exit" in html
    for target in NOTICES:
        assert f'href="{reverse(target)}"' in html
    assert 'aria-controls="fr-theme-modal"' in html  # the display settings, from the footer
    assert 'id="fr-theme-modal"' in html
    for scheme in ("light", "dark", "system"):
        assert f'value="{scheme}" type="radio" id="fr-radios-theme-{scheme}"' in html


def test_the_footer_shows_the_compliance_status(settings):
    settings.OPENNRM_ACCESSIBILITY_STATUS = "partially_compliant"
    settings.LANGUAGE_CODE = "fr"
    html = page("web:home", "fr")
    assert "Accessibilité\u00a0: partiellement conforme" in html
    settings.OPENNRM_ACCESSIBILITY_STATUS = "non_compliant"
    assert "Accessibilité\u00a0: non conforme" in page("web:home", "fr")


def test_the_accessibility_statement(settings):
    settings.OPENNRM_PUBLISHER = "Ministère fictif de l’Intérieur"
    settings.OPENNRM_ACCESSIBILITY_DATE = "2026-11-30"
    settings.OPENNRM_ACCESSIBILITY_CONTACT = "a11y@example.invalid"
    html = page("web:accessibility")
    assert "Ministère fictif de l’Intérieur undertakes to make this service accessible" in html
    assert "RGAA" in html
    assert "partially compliant" in html
    assert "30 November 2026" in html
    assert "mailto:a11y@example.invalid" in html
    assert "Défenseur des droits" in html


def test_the_accessibility_statement_under_the_osce_profile(settings):
    settings.OPENNRM_PROFILE = "osce"
    html = page("web:accessibility")
    assert "WCAG" in html
    assert "RGAA" not in html and "Défenseur" not in html


def test_the_legal_notice_names_publisher_director_and_host(settings):
    settings.OPENNRM_PUBLISHER = "Fictional Ministry"
    settings.OPENNRM_PUBLISHER_ADDRESS = "1 Fictional Road"
    settings.OPENNRM_PUBLICATION_DIRECTOR = "Jane Fictional, minister"
    settings.OPENNRM_HOST_NAME = "Fictional Cloud"
    settings.OPENNRM_HOST_ADDRESS = "2 Hosting Street"
    html = page("web:legal")
    for text in (
        "Publisher",
        "Fictional Ministry",
        "1 Fictional Road",
        "Publication director",
        "Jane Fictional, minister",
        "Host",
        "Fictional Cloud",
        "2 Hosting Street",
        "EUPL-1.2",
    ):
        assert text in html


def test_the_personal_data_notice(settings):
    settings.OPENNRM_DATA_CONTROLLER = "Fictional Controller"
    settings.OPENNRM_DPO_EMAIL = "dpo@example.invalid"
    html = page("web:personal_data")
    for text in (
        "Data controller",
        "Fictional Controller",
        "Purposes and legal bases",
        "art. 6(1)(e)",
        "Recipients",
        "Retention",
        "24 months",
        "Your rights",
        "mailto:dpo@example.invalid",
        "CNIL",
    ):
        assert text in html


def test_the_personal_data_notice_under_the_osce_profile(settings):
    settings.OPENNRM_PROFILE = "osce"
    html = page("web:personal_data")
    assert "CNIL" not in html
    assert "the data protection supervisory authority of your country" in html


def test_the_controller_is_the_publisher_unless_set(settings):
    settings.OPENNRM_DATA_CONTROLLER = ""
    settings.OPENNRM_PUBLISHER = "Fictional Publisher"
    assert "Fictional Publisher" in page("web:personal_data")


def _settings_with(**environ: str):
    import config.settings.base as base

    with mock.patch.dict(os.environ, environ):
        return importlib.reload(base)


def test_the_notices_are_read_from_the_environment():
    import config.settings.base as base

    try:
        reloaded = _settings_with(
            OPENNRM_PUBLISHER="Env Publisher",
            OPENNRM_PUBLICATION_DIRECTOR="Env Director",
            OPENNRM_HOST_NAME="Env Host",
            OPENNRM_HOST_ADDRESS="Env Address",
            OPENNRM_DPO_EMAIL="dpo@env.invalid",
            OPENNRM_ACCESSIBILITY_STATUS="non_compliant",
            OPENNRM_ACCESSIBILITY_DATE="2026-01-02",
        )
        assert reloaded.OPENNRM_PUBLISHER == "Env Publisher"
        assert reloaded.OPENNRM_PUBLICATION_DIRECTOR == "Env Director"
        assert reloaded.OPENNRM_HOST_NAME == "Env Host"
        assert reloaded.OPENNRM_HOST_ADDRESS == "Env Address"
        assert reloaded.OPENNRM_DPO_EMAIL == "dpo@env.invalid"
        assert reloaded.OPENNRM_ACCESSIBILITY_STATUS == "non_compliant"
        with pytest.raises(ImproperlyConfigured):
            _settings_with(OPENNRM_ACCESSIBILITY_STATUS="conformish")
        with pytest.raises(ImproperlyConfigured):
            _settings_with(OPENNRM_ACCESSIBILITY_DATE="30/11/2026")
    finally:
        importlib.reload(base)


def test_the_demo_defaults_say_they_are_fictional():
    import config.settings.base as base

    for name in ("OPENNRM_PUBLISHER", "OPENNRM_PUBLICATION_DIRECTOR", "OPENNRM_HOST_NAME"):
        if name not in os.environ:
            assert "fictional" in getattr(base, name), name
    assert datetime.date.fromisoformat(base.OPENNRM_ACCESSIBILITY_DATE)
