"""The dashboard says what needs each person today (issue 13, point 3): one tile per kind of
waiting item with its count and a link to the list of those items, counted through the same
need-to-know functions as those lists; another organisation's items are never counted."""

import datetime
import re

import pytest
from django.utils import timezone

from opennrm.cases.enums import ConsentMethod, ConsentScope
from opennrm.cases.models import Consent
from opennrm.core.models import Notification, Territory
from opennrm.identification.models import Referral, Route
from opennrm.web.dashboard.tiles import CAP
from tests.factories import CaseFactory, ConcernFactory, PersonFactory
from tests.identification.conftest import platform93, presumed_case, referred  # noqa: F401
from tests.support.conftest import make_presumed, sent, service

TILES = {
    "nadia": ["overdue", "notifications"],
    "louis": ["triage", "due-decisions", "overdue", "transfers", "platform", "notifications"],
    "amina": ["assess", "consent", "due-assessments", "overdue", "transfers", "notifications"],
    "hugo": ["assess", "consent", "due-assessments", "overdue", "notifications"],
    "claire": [
        "assess",
        "consent",
        "due-assessments",
        "due-decisions",
        "overdue",
        "judicial",
        "notifications",
    ],
    "sophie": ["overdue", "notifications"],
    "paul": ["due-decisions", "overdue", "platform", "notifications"],
    "ines": ["overdue", "orientations", "capacity", "notifications"],
    "robert": ["overdue", "notifications"],
    "yasmine": ["assess", "consent", "due-assessments", "overdue", "transfers", "notifications"],
}


def _dashboard(cast, persona: str) -> str:
    client = cast.client_for(getattr(cast, persona))
    response = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def _tiles(html: str) -> dict[str, tuple[str, str]]:
    """Each tile's key: (its link, the count it shows)."""
    found = {}
    for key, body in re.findall(r'id="dashboard-([a-z-]+)"(.*?)</li>', html, re.S):
        href = re.search(r'<a href="([^"]+)"', body).group(1).replace("&amp;", "&")
        count = re.search(r'data-count="(\d+)"', body).group(1)
        found[key] = (href, count)
    return found


@pytest.mark.parametrize("persona", list(TILES))
def test_each_role_gets_its_tiles_all_quiet_when_nothing_waits(cast, persona):
    html = _dashboard(cast, persona)
    tiles = _tiles(html)
    assert list(tiles) == TILES[persona]
    assert all(count == "0" for _href, count in tiles.values())
    assert html.count("opennrm-tile__none") == len(tiles)
    assert "opennrm-tile--waiting" not in html


def _due(referral: Referral, days: int) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        decision_due=timezone.localdate() + datetime.timedelta(days=days)
    )


@pytest.fixture
def waiting(cast, platform93):  # noqa: F811
    """One of each waiting item in 93, and the same in 13 (the outsider's), never counted
    for 93."""
    today = timezone.localdate()
    t13 = Territory.objects.get(code="13")
    # Concerns: one to triage in 93, one overdue in 93, one in 13.
    ConcernFactory()
    ConcernFactory(triage_due=today - datetime.timedelta(days=1))
    ConcernFactory(territory=t13)
    # Cases of the association: two in preliminary assessment (one due in three days, one
    # overdue), a presumed victim without consent, one with it (referred to the platform, its
    # decision due this week), a child presumed victim (no consent asked).
    CaseFactory(owner=cast.association, assessment_due=today + datetime.timedelta(days=3))
    CaseFactory(owner=cast.association, assessment_due=today - datetime.timedelta(days=2))
    make_presumed(CaseFactory(owner=cast.association), cast.amina)
    make_presumed(
        CaseFactory(owner=cast.association, person=PersonFactory(estimated_age=15)), cast.amina
    )
    _due(referred(cast, presumed_case(cast), Route.PLATFORM), 3)
    judicial = referred(cast, presumed_case(cast), Route.JUDICIAL)
    _due(judicial, -1)
    # The outsider's: the same kinds, in 13.
    CaseFactory(owner=cast.other_association, territory=t13)
    make_presumed(CaseFactory(owner=cast.other_association, territory=t13), cast.yasmine)
    # An orientation sent to the shelter, whose capacity nobody confirmed for ten days.
    shelter = service(cast.accommodation, name="Shelter 93 — house A")
    supported = make_presumed(CaseFactory(owner=cast.association), cast.amina, shelter=True)
    Consent.objects.create(
        case=supported,
        scope=ConsentScope.REFERRAL,
        method=ConsentMethod.ORAL,
        recorded_by=cast.amina,
        recorded_for=cast.association,
    )
    sent(supported, shelter, cast.amina)
    service(
        cast.accommodation,
        name="Shelter 93 — house B",
        capacity_updated_at=timezone.now() - datetime.timedelta(days=10),
    )
    Notification.send([cast.amina], kind="identification.referred", message="Fictional.")
    return today


