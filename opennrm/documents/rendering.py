"""HTML templates to PDF with WeasyPrint: A4, tagged (PDF/UA), system fonts, no network."""

import logging
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine
from django.utils import translation

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SOURCE_LANGUAGE = "en"  # source strings are English: English always exists

# WeasyPrint reports every rendering step at INFO: keep the application's logs readable.
# (Set before WeasyPrint is first imported, which already parses its default stylesheets.)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@cache
def _no_fetching() -> Any:
    """A URL fetcher that refuses everything: documents are self-contained, no network."""
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"Documents do not fetch external resources ({url[:40]})")

    return NoFetching()


@cache
def _engine(extra_dirs: tuple[str, ...] = ()) -> Engine:
    # Loaded by path: the documents package is not an installed app. Other steps add their
    # own template folder in front and reuse documents/base.html.
    return Engine(
        dirs=[*extra_dirs, str(TEMPLATES_DIR)],
        app_dirs=False,
        autoescape=True,
        libraries={"i18n": "django.templatetags.i18n"},
    )


def render_html(
    template_name: str, context: dict[str, Any], language: str, extra_dirs: tuple[str, ...] = ()
) -> str:
    with translation.override(language):
        template = _engine(extra_dirs).get_template(template_name)
        return template.render(Context({**context, "LANGUAGE_CODE": language}))


def render_pdf(
    template_name: str, context: dict[str, Any], language: str, extra_dirs: tuple[str, ...] = ()
) -> bytes:
    """Render a template (of opennrm/documents/templates/, or of `extra_dirs`) to PDF."""
    # Imported here: WeasyPrint is heavy, and only document views need it.
    from weasyprint import HTML

    html = render_html(template_name, context, language, extra_dirs)
    pdf: bytes = HTML(string=html, url_fetcher=_no_fetching()).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def available_languages() -> list[str]:
    """Languages a document can be printed in: OpenNRM has a message catalogue for them."""
    found = {SOURCE_LANGUAGE}
    for path in map(Path, settings.LOCALE_PATHS):
        if path.is_dir():
            found.update(
                entry.name
                for entry in path.iterdir()
                if (entry / "LC_MESSAGES" / "django.mo").is_file()
            )
    return sorted(found)


def resolve_language(requested: str, fallback: str) -> tuple[str, bool]:
    """The language to print in, and whether it is the fallback (no translation exists)."""
    languages = available_languages()
    if requested in languages:
        return requested, False
    if fallback in languages:
        return fallback, True
    return SOURCE_LANGUAGE, True


def language_name(code: str) -> str:
    """A language's name in the active language, with its own name when it differs."""
    try:
        info = translation.get_language_info(code)
    except KeyError:
        from opennrm.cases import reference_data

        return reference_data.language_name(code)
    name, local = str(info["name_translated"]), str(info["name_local"])
    return name if name.casefold() == local.casefold() else f"{name} ({local})"
