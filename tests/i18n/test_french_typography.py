"""French typography in the French catalogue and the profiles' French labels: a narrow
no-break space (U+202F) before ; ! ? and a no-break space (U+00A0) before :, never a plain
space or none (issue #13, point 7).

Web addresses, times (10:30) and a mark right after a placeholder (`%(label)s:`, `{count}:`)
are left alone: what comes before is not French text."""

import re
import tomllib
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "opennrm/locale/fr/LC_MESSAGES/django.po"

URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|mailto:|www\.)\S*", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^{}]*\}")
SPACE_BEFORE = {":": "\u00a0", ";": "\u202f", "!": "\u202f", "?": "\u202f"}
PUNCTUATION = "".join(SPACE_BEFORE)


def problems(text: str) -> list[tuple[int, str, str]]:
    """(position, mark, the character before it) of each mark without its no-break space."""
    masked = URL.sub(lambda match: "U" * len(match.group()), text)
    masked = PLACEHOLDER.sub(lambda match: "P" * len(match.group()), masked)
    found = []
    for match in re.finditer(f"[{re.escape(PUNCTUATION)}]", masked):
        position, mark = match.start(), match.group()
        if position == 0:
            continue
        before = masked[position - 1]
        after = masked[position + 1 : position + 2]
        if mark == ":" and before.isdigit() and after.isdigit():
            continue  # a time, 10:30
        if before in "UP" and text[position - 1] != before:
            continue  # a web address or a placeholder
        if before in PUNCTUATION:
            continue  # "?!": the first mark has the space
        if before != SPACE_BEFORE[mark]:
            found.append((position, mark, before))
    return found


def _french_messages() -> list[tuple[str, str]]:
    catalogue = polib.pofile(str(CATALOGUE))
    messages = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                messages.append((entry.msgid, text))
    return messages


def test_every_french_message_has_its_no_break_spaces():
    wrong = [
        f"{text!r} ({mark!r} after {before!r})"
        for _msgid, text in _french_messages()
        for _position, mark, before in problems(text)
    ]
    assert wrong == [], f"{len(wrong)} marks without their no-break space:\n" + "\n".join(
        wrong[:20]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nationalité : Roumanie", [(12, ":", " ")]),
        ("Nationalité: Roumanie", [(11, ":", "é")]),
        ("Nationalité\u00a0: Roumanie", []),
        ("Où ?", [(3, "?", " ")]),
        ("Où\u00a0?", [(3, "?", "\u00a0")]),
        ("Où\u202f?", []),
        ("Attention\u202f!", []),
        ("Un\u202f; deux", []),
        ("Ouvert de 10:30 à 12:00", []),
        ("Voir https://example.org/a?b=c:d", []),
        ("%(label)s: %(value)s", []),
        ("{count}: reste", []),
        ("Vraiment\u202f?!", []),
    ],
)
def test_the_rule(text, expected):
    assert problems(text) == expected


def _french_labels(data: object, where: str) -> list[tuple[str, str]]:
    if isinstance(data, dict):
        found = []
        for key, value in data.items():
            if key == "fr" and isinstance(value, str):
                found.append((where, value))
            else:
                found.extend(_french_labels(value, f"{where}.{key}"))
        return found
    if isinstance(data, list):
        return [
            item for n, value in enumerate(data) for item in _french_labels(value, f"{where}[{n}]")
        ]
    return []


def test_the_profiles_french_labels_too():
    profiles = CATALOGUE.parents[3] / "profiles" / "data"
    wrong = [
        f"{path.name}{where}: {text!r}"
        for path in sorted(profiles.rglob("*.toml"))
        for where, text in _french_labels(tomllib.loads(path.read_text("utf-8")), "")
        if problems(text)
    ]
    assert wrong == []
