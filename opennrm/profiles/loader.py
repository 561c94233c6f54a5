"""Load and validate jurisdiction profiles (TOML files), with errors that name the faulty key."""

import tomllib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from opennrm.profiles.schema import Profile, TerritoryData, TerritoryRecord

DATA_DIR = Path(__file__).resolve().parent / "data"


class ProfileError(ImproperlyConfigured):
    """A profile file is missing or malformed."""


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"key '{key}': {item['msg']}")
    return "; ".join(lines)


def _read_toml(path: Path) -> dict[str, object]:
    if not path.is_file():
        raise ProfileError(f"Profile file not found: {path}")
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path.name} is not valid TOML: {exc}") from exc


def parse_profile(path: Path) -> Profile:
    """Read one profile file; raise ProfileError naming each faulty key."""
    raw = _read_toml(path)
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as exc:
        raise ProfileError(f"Invalid profile {path.name}: {_describe(exc)}") from exc
    territories_path = path.parent / profile.territory_data
    load_territory_records(profile, territories_path)
    return profile


def load_territory_records(profile: Profile, path: Path) -> tuple[TerritoryRecord, ...]:
    raw = _read_toml(path)
    try:
        data = TerritoryData.model_validate(raw)
    except ValidationError as exc:
        raise ProfileError(f"Invalid territory data {path.name}: {_describe(exc)}") from exc
    codes: set[str] = set()
    levels = {level.code: level for level in profile.territory_levels}
    by_code = {record.code: record for record in data.territories}
    for index, record in enumerate(data.territories):
        where = f"Invalid territory data {path.name}: key 'territories.{index}'"
        if record.code in codes:
            raise ProfileError(f"{where}: code {record.code!r} appears twice")
        codes.add(record.code)
        level = levels.get(record.level)
        if level is None:
            raise ProfileError(f"{where}: unknown level {record.level!r}")
        if record.parent is not None and record.parent not in by_code:
            raise ProfileError(f"{where}: unknown parent {record.parent!r}")
        parent_level = by_code[record.parent].level if record.parent else None
        if level.parent is not None and record.parent is not None and parent_level != level.parent:
            raise ProfileError(f"{where}: parent must be a {level.parent!r}")
    return data.territories


def profile_path(code: str) -> Path:
    return DATA_DIR / f"{code}.toml"


@cache
def load_profile(code: str) -> Profile:
    return parse_profile(profile_path(code))


def active_profile() -> Profile:
    """The profile this instance runs, from settings.OPENNRM_PROFILE."""
    return load_profile(settings.OPENNRM_PROFILE)


def active_territory_records() -> tuple[TerritoryRecord, ...]:
    profile = active_profile()
    return load_territory_records(profile, DATA_DIR / profile.territory_data)


def available_profiles() -> list[str]:
    return sorted(path.stem for path in DATA_DIR.glob("*.toml"))
