"""The rights leaflet's text per language: versioned data, one TOML file per language.

`data/leaflets/<code>.toml` holds, for one language, the leaflet's sections (`[text]`), the
rights summary (`[summary]`: a title and short points), the language's own name, the HTML
`lang` and writing direction, and the translation's status (`reviewed` by a professional
translator, or `to_be_reviewed`). English (`en.toml`) is the source: every file must have
exactly its keys, the same number of summary points and the same `{placeholders}` in each
text. The files are checked when first read (`LeafletError` names the file and the key), and
a test reads them all. These texts are data, not gettext messages: the leaflet speaks the
person's language, whatever the interface's.

`code` is what a worker asks for (an ISO 639 code, as `RightsInformation.leaflet_language`
stores it); `lang` is the document's language tag: the plain-English version for readers of
Pidgin English has the code `pcm` (Nigerian Pidgin) and is written in English (`lang = "en"`).
"""

import string
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data" / "leaflets"
SOURCE = "en"
STATUSES = ("reviewed", "to_be_reviewed")
DIRECTIONS = ("ltr", "rtl")
# The languages the worker may also read the status in (the interface's languages).
WORKER_LANGUAGES = ("fr", "en")


class LeafletError(ValueError):
    """A leaflet file that breaks the common structure (the message names file and key)."""


@dataclass(frozen=True)
class LeafletText:
    code: str
    lang: str
    direction: str
    name: str
    status: str
    summary_title: str
    summary_points: tuple[str, ...]
    text: dict[str, str]

    @property
    def reviewed(self) -> bool:
        return self.status == "reviewed"

    def status_for(self, other: "LeafletText") -> str:
        """This translation's status, said in `other`'s language (for the worker)."""
        key = "status_reviewed" if self.reviewed else "status_to_be_reviewed"
        return f"{other.text['translation_status'].format(status=other.text[key])} ({self.name})"


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise LeafletError(f"{where}: missing key {key!r}")
    return data[key]


def _parse(path: Path) -> LeafletText:
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LeafletError(f"{where}: {error}") from error
    code = str(_require(data, "code", where))
    if f"{code}.toml" != path.name:
        raise LeafletError(f"{where}: code {code!r} does not match the file's name")
    status = str(_require(data, "status", where))
    if status not in STATUSES:
        raise LeafletError(f"{where}: status must be one of {STATUSES}, not {status!r}")
    direction = str(_require(data, "direction", where))
    if direction not in DIRECTIONS:
        raise LeafletError(f"{where}: direction must be one of {DIRECTIONS}")
    summary = _require(data, "summary", where)
    text = _require(data, "text", where)
    points = _require(summary, "points", f"{where} [summary]")
    if not isinstance(text, dict) or not isinstance(points, list):
        raise LeafletError(f"{where}: [text] must be a table and summary.points a list")
    for key, value in text.items():
        if not isinstance(value, str) or not value.strip():
            raise LeafletError(f"{where}: text.{key} must be a non-empty string")
    return LeafletText(
        code=code,
        lang=str(_require(data, "lang", where)),
        direction=direction,
        name=str(_require(data, "name", where)),
        status=status,
        summary_title=str(_require(summary, "title", f"{where} [summary]")),
        summary_points=tuple(str(point) for point in points),
        text={str(key): str(value) for key, value in text.items()},
    )


def _check_against_source(leaflet: LeafletText, source: LeafletText) -> None:
    where = f"{leaflet.code}.toml"
    missing = sorted(set(source.text) - set(leaflet.text))
    extra = sorted(set(leaflet.text) - set(source.text))
    if missing or extra:
        raise LeafletError(f"{where}: missing keys {missing}, unknown keys {extra}")
    for key, value in source.text.items():
        if _placeholders(leaflet.text[key]) != _placeholders(value):
            raise LeafletError(
                f"{where}: text.{key} must use the placeholders {sorted(_placeholders(value))}"
            )
    if len(leaflet.summary_points) != len(source.summary_points):
        raise LeafletError(f"{where}: summary.points must have {len(source.summary_points)} points")
    for index, (point, model) in enumerate(
        zip(leaflet.summary_points, source.summary_points, strict=True)
    ):
        if _placeholders(point) != _placeholders(model):
            raise LeafletError(f"{where}: summary.points[{index}] placeholders differ")


def load_leaflets(directory: Path = DATA_DIR) -> dict[str, LeafletText]:
    """Every language's leaflet text, checked against the English source."""
    leaflets = {path.stem: _parse(path) for path in sorted(directory.glob("*.toml"))}
    if SOURCE not in leaflets:
        raise LeafletError(f"{directory}: the source {SOURCE}.toml is missing")
    for leaflet in leaflets.values():
        _check_against_source(leaflet, leaflets[SOURCE])
    return leaflets


@cache
def leaflets() -> dict[str, LeafletText]:
    return load_leaflets()


def leaflet_languages() -> list[str]:
    """The codes a leaflet exists in."""
    return sorted(leaflets())


def leaflet_for(code: str) -> LeafletText | None:
    return leaflets().get(code)


def leaflet_label(code: str) -> str:
    """A leaflet's language as the worker reads it: its name in the active language, and the
    leaflet's own name where it says more (the plain-English version for readers of Pidgin
    English, named after Nigerian Pidgin's code)."""
    from opennrm.documents.rendering import language_name

    name = language_name(code)
    leaflet = leaflet_for(code)
    if leaflet is not None and leaflet.name.casefold() not in name.casefold():
        name = f"{name} — {leaflet.name}"
    return name
