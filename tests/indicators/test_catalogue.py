"""The shipped indicator catalogue: faithful to the reference, stable codes, validated data."""

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from pydantic import BaseModel

from opennrm.indicators.catalogue import (
    DATA_DIR,
    CatalogueError,
    UnknownCatalogueVersion,
    available_versions,
    latest_catalogue,
    load_catalogue,
    parse_catalogue,
    version_key,
)
from opennrm.indicators.schema import AllOf, AnyOf, Catalogue, IndicatorSet, Label
from opennrm.profiles.loader import available_profiles, load_profile

DIMENSIONS = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "vulnerability_recruitment",
    "exploitation",
    "coercion_destination",
    "vulnerability_destination",
)
LATEST = DATA_DIR / f"{available_versions()[-1]}.toml"


def the_set(code: str) -> IndicatorSet:
    item = latest_catalogue().indicator_set(code)
    assert item is not None
    return item


def per_dimension(item: IndicatorSet) -> list[int]:
    return [len(item.indicators[code]) for code in DIMENSIONS]


def per_strength(item: IndicatorSet) -> dict[str, int]:
    counts = Counter(indicator.strength for indicator in item.all_indicators())
    return {strength: counts.get(strength, 0) for strength in "SMW"}


def grade(code: str) -> str:
    catalogue = latest_catalogue()
    for item in catalogue.sets:
        for indicator in item.all_indicators():
            if indicator.code == code:
                return indicator.strength
    raise AssertionError(f"{code} not in the catalogue")


# ------------------------------------------------------------------------------ versions


def test_versions_load_and_latest_is_the_newest_usable_one() -> None:
    versions = available_versions()
    assert "2026.1" in versions
    assert versions == sorted(versions, key=version_key)
    for version in versions:
        assert load_catalogue(version).version == version
    assert latest_catalogue().version == versions[-1]
    assert load_catalogue("2026.1") is load_catalogue("2026.1")  # cached


def test_version_order_is_numeric() -> None:
    assert sorted(["2026.10", "2026.9", "2027.1"], key=version_key) == [
        "2026.9",
        "2026.10",
        "2027.1",
    ]


def test_unknown_version_is_a_specific_error() -> None:
    with pytest.raises(UnknownCatalogueVersion, match=r"1999\.1"):
        load_catalogue("1999.1")


def test_catalogue_is_a_draft_and_says_indicators_do_not_decide() -> None:
    catalogue = latest_catalogue()
    assert catalogue.status == "draft"
    assert "professional" in catalogue.note.en


# ------------------------------------------------------------------------------ structure


def test_six_dimensions_with_means_flags() -> None:
    catalogue = latest_catalogue()
    assert tuple(d.code for d in catalogue.dimensions) == DIMENSIONS
    means = {d.code: d.means for d in catalogue.dimensions}
    assert means == {code: code != "exploitation" for code in DIMENSIONS}


def test_sets_shipped_with_their_status() -> None:
    statuses = {item.code: item.status for item in latest_catalogue().sets}
    assert statuses == {
        "adults_labour": "secondary",
        "children_labour": "secondary",
        "adults_sexual": "draft",
        "children_sexual": "draft",
        "forced_begging": "draft",
        "forced_criminality": "draft",
        "domestic_servitude": "draft",
    }
    for code in statuses:
        assert the_set(code).note is not None, f"{code} must say why it is not verified"


def test_age_groups_and_forms() -> None:
    assert the_set("adults_labour").age_group == "adult"
    assert the_set("children_labour").age_group == "child"
    assert the_set("adults_sexual").age_group == "adult"
    assert the_set("children_sexual").age_group == "child"
    for code in ("forced_begging", "forced_criminality", "domestic_servitude"):
        assert the_set(code).age_group == "any"
        assert the_set(code).forms == (code,)
    labour = ("forced_labour", "slavery", "servitude", "undignified_conditions")
    assert the_set("adults_labour").forms == labour
    assert the_set("children_labour").forms == labour
    assert the_set("adults_sexual").forms == ("sexual_exploitation",)


