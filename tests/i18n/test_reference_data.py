"""Country, nationality and language names in the active language, sorted as a reader expects,
built once per language; the forms choose them without Ctrl-click."""

import pytest
from django.utils import translation

from opennrm.cases import reference_data
from opennrm.cases.reference_data import (
    country_choices,
    country_name,
    language_choices,
    language_name,
    sort_key,
)


def test_countries_and_languages_are_named_in_the_active_language():
    with translation.override("fr"):
        assert country_name("RO") == "Roumanie"
        assert language_name("ro") == "Roumain"
        assert dict(country_choices())["DE"] == "Allemagne"
    with translation.override("en"):
        assert country_name("RO") == "Romania"
        assert language_name("ro") == "Romanian"


def test_an_explicit_language_wins_over_the_active_one():
    with translation.override("en"):
        assert country_name("EG", "fr") == "Égypte"
        assert reference_data.country_names(["RO", "BG"], "fr") == "Roumanie, Bulgarie"


def test_the_common_name_is_preferred_to_the_official_one():
    assert country_name("KR", "fr") == "Corée du Sud"
    assert country_name("KR", "en") == "South Korea"
    assert country_name("IR", "fr") == "Iran"


def test_unknown_codes_are_shown_as_they_are():
    assert country_name("XX", "fr") == "XX"
    assert language_name("zz", "fr") == "zz"


def test_three_letter_language_codes_a_record_may_hold_are_named():
    assert language_name("ast", "fr") != "ast"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_choices_are_sorted_with_accents_and_case_ignored(language):
    names = [name for _code, name in country_choices(language)]
    assert names == sorted(names, key=sort_key)
    languages = [name for _code, name in language_choices(language)]
    assert languages == sorted(languages, key=sort_key)


def test_egypt_sorts_with_the_e_in_french():
    names = [name for _code, name in country_choices("fr")]
    egypt = names.index("Égypte")
    assert sort_key(names[egypt - 1]) <= "egypte" <= sort_key(names[egypt + 1])
    assert sort_key(names[egypt + 1]).startswith("e")  # not after Zimbabwe


def test_the_lists_are_built_once_per_language():
    reference_data._countries.cache_clear()
    country_choices("fr")
    country_choices("fr-fr")
    country_choices("en")
    with translation.override("fr"):
        country_choices()
    info = reference_data._countries.cache_info()
    assert info.misses == 2
    assert info.hits == 2


def test_a_caller_cannot_change_the_cached_list():
    choices = country_choices("fr")
    choices.clear()
    assert country_choices("fr")


@pytest.mark.django_db
def test_model_choices_are_ticked_from_their_keys():
    """The départements a service serves: model choices in the same long list, ticked from
    the instance's keys (edit) or from what was sent back (an error)."""
    from opennrm.core.models import Organisation, Territory
    from opennrm.web.support.forms import ServiceForm

    seine = Territory.objects.get(code="93")
    form = ServiceForm(
        organisations=Organisation.objects.none(), editing=True, initial={"territories": [seine]}
    )
    html = form["territories"].as_field_group()
    assert f'value="{seine.pk}" checked' in html
    assert html.count("checked") == 1
    sent = ServiceForm(
        {"territories": [str(seine.pk)]}, organisations=Organisation.objects.none(), editing=True
    )
    assert sent["territories"].as_field_group().count("checked") == 1
    assert "Ctrl" not in sent["territories"].as_field_group()
