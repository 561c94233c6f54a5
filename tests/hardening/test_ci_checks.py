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
    assert "OPENNRM_ADVISORY_DB" in (BASE_DIR / ".ci" / "run").read_text()
    assert "requirements/dev.txt" in re.search(r"^audit-dependencies:\n(.*)$", makefile, re.M)[1]
    assert "postgresql-client" in (BASE_DIR / ".ci" / "run").read_text()


def test_the_production_settings_pass_check_deploy_at_warning_level():
    result = manage_in_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# tools/audit_dependencies.py -------------------------------------------------------------------


@pytest.fixture
def audit_tool(monkeypatch):
    monkeypatch.delenv("OPENNRM_ADVISORY_DB", raising=False)  # each test says which copy
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


# The offline OSV audit ------------------------------------------------------------------------

ADVISORY = """
id: PYSEC-2099-1
aliases: [CVE-2099-0001, GHSA-aaaa-bbbb-cccc]
affected:
- package: {{name: {name}, ecosystem: PyPI}}
  ranges:
  - type: ECOSYSTEM
    events:
    - {{introduced: "0"}}
    - {{fixed: "2.0.0"}}
    - {{introduced: "3.0"}}
    - {{last_affected: "3.1"}}
  versions: ["9.9.9"]
"""


def _advisory_db(tmp_path, *, name="Fictive_Package", withdrawn=False, date="2026-12-01"):
    folder = tmp_path / "db" / "vulns" / "fictive-package"
    folder.mkdir(parents=True)
    text = ADVISORY.format(name=name)
    if withdrawn:
        text += 'withdrawn: "2099-01-02T00:00:00Z"\n'
    (folder / "PYSEC-2099-1.yaml").write_text(text)
    (tmp_path / "db" / "SOURCE").write_text(f"0123abcd {date}T00:00:00+00:00\n")
    return tmp_path / "db"


def _lock(tmp_path, version):
    lock = tmp_path / f"lock-{version}.txt"
    lock.write_text(f"fictive-package=={version} \\\n    --hash=sha256:00\nother==1.0\n")
    return lock


@pytest.mark.parametrize(
    ("version", "affected"),
    [("1.5", True), ("2.0.0", False), ("2.5", False), ("3.0", True), ("3.1", True),
     ("3.1.1", False), ("9.9.9", True)],
)  # fmt: skip
def test_the_osv_ranges_are_read_as_the_schema_says(audit_tool, tmp_path, version, affected):
    database = _advisory_db(tmp_path)
    findings = audit_tool.osv_audit.audit(
        database, audit_tool.osv_audit.pins(_lock(tmp_path, version))
    )
    assert bool(findings) is affected
    if affected:
        assert findings[0].advisory == "PYSEC-2099-1"
        assert "CVE-2099-0001" in findings[0].names()


def test_the_offline_audit_fails_on_a_vulnerability_and_says_how_fresh_it_is(
    monkeypatch, audit_tool, tmp_path, capsys
):
    _fake_pip_audit(monkeypatch, audit_tool, UNREACHABLE)
    monkeypatch.delenv("OPENNRM_REQUIRE_PIP_AUDIT", raising=False)
    monkeypatch.setenv("OPENNRM_ADVISORY_DB", str(_advisory_db(tmp_path, date="2020-01-01")))
    assert audit_tool.main([str(_lock(tmp_path, "1.5"))]) == 1
    output = capsys.readouterr().out
    assert "copy of 2020-01-01" in output
    assert "WARNING: the advisory database is" in output
    assert "VULNERABLE fictive-package 1.5: PYSEC-2099-1" in output
    assert "2 packages of" in output and "1 known vulnerability" in output
    assert audit_tool.main([str(_lock(tmp_path, "2.5"))]) == 0
    assert "0 known vulnerabilities" in capsys.readouterr().out


def test_an_accepted_alias_and_a_withdrawn_advisory_do_not_fail(
    monkeypatch, audit_tool, tmp_path, capsys
):
    _fake_pip_audit(monkeypatch, audit_tool, UNREACHABLE)
    listed = tmp_path / "audit-exceptions.txt"
    listed.write_text("CVE-2099-0001  # not reachable here, see docs/adr/0009-x.md\n")
    monkeypatch.setattr(audit_tool, "EXCEPTIONS", listed)
    monkeypatch.setenv("OPENNRM_ADVISORY_DB", str(_advisory_db(tmp_path)))
    assert audit_tool.main([str(_lock(tmp_path, "1.5"))]) == 0
    assert "ACCEPTED fictive-package 1.5" in capsys.readouterr().out
    listed.write_text("")
    withdrawn = tmp_path / "w"
    withdrawn.mkdir()
    monkeypatch.setenv("OPENNRM_ADVISORY_DB", str(_advisory_db(withdrawn, withdrawn=True)))
    assert audit_tool.main([str(_lock(tmp_path, "1.5"))]) == 0


def test_the_real_lock_files_have_no_known_vulnerability_in_the_shared_copy(audit_tool):
    database = BASE_DIR.parent / "shared" / "advisory-database"
    if not (database / "vulns").is_dir():
        pytest.skip("no shared advisory database beside the project")
    for lock in ("base.txt", "dev.txt"):
        packages = audit_tool.osv_audit.pins(BASE_DIR / "requirements" / lock)
        assert len(packages) > 40
        assert [str(f) for f in audit_tool.osv_audit.audit(database, packages)] == []