def test_counts_and_links_of_what_waits(cast, waiting):
    today = waiting
    week_end = today + datetime.timedelta(days=6)
    association = cast.association.pk
    louis = _tiles(_dashboard(cast, "louis"))
    assert louis["triage"] == ("/concerns/", "2")  # not the concern of 13
    assert louis["platform"] == ("/platform/", "1")
    assert louis["due-decisions"] == ("/identification/deadlines/", "1")
    assert louis["overdue"] == ("/overdue/", "1")  # the overdue concern
    amina_html = _dashboard(cast, "amina")
    amina = _tiles(amina_html)
    assert amina["assess"] == (
        f"/cases/?status=preliminary_assessment&owner={association}",
        "2",
    )
    assert amina["consent"] == (f"/cases/?awaiting_consent=on&owner={association}", "1")
    assert amina["due-assessments"] == (
        f"/cases/?status=preliminary_assessment&owner={association}"
        f"&due_from={today.isoformat()}&due_until={week_end.isoformat()}",
        "1",
    )
    assert amina["overdue"] == ("/overdue/", "1")  # the overdue assessment
    assert amina["notifications"][1] == "1"
    assert "opennrm-tile--waiting" in amina_html
    paul = _tiles(_dashboard(cast, "paul"))
    assert paul["platform"] == ("/platform/", "1")
    claire = _tiles(_dashboard(cast, "claire"))
    assert claire["judicial"] == ("/judicial/", "1")
    assert claire["overdue"] == ("/overdue/", "1")  # the judicial decision overdue
    assert claire["assess"][1] == "0"  # the police owns no case here
    ines = _tiles(_dashboard(cast, "ines"))
    assert ines["orientations"] == ("/orientations/", "1")
    assert ines["capacity"] == ("/services/mine/", "1")
    # The outsider sees its own only: one case to assess, one presumed victim awaiting consent.
    yasmine = _tiles(_dashboard(cast, "yasmine"))
    assert yasmine["assess"][1] == "1"
    assert yasmine["consent"][1] == "1"
    assert yasmine["overdue"][1] == "0"
    assert yasmine["notifications"][1] == "0"


def test_each_link_lists_what_its_tile_counts(cast, waiting):
    """The case list's filters find the cases the tiles count."""
    client = cast.client_for(cast.amina)
    tiles = _tiles(_dashboard(cast, "amina"))
    for key in ("assess", "consent", "due-assessments"):
        href, count = tiles[key]
        html = client.get(href, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        shown = set(re.findall(r'href="/cases/(C-[^/"]+)/"', html))
        assert len(shown) == int(count), key


def test_a_count_past_the_cap_shows_99_plus(cast):
    for _ in range(CAP + 2):
        ConcernFactory()
    html = _dashboard(cast, "louis")
    assert _tiles(html)["triage"] == ("/concerns/", str(CAP + 1))
    assert f">{CAP}+<" in html
