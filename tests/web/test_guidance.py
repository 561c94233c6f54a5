"""Public guidance by sector (issue 17, point 1): the index and the sector pages for anyone,
with the quick exit, the report form, the directory by local unit and the profile's emergency
numbers; the one-page poster of each sector in each language; the OSCE profile's own words."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from opennrm.documents.guidance import PosterContacts, render_sector_poster
from opennrm.profiles.guidance import SECTORS, load_guidance

pytestmark = pytest.mark.django_db


def get(path: str, language: str = "en") -> str:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_home_page_and_the_footer_link_the_guidance(territories):
    html = get("/")
    assert 'id="home-guidance" href="/guidance/"' in html
    assert 'id="footer-guidance" href="/guidance/"' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_index_links_every_sector(territories, language):
    html = get(reverse("web:guidance"), language)
    assert "data-quick-exit" in html
    for sector, page in load_guidance("fr")[language].items():
        assert f'href="{reverse("web:guidance_sector", args=[sector])}"' in html
        assert page.title.replace("’", "&#x27;") in html or page.title in html


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("sector", SECTORS)
def test_a_sector_page_says_what_to_notice_do_and_whom_to_contact(territories, language, sector):
    page = load_guidance("fr")[language][sector]
    html = get(reverse("web:guidance_sector", args=[sector]), language)
    assert "data-quick-exit" in html
    assert f"<h1>{page.title}</h1>" in html
    for line in (*page.signs, *page.do, *page.dont):
        assert f"<li>{line}</li>" in html
    assert f'id="guidance-report" href="{reverse("web:report")}"' in html
    assert f'action="{reverse("web:directory")}"' in html
    assert '<option value="93">93 — Seine-Saint-Denis</option>' in html
    assert 'href="tel:17"' in html and 'href="tel:119"' in html
    assert f'href="{reverse("web:guidance_poster", args=[sector])}"' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert ' lang="' not in main  # the text is in the page's language


def test_an_unknown_sector_is_not_found(territories):
    assert Client().get("/guidance/fishing/").status_code == 404
    assert Client().get("/guidance/fishing/poster/").status_code == 404


def test_the_osce_profile_speaks_of_its_own_local_unit_and_numbers(territories, settings):
    settings.OPENNRM_PROFILE = "osce"
    html = get(reverse("web:guidance_sector", args=["construction"]), "en")
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "District" in main and "All districts" in main
    assert "épartement" not in main
    assert 'href="tel:112"' in main and 'href="tel:17"' not in main


def test_a_language_without_text_shows_the_default_one_marked_as_such(territories, settings):
    settings.OPENNRM_PROFILE = "osce"  # English text only
    html = get(reverse("web:guidance_sector", args=["construction"]), "fr")
    assert 'lang="en"' in html
    assert "Construction and building sites" in html


def test_the_sector_page_query_count(territories, django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(1):  # the local units of the directory selector
        assert client.get(reverse("web:guidance_sector", args=["cleaning"])).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(reverse("web:guidance")).status_code == 200


def poster_pages(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return len(reader.pages), text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_poster_is_one_page(language):
    contacts = PosterContacts(
        report_url="https://opennrm.example.invalid/report/",
        directory_url="https://opennrm.example.invalid/directory/",
        emergency_numbers=(("17", "Police"), ("112", "European emergency number")),
        profile_name="France",
        profile_version="2026.6",
    )
    for sector, page in load_guidance("fr")[language].items():
        count, text = poster_pages(render_sector_poster(page, contacts))
        assert count == 1, f"{sector} ({language}): {count} pages"
        assert " ".join(page.title.split()) in text
        assert "opennrm.example.invalid/report/" in text


def test_the_poster_view(territories):
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("web:guidance_poster", args=["agriculture"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    count, text = poster_pages(response.content)
    assert count == 1
    assert "Agriculture and seasonal farm work" in text
    assert "http://testserver/report/" in text
    assert "112" in text and "119" in text
