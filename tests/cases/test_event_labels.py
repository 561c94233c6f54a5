"""Every kind of timeline event the code writes has a human label on the case page.

The kinds are read from the source: every `CaseEvent.log(case, KIND, …)` in `opennrm/` and every
`self.event(case, moment, KIND, …)` of the national dataset, where KIND is a string, a choice
between strings, an f-string over a known set of values, or a parameter of the function around
it (then the strings its callers pass)."""

import ast
import pathlib
from collections.abc import Iterator

import pytest
from django.utils import translation

from opennrm.cases.enums import ConsentScope, IdentificationStatus
from opennrm.identification.models import Route
from opennrm.support.models import ClaimOutcome, OrientationStatus, ResidenceOutcome
from opennrm.web.cases.views import event_label

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "opennrm"

# The values an f-string kind takes, by its prefix. A new f-string kind must be added here.
EXPANSIONS: dict[str, list[str]] = {
    "status.": list(IdentificationStatus.values),
    "consent.": list(ConsentScope.values),
    "referral.": list(Route.values),
    "orientation.": list(OrientationStatus.values),
    "residence.": [v for v in ResidenceOutcome.values if v != ResidenceOutcome.PENDING],
    "compensation.": [v for v in ClaimOutcome.values if v != ClaimOutcome.PENDING],
}


def _kind_argument(node: ast.Call) -> ast.expr | None:
    """The KIND of `CaseEvent.log(case, KIND…)` or of the national dataset's `self.event(…)`."""
    func = node.func
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return None
    if func.attr == "log" and func.value.id == "CaseEvent":
        position, keyword = 1, "kind"
    elif func.attr == "event" and func.value.id == "self":
        position, keyword = 2, "kind"
    else:
        return None
    if len(node.args) > position:
        return node.args[position]
    return next((k.value for k in node.keywords if k.arg == keyword), None)


def _passed_to(tree: ast.Module, function: ast.FunctionDef, parameter: str) -> Iterator[ast.expr]:
    """What the callers in the same module pass as `parameter` of `function`."""
    names = [a.arg for a in function.args.args]
    position = names.index(parameter)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func.id if isinstance(node.func, ast.Name) else None
        if called != function.name:
            continue
        if len(node.args) > position:
            yield node.args[position]
        for keyword in node.keywords:
            if keyword.arg == parameter:
                yield keyword.value


def _kinds(
    tree: ast.Module, expression: ast.expr, around: ast.FunctionDef | None, where: str
) -> Iterator[str]:
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        yield expression.value
    elif isinstance(expression, ast.IfExp):
        yield from _kinds(tree, expression.body, around, where)
        yield from _kinds(tree, expression.orelse, around, where)
    elif isinstance(expression, ast.JoinedStr):
        first = expression.values[0]
        prefix = first.value if isinstance(first, ast.Constant) else ""
        assert len(expression.values) == 2 and prefix in EXPANSIONS, (
            f"{where}: the kind {ast.unparse(expression)} takes values this test does not know: "
            "add them to EXPANSIONS"
        )
        yield from (f"{prefix}{value}" for value in EXPANSIONS[prefix])
    elif (
        isinstance(expression, ast.Name)
        and around is not None
        and expression.id in [a.arg for a in around.args.args]
    ):
        passed = list(_passed_to(tree, around, expression.id))
        assert passed, f"{where}: nobody calls {around.name} with a kind"
        for value in passed:
            yield from _kinds(tree, value, None, where)
    else:
        raise AssertionError(f"{where}: cannot read the kind {ast.unparse(expression)}")


def _around(parents: dict[ast.AST, ast.AST], node: ast.AST) -> ast.FunctionDef | None:
    """The innermost function holding the node."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef):
            return node
    return None


def written_kinds() -> dict[str, str]:
    """Every kind written in the code, with where it is written."""
    kinds: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or (expression := _kind_argument(node)) is None:
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            for kind in _kinds(tree, expression, _around(parents, node), where):
                kinds.setdefault(kind, where)
    return kinds


def test_the_scan_finds_the_kinds_of_every_step():
    kinds = written_kinds()
    for expected in (
        "case.opened",
        "protection.immediate_needs",
        "referral.judicial",
        "referral.platform",
        "status.identified_victim",
        "transfer.declined",  # passed through a helper's parameter
        "safe_contact.updated",  # one branch of a choice
        "orientation.in_progress",
        "support.closed",
    ):
        assert expected in kinds, expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_event_kind_written_in_the_code_has_a_label(language):
    with translation.override(language):
        missing = {
            kind: where for kind, where in written_kinds().items() if event_label(kind) == kind
        }
    assert not missing, f"timeline kinds without a label: {missing}"
