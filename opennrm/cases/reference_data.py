"""Countries and languages (ISO codes) from pycountry, with names in the user's language."""

from collections.abc import Iterable
from functools import cache

import pycountry


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


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda item: item[1])


def language_choices() -> list[tuple[str, str]]:
    choices = [
        (getattr(language, "alpha_2", None) or language.alpha_3, language.name)
        for language in pycountry.languages
        if getattr(language, "alpha_2", None)
    ]
    return sorted(choices, key=lambda item: item[1])
