"""The web layer's layout: one package per area, its templates next to it under unchanged names.

`config/settings/base.py` lists opennrm/web/templates (shared, first) and every area's
templates/ folder. A name defined in two folders would silently resolve to the first one.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

import opennrm.web

WEB = Path(opennrm.web.__file__).resolve().parent


def _template_dirs() -> list[Path]:
    return [WEB / "templates", *sorted(WEB.glob("*/templates"))]


def _templates() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for folder in _template_dirs():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found.setdefault(str(path.relative_to(folder)), []).append(path)
    return found


def test_every_template_folder_of_the_web_layer_is_configured():
    configured = {Path(folder).resolve() for folder in settings.TEMPLATES[0]["DIRS"]}
    assert set(_template_dirs()) <= configured


def test_no_template_name_is_defined_twice():
    assert {name: paths for name, paths in _templates().items() if len(paths) > 1} == {}


@pytest.mark.parametrize("name", sorted(_templates()))
def test_each_name_resolves_to_its_file(name):
    assert Path(get_template(name).origin.name) == _templates()[name][0]
