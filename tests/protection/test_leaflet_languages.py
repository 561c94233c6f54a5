"""The leaflet in the person's language: its text per language (data), every script rendered
with all its glyphs, Arabic right to left, the translation status on the document, and no
silent fallback: the worker is told which language is given instead, and the record and the
case page show the language actually given."""

import io
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from opennrm.audit.models import AuditEntry
from opennrm.documents.leaflet import leaflet_html, render_leaflet
from opennrm.documents.leaflets import (
    DATA_DIR,
    SOURCE,
    LeafletError,
    leaflet_languages,
    load_leaflets,
)
from tests.protection.conftest import client_in_english, pdf_language, pdf_text, words

REQUIRED = (
    "fr", "en", "ro", "bg", "es", "pt", "zh", "vi", "ar", "sq", "ru", "uk", "ti", "pcm",
)  # fmt: skip
OUTSIDERS = ("yasmine", "claire", "louis", "sophie", "ines", "nadia", "robert", "paul")
DIRECTORY = "http://testserver/directory/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


# The data ----------------------------------------------------------------------------------


def test_every_required_language_has_every_section():
    leaflets = load_leaflets()
    assert set(REQUIRED) <= set(leaflets)
    source = leaflets[SOURCE]
    for code, leaflet in leaflets.items():
        assert set(leaflet.text) == set(source.text), code
        assert len(leaflet.summary_points) == len(source.summary_points), code
        assert leaflet.status in ("reviewed", "to_be_reviewed"), code
    # Nobody has had these translations reviewed yet: the documents must say so.
    assert all(not leaflet.reviewed for leaflet in leaflets.values())
    assert leaflets["ar"].direction == "rtl"
    assert leaflets["pcm"].lang == "en"  # the plain-English version for Pidgin readers


def _copy_with(tmp_path, code, replace, by):
    for path in DATA_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / f"{code}.toml"
    text = target.read_text(encoding="utf-8")
    assert replace in text
    target.write_text(text.replace(replace, by), encoding="utf-8")


def test_the_loader_names_a_missing_section(tmp_path):
    _copy_with(tmp_path, "ro", 'asylum = "', 'asylum_typo = "')
    with pytest.raises(LeafletError, match=r"ro\.toml: missing keys \['asylum'\]"):
        load_leaflets(tmp_path)


def test_the_loader_names_a_lost_placeholder(tmp_path):
    _copy_with(tmp_path, "bg", "{days} дни.", "30 дни.")
    with pytest.raises(LeafletError, match=r"bg\.toml: text\.reflection_days .*days"):
        load_leaflets(tmp_path)


def test_the_loader_refuses_an_unknown_status(tmp_path):
    _copy_with(tmp_path, "vi", 'status = "to_be_reviewed"', 'status = "fine"')
    with pytest.raises(LeafletError, match=r"vi\.toml: status"):
        load_leaflets(tmp_path)


# Glyphs ------------------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a document shows: its body's text nodes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("head", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def shown_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def missing_characters(source: str, pdf: bytes) -> set[str]:
    """Characters of `source` that the PDF does not give back. A glyph missing from the
    fonts is drawn as .notdef, which has no Unicode mapping: extracting the text loses the
    character (pypdf reads each glyph's ToUnicode mapping). Characters are compared as sets,
    so the visual order of right-to-left text does not matter."""
    reader = PdfReader(io.BytesIO(pdf))
    extracted = "".join(page.extract_text() for page in reader.pages)
    return {char for char in source if not char.isspace()} - set(extracted)


@pytest.mark.parametrize("code", leaflet_languages())
def test_every_language_renders_with_all_its_glyphs(code, db):
    html, leaflet = leaflet_html(code, directory_url=DIRECTORY)
    pdf, printed = render_leaflet(code, "en", directory_url=DIRECTORY)
    assert printed == code
    assert pdf_language(pdf) == leaflet.lang
    assert missing_characters(shown_text(html), pdf) == set()
    text = pdf_text(pdf)
    assert words(leaflet.text["title"]) in text or leaflet.direction == "rtl"
    if leaflet.direction == "ltr":  # whole sentences, in reading order
        assert words(leaflet.text["safety_body"]) in text


