"""The protocol (issue #17, point 3): generated from the live profile and catalogue, the same in
the page and the PDF, stamped with their versions, kept as a version each time it changes (with
what changed), and nothing French in the OSCE model's."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.profiles import loader
from opennrm.profiles.schema import Timeframe
from opennrm.protocol.building import STEPS, build
from opennrm.protocol.models import ProtocolVersion
from opennrm.web.protocol import views
from tests.factories import ContactEntryFactory

pytestmark = pytest.mark.django_db


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(url_name: str = "web:protocol") -> str:
    response = _english(Client()).get(reverse(url_name))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def _pdf_text() -> str:
    from pypdf import PdfReader

    response = _english(Client()).get(reverse("web:protocol_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


def _with_timeframe(monkeypatch, code: str, days: int, unit: str = "working") -> None:
    """A test profile: the active one with one timeframe changed (what an edited TOML does)."""
    profile = loader.load_profile(settings.OPENNRM_PROFILE)
    frames = dict(profile.timeframes)
    frames[code] = Timeframe(label=frames[code].label, days=days, unit=unit)
    changed = profile.model_copy(update={"timeframes": frames})
    monkeypatch.setattr(loader, "load_profile", lambda code: changed)


def _expected_lines() -> list[str]:
    """Each step's title and, for its timeframes, "label: N working/calendar days"."""
    profile = loader.active_profile()
    lines = []
    for step in STEPS:
        lines.append(str(step.title))
        for code in step.timeframes:
            frame = profile.timeframes[code]
            unit = "working" if frame.unit == "working" else "calendar"
            plural = "" if frame.days == 1 else "s"
            lines.append(f"{frame.label.en}: {frame.days} {unit} day{plural}")
    return lines


def test_the_page_and_the_pdf_list_every_step_with_its_timeframe_as_configured(db):
    html = _page()
    text = _pdf_text()
    for line in _expected_lines():
        assert line in html, line
        assert line in text, line
    profile = loader.active_profile()
    catalogue = latest_catalogue()
    for where in (html, text):
        assert f"Profile version {profile.version}" in where
        assert f"Indicator catalogue version {catalogue.version}" in where
        # Decision rules, rights with their legal bases, the indicators' appendix.
        assert f"Quorum: {profile.platform.quorum} members" in where
        assert "CESEDA, art. L.425-1" in where
        assert catalogue.sets[0].label.en in where
    first = next(iter(catalogue.sets[0].indicators.values()))[0]
    assert first.code in html and first.code in text


def test_changing_a_timeframe_changes_the_page_the_pdf_and_keeps_a_new_version(db, monkeypatch):
    before = _page()
    assert "Triage of a concern: 2 working days" in before
    assert ProtocolVersion.objects.count() == 1

    _with_timeframe(monkeypatch, "concern_triage", 4)
    after = _page()
    assert "Triage of a concern: 4 working days" in after
    assert "Triage of a concern: 2 working days" not in after
    text = _pdf_text()
    assert "Triage of a concern: 4 working days" in text
    assert "Triage of a concern: 2 working days" not in text

    assert ProtocolVersion.objects.count() == 2
    newest = ProtocolVersion.objects.order_by("-pk").first()
    entry = AuditEntry.objects.filter(action="protocol.snapshot").order_by("-pk").first()
    assert entry is not None and entry.object_id == str(newest.pk)

    changes = _page("web:protocol_changes")
    assert re.search(
        r"<td>Timeframes</td> <th scope=\"row\">Triage of a concern</th> "
        r"<td>2 working days</td> <td>4 working days</td>",
        changes,
    ), changes


def test_a_version_is_kept_once_while_nothing_changes(db):
    _page()
    _page()
    call_command("snapshot_protocol", stdout=io.StringIO())
    assert ProtocolVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action="protocol.snapshot").count() == 1


def test_the_command_keeps_the_first_version(db):
    out = io.StringIO()
    call_command("snapshot_protocol", stdout=out)
    assert "New snapshot" in out.getvalue()
    version = ProtocolVersion.objects.get()
    assert version.data == build(loader.active_profile(), latest_catalogue())


def test_the_changes_page_names_the_versions(db):
    html = _page("web:protocol_changes")
    assert "The first version kept." in html


FRENCH = (
    "département",
    "Département",
    "préfecture",
    "Préfecture",
    "France",
    "CESEDA",
    "Code pénal",
    "Code civil",
    "CNIL",
    "MIPROF",
    "DREETS",
    "Parquet",
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_osce_model_protocol_has_nothing_french(db, settings, language):
    settings.OPENNRM_PROFILE = "osce"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("web:protocol")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for word in FRENCH:
        assert word not in main, word
    assert "Council of Europe Convention on Action against Trafficking" in main
    if language == "en":
        assert "Platform decision: 30 calendar days" in " ".join(main.split())
        from pypdf import PdfReader

        response = client.get(reverse("web:protocol_pdf"))
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        for word in FRENCH:
            assert word not in text, word
        assert "OSCE model" in text


def test_the_contact_persons_of_each_local_unit_or_a_link_when_too_many(cast, monkeypatch):
    entry = ContactEntryFactory(organisation=cast.prefecture, post_title="Foreigners office post")
    html = _page()
    assert "Foreigners office post" in html
    assert f"{entry.territory.code} — {entry.territory.name}" in html

    monkeypatch.setattr(views, "DIRECTORY_INLINE_LIMIT", 0)
    html = _page()
    assert "Foreigners office post" not in html
    assert "The list of contact persons is too long to be given here." in html
    assert f'href="{reverse("web:directory")}"' in html


def test_professionals_find_it_in_their_menu_and_visitors_in_the_footer(cast):
    response = cast.client_for(cast.amina).get(reverse("web:dashboard"))
    assert "web:protocol" in [item.url_name for item in response.context["nav_items"]]
    home = Client().get(reverse("web:home")).content.decode()
    assert f'id="footer-protocol" href="{reverse("web:protocol")}"' in home


# The page once its version is kept: the version, the directory (anonymous: nothing else).
# Signed in: the session, the user, the memberships, the MFA check and the header's count.
@pytest.mark.parametrize(("persona", "queries"), [(None, 2), ("amina", 7)])
def test_the_page_runs_a_pinned_number_of_queries(
    cast, django_assert_num_queries, persona, queries
):
    client = cast.client_for(getattr(cast, persona) if persona else None)
    client.get(reverse("web:protocol"))  # keeps the first version
    for _ in range(3):
        ContactEntryFactory(organisation=cast.prefecture)
    with django_assert_num_queries(queries):
        assert client.get(reverse("web:protocol")).status_code == 200
