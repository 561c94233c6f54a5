"""The import contracts hold (tools/check_imports.py), and the checker catches a broken one."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _checker():
    spec = importlib.util.spec_from_file_location("check_imports", ROOT / "tools/check_imports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_imports"] = module
    spec.loader.exec_module(module)
    return module


def test_the_project_keeps_its_import_contracts():
    assert [str(v) for v in _checker().check(ROOT)] == []


def test_no_domain_module_mentions_http_requests():
    """The domain takes an Actor; only the web layer and the admin glue see a request."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "opennrm").rglob("*.py")
        if "HttpRequest" in path.read_text(encoding="utf-8")
        and path.parts[len(ROOT.parts) + 1] != "web"
        and path.name != "admin.py"
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("path", "source", "rule"),
    [
        ("privacy/retention.py", "from opennrm.support.models import X\n", "privacy may not"),
        ("cases/access.py", "from opennrm.privacy import breakglass\n", "cases may not"),
        (
            "detection/actions.py",
            "def f():\n    from opennrm.identification.actions import refer\n",
            "only through opennrm.identification.services",
        ),
        ("support/plans.py", "from opennrm.web.formtools import posted\n", "support imports web"),
        ("core/actions.py", "from django.http import HttpRequest\n", "django.http outside"),
        ("cases/access.py", "from django.http import Http404, HttpRequest\n", "django.http"),
        ("web/views.py", "from opennrm.demo.acting import as_persona\n", "web imports demo"),
        ("newstep/actions.py", "from opennrm.cases.models import Case\n", "has no contract"),
    ],
)
def test_a_broken_contract_is_named(tmp_path, path, source, rule):
    module = tmp_path / "opennrm" / path
    module.parent.mkdir(parents=True)
    module.write_text(source)
    violations = [str(v) for v in _checker().check(tmp_path)]
    assert len(violations) == 1
    assert rule in violations[0]
    assert violations[0].startswith(f"opennrm/{path}:")


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("detection/actions.py", "from opennrm.support.services import open_protection\n"),
        ("cases/access.py", "from django.http import Http404\n"),
        ("audit/admin.py", "from django.http import HttpRequest\n"),
        ("privacy/rights.py", "from opennrm.cases.persons import update_person\n"),
        ("web/views.py", "from opennrm.support.plans import send\n"),
    ],
)
def test_what_the_contracts_allow_passes(tmp_path, path, source):
    module = tmp_path / "opennrm" / path
    module.parent.mkdir(parents=True)
    module.write_text(source)
    assert _checker().check(tmp_path) == []