@pytest.mark.parametrize("profile", available_profiles())
def test_forms_are_forms_of_every_profile(profile: str) -> None:
    known = {form.code for form in load_profile(profile).forms_of_exploitation}
    for item in latest_catalogue().sets:
        assert set(item.forms) <= known, f"{item.code}: {set(item.forms) - known}"


def test_forms_with_indicator_sets_have_one_for_each_age_group() -> None:
    catalogue = latest_catalogue()
    for form in {form for item in catalogue.sets for form in item.forms}:
        for age_group in ("adult", "child"):
            assert any(
                form in item.forms and item.applies_to(age_group) for item in catalogue.sets
            ), f"no set for {form} / {age_group}"


# ------------------------------------------------------------------ faithful to the reference


def test_adults_labour_counts() -> None:
    item = the_set("adults_labour")
    assert len(item.all_indicators()) == 67
    assert per_dimension(item) == [10, 10, 16, 9, 15, 7]
    assert per_strength(item) == {"S": 7, "M": 53, "W": 7}


def test_children_labour_counts() -> None:
    item = the_set("children_labour")
    assert len(item.all_indicators()) == 65
    assert per_dimension(item) == [10, 10, 15, 8, 15, 7]
    assert per_strength(item) == {"S": 15, "M": 50, "W": 0}


def test_adults_labour_grades_spot_checks() -> None:
    # Reference §2: the same item is graded differently at recruitment and at destination.
    assert grade("AL-CR-03") == "M"  # confiscation of documents, recruitment
    assert grade("AL-CD-01") == "S"  # confiscation of documents, destination
    assert grade("AL-CR-04") == "M"  # debt bondage, recruitment
    assert grade("AL-CD-02") == "S"  # debt bondage, destination
    assert grade("AL-DR-01") == "S"
    assert grade("AL-DR-10") == "W"  # education
    assert grade("AL-EX-01") == "S"  # excessive hours
    assert grade("AL-EX-09") == "W"
    assert grade("AL-CD-15") == "W"  # threats to inform family
    assert [i.strength for i in the_set("adults_labour").indicators["coercive_recruitment"]] == [
        "S"
    ] + ["M"] * 9
    assert {
        i.strength for i in the_set("adults_labour").indicators["vulnerability_recruitment"]
    } == {
        "M",
        "W",
    }


def test_children_labour_is_the_adult_set_with_the_reference_changes() -> None:
    """Reference §3: same names; promotions; two items dropped; no weak tier."""
    adult = {i.code[3:]: i for i in the_set("adults_labour").all_indicators()}
    child = {i.code[3:]: i for i in the_set("children_labour").all_indicators()}
    assert set(adult) - set(child) == {"VR-07", "EX-06"}  # law / authorities; social protection
    assert set(child) <= set(adult)
    promoted = {"DR-10", "CR-02", "CR-04", "CR-08", "CD-05", "CD-06", "CD-11", "CD-12"}
    for suffix, indicator in child.items():
        assert indicator.label == adult[suffix].label
        original = adult[suffix].strength
        if suffix in promoted:
            assert (original, indicator.strength) in {("M", "S"), ("W", "S")}, suffix
        elif original == "W":
            assert indicator.strength == "M", suffix
        else:
            assert indicator.strength == original, suffix


def test_sexual_sets_follow_the_fragments_of_the_secondary_source() -> None:
    for code in ("adults_sexual", "children_sexual"):
        item = the_set(code)
        forced = [i for i in item.indicators["coercion_destination"] if "clients" in i.label.en]
        assert forced and all(i.strength == "S" for i in forced)
    assert {i.strength for i in the_set("adults_sexual").indicators["exploitation"]} <= {"M", "W"}
    assert per_strength(the_set("children_sexual"))["W"] == 0