def test_the_check_fails_when_a_script_has_no_font(db, tmp_path):
    """Chinese rendered with a Latin-only font (fontconfig given DejaVu alone, in another
    process): the check above finds the missing glyphs."""
    html, _leaflet = leaflet_html("zh", directory_url=DIRECTORY)
    if not Path("/usr/share/fonts/truetype/dejavu").is_dir():
        pytest.skip("DejaVu fonts are not installed")
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    script = (
        "import sys; from weasyprint import HTML; "
        "sys.stdout.buffer.write(HTML(string=sys.stdin.read()).write_pdf())"
    )
    result = subprocess.run(  # noqa: S603 — fixed arguments, this Python and WeasyPrint
        [sys.executable, "-c", script],
        input=html.encode(),
        capture_output=True,
        env={**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")},
        check=True,
        timeout=120,
    )
    missing = missing_characters(shown_text(html), result.stdout)
    assert "权" in missing and "利" in missing


def test_the_arabic_leaflet_is_right_to_left(db):
    html, leaflet = leaflet_html("ar", directory_url=DIRECTORY)
    assert '<html lang="ar" dir="rtl">' in html
    assert "Noto Sans Arabic" in html  # the font stack names the script's font
    pdf, _printed = render_leaflet("ar", "en", directory_url=DIRECTORY)
    assert pdf_language(pdf) == "ar"
    assert words(leaflet.text["data_protection"]) in pdf_text(pdf).replace("\n", " ") or (
        missing_characters(leaflet.text["data_protection"], pdf) == set()
    )


def test_the_translation_status_is_on_the_document_for_the_person_and_the_worker(db):
    text = pdf_text(render_leaflet("ro", "en", directory_url=DIRECTORY)[0])
    assert "Traducere: de verificat de un traducător profesionist" in text
    assert words("Traduction : à faire relire par un traducteur professionnel (Română)") in text
    assert "Translation: to be reviewed by a professional translator (Română)" in text
    # The summary of rights, in the person's language, with the profile's period.
    assert "Pe scurt" in text
    assert "{days}" not in text and "30 de zile" in text


# The worker's journey, with the persona cast -------------------------------------------


def _record(cast, case, **values):
    data = {
        "given_on": timezone.localdate().isoformat(),
        "interpreter_service": "",
        "leaflet_given": "on",
        **values,
    }
    client = client_in_english(cast, cast.amina)
    return client.post(reverse("web:rights", args=[case.reference]), data)


def test_the_field_worker_gives_the_leaflet_in_tigrinya(cast, presumed, contact):
    client = client_in_english(cast, cast.amina)
    url = reverse("web:leaflet", args=[presumed.reference])
    response = client.get(url, {"language": "ti", "fallback": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert pdf_language(response.content) == "ti"
    assert "መሰላትኩም" in pdf_text(response.content)  # "Your rights"
    assert "leaflet-93-ti.pdf" in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="document.leaflet").get()
    assert entry.details == {"requested": "ti", "language": "ti"}

    response = _record(cast, presumed, language="ti", leaflet_language="ti")
    assert response.status_code == 302
    info = presumed.rights_information.get()
    assert (info.language, info.leaflet_language, info.interpreter) == ("ti", "ti", False)
    page = client.get(reverse("web:rights", args=[presumed.reference])).content.decode()
    assert "Tigrinya — ትግርኛ" in page
    case_page = client.get(reverse("web:case", args=[presumed.reference]))
    assert "leaflet given in Tigrinya — ትግርኛ" in case_page.content.decode()


def test_a_language_without_a_leaflet_is_announced_and_the_language_given_recorded(cast, presumed):
    client = client_in_english(cast, cast.amina)
    url = reverse("web:leaflet", args=[presumed.reference])
    response = client.get(url, {"language": "hi", "fallback": "en"})
    # Not a silent fallback: back to the rights page, which says what will be given.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:rights", args=[presumed.reference]))
    assert not AuditEntry.objects.filter(action="document.leaflet").exists()
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "There is no leaflet in Hindi" in content
    assert "The leaflet will be given in English" in content
    form = page.context["form"]
    assert form.initial["language"] == "hi"
    assert form.initial["leaflet_language"] == "en"
    download = page.context["given_instead"]["url"]
    pdf = client.get(download)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf_language(pdf.content) == "en"
    assert "This leaflet is not yet available in Hindi" in pdf_text(pdf.content)
    assert AuditEntry.objects.get(action="document.leaflet").details == {
        "requested": "hi",
        "language": "en",
    }

    response = _record(
        cast,
        presumed,
        language="hi",
        leaflet_language="en",
        interpreter="on",
        interpreter_service="Fictional interpreting agency",
    )
    assert response.status_code == 302
    info = presumed.rights_information.get()
    assert (info.language, info.leaflet_language, info.interpreter) == ("hi", "en", True)
    page = client.get(reverse("web:rights", args=[presumed.reference])).content.decode()
    assert "not in the language used" in page
    event = presumed.events.get(kind="rights.informed")
    assert event.details == {"language": "hi", "interpreter": True, "leaflet_language": "en"}
    case_page = client.get(reverse("web:case", args=[presumed.reference])).content
    assert "leaflet given in English, through an interpreter" in case_page.decode()


def test_the_record_offers_every_leaflet_language(cast, presumed):
    page = client_in_english(cast, cast.amina).get(reverse("web:rights", args=[presumed.reference]))
    offered = {code for code, _label in page.context["form"].fields["leaflet_language"].choices}
    assert set(REQUIRED) <= offered
    assert "translation to be reviewed" in page.content.decode()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_another_organisations_case_leaflet(cast, presumed, persona):
    client = cast.client_for(getattr(cast, persona))
    url = reverse("web:leaflet", args=[presumed.reference])
    for params in (
        {"language": "ti"},
        {"language": "hi", "fallback": "en", "given_instead": "en"},
    ):
        assert client.get(url, params).status_code == 404
    rights = reverse("web:rights", args=[presumed.reference])
    assert client.get(rights, {"language": "hi"}).status_code == 404
