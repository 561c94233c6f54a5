"""The import contracts of OpenNRM's packages (ARCHITECTURE.md, "Dependency direction").

Reads every module's imports (module level, inside functions and under TYPE_CHECKING alike) and
fails, naming the module, the line and the rule, when one of them breaks a contract:

1. Layers: a package imports only the packages it is allowed to (ALLOWED below); nothing but
   `web` and `demo` sees the layers above the steps, and no package imports `web` or `demo`
   except themselves.
2. Steps (detection, identification, support) reach each other only through `services`.
3. No module outside `opennrm/web/` imports `django.http`, except `Http404` in the access
   modules and the framework glue whose API hands it a request (Django admin modules).

Run: `python tools/check_imports.py [root]`; `make quality` runs it.
"""

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BASE = {"profiles", "indicators"}
CORE = BASE | {"core", "audit"}
ALLOWED: dict[str, set[str]] = {
    "profiles": set(),
    "indicators": {"profiles"},
    # core and audit know each other: core's actions write the trail, the trail names who acted.
    "core": {"profiles", "indicators", "audit"},
    "audit": {"profiles", "core"},
    "crypto": CORE,
    # The outbox (EMAIL_BACKEND): core and audit send e-mails through Django's mail API, which
    # writes to it, so no lower package imports it.
    "outbox": CORE | {"crypto"},
    "directory": CORE | {"crypto"},
    "cases": CORE | {"crypto"},
    "documents": CORE | {"cases"},
    "privacy": CORE | {"crypto", "cases", "documents"},
    "detection": CORE | {"crypto", "cases", "documents", "privacy", "identification", "support"},
    "identification": CORE | {"crypto", "cases", "documents", "privacy", "detection", "support"},
    "support": CORE | {"crypto", "cases", "documents", "privacy", "detection", "identification"},
    # Counts across the steps for the monitoring pages: it reads the steps, none reads it.
    "monitoring": CORE | {"cases", "detection", "identification", "support"},
    # The protocol from the profile and the catalogue: reads no step.
    "protocol": CORE,
    # HTCDS export and import: reads cases and facts, creates concerns through detection's
    # actions; no step imports it.
    "exchange": CORE | {"crypto", "cases", "detection", "privacy"},
    # The recognition of authorised reporters: keeps the organisation's fields in step.
    "recognition": CORE,
}
STEPS = {"detection", "identification", "support"}
STEP_FACE = "services"  # the one module of a step that the other steps may import
TOP = {"web", "demo"}
ROOT_MODULES = {"i18n_compile"}  # opennrm/<module>.py: tools, importable by all
HTTP_GLUE = ("admin.py",)  # Django admin modules receive requests from the framework
ACCESS_MODULE = "access.py"


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}"


def _imports(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def check_module(path: Path, root: Path) -> list[Violation]:
    relative = path.relative_to(root)
    parts = relative.parts
    if len(parts) < 2 or parts[0] != "opennrm" or "migrations" in parts:
        return []
    package = parts[1] if len(parts) > 2 else ""
    found: list[Violation] = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for line, module, names in _imports(tree):
        if module == "django.http" or module.startswith("django.http."):
            if package == "web":
                continue
            if path.name in HTTP_GLUE:
                continue
            if path.name == ACCESS_MODULE and names and set(names) <= {"Http404"}:
                continue
            found.append(
                Violation(relative, line, "django.http outside opennrm/web (take an Actor)")
            )
            continue
        if not module.startswith("opennrm."):
            continue
        target = module.split(".")
        imported = target[1]
        if imported == package or imported in ROOT_MODULES or package == "":
            continue
        if package in TOP:
            if imported in TOP:
                found.append(Violation(relative, line, f"{package} imports {imported}"))
            continue
        if imported in TOP:
            found.append(Violation(relative, line, f"{package} imports {imported}"))
            continue
        allowed = ALLOWED.get(package)
        if allowed is None:
            found.append(Violation(relative, line, f"package {package} has no contract"))
            continue
        if imported not in allowed:
            found.append(Violation(relative, line, f"{package} may not import {imported}"))
            continue
        if package in STEPS and imported in STEPS:
            face = target[2] if len(target) > 2 else ""
            if face != STEP_FACE:
                found.append(
                    Violation(
                        relative,
                        line,
                        f"{package} reaches {module}: another step only through"
                        f" opennrm.{imported}.{STEP_FACE}",
                    )
                )
    return found


def check(root: Path) -> list[Violation]:
    violations: list[Violation] = []
    for path in sorted((root / "opennrm").rglob("*.py")):
        violations.extend(check_module(path, root))
    return violations


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    violations = check(root)
    for violation in violations:
        print(violation)  # noqa: T201
    if violations:
        print(f"{len(violations)} import(s) break the contracts (tools/check_imports.py).")  # noqa: T201
        return 1
    print("Import contracts kept.")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
