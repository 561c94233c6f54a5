"""The profile's `[retention]` section: `concern_months`, how long a concern closed at triage
without a case keeps its content. Both shipped profiles set it; a value out of range, or not a
whole number of months, stops the profile with the key named."""

from pathlib import Path

import pytest

from opennrm.profiles.loader import ProfileError, parse_profile, profile_path
from opennrm.profiles.schema import Retention
from tests.profiles.test_profiles import fr_text, replace_once, write_profile

FR_CONCERN_MONTHS = "concern_months = 12\n"


@pytest.mark.parametrize("code", ["fr", "osce"])
def test_shipped_profiles_set_the_period_of_concerns_closed_at_triage(code: str) -> None:
    profile = parse_profile(profile_path(code))
    assert profile.retention.concern_months == 12
    # Set in the file, with its reason, not left to the default.
    text = profile_path(code).read_text(encoding="utf-8")
    section = text[text.index("[retention]") : text.index("[[entitlements]]")]
    assert FR_CONCERN_MONTHS in section
    before = section[: section.index(FR_CONCERN_MONTHS)]
    assert "concern closed at triage" in before


def test_without_the_key_the_default_applies(tmp_path: Path) -> None:
    text = replace_once(fr_text(), FR_CONCERN_MONTHS, "")
    assert parse_profile(write_profile(tmp_path, text)).retention.concern_months == 12
    assert Retention().concern_months == 12


def test_another_period_is_read(tmp_path: Path) -> None:
    text = replace_once(fr_text(), FR_CONCERN_MONTHS, "concern_months = 6\n")
    assert parse_profile(write_profile(tmp_path, text)).retention.concern_months == 6


@pytest.mark.parametrize("value", ["0", "-3", "121", '"twelve"', "12.5"])
def test_a_period_out_of_range_is_refused_with_the_key_named(tmp_path: Path, value: str) -> None:
    text = replace_once(fr_text(), FR_CONCERN_MONTHS, f"concern_months = {value}\n")
    with pytest.raises(ProfileError, match=r"retention\.concern_months"):
        parse_profile(write_profile(tmp_path, text))
