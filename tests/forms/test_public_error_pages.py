"""The public report's error pages are the site's own: in the visitor's language (French by
default), with the quick exit; a CSRF failure brings the report form back filled with what was
typed, and stores nothing."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from opennrm.detection.models import Concern

TYPED = "Une voisine travaille jour et nuit chez M. X, sans salaire.\nElle ne sort jamais."


def _client_with_token() -> tuple[Client, str]:
    """A visitor who opened the report form: a CSRF cookie, and the form's token."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("web:report")).content.decode()
    return client, page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def _assert_site_page(response, status: int, language: str = "fr") -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert "data-quick-exit" in body
    return body


@pytest.mark.django_db
def test_a_csrf_failure_on_the_report_shows_the_typed_text_back_and_stores_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("web:report"),
        {"description": TYPED, "commune": "Bobigny", "website": "", "submission": "k" * 32},
    )
    body = _assert_site_page(response, 403)
    assert "Votre signalement n’a pas été envoyé" in body or "expir" in body
    assert "Une voisine travaille jour et nuit chez M. X, sans salaire." in body
    assert "Elle ne sort jamais." in body
    assert "Bobigny" in body
    assert "k" * 32 not in body  # a fresh submission key
    assert 'name="csrfmiddlewaretoken"' in body  # a fresh token: sending again works
    assert "Forbidden" not in body
    assert Concern.objects.count() == 0


@pytest.mark.django_db
def test_the_report_sent_again_after_a_csrf_failure_goes_through():
    client = Client(enforce_csrf_checks=True)
    failed = client.post(reverse("web:report"), {"description": TYPED})
    token = failed.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    client.post(reverse("web:report"), {"description": TYPED, "csrfmiddlewaretoken": token})
    assert Concern.objects.count() in (0, 1)  # the form's other checks may still refuse it
    # What matters here: the token of the page shown back is accepted (no second 403).
    again = client.post(reverse("web:report"), {"csrfmiddlewaretoken": token})
    assert again.status_code != 403


@pytest.mark.django_db
def test_a_csrf_failure_elsewhere_is_the_sites_page_in_english_when_chosen():
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("web:report_thanks"), {"x": "1"})
    body = _assert_site_page(response, 403, "en")
    assert "The page had expired" in body
    assert "Forbidden" not in body


@pytest.mark.django_db
def test_too_many_fields_on_the_report_is_the_sites_400_page():
    client, token = _client_with_token()
    fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(
        reverse("web:report"), {"description": TYPED, "csrfmiddlewaretoken": token, **fields}
    )
    body = _assert_site_page(response, 400)
    assert "Bad Request" not in body
    assert "Rien n’a été enregistré" in body or "Rien n'a été enregistré" in body
    assert Concern.objects.count() == 0


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_a_body_too_large_for_the_server_is_the_sites_400_page():
    client, token = _client_with_token()
    response = client.post(
        reverse("web:report"), {"description": "x" * 5000, "csrfmiddlewaretoken": token}
    )
    body = _assert_site_page(response, 400)
    assert "Bad Request" not in body
    assert Concern.objects.count() == 0
