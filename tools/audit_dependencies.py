"""pip-audit on the lock file, telling "audited and clean" apart from "could not be audited".

    python tools/audit_dependencies.py [requirements/base.txt ...]

Runs pip-audit on each pinned, hashed lock file (no install: `--disable-pip`) against the PyPI
vulnerability data, and:

- fails (exit 1) when a known vulnerability is found that is not listed in
  requirements/audit-exceptions.txt, where every exception names its justification (an ADR);
- when the vulnerability service cannot be reached or knows none of the packages, says loudly
  that nothing was audited, and fails only if OPENNRM_REQUIRE_PIP_AUDIT=1: a machine without
  access to the service must not pass for a clean audit, nor block work that cannot be checked.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "requirements" / "audit-exceptions.txt"
DEFAULT_LOCKS = [ROOT / "requirements" / "base.txt"]


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


def main(arguments: list[str]) -> int:
    locks = [Path(argument) for argument in arguments] or DEFAULT_LOCKS
    ignored = exceptions()
    for vulnerability, why in ignored.items():
        print(f"Accepted exception {vulnerability}: {why}")  # noqa: T201
    failed = False
    for lock in locks:
        vulnerabilities, skipped, audited = audit(lock, ignored)
        name = lock.relative_to(ROOT) if lock.is_absolute() else lock
        for vulnerability in vulnerabilities:
            print(f"VULNERABLE {vulnerability}")  # noqa: T201
        failed = failed or bool(vulnerabilities)
        if skipped:
            print(  # noqa: T201
                f"NOT AUDITED: {len(skipped)} of {len(skipped) + audited} packages of {name} "
                "could not be checked (is the PyPI vulnerability service reachable?):"
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
