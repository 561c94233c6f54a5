"""No code reaches a page: every audit action the code records has a label, and the case page,
its timeline and the audit viewer show labels, never `protection.immediate_needs` or
`person.read_identity` (issue #13, point 7).

Actions are read from the source like the timeline's kinds (tests/cases/test_event_labels.py):
the first argument of every `record(ACTION, …)`, of the national dataset's `self.audit(…,
ACTION, …)`, a choice between strings, a parameter of the function around (then what its
callers pass), an f-string over the kinds of the account's parties, and the administration's
actions."""

import ast
import html
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from opennrm.audit.trail import record
from opennrm.cases.models import CaseEvent
from opennrm.core.acting import Actor, Channel
from opennrm.core.signals import _ADMIN_ACTIONS
from opennrm.web.audit.labels import ACTION_LABELS, action_label
from tests.cases.test_event_labels import SOURCE, _around, _passed_to, written_kinds
from tests.factories import CaseFactory

# The values of the f-string actions, by their variable.
PARTIES = ["exploiter", "workplace"]


def _actions(
    tree: ast.Module, expression: ast.expr, around: ast.FunctionDef | None, where: str
) -> Iterator[str]:
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        yield expression.value
    elif isinstance(expression, ast.IfExp):
        yield from _actions(tree, expression.body, around, where)
        yield from _actions(tree, expression.orelse, around, where)
    elif isinstance(expression, ast.JoinedStr):
        first, *rest = expression.values
        assert isinstance(first, ast.FormattedValue) and len(rest) == 1, (
            f"{where}: the action {ast.unparse(expression)} takes values this test does not know"
        )
        suffix = rest[0].value  # type: ignore[attr-defined]
        yield from (f"{party}{suffix}" for party in PARTIES)
    elif (
        isinstance(expression, ast.Name)
        and around is not None
        and expression.id in [a.arg for a in around.args.args]
    ):
        passed = list(_passed_to(tree, around, expression.id))
        assert passed, f"{where}: nobody calls {around.name} with an action"
        for value in passed:
            yield from _actions(tree, value, None, where)
    elif (
        isinstance(expression, ast.Name)
        and expression.id == "action"
        and where.startswith("opennrm/core/signals.py")
    ):
        yield from _ADMIN_ACTIONS.values()
    elif isinstance(expression, ast.Name) and expression.id == "MARKER":
        yield "demo.national_dataset"
    else:
        raise AssertionError(f"{where}: cannot read the action {ast.unparse(expression)}")


def _action_argument(node: ast.Call) -> ast.expr | None:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "record" and node.args:
        return node.args[0]
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "audit"
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
        and len(node.args) > 3
    ):
        return node.args[3]
    return None


def recorded_actions() -> dict[str, str]:
    actions: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or (expression := _action_argument(node)) is None:
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            for action in _actions(tree, expression, _around(parents, node), where):
                actions.setdefault(action, where)
    return actions


def test_the_scan_finds_the_actions_of_every_step():
    actions = recorded_actions()
    for expected in (
        "person.read_identity",
        "case.create",
        "transfer.decline",  # through a helper's parameter
        "safe_contact.update",  # one branch of a choice
        "workplace.add",  # an f-string
        "admin.change",
        "facts.read",
    ):
        assert expected in actions, expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_audit_action_has_a_label(language):
    with translation.override(language):
        missing = {
            action: where
            for action, where in recorded_actions().items()
            if action_label(action) == action
        }
    assert missing == {}, f"audit actions without a label in opennrm/web/audit/labels.py: {missing}"


def _text(page: str) -> str:
    """What a reader sees: the page without its tags (and their attributes) and scripts."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _codes_in(text: str, codes: set[str]) -> list[str]:
    return sorted(
        code for code in codes if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text)
    )


def _client(cast, user, language):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


CODES = set(ACTION_LABELS) | {"protection.immediate_needs", "person.read_identity"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_case_page_and_its_timeline_show_labels(cast, language):
    case = CaseFactory(owner=cast.association)
    actor = Actor.for_user(cast.hugo)
    kinds = set(written_kinds())
    for kind in sorted(kinds):
        CaseEvent.log(case, kind, actor=actor)
    client = _client(cast, cast.hugo, language)
    for url in (f"/cases/{case.reference}/", f"/cases/{case.reference}/identity/"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response.content.decode())
        assert _codes_in(text, CODES | kinds) == [], url
        if language == "en":  # dates spelled out or ISO, never 06/01/2027
            assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", text), url
            assert url.endswith("/identity/") or re.search(
                r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} (January|February|March|April|May|June|"
                r"July|August|September|October|November|December) \d{4}\b",
                text,
            ), url


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_audit_viewer_shows_labels(cast, language):
    case = CaseFactory(owner=cast.association)
    for action in ACTION_LABELS:
        record(
            action,
            actor=Actor.for_user(cast.amina, channel=Channel.PAGE),
            organisation=cast.association,
            target=case,
        )
    client = _client(cast, cast.robert, language)
    pages = -(-len(ACTION_LABELS) // 50)
    for number in range(1, pages + 1):
        response = client.get("/audit/", {"page": number})
        assert response.status_code == 200
        text = _text(response.content.decode())
        assert _codes_in(text, CODES) == []
        table = re.search(r'<table id="audit-entries">.*?</table>', response.content.decode(), re.S)
        assert table is not None
        assert "cases.case" not in _text(table.group())
        with translation.override(language):
            through = translation.gettext("through: %(channel)s") % {
                "channel": translation.gettext("a page")
            }
        assert through in _text(table.group())