def test_seed_checklist_items_are_in_every_set() -> None:
    """ODIHR annex: threats, movement, conditions, wages or debt, documents, denunciation."""
    for item in latest_catalogue().sets:
        tagged = [i for i in item.all_indicators() if "ODIHR-2007" in i.sources]
        assert len(tagged) >= 7, item.code
        where = {
            dimension
            for dimension, indicators in item.indicators.items()
            for indicator in indicators
            if "ODIHR-2007" in indicator.sources
        }
        assert where == {"exploitation", "coercion_destination"}, item.code


# ---------------------------------------------------------------------------- codes and labels


def test_indicator_codes_are_unique_and_well_formed() -> None:
    catalogue = latest_catalogue()
    abbreviations = {d.code: d.abbreviation for d in catalogue.dimensions}
    seen: set[str] = set()
    for item in catalogue.sets:
        for dimension, indicators in item.indicators.items():
            for indicator in indicators:
                assert re.fullmatch(
                    rf"{item.code_prefix}-{abbreviations[dimension]}-\d\d", indicator.code
                )
                assert indicator.code not in seen
                seen.add(indicator.code)
    assert not seen & set(catalogue.retired_codes)


def test_codes_are_never_reused_across_versions() -> None:
    """A code keeps its set and dimension forever; a code that disappears is retired."""
    meaning: dict[str, tuple[str, str]] = {}
    versions = [load_catalogue(version) for version in available_versions()]
    for older, newer in itertools.pairwise(versions):
        old_codes = {i.code for item in older.sets for i in item.all_indicators()}
        new_codes = {i.code for item in newer.sets for i in item.all_indicators()}
        assert old_codes - new_codes <= set(newer.retired_codes)
        assert set(older.retired_codes) <= set(newer.retired_codes)
    for catalogue in versions:
        for item in catalogue.sets:
            for dimension, indicators in item.indicators.items():
                for indicator in indicators:
                    place = (item.code, dimension)
                    assert meaning.setdefault(indicator.code, place) == place


def _labels(node: object, path: str = "") -> list[tuple[str, Label]]:
    found: list[tuple[str, Label]] = []
    if isinstance(node, Label):
        found.append((path, node))
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found += _labels(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, (tuple, list)):
        for index, value in enumerate(node):
            found += _labels(value, f"{path}.{index}")
    elif isinstance(node, dict):
        for key, value in node.items():
            found += _labels(value, f"{path}.{key}")
    return found


@pytest.mark.parametrize("version", available_versions())
def test_every_label_has_french_and_english(version: str) -> None:
    labels = _labels(load_catalogue(version))
    assert len(labels) > 400
    for path, label in labels:
        assert label.fr.strip() and label.en.strip(), path
        assert label.fr == label.fr.strip() and label.en == label.en.strip(), path


def test_indicator_labels_are_distinct_within_a_dimension() -> None:
    for item in latest_catalogue().sets:
        for dimension, indicators in item.indicators.items():
            for language in ("fr", "en"):
                texts = [i.label.get(language) for i in indicators]
                assert len(texts) == len(set(texts)), (item.code, dimension, language)


# ------------------------------------------------------------------------------ rules as data


def test_dimension_rule_is_data_and_not_verified() -> None:
    rule = latest_catalogue().rules.dimension_met
    assert rule.status == "secondary"
    assert "wcms_105023" in rule.status_note.en
    shapes = {pattern.code: [(r.count, r.of) for r in pattern.require] for pattern in rule.patterns}
    assert shapes == {
        "two_strong": [(2, ("S",))],
        "strong_and_medium_or_weak": [(1, ("S",)), (1, ("M", "W"))],
        "three_medium": [(3, ("M",))],
        "two_medium_one_weak": [(2, ("M",)), (1, ("W",))],
    }


