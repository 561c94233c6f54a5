"""Jurisdiction profiles: the shipped files parse, and malformed ones fail on the faulty key."""

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from opennrm.profiles.loader import (
    DATA_DIR,
    ProfileError,
    available_profiles,
    load_territory_records,
    parse_profile,
    profile_path,
)
from opennrm.profiles.schema import Profile, TerritoryRecord

FR_PROFILE = profile_path("fr")
FR_TERRITORIES = DATA_DIR / "territories" / "fr.toml"


def records(code: str) -> tuple[Profile, tuple[TerritoryRecord, ...]]:
    profile = parse_profile(profile_path(code))
    return profile, load_territory_records(profile, DATA_DIR / profile.territory_data)


def by_level(territories: tuple[TerritoryRecord, ...], level: str) -> list[TerritoryRecord]:
    return [record for record in territories if record.level == level]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r} in the profile"
    return text.replace(old, new)


def write_profile(
    tmp_path: Path, profile_text: str | None = None, territories_text: str | None = None
) -> Path:
    """A copy of the France profile in tmp_path, with its territory file next to it."""
    (tmp_path / "territories").mkdir()
    shutil.copy(FR_TERRITORIES, tmp_path / "territories" / "fr.toml")
    if territories_text is not None:
        (tmp_path / "territories" / "fr.toml").write_text(territories_text, encoding="utf-8")
    path = tmp_path / "fr.toml"
    text = FR_PROFILE.read_text(encoding="utf-8") if profile_text is None else profile_text
    path.write_text(text, encoding="utf-8")
    return path


def fr_text() -> str:
    return FR_PROFILE.read_text(encoding="utf-8")


def fr_raw() -> dict[str, object]:
    with FR_PROFILE.open("rb") as handle:
        return tomllib.load(handle)


# Shipped profiles


def test_shipped_profiles_are_france_and_the_osce_model() -> None:
    assert {"fr", "osce"} <= set(available_profiles())


@pytest.mark.parametrize("code", available_profiles())
def test_shipped_profile_parses(code: str) -> None:
    profile = parse_profile(profile_path(code))
    assert profile.code == code
    assert profile.local_unit_levels


def test_unmodified_copy_of_france_parses(tmp_path: Path) -> None:
    assert parse_profile(write_profile(tmp_path)).code == "fr"


def test_osce_model_has_the_roles_of_france() -> None:
    france, model = parse_profile(profile_path("fr")), parse_profile(profile_path("osce"))
    assert [role.code for role in model.roles] == [role.code for role in france.roles]
    for role in model.roles:
        assert role.capabilities == france.role(role.code).capabilities


def test_osce_model_labels_in_english_and_french() -> None:
    model = parse_profile(profile_path("osce"))
    for owner, label in model._labels():
        assert label.en and label.fr, owner
    assert {kind.code for kind in model.contact_bodies} == {
        "prosecutor",
        "migration_authority",
        "labour_inspectorate",
    }


def test_osce_model_territories_are_two_provinces_of_three_districts() -> None:
    _, territories = records("osce")
    provinces = {record.code for record in by_level(territories, "province")}
    districts = by_level(territories, "district")
    assert provinces == {"P1", "P2"}
    assert len(districts) == 6
    for province in provinces:
        assert sum(record.parent == province for record in districts) == 3


# France reference territories


def test_france_has_18_regions_101_departements_6_collectivites() -> None:
    _, territories = records("fr")
    assert len(by_level(territories, "region")) == 18
    assert len(by_level(territories, "departement")) == 101
    assert len(by_level(territories, "collectivite")) == 6
    assert len(territories) == 125


def test_france_codes_are_unique() -> None:
    _, territories = records("fr")
    codes = [record.code for record in territories]
    assert len(codes) == len(set(codes))


def test_every_departement_has_a_regional_parent() -> None:
    _, territories = records("fr")
    regions = {record.code for record in by_level(territories, "region")}
    for record in by_level(territories, "departement"):
        assert record.parent in regions, record.code
    assert {record.parent for record in by_level(territories, "departement")} == regions


def test_regions_and_collectivites_have_no_parent() -> None:
    _, territories = records("fr")
    for level in ("region", "collectivite"):
        assert all(record.parent is None for record in by_level(territories, level))


