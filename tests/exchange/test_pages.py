"""HTCDS exchange pages: who reaches them, the import through the page (check, then import;
nothing stored on a problem), the downloads, and their pinned query counts."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from opennrm.exchange.models import ImportedRecord
from opennrm.exchange.xlsx import read
from tests.conftest import Cast
from tests.exchange.helpers import rich_case, share_consent

pytestmark = pytest.mark.django_db

HEADER = 1  # the header's count of unread notifications


def _file(records: list[object], name: str = "partner.json") -> SimpleUploadedFile:
    content = json.dumps({"standard": "HTCDS", "version": "2.0", "records": records}).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


GOOD = [{"vic_TypeOfExploitation": ["ForcedLabour"], "prs_Citizenship": ["RO"]}]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("louis", 200), ("nadia", 200), ("amina", 404), ("yasmine", 404), ("claire", 404)],
)
def test_the_exchange_page_is_for_coordinators(cast: Cast, persona: str, status: int) -> None:
    client = cast.client_for(getattr(cast, persona))
    assert client.get("/exchange/").status_code == status
    assert client.get("/exchange/export.json").status_code == status


def test_checking_a_file_stores_nothing_then_import_creates_concerns(cast: Cast) -> None:
    client = cast.client_for(cast.louis)
    territory = Territory.objects.get(code="93")
    data = {"territory": territory.pk, "action": "check", "file": _file(GOOD)}
    response = client.post("/exchange/", data)
    assert response.status_code == 200
    assert not Concern.objects.exists()
    assert "1 enregistrement deviendrait un signalement" in response.content.decode()
    data = {"territory": territory.pk, "action": "import", "file": _file(GOOD)}
    response = client.post("/exchange/", data)
    assert response.status_code == 302 and response["Location"] == "/concerns/"
    concern = Concern.objects.get()
    assert concern.territory == territory
    assert ImportedRecord.objects.get().concern == concern


def test_a_file_with_problems_shows_the_report_and_stores_nothing(cast: Cast) -> None:
    client = cast.client_for(cast.louis)
    records = [*GOOD, {"vic_TypeOfExploitation": ["Slavery"]}, {"prs_Gender": 3}]
    data = {
        "territory": Territory.objects.get(code="93").pk,
        "action": "import",
        "file": _file(records),
    }
    response = client.post("/exchange/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le fichier a 3 problèmes" in page
    assert "«\u00a0Slavery\u00a0» n’est pas une valeur de cette liste." in page
    assert "Ce champ est obligatoire." in page
    assert not Concern.objects.exists()


def test_a_local_coordinator_imports_only_into_their_territories(cast: Cast) -> None:
    client = cast.client_for(cast.louis)
    data = {
        "territory": Territory.objects.get(code="13").pk,
        "action": "import",
        "file": _file(GOOD),
    }
    assert client.post("/exchange/", data).status_code == 200
    assert not Concern.objects.exists()


def test_a_case_is_exported_under_a_consent_and_404_otherwise(cast: Cast) -> None:
    case = rich_case(cast)
    consent = share_consent(case, cast.amina, cast.police)
    url = f"/cases/{case.reference}/htcds/{consent.pk}.xlsx"
    response = cast.client_for(cast.hugo).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = read(response.content)
    assert rows[3][1 + 22] == "ForcedLabour;Servitude"  # column X: vic_TypeOfExploitation
    for persona in ("yasmine", "claire", "louis", "nadia"):
        assert cast.client_for(getattr(cast, persona)).get(url).status_code == 404
    page = cast.client_for(cast.amina).get(f"/cases/{case.reference}/htcds/")
    assert cast.police.name in page.content.decode()
    assert cast.client_for(cast.yasmine).get(f"/cases/{case.reference}/htcds/").status_code == 404


# Signed-in pages cost the session, the user, the memberships and the MFA check. The exchange
# page then reads the organisation's territories; the case's page reads the case, writes its
# audit entry (case.read) and reads the consents with their organisations (7). The bulk export
# (a download: no header) reads the cases with their persons, accounts and facts in one query and
# writes its audit entry (6).
PAGES = [("louis", "/exchange/", 5), ("nadia", "/exchange/", 5)]


@pytest.mark.parametrize(("persona", "url", "queries"), PAGES)
def test_the_exchange_page_queries_are_pinned(
    cast: Cast, django_assert_num_queries, persona: str, url: str, queries: int
) -> None:
    client = cast.client_for(getattr(cast, persona))
    client.get(url)
    with django_assert_num_queries(queries + HEADER):
        assert client.get(url).status_code == 200


def test_the_case_export_page_queries_are_pinned(cast: Cast, django_assert_num_queries) -> None:
    case = rich_case(cast)
    share_consent(case, cast.amina, cast.police)
    share_consent(case, cast.amina, cast.coordination)
    client = cast.client_for(cast.amina)
    url = f"/cases/{case.reference}/htcds/"
    client.get(url)
    with django_assert_num_queries(7 + HEADER):
        assert client.get(url).status_code == 200


def test_the_bulk_export_does_not_grow_with_the_cases(
    cast: Cast, django_assert_num_queries
) -> None:
    rich_case(cast)
    client = cast.client_for(cast.nadia)
    client.get("/exchange/export.json")
    with django_assert_num_queries(6):
        assert client.get("/exchange/export.json").status_code == 200
    rich_case(cast)
    rich_case(cast)
    with django_assert_num_queries(6):
        response = client.get("/exchange/export.json")
    assert len(json.loads(response.content)["records"]) == 3
