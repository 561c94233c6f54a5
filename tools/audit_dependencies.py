"""Audit the lock files, telling "audited and clean" apart from "could not be audited".

    python tools/audit_dependencies.py [requirements/base.txt requirements/dev.txt ...]

1. When OPENNRM_ADVISORY_DB names an offline copy of the PyPA advisory database (OSV format,
   `tools/osv_audit.py`), every pinned package of every lock file is checked against it: the
   copy's date is printed (a warning when it is older than 30 days), with the count of packages
   audited and of vulnerabilities found; any vulnerability not accepted in
   requirements/audit-exceptions.txt (by its id or an alias) fails.
2. pip-audit then runs on each lock file (no install: `--disable-pip`) against the PyPI
   vulnerability service, for machines that can reach it, and:

- fails (exit 1) when a known vulnerability is found that is not listed in
  requirements/audit-exceptions.txt, where every exception names its justification (an ADR);
- when the vulnerability service cannot be reached or knows none of the packages, says loudly
  that nothing was audited, and fails only if OPENNRM_REQUIRE_PIP_AUDIT=1: a machine without
  access to the service must not pass for a clean audit, nor block work that cannot be checked.
"""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import osv_audit

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "requirements" / "audit-exceptions.txt"
DEFAULT_LOCKS = [ROOT / "requirements" / "base.txt", ROOT / "requirements" / "dev.txt"]


def _shown(lock: Path) -> Path:
    return lock.relative_to(ROOT) if lock.is_relative_to(ROOT) else lock


def exceptions() -> dict[str, str]:
    """Vulnerability id → justification, from `ID  # why, see docs/adr/NNNN-…` lines."""
    found: dict[str, str] = {}
    if not EXCEPTIONS.exists():
        return found
    for line in EXCEPTIONS.read_text().splitlines():
        entry, _, why = line.partition("#")
        if not entry.strip():
            continue
        if not re.search(r"adr/\d{4}", why):
            sys.exit(f"{EXCEPTIONS.name}: {entry.strip()} needs a justification naming its ADR.")
        found[entry.strip()] = why.strip()
    return found


def required() -> bool:
    return os.environ.get("OPENNRM_REQUIRE_PIP_AUDIT", "").lower() in {"1", "true", "yes", "on"}


def audit(lock: Path, ignored: dict[str, str]) -> tuple[list[str], list[str], int]:
    """(vulnerabilities, packages not audited, packages audited) for one lock file."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lock),
        "--require-hashes",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    for vulnerability in ignored:
        command += ["--ignore-vuln", vulnerability]
    result = subprocess.run(  # noqa: S603 — fixed arguments
        command, capture_output=True, text=True, timeout=900, check=False
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        message = (result.stderr or result.stdout).strip().splitlines()
        return [], [f"pip-audit did not run: {message[-1] if message else result.returncode}"], 0
    vulnerabilities, skipped, audited = [], [], 0
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(f"{dependency['name']}: {dependency['skip_reason']}")
            continue
        audited += 1
        for vulnerability in dependency.get("vulns", []):
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version"
            vulnerabilities.append(
                f"{dependency['name']} {dependency['version']}: {vulnerability['id']} "
                f"(fixed in {fixes})"
            )
    return vulnerabilities, skipped, audited


def offline_audit(database: Path, locks: list[Path], ignored: dict[str, str]) -> bool:
    """The lock files against the offline OSV copy; True when it found an unaccepted one."""
    if not (database / "vulns").is_dir():
        print(f"OPENNRM_ADVISORY_DB={database}: no vulns/ folder there.")  # noqa: T201
        return True
    taken = osv_audit.snapshot_date(database)
    if taken is None:
        print(f"Advisory database {database}: its date is unknown (no SOURCE).")  # noqa: T201
    else:
        age = datetime.datetime.now(datetime.UTC) - taken
        print(f"Advisory database {database}: copy of {taken.date().isoformat()}.")  # noqa: T201
        if age > osv_audit.STALE_AFTER:
            print(  # noqa: T201
                f"WARNING: the advisory database is {age.days} days old: vulnerabilities "
                "published since then are not known to this audit; refresh the copy."
            )
    failed = False
    for lock in locks:
        packages = osv_audit.pins(lock)
        findings = osv_audit.audit(database, packages)
        open_findings = [f for f in findings if not f.names() & set(ignored)]
        for finding in findings:
            label = "ACCEPTED" if finding not in open_findings else "VULNERABLE"
            print(f"{label} {finding}")  # noqa: T201
        name = _shown(lock)
        print(  # noqa: T201
            f"OSV audit: {len(packages)} packages of {name} audited, {len(findings)} known "
            f"vulnerabilit{'y' if len(findings) == 1 else 'ies'} "
            f"({len(findings) - len(open_findings)} accepted)."
        )
        failed = failed or bool(open_findings)
    return failed


def main(arguments: list[str]) -> int:
    locks = [Path(argument).resolve() for argument in arguments] or DEFAULT_LOCKS
    ignored = exceptions()
    for vulnerability, why in ignored.items():
        print(f"Accepted exception {vulnerability}: {why}")  # noqa: T201
    failed = False
    database = os.environ.get("OPENNRM_ADVISORY_DB", "")
    if database:
        failed = offline_audit(Path(database), locks, ignored)
    else:
        print("OPENNRM_ADVISORY_DB is not set: no offline audit.")  # noqa: T201
    for lock in locks:
        vulnerabilities, skipped, audited = audit(lock, ignored)
        name = _shown(lock)
        for vulnerability in vulnerabilities:
            print(f"VULNERABLE {vulnerability}")  # noqa: T201
        failed = failed or bool(vulnerabilities)
        if skipped:
            print(  # noqa: T201
                f"NOT AUDITED by pip-audit: {len(skipped)} of {len(skipped) + audited} packages "
                f"of {name} could not be checked online (is the PyPI vulnerability service "
                "reachable?):"
            )
            for line in skipped[:10]:
                print(f"  {line}")  # noqa: T201
            if len(skipped) > 10:
                print(f"  … and {len(skipped) - 10} more")  # noqa: T201
            if required():
                failed = True
            else:
                print("  (OPENNRM_REQUIRE_PIP_AUDIT=1 makes this an error.)")  # noqa: T201
        if audited and not vulnerabilities:
            print(f"pip-audit: {audited} packages of {name} audited, no known vulnerability.")  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
