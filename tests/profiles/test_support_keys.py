"""The profile's `[support]` section: which organisation types are residence authorities and
which receive the note on non-punishment. Data, not code: both shipped profiles say it, and a
code that is not an organisation type of the profile stops the profile with the key named."""

from pathlib import Path

import pytest

from opennrm.profiles.loader import ProfileError, parse_profile, profile_path
from tests.profiles.test_profiles import fr_text, replace_once, write_profile

FR_SUPPORT = (
    '[support]\nresidence_authorities = ["prefecture"]\n'
    'non_punishment_recipients = ["prosecutor"]\n'
)


@pytest.mark.parametrize(
    ("code", "authorities", "recipients"),
    [
        ("fr", ("prefecture",), ("prosecutor",)),
        ("osce", ("migration_authority",), ("prosecutor",)),
    ],
)
def test_shipped_profiles_name_their_authorities(code, authorities, recipients) -> None:
    profile = parse_profile(profile_path(code))
    assert profile.support.residence_authorities == authorities
    assert profile.support.non_punishment_recipients == recipients
    kinds = {kind.code for kind in profile.organisation_types}
    assert set(authorities) | set(recipients) <= kinds


@pytest.mark.parametrize(
    ("replacement", "key", "unknown"),
    [
        (
            '[support]\nresidence_authorities = ["prefecture", "town_hall"]\n'
            'non_punishment_recipients = ["prosecutor"]\n',
            "support.residence_authorities",
            "town_hall",
        ),
        (
            '[support]\nresidence_authorities = ["prefecture"]\n'
            'non_punishment_recipients = ["public_prosecutor"]\n',
            "support.non_punishment_recipients",
            "public_prosecutor",
        ),
    ],
)
def test_an_unknown_organisation_type_is_refused_with_the_key_named(
    tmp_path: Path, replacement: str, key: str, unknown: str
) -> None:
    text = replace_once(fr_text(), FR_SUPPORT, replacement)
    with pytest.raises(ProfileError) as info:
        parse_profile(write_profile(tmp_path, text))
    message = str(info.value)
    assert key in message
    assert unknown in message
    assert "unknown organisation type" in message


def test_a_type_named_twice_is_refused(tmp_path: Path) -> None:
    text = replace_once(
        fr_text(),
        FR_SUPPORT,
        FR_SUPPORT.replace('["prosecutor"]', '["prosecutor", "prosecutor"]'),
    )
    with pytest.raises(ProfileError, match=r"support\.non_punishment_recipients.*twice"):
        parse_profile(write_profile(tmp_path, text))


def test_an_unknown_key_in_the_section_is_named(tmp_path: Path) -> None:
    text = replace_once(fr_text(), FR_SUPPORT, FR_SUPPORT + 'asylum_authorities = ["ofpra"]\n')
    with pytest.raises(ProfileError, match=r"support\.asylum_authorities"):
        parse_profile(write_profile(tmp_path, text))


def test_without_the_section_no_organisation_is_offered(tmp_path: Path) -> None:
    """The section is optional: a profile without it offers no organisation, and applications
    name their authority in words."""
    profile = parse_profile(write_profile(tmp_path, replace_once(fr_text(), FR_SUPPORT, "")))
    assert profile.support.residence_authorities == ()
    assert profile.support.non_punishment_recipients == ()


@pytest.mark.parametrize("code", ["fr", "osce"])
def test_shipped_profiles_inform_the_prosecution_of_the_judicial_route(code) -> None:
    profile = parse_profile(profile_path(code))
    assert profile.judicial_route.informed == ("prosecutor",)


def test_an_unknown_type_informed_of_the_judicial_route_is_refused(tmp_path: Path) -> None:
    section = '[judicial_route]\ninformed = ["prosecutor"]\n'
    text = replace_once(fr_text(), section, '[judicial_route]\ninformed = ["parquet"]\n')
    with pytest.raises(ProfileError, match=r"judicial_route\.informed.*parquet"):
        parse_profile(write_profile(tmp_path, text))