def test_overseas_departements_are_present_in_their_region() -> None:
    _, territories = records("fr")
    parents = {record.code: record.parent for record in by_level(territories, "departement")}
    assert {code: parents.get(code) for code in ("971", "972", "973", "974", "976")} == {
        "971": "R01",
        "972": "R02",
        "973": "R03",
        "974": "R04",
        "976": "R06",
    }
    assert "975" not in parents


def test_corsica_is_2a_and_2b() -> None:
    _, territories = records("fr")
    parents = {record.code: record.parent for record in by_level(territories, "departement")}
    assert "20" not in parents
    assert parents["2A"] == parents["2B"] == "R94"
    assert [code for code, parent in parents.items() if parent == "R94"] == ["2A", "2B"]


def test_overseas_collectivites() -> None:
    _, territories = records("fr")
    assert {record.code for record in by_level(territories, "collectivite")} == {
        "975",
        "977",
        "978",
        "986",
        "987",
        "988",
    }


# Malformed profiles: the message names the faulty key


def test_profile_error_is_improperly_configured() -> None:
    assert issubclass(ProfileError, ImproperlyConfigured)


def test_unknown_capability_names_the_role(tmp_path: Path) -> None:
    roles = fr_raw()["roles"]
    assert isinstance(roles, list)
    index = next(i for i, role in enumerate(roles) if role["code"] == "field_worker")
    text = replace_once(
        fr_text(), 'capabilities = ["report"]\n', 'capabilities = ["report", "fly"]\n'
    )
    with pytest.raises(ProfileError, match=rf"roles\.{index}\.capabilities"):
        parse_profile(write_profile(tmp_path, text))


def test_missing_timeframe_names_the_step(tmp_path: Path) -> None:
    text, count = re.subn(r"\[timeframes\.orientation_response\]\n(?:.+\n)+", "", fr_text())
    assert count == 1
    with pytest.raises(ProfileError) as info:
        parse_profile(write_profile(tmp_path, text))
    assert "timeframes" in str(info.value)
    assert "orientation_response" in str(info.value)


def test_short_reflection_period_is_rejected(tmp_path: Path) -> None:
    text, count = re.subn(
        r"^reflection_period_days = \d+$", "reflection_period_days = 10", fr_text(), flags=re.M
    )
    assert count == 1
    with pytest.raises(ProfileError, match="reflection_period_days"):
        parse_profile(write_profile(tmp_path, text))


def test_unknown_key_is_named(tmp_path: Path) -> None:
    text = replace_once(fr_text(), 'code = "fr"\n', 'code = "fr"\nfavourite_colour = "blue"\n')
    with pytest.raises(ProfileError, match="favourite_colour"):
        parse_profile(write_profile(tmp_path, text))


def test_unknown_key_in_a_table_is_named_with_its_path(tmp_path: Path) -> None:
    text = replace_once(fr_text(), '[name]\nfr = "France"\n', '[name]\nfr = "France"\nxx = "?"\n')
    with pytest.raises(ProfileError, match=r"name\.xx"):
        parse_profile(write_profile(tmp_path, text))


def test_default_language_outside_languages(tmp_path: Path) -> None:
    text = replace_once(fr_text(), 'default_language = "fr"', 'default_language = "de"')
    with pytest.raises(ProfileError, match="default_language"):
        parse_profile(write_profile(tmp_path, text))


def test_territory_with_unknown_parent_names_its_index(tmp_path: Path) -> None:
    territories_text = FR_TERRITORIES.read_text(encoding="utf-8")
    raw = tomllib.loads(territories_text)["territories"]
    index = next(i for i, record in enumerate(raw) if record["code"] == "2A")
    territories_text = replace_once(
        territories_text,
        'code = "2A"\nname = "Corse-du-Sud"\nlevel = "departement"\nparent = "R94"\n',
        'code = "2A"\nname = "Corse-du-Sud"\nlevel = "departement"\nparent = "R99"\n',
    )
    with pytest.raises(ProfileError, match=rf"territories\.{index}\b.*'R99'"):
        parse_profile(write_profile(tmp_path, territories_text=territories_text))


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    text = fr_text() + "\nthis is = not = toml\n"
    with pytest.raises(ProfileError, match="not valid TOML"):
        parse_profile(write_profile(tmp_path, text))


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="not found"):
        parse_profile(tmp_path / "nowhere.toml")


def test_missing_territory_file(tmp_path: Path) -> None:
    path = write_profile(tmp_path)
    (tmp_path / "territories" / "fr.toml").unlink()
    with pytest.raises(ProfileError, match="not found"):
        parse_profile(path)