def test_presumed_victim_rules_are_data() -> None:
    catalogue = latest_catalogue()
    adult = catalogue.presumed_victim_rule("adult")
    child = catalogue.presumed_victim_rule("child")
    assert adult.means_required and not child.means_required
    for rule in (adult, child):
        assert rule.status == "secondary"
        assert "wcms_105023" in rule.status_note.en
    in_force = [clause for clause in adult.clauses if clause.in_force]
    assert [clause.condition for clause in in_force] == [
        AllOf(
            all_of=(
                AnyOf(any_of=("deceptive_recruitment", "coercive_recruitment")),
                "exploitation",
                "coercion_destination",
            )
        )
    ]
    alternative = next(clause for clause in adult.clauses if not clause.in_force)
    assert alternative.status == "draft"
    assert [clause.condition for clause in child.clauses if clause.in_force] == ["exploitation"]


# ------------------------------------------------------------------------ malformed catalogues


def write(tmp_path: Path, text: str, name: str = LATEST.name) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r}"
    return text.replace(old, new)


def latest_text() -> str:
    return LATEST.read_text(encoding="utf-8")


def test_shipped_file_parses(tmp_path: Path) -> None:
    assert isinstance(parse_catalogue(write(tmp_path, latest_text())), Catalogue)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('code = "AL-DR-02"', 'code = "AL-DR-01"', "AL-DR-01: code already used"),
        ('code = "CL-EX-01"', 'code = "CL-DR-99"', "must start with 'CL-EX-'"),
        (
            'condition = "exploitation"',
            'condition = "exploitaton"',
            "rules.presumed_victim.child.clauses.exploitation.condition: unknown dimension",
        ),
        ("retired_codes = []", 'retired_codes = ["AL-EX-09"]', "AL-EX-09: code is retired"),
        (
            '{ code = "AL-DR-10", strength = "W"',
            '{ code = "AL-DR-10", strength = "X"',
            "key 'sets.0.indicators.deceptive_recruitment.9.strength'",
        ),
        (
            'code = "two_strong"',
            'code = "two_strong"\nextra = 1',
            "key 'rules.dimension_met.patterns.0.extra'",
        ),
        (
            'age_group = "child"\nmeans_required',
            'age_group = "adult"\nmeans_required',
            "rules.presumed_victim (age_group): code 'adult' appears twice",
        ),
        (
            'forms = ["forced_begging"]\nage_group = "any"\nstatus = "draft"\nsources = ["OPENNRM',
            'forms = ["forced_begging"]\nage_group = "any"\nstatus = "draft"\nsources = ["NOPE',
            "sets.forced_begging.sources: unknown source(s) NOPE",
        ),
        (
            'code = "exploitation"\nin_force = true',
            'code = "exploitation"\nin_force = false',
            "rules.presumed_victim.child.clauses: at least one clause must be in_force",
        ),
        ('abbreviation = "VD"', 'abbreviation = "VR"', "dimensions (abbreviation)"),
        ("require = [{ count = 3", "require = [{ count = 0", "key 'rules.dimension_met"),
    ],
)
def test_errors_name_the_faulty_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    with pytest.raises(CatalogueError, match=re.escape(expected)):
        parse_catalogue(write(tmp_path, replace_once(latest_text(), old, new)))


def test_set_missing_a_dimension_is_rejected(tmp_path: Path) -> None:
    text = latest_text()
    start = text.index("[sets.indicators]\ndeceptive_recruitment = [")
    end = text.index("coercive_recruitment = [", start)
    with pytest.raises(CatalogueError, match=r"sets\.adults_labour\.indicators: missing dimension"):
        parse_catalogue(write(tmp_path, text[:start] + "[sets.indicators]\n" + text[end:]))


def test_version_must_match_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="key 'version'"):
        parse_catalogue(write(tmp_path, latest_text(), name="2030.1.toml"))


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not valid TOML"):
        parse_catalogue(write(tmp_path, "version = "))
    with pytest.raises(CatalogueError, match="not found"):
        parse_catalogue(tmp_path / "2031.1.toml")
