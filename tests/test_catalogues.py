"""Both message catalogues (fr, en) exist and are complete: no untranslated, no fuzzy entry."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "opennrm" / "locale"
LANGUAGES = ["fr", "en"]


def _catalogue(language: str) -> polib.POFile:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.is_file(), f"missing catalogue {path}"
    return polib.pofile(str(path))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_exists_and_is_not_empty(language):
    catalogue = _catalogue(language)
    assert len([entry for entry in catalogue if not entry.obsolete]) > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_untranslated_entry(language):
    missing = [entry.msgid for entry in _catalogue(language).untranslated_entries()]
    assert missing == [], f"{len(missing)} untranslated in {language}: {missing[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_defined_twice(language):
    """Two branches adding the same msgid (with different translations) make a catalogue
    that GNU msgfmt refuses and that polib compiles silently, keeping one of them."""
    seen: set[tuple[str | None, str]] = set()
    twice = []
    for entry in _catalogue(language):
        key = (entry.msgctxt, entry.msgid)
        if key in seen and not entry.obsolete:
            twice.append(entry.msgid)
        seen.add(key)
    assert twice == [], f"defined twice in {language}: {twice[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fuzzy_entry(language):
    fuzzy = [entry.msgid for entry in _catalogue(language).fuzzy_entries()]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_all_translated(language):
    incomplete = [
        entry.msgid
        for entry in _catalogue(language)
        if entry.msgid_plural and not entry.obsolete and not all(entry.msgstr_plural.values())
    ]
    assert incomplete == []


def test_both_catalogues_hold_the_same_messages():
    french, english = (
        {entry.msgid for entry in _catalogue(language) if not entry.obsolete}
        for language in LANGUAGES
    )
    assert french ^ english == set()


@pytest.mark.gettext
def test_the_catalogues_hold_every_message_of_the_source():
    """Re-extract with GNU gettext: no string of the code or templates may be missing."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    po_path = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
    original = po_path.read_bytes()
    committed = {entry.msgid for entry in polib.pofile(str(po_path)) if not entry.obsolete}
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "fr",
                "--no-obsolete",
                "--no-location",
                "--ignore",
                "*/migrations/*",
            ],
            cwd=LOCALE_DIR.parent,
            env={**os.environ, "PYTHONPATH": str(LOCALE_DIR.parent.parent)},
            check=True,
            capture_output=True,
        )
        extracted = {entry.msgid for entry in polib.pofile(str(po_path)) if not entry.obsolete}
    finally:
        po_path.write_bytes(original)
    missing = sorted(extracted - committed)
    assert not missing, (
        f"{len(missing)} messages missing from the catalogues (make messages): {missing[:10]}"
    )
