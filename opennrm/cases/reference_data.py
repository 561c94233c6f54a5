"""Countries and languages (ISO codes) from pycountry, named in the active language.

Names come from the translations pycountry ships (Debian's iso-codes catalogues, `iso3166-1`
and `iso639-3`, [ADR 0019](../../docs/adr/0019-country-and-language-names.md)); the short
name a country is commonly called ("Corée du Sud", "Iran") is preferred to its official ISO
name ("Corée, République de"). Choices are sorted as a reader expects: case and accents
ignored ("Égypte" with the E). Each language's lists are built once (cached per language code).

A nationality is shown as the name of its country: no catalogue names demonyms in every
language, and "Nationality: Romania" reads the same whatever the grammar.
"""

import gettext
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

import pycountry
from django.utils import translation


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def language_codes() -> frozenset[str]:
    return frozenset(
        getattr(language, "alpha_2", None) or language.alpha_3 for language in pycountry.languages
    )


def invalid_countries(codes: Iterable[str]) -> list[str]:
    return [code for code in codes if code not in country_codes()]


def invalid_languages(codes: Iterable[str]) -> list[str]:
    return [code for code in codes if code not in language_codes()]


def sort_key(name: str) -> str:
    """A name as it sorts: accents and case ignored ("Égypte" sorts with "Egypte")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _language(language: str | None) -> str:
    """The two-letter code of `language`, else of the active language."""
    code = language or translation.get_language() or "en"
    return code.split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=32)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    # fallback: English, which is the catalogues' own language, needs none.
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


@lru_cache(maxsize=16)
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    catalogue = _catalogue("iso3166-1", language)
    names = (
        (country.alpha_2, catalogue.gettext(getattr(country, "common_name", None) or country.name))
        for country in pycountry.countries
    )
    return tuple(sorted(names, key=lambda item: (sort_key(item[1]), item[0])))


@lru_cache(maxsize=16)
def _languages(language: str) -> tuple[tuple[str, str], ...]:
    catalogue = _catalogue("iso639-3", language)
    names = (
        (language_.alpha_2, _capitalised(catalogue.gettext(language_.name)))
        for language_ in pycountry.languages
        if getattr(language_, "alpha_2", None)
    )
    return tuple(sorted(names, key=lambda item: (sort_key(item[1]), item[0])))


@lru_cache(maxsize=16)
def _all_languages(language: str) -> dict[str, str]:
    """Every language code's name, with the three-letter ones a record may hold."""
    catalogue = _catalogue("iso639-3", language)
    return {
        getattr(lang, "alpha_2", None) or lang.alpha_3: _capitalised(catalogue.gettext(lang.name))
        for lang in pycountry.languages
    }


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(alpha-2 code, name) of every country, in `language` (else the active one), sorted."""
    return list(_countries(_language(language)))


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(ISO 639-1 code, name) of every language that has one, in `language`, sorted."""
    return list(_languages(_language(language)))


@lru_cache(maxsize=16)
def _country_names(language: str) -> dict[str, str]:
    return dict(_countries(language))


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (else the active one); the code itself if unknown."""
    return _country_names(_language(language)).get(code, code)


def language_name(code: str, language: str | None = None) -> str:
    """The language's name in `language` (else the active one); the code itself if unknown."""
    return _all_languages(_language(language)).get(code, code)


def country_names(codes: Iterable[str], language: str | None = None) -> str:
    """Countries (or nationalities) named and joined with commas, in the order given."""
    return ", ".join(country_name(code, language) for code in codes)


def language_names(codes: Iterable[str], language: str | None = None) -> str:
    return ", ".join(language_name(code, language) for code in codes)
