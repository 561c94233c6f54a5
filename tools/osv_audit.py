"""Audit pinned lock files against an offline OSV advisory database (a directory).

    python tools/osv_audit.py DATABASE requirements/base.txt [requirements/dev.txt ...]

DATABASE is a copy of the PyPA advisory database in OSV format: `vulns/<package>/<id>.yaml`,
and a `SOURCE` file (`<commit> <ISO date>`) saying how fresh it is. Each `name==version` of the
lock files is checked against the advisories of its package (the `versions` lists and the
`ECOSYSTEM` ranges of the OSV schema, https://ossf.github.io/osv-schema/); withdrawn advisories
are skipped. Used by tools/audit_dependencies.py when OPENNRM_ADVISORY_DB is set.
"""

import datetime
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

STALE_AFTER = datetime.timedelta(days=30)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name: str) -> str:
    """PEP 503 normalised name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> list[tuple[str, str]]:
    """(name, version) of every pinned requirement of a lock file."""
    found = []
    for line in lock.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found.append((canonical(match.group(1)), match.group(2)))
    return found


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    aliases: tuple[str, ...]
    fixed: tuple[str, ...]

    def names(self) -> set[str]:
        return {self.advisory, *self.aliases}

    def __str__(self) -> str:
        fixes = ", ".join(self.fixed) or "no fixed version"
        also = f" ({', '.join(self.aliases)})" if self.aliases else ""
        return f"{self.package} {self.version}: {self.advisory}{also}, fixed in {fixes}"


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """Whether `version` is affected by one OSV range (introduced / fixed / last_affected)."""
    parsed: list[tuple[Version, str]] = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                value = Version("0") if event[kind] == "0" else _version(str(event[kind]))
                if value is not None:
                    parsed.append((value, kind))
    affected = False
    for value, kind in sorted(parsed, key=lambda item: item[0]):
        if kind == "introduced" and value <= version:
            affected = True
        elif (kind == "fixed" and value <= version) or (
            kind == "last_affected" and value < version
        ):
            affected = False
    return affected


def _fixed_versions(entry: dict[str, Any]) -> list[str]:
    return [
        str(event["fixed"])
        for rng in entry.get("ranges", [])
        for event in rng.get("events", [])
        if "fixed" in event
    ]


def is_affected(version: str, entry: dict[str, Any]) -> bool:
    listed = {str(item) for item in entry.get("versions", [])}
    if version in listed:
        return True
    parsed = _version(version)
    if parsed is None:
        return False
    if any(_version(item) == parsed for item in listed):
        return True
    return any(
        _in_range(parsed, rng.get("events", []))
        for rng in entry.get("ranges", [])
        if rng.get("type") in {"ECOSYSTEM", "SEMVER"}
    )


def _advisories(database: Path, package: str) -> Iterator[dict[str, Any]]:
    folder = database / "vulns" / package
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.json")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(record, dict) and not record.get("withdrawn"):
            yield record


def audit(database: Path, packages: Iterable[tuple[str, str]]) -> list[Finding]:
    findings = []
    for package, version in packages:
        for record in _advisories(database, package):
            for entry in record.get("affected", []):
                name = canonical(str(entry.get("package", {}).get("name", "")))
                if name == package and is_affected(version, entry):
                    findings.append(
                        Finding(
                            package,
                            version,
                            str(record["id"]),
                            tuple(str(alias) for alias in record.get("aliases", []) or []),
                            tuple(_fixed_versions(entry)),
                        )
                    )
                    break
    return findings


def snapshot_date(database: Path) -> datetime.datetime | None:
    """The date of the copy, from its SOURCE file (`<commit> <ISO date>`)."""
    source = database / "SOURCE"
    if not source.exists():
        return None
    parts = source.read_text().split()
    try:
        return datetime.datetime.fromisoformat(parts[-1])
    except (IndexError, ValueError):
        return None


def main(arguments: list[str]) -> int:
    if len(arguments) < 2:
        print(__doc__)  # noqa: T201
        return 2
    database, locks = Path(arguments[0]), [Path(argument) for argument in arguments[1:]]
    findings = []
    for lock in locks:
        findings += audit(database, pins(lock))
    for finding in findings:
        print(f"VULNERABLE {finding}")  # noqa: T201
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
