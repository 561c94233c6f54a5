"""The security checks CI runs: ruff's S rules without blanket exceptions, pip-audit through
tools/audit_dependencies.py, Django's deployment checklist on the production settings."""

import importlib.util
import json
import re
import subprocess
import tomllib

import pytest

from tests.hardening.helpers import BASE_DIR, manage_in_production


def _ruff_config() -> dict:
    return tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]


def test_ruff_selects_the_security_rules_and_ignores_none_globally():
    config = _ruff_config()
    assert "S" in config["select"]
    assert not [code for code in config.get("ignore", []) if code.startswith("S")]


def test_only_tests_and_bench_relax_security_rules():
    for pattern, codes in _ruff_config().get("per-file-ignores", {}).items():
        relaxed = [code for code in codes if code.startswith("S")]
        if relaxed:
            assert pattern in {"tests/**", "bench/**"}, pattern
            assert "S" not in relaxed  # never the whole family
            assert set(relaxed) <= {"S101", "S105", "S106", "S311"}, (pattern, relaxed)


def test_every_security_noqa_says_why():
    offenders = []
    for folder in ("opennrm", "config", "tools"):
        for path in (BASE_DIR / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                match = re.search(r"#\s*noqa:?\s*(S\d+(?:\s*,\s*\w+)*)(.*)$", line)
                if match and not re.search(r"\w", match.group(2)):
                    offenders.append(f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}")
                if re.search(r"#\s*noqa\s*$", line):
                    offenders.append(f"{path.relative_to(BASE_DIR)}:{number}: bare noqa")
    assert offenders == []


def test_ci_runs_the_security_checks():
    makefile = (BASE_DIR / "Makefile").read_text()
    target = re.search(r"^security:(.*)$", makefile, re.M)
    assert target is not None
    for step in ("security-lint", "audit-dependencies", "check-deploy"):
        assert step in target.group(1)
    assert "make security" in (BASE_DIR / ".ci" / "run").read_text()
    assert "postgresql-client" in (BASE_DIR / ".ci" / "run").read_text()


def test_the_production_settings_pass_check_deploy_at_warning_level():
    result = manage_in_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# tools/audit_dependencies.py -------------------------------------------------------------------


@pytest.fixture
def audit_tool():
    spec = importlib.util.spec_from_file_location(
        "audit_dependencies", BASE_DIR / "tools" / "audit_dependencies.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_pip_audit(monkeypatch, audit_tool, report: dict) -> list[list[str]]:
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, stdout=json.dumps(report), stderr="")

    monkeypatch.setattr(audit_tool.subprocess, "run", run)
    return calls


CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.0",
            "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["5.2.1"], "aliases": []}],
        }
    ],
    "fixes": [],
}
UNREACHABLE = {
    "dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}],
    "fixes": [],
}


def test_a_clean_audit_passes(monkeypatch, audit_tool, capsys):
    calls = _fake_pip_audit(monkeypatch, audit_tool, CLEAN)
    assert audit_tool.main([]) == 0
    assert "--require-hashes" in calls[0]
    assert "no known vulnerability" in capsys.readouterr().out


def test_a_vulnerability_fails(monkeypatch, audit_tool, capsys):
    _fake_pip_audit(monkeypatch, audit_tool, VULNERABLE)
    assert audit_tool.main([]) == 1
    assert "VULNERABLE django 5.2.0: PYSEC-0000-1 (fixed in 5.2.1)" in capsys.readouterr().out


def test_an_unreachable_service_is_not_a_clean_audit(monkeypatch, audit_tool, capsys):
    _fake_pip_audit(monkeypatch, audit_tool, UNREACHABLE)
    monkeypatch.delenv("OPENNRM_REQUIRE_PIP_AUDIT", raising=False)
    assert audit_tool.main([]) == 0
    output = capsys.readouterr().out
    assert "NOT AUDITED" in output
    assert "no known vulnerability" not in output
    monkeypatch.setenv("OPENNRM_REQUIRE_PIP_AUDIT", "1")
    assert audit_tool.main([]) == 1


def test_exceptions_need_an_adr(monkeypatch, audit_tool, tmp_path):
    listed = tmp_path / "audit-exceptions.txt"
    monkeypatch.setattr(audit_tool, "EXCEPTIONS", listed)
    listed.write_text("# comment\nPYSEC-0000-1  # not reachable, see docs/adr/0009-x.md\n")
    assert audit_tool.exceptions() == {"PYSEC-0000-1": "not reachable, see docs/adr/0009-x.md"}
    calls = _fake_pip_audit(monkeypatch, audit_tool, CLEAN)
    audit_tool.main([])
    assert calls[0][-2:] == ["--ignore-vuln", "PYSEC-0000-1"]
    listed.write_text("PYSEC-0000-2  # because\n")
    with pytest.raises(SystemExit, match="ADR"):
        audit_tool.exceptions()


def test_the_real_exception_list_is_valid(audit_tool):
    assert isinstance(audit_tool.exceptions(), dict)
