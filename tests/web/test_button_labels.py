"""No button shows as an empty icon box (issue #13, point 8): every `.fr-btn` of the main pages
of a few personas has an accessible text (its text, an aria-label or a title), and a button
with an icon shows its label beside it (`fr-btn--icon-left`/`-right`) unless it is an icon-only
button the design system allows, with a title naming it."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from opennrm.audit.trail import record
from tests.factories import CaseFactory
from tests.protection.conftest import make_presumed

VOID = {"input", "img", "br", "hr", "meta", "link", "source", "area", "col", "wbr"}


class _Buttons(HTMLParser):
    """Every element with the class `fr-btn`: its classes, attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.buttons: list[dict] = []
        self._open: list[tuple[str, dict | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        button = None
        if "fr-btn" in classes:
            button = {"tag": tag, "classes": classes, "attrs": attributes, "text": ""}
            if tag == "input":
                button["text"] = attributes.get("value", "")
            self.buttons.append(button)
        if tag not in VOID:
            self._open.append((tag, button))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            opened, _button = self._open.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, button in self._open:
            if button is not None:
                button["text"] += data


def _problems(html: str) -> list[str]:
    parser = _Buttons()
    parser.feed(html)
    problems = []
    for button in parser.buttons:
        text = " ".join(button["text"].split())
        attrs = button["attrs"]
        named = text or attrs.get("aria-label", "").strip() or attrs.get("title", "").strip()
        where = f'<{button["tag"]} class="{" ".join(button["classes"])}"> {text[:40]!r}'
        if not named:
            problems.append(f"no accessible text: {where}")
            continue
        icon = any(c.startswith(("fr-icon-", "ri-")) for c in button["classes"])
        beside = {"fr-btn--icon-left", "fr-btn--icon-right"} & set(button["classes"])
        # An icon without icon-left/right is an icon-only button: the label is clipped. Allowed
        # only with a title that names it (the design system's icon-only button).
        if icon and not beside and not attrs.get("title", "").strip():
            problems.append(f"label hidden behind the icon: {where}")
    return problems


@pytest.fixture
def pages(cast):
    case = make_presumed(CaseFactory(owner=cast.association), cast.amina)
    record("case.read", details={"filters": {}})
    ref = case.reference
    return [
        (cast.hugo, reverse("web:dashboard")),
        (cast.hugo, reverse("web:cases")),
        (cast.hugo, reverse("web:case", args=[ref])),
        (cast.hugo, reverse("web:protection", args=[ref])),
        (cast.hugo, reverse("web:evidence", args=[ref])),
        (cast.amina, reverse("web:case", args=[ref])),
        (cast.louis, reverse("web:dashboard")),
        (cast.louis, reverse("web:cases")),
        (cast.robert, reverse("web:audit")),
        (cast.nadia, reverse("web:dashboard")),
    ]


def test_every_button_of_the_main_pages_shows_its_label(cast, pages):
    problems = []
    for user, url in pages:
        response = cast.client_for(user).get(url)
        assert response.status_code == 200, url
        problems += [f"{url} ({user.full_name}): {p}" for p in _problems(response.content.decode())]
    assert problems == []


def test_the_check_sees_an_empty_icon_box():
    assert _problems('<a class="fr-btn fr-icon-download-line" href="#"></a>')
    assert _problems('<a class="fr-btn fr-icon-download-line" href="#">Download</a>')
    assert not _problems('<a class="fr-btn fr-icon-download-line fr-btn--icon-left">Get</a>')
    assert not _problems('<button class="fr-btn fr-icon-close-line" title="Close">Close</button>')
    assert _problems('<button class="fr-btn"> <span class="fr-icon-x"></span> </button>')
