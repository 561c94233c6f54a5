"""Load indicator catalogues (TOML files in data/), with errors that name the faulty key."""

import re
import tomllib
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from opennrm.indicators.schema import Catalogue

DATA_DIR = Path(__file__).resolve().parent / "data"
VERSION = re.compile(r"^\d{4}\.\d{1,3}$")


class CatalogueError(ImproperlyConfigured):
    """A catalogue file is missing or malformed."""


class UnknownCatalogueVersion(LookupError):
    """No catalogue file for this version."""

    def __init__(self, version: str) -> None:
        super().__init__(f"unknown catalogue version: {version}")
        self.version = version


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"key '{key}': {item['msg']}")
    return "; ".join(lines)


def parse_catalogue(path: Path) -> Catalogue:
    """Read one catalogue file; raise CatalogueError naming each faulty key."""
    if not path.is_file():
        raise CatalogueError(f"Catalogue file not found: {path}")
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path.name} is not valid TOML: {exc}") from exc
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise CatalogueError(f"Invalid catalogue {path.name}: {_describe(exc)}") from exc
    if catalogue.version != path.stem:
        raise CatalogueError(
            f"Invalid catalogue {path.name}: key 'version': {catalogue.version!r} "
            f"does not match the file name"
        )
    return catalogue


def version_key(version: str) -> tuple[int, ...]:
    """Order versions numerically: 2026.10 comes after 2026.9."""
    return tuple(int(part) for part in version.split("."))


def available_versions() -> list[str]:
    """Every catalogue version shipped, oldest first."""
    versions = (path.stem for path in DATA_DIR.glob("*.toml") if VERSION.match(path.stem))
    return sorted(versions, key=version_key)


@cache
def load_catalogue(version: str) -> Catalogue:
    """The catalogue of `version`; raise UnknownCatalogueVersion if there is none."""
    if version not in available_versions():
        raise UnknownCatalogueVersion(version)
    return parse_catalogue(DATA_DIR / f"{version}.toml")


def latest_catalogue() -> Catalogue:
    """The newest catalogue that is not withdrawn."""
    for version in reversed(available_versions()):
        catalogue = load_catalogue(version)
        if catalogue.status != "withdrawn":
            return catalogue
    raise CatalogueError(f"No usable indicator catalogue in {DATA_DIR}")
