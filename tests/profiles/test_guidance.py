"""Public guidance by sector (issue 17, point 1): the shipped files are complete and valid for
each profile and language, the OSCE text says nothing French, the French text follows French
typography, and the loader refuses a malformed folder naming the faulty file."""

import re
import shutil
from pathlib import Path

import pytest

from opennrm.profiles.guidance import GUIDANCE_DIR, SECTORS, load_guidance, parse_guidance
from opennrm.profiles.loader import ProfileError, load_profile

EXPECTED = {"fr": {"fr", "en"}, "osce": {"en"}}


def texts(profile: str, language: str) -> list[str]:
    found = []
    for page in load_guidance(profile)[language].values():
        found += [page.title, page.summary, *page.signs, *page.do, *page.dont]
    return found


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_every_sector_exists_in_each_language_of_the_profile(profile):
    guidance = load_guidance(profile)
    assert set(guidance) == EXPECTED[profile]
    for pages in guidance.values():
        assert tuple(pages) == SECTORS
        for page in pages.values():
            assert page.signs and len(page.do) >= 3 and len(page.dont) >= 3


def test_the_thirteen_sectors_of_the_issue():
    assert len(SECTORS) == 13
    assert {"agriculture", "domestic_work", "street_begging", "sexual_exploitation"} <= set(SECTORS)


def test_the_osce_guidance_says_nothing_french():
    joined = "\n".join(texts("osce", "en"))
    for french in ("épartement", "France", "French", "préfecture", "prefecture", "VTC"):
        assert french not in joined
    for number in ("17", "114", "119", "3919"):
        assert not re.search(rf"\b{number}\b", joined), number


def test_the_french_guidance_follows_french_typography():
    for text in texts("fr", "fr"):
        assert "'" not in text, text  # the typographic apostrophe
        assert not re.search(r"[ \u202f]:", text), text  # U+00A0 before a colon
        assert not re.search(r"[ \u00a0][;!?]", text), text  # U+202F before ; ! ?
        assert '"' not in text, text


def test_the_profiles_list_their_emergency_numbers():
    assert [item.number for item in load_profile("fr").emergency_numbers] == [
        "17",
        "112",
        "114",
        "119",
    ]
    osce = load_profile("osce")
    assert [item.number for item in osce.emergency_numbers] == ["112"]
    assert osce.emergency_numbers[0].label.get("en", "en") == "European emergency number"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "fr"
    shutil.copytree(GUIDANCE_DIR / "fr", target)
    return target


def test_the_copy_loads(folder):
    assert set(parse_guidance(folder, ("fr", "en"))) == {"fr", "en"}


def test_a_missing_sector_is_refused(folder):
    (folder / "en" / "cleaning.toml").unlink()
    with pytest.raises(ProfileError, match=r"guidance/fr/en|missing file\(s\) cleaning"):
        parse_guidance(folder, ("fr", "en"))


def test_an_unknown_sector_is_refused(folder):
    shutil.copy(folder / "en" / "cleaning.toml", folder / "en" / "fishing.toml")
    with pytest.raises(ProfileError, match=r"unknown sector\(s\) fishing"):
        parse_guidance(folder, ("fr", "en"))


def test_a_language_the_profile_does_not_offer_is_refused(folder):
    with pytest.raises(ProfileError, match="does not offer 'fr'"):
        parse_guidance(folder, ("en",))


def test_an_unknown_key_is_refused_naming_the_file_and_key(folder):
    path = folder / "fr" / "schools.toml"
    path.write_text(path.read_text() + '\nsource = "x"\n')
    with pytest.raises(ProfileError, match=r"schools\.toml: key 'source'"):
        parse_guidance(folder, ("fr", "en"))


def test_too_many_signs_for_the_poster_are_refused(folder):
    path = folder / "en" / "agriculture.toml"
    text = path.read_text().replace("signs = [\n", "signs = [\n" + '  "More.",\n' * 4, 1)
    path.write_text(text)
    with pytest.raises(ProfileError, match=r"agriculture\.toml: key 'signs'"):
        parse_guidance(folder, ("fr", "en"))


def test_a_line_too_long_for_the_poster_is_refused(folder):
    long_line = "x" * 200
    (folder / "en" / "_common.toml").write_text(
        f'do = ["{long_line}", "b", "c"]\ndont = ["a", "b", "c"]\n'
    )
    with pytest.raises(ProfileError, match=r"_common\.toml: line 1 is empty or longer"):
        parse_guidance(folder, ("fr", "en"))
