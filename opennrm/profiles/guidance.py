"""Public guidance by sector: what a non-specialist can notice, what to do and not to do.

Versioned data, reviewed like code: one TOML file per profile, language and sector, in
data/guidance/<profile>/<language>/<sector>.toml, plus _common.toml (the advice every sector
shares). The loader validates every file and refuses a language folder that misses a sector,
an unknown sector, a language the profile does not speak, or a text too long for the one-page
poster. Whom to contact comes from the profile (emergency numbers) and the public directory,
never from these files.
"""

import tomllib
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import Field, ValidationError

from opennrm.profiles.loader import DATA_DIR, ProfileError, _describe, load_profile
from opennrm.profiles.schema import Strict

GUIDANCE_DIR = DATA_DIR / "guidance"
T = TypeVar("T", bound=Strict)
COMMON = "_common"

# The sectors where exploitation is found, in the order the index lists them.
SECTORS: tuple[str, ...] = (
    "agriculture",
    "construction",
    "hotels_restaurants",
    "domestic_work",
    "beauty_salons",
    "cleaning",
    "transport",
    "health_care",
    "schools",
    "housing_rental",
    "online_platforms",
    "street_begging",
    "sexual_exploitation",
)

# Short enough for the poster to hold on one A4 page (a test prints every one).
Line = str
SHORT = 90
LONG = 170


class SectorText(Strict):
    title: str = Field(min_length=3, max_length=SHORT)
    summary: str = Field(min_length=20, max_length=320)
    signs: tuple[Line, ...] = Field(min_length=3, max_length=7)
    do: tuple[Line, ...] = Field(default=(), max_length=2)  # added to the common advice
    dont: tuple[Line, ...] = Field(default=(), max_length=2)


class CommonText(Strict):
    do: tuple[Line, ...] = Field(min_length=3, max_length=5)
    dont: tuple[Line, ...] = Field(min_length=3, max_length=5)


class SectorGuidance(Strict):
    """One sector's page, in one language: its own text and the common advice."""

    sector: str
    language: str
    title: str
    summary: str
    signs: tuple[str, ...]
    do: tuple[str, ...]
    dont: tuple[str, ...]


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{_name(path)} is not valid TOML: {exc}") from exc


def _name(path: Path) -> str:
    """The file as the errors name it: guidance/<profile>/<language>/<file>."""
    parts = path.parts[-3:] if path.suffix else path.parts[-2:]
    return "/".join(("guidance", *parts))


def _lines_fit(path: Path, lines: tuple[str, ...]) -> None:
    for index, line in enumerate(lines):
        if not line.strip() or len(line) > LONG:
            raise ProfileError(
                f"Invalid guidance {_name(path)}: line {index + 1} is empty or longer than "
                f"{LONG} characters"
            )


def _validate(model: type[T], path: Path) -> T:
    try:
        text = model.model_validate(_read(path))
    except ValidationError as exc:
        raise ProfileError(f"Invalid guidance {_name(path)}: {_describe(exc)}") from exc
    for value in text.model_dump().values():
        if isinstance(value, tuple | list):
            _lines_fit(path, tuple(value))
    return text


def parse_guidance(
    folder: Path, languages: tuple[str, ...]
) -> dict[str, dict[str, SectorGuidance]]:
    """Every language folder under `folder`: {language: {sector: guidance}}."""
    if not folder.is_dir():
        raise ProfileError(f"Guidance folder not found: {folder}")
    found: dict[str, dict[str, SectorGuidance]] = {}
    for language_dir in sorted(path for path in folder.iterdir() if path.is_dir()):
        language = language_dir.name
        if language not in languages:
            raise ProfileError(
                f"Invalid guidance {_name(language_dir)}: the profile does not offer {language!r}"
            )
        names = {path.stem for path in language_dir.glob("*.toml")}
        unknown = sorted(names - set(SECTORS) - {COMMON})
        missing = sorted((set(SECTORS) | {COMMON}) - names)
        if unknown or missing:
            raise ProfileError(
                f"Invalid guidance {_name(language_dir)}: "
                f"unknown sector(s) {', '.join(unknown) or 'none'}; "
                f"missing file(s) {', '.join(missing) or 'none'}"
            )
        common = _validate(CommonText, language_dir / f"{COMMON}.toml")
        pages: dict[str, SectorGuidance] = {}
        for sector in SECTORS:
            text = _validate(SectorText, language_dir / f"{sector}.toml")
            pages[sector] = SectorGuidance(
                sector=sector,
                language=language,
                title=text.title,
                summary=text.summary,
                signs=text.signs,
                do=(*text.do, *common.do),
                dont=(*text.dont, *common.dont),
            )
        found[language] = pages
    return found


@cache
def load_guidance(profile_code: str) -> dict[str, dict[str, SectorGuidance]]:
    """The guidance of a profile; its default language must be there."""
    profile = load_profile(profile_code)
    guidance = parse_guidance(GUIDANCE_DIR / profile_code, profile.languages)
    if profile.default_language not in guidance:
        raise ProfileError(
            f"Invalid guidance {profile_code}: no text in the default language "
            f"{profile.default_language!r}"
        )
    return guidance


def sector_guidance(profile_code: str, sector: str, language: str) -> SectorGuidance | None:
    """A sector's guidance in `language`, or in the profile's default language when it has no
    text in that language (the page then marks the text's own language); None: no such sector."""
    if sector not in SECTORS:
        return None
    guidance = load_guidance(profile_code)
    pages = guidance.get(language) or guidance[load_profile(profile_code).default_language]
    return pages[sector]


def all_sectors(profile_code: str, language: str) -> list[SectorGuidance]:
    return [
        page
        for sector in SECTORS
        if (page := sector_guidance(profile_code, sector, language)) is not None
    ]
