"""HTCDS export (per case under consent, in bulk pseudonymised) and import (all or nothing)."""

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404
from django.utils import translation

from opennrm.audit.models import AuditEntry
from opennrm.core.models import Territory
from opennrm.detection.models import Concern
from opennrm.exchange import access
from opennrm.exchange.export import export_bulk, export_case, to_json, to_xlsx
from opennrm.exchange.importing import ImportRefused, import_records, read_file
from opennrm.exchange.mapping import load
from opennrm.exchange.models import ImportedRecord
from opennrm.exchange.xlsx import read, write
from tests.acting import actor_for
from tests.conftest import Cast
from tests.exchange.helpers import rich_case, share_consent

pytestmark = pytest.mark.django_db


def _import(cast: Cast, content: bytes, name: str) -> tuple[Any, str | None]:
    report = read_file(content, name)
    if not report.ok:
        return report, None
    territory = Territory.objects.get(code="93")
    return report, import_records(
        actor_for(cast.louis), report, file_name=name, territory=territory
    )


def test_a_case_is_exported_in_the_standards_terms(cast: Cast) -> None:
    case = rich_case(cast)
    consent = share_consent(case, cast.amina, cast.police)
    actor = actor_for(cast.amina)
    export = export_case(actor, case, access.get_consent_for_export(actor, case, consent.pk))
    (item,) = export.records
    assert item["vic_TypeOfExploitation"] == ["ForcedLabour", "Servitude"]
    assert item["vic_ForcedLabourIndustry"] == [
        "A_AgricultureForestryAndFishing",
        "I_AccommodationAndFoodServiceActivities",
    ]
    assert item["vic_MethodsOfControl"] == ["WithholdsDocuments", "DebtBondage", "Other"]
    assert item["vic_MethodOfRecruitment"] == [
        "ThroughOnlineSocialNetworks",
        "ThroughFriendsOrSocialEvents",
    ]
    assert item["vic_RelationshipToTrafficker"] == "Acquainted"
    assert item["prs_Gender"] == "Feminine"
    assert item["prs_Citizenship"] == ["RO", "MD"]
    assert item["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert item["hte_Events"] == [
        {"hte_Type": "Recruitment", "hte_Country": "RO"},
        {"hte_Type": "Transit", "hte_Country": "HU"},
        {"hte_Type": "Exploitation", "hte_Country": "FR"},
    ]
    assert item["con_Consent"] is True
    # The consent's share does not carry the identity: pseudonymised.
    assert not export.identity
    assert "prs_FirstName" not in item and "prs_Birthdate" not in item
    assert item["ext_Pseudonym"] == case.person.pseudonym
    assert item["ext_AgeGroup"] == "adult"
    entry = AuditEntry.objects.filter(action="exchange.export_case").get()
    assert entry.details == {"consent": consent.pk, "identity": False}


def test_the_identity_travels_only_where_the_share_carries_it(cast: Cast) -> None:
    case = rich_case(cast)
    consent = share_consent(case, cast.amina, cast.police)
    case.shares.filter(consent=consent).update(identity=True)
    actor = actor_for(cast.amina)
    export = export_case(actor, case, access.get_consent_for_export(actor, case, consent.pk))
    (item,) = export.records
    assert export.identity
    assert item["prs_FirstName"] == "Ioana"
    assert item["prs_SecondName"] == "Fictiva"
    assert item["prs_Birthdate"] == "1990-04-02"
    assert AuditEntry.objects.filter(action="person.read_identity").exists()


def test_no_export_without_an_active_consent_to_share(cast: Cast) -> None:
    case = rich_case(cast)
    consent = share_consent(case, cast.amina, cast.police)
    actor = actor_for(cast.amina)
    consent.withdraw(actor=actor)
    with pytest.raises(Http404):
        access.get_consent_for_export(actor, case, consent.pk)


@pytest.mark.parametrize("name", ["yasmine", "claire", "ines", "sophie", "nadia"])
def test_who_does_not_read_the_account_may_not_export_the_case(cast: Cast, name: str) -> None:
    case = rich_case(cast)
    consent = share_consent(case, cast.amina, cast.police)
    with pytest.raises(Http404):
        access.get_consent_for_export(actor_for(getattr(cast, name)), case, consent.pk)


def test_bulk_export_is_pseudonymised_and_scoped(cast: Cast) -> None:
    case = rich_case(cast)
    national = export_bulk(actor_for(cast.nadia))
    assert [r["ext_CaseReference"] for r in national.records] == [case.reference]
    assert "prs_FirstName" not in national.records[0]
    assert national.records[0]["con_Consent"] is False
    # Louis coordinates for another organisation: none of its cases is his to export.
    assert export_bulk(actor_for(cast.louis)).records == []
    for name in ("amina", "yasmine", "claire", "ines"):
        with pytest.raises(Http404):
            export_bulk(actor_for(getattr(cast, name)))
    assert AuditEntry.objects.filter(action="exchange.export_bulk").count() == 2


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_round_trip_keeps_every_mapped_field(cast: Cast, kind: str) -> None:
    rich_case(cast)
    records = export_bulk(actor_for(cast.nadia)).records
    content = to_json(records) if kind == "json" else to_xlsx(records)
    report, batch = _import(cast, content, f"partner.{kind}")
    assert report.problems == []
    imported = ImportedRecord.objects.get(batch=batch)
    mapping = load()
    fields = [f.htcds for f in mapping.fields.values()] + list(mapping.countries)
    if kind == "json":
        assert imported.record == records[0]  # every field, the extensions and events too
    else:
        template = {c.name for c in mapping.excel}
        fields = [f for f in fields if f in template]
    for name in fields:
        assert imported.record.get(name) == records[0].get(name), name
    # Our codes, back: those the mapping sends one to one come back as they were.
    codes = imported.codes
    assert codes["recruitment_methods"] == ["online_social_network", "friends"]
    assert codes["nationalities"] == ["RO", "MD"]
    assert codes["sex"] == ["female"]
    assert set(codes["forms"]) == {"forced_labour", "servitude"}
    concern = imported.concern
    assert concern.channel == "other" and concern.status == "new"
    assert concern.sector == "agriculture"
    assert concern.created_for == cast.coordination
    assert "Ioana" not in concern.description
    assert AuditEntry.objects.filter(action="exchange.import").get().details["records"] == 1


def test_the_template_itself_imports_as_nothing(cast: Cast) -> None:
    columns = load().excel
    empty = write([[c.name for c in columns], [c.label for c in columns], ["1"], ["2"]])
    with translation.override("en"):
        report = read_file(empty, "template.xlsx")
    assert not report.ok
    assert [p.message for p in report.problems] == ["The file holds no record."]


def test_an_import_with_errors_stores_nothing(cast: Cast) -> None:
    good = {"vic_TypeOfExploitation": ["ForcedLabour"], "prs_Citizenship": ["RO"]}
    records = [
        good,
        {"vic_TypeOfExploitation": ["Slavery"]},  # not a value of the picklist
        {"prs_Gender": "Feminine"},  # the mandatory field missing
        {"vic_TypeOfExploitation": "ForcedLabour", "con_Consent": "yes"},  # wrong types
        {"vic_TypeOfExploitation": ["Other"], "prs_Citizenship": ["XX"]},
        "not a record",
    ]
    content = json.dumps({"standard": "HTCDS", "version": "2.0", "records": records}).encode()
    with translation.override("en"):
        report, batch = _import(cast, content, "bad.json")
    assert batch is None
    assert [(p.row, p.field) for p in report.problems] == [
        (2, "vic_TypeOfExploitation"),
        (3, "vic_TypeOfExploitation"),
        (4, "vic_TypeOfExploitation"),
        (4, "con_Consent"),
        (5, "prs_Citizenship"),
        (6, ""),
    ]
    assert report.problems[0].message == "“Slavery” is not a value of this list."
    with pytest.raises(ImportRefused):
        import_records(
            actor_for(cast.louis),
            report,
            file_name="bad.json",
            territory=Territory.objects.get(code="93"),
        )
    assert not Concern.objects.exists()
    assert not ImportedRecord.objects.exists()


def test_an_excel_import_reports_rows_and_columns(cast: Cast) -> None:
    columns = load().excel
    names = [c.name for c in columns]
    row = [""] * len(columns)
    row[names.index("vic_TypeOfExploitation")] = "ForcedLabour;Nope"
    row[names.index("prs_Birthdate")] = "2 April 1990"
    content = write([names, [c.label for c in columns], row])
    report = read_file(content, "bad.xlsx")
    assert [(p.row, p.field) for p in report.problems] == [
        (3, "prs_Birthdate"),
        (3, "vic_TypeOfExploitation"),
    ]


def test_problems_are_in_the_users_language(cast: Cast) -> None:
    with translation.override("fr"):
        report = read_file(b"{", "bad.json")
    assert report.problems[0].message == "Le fichier n’est pas un JSON valide."


def test_a_failure_midway_leaves_nothing(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    records = [{"vic_TypeOfExploitation": ["ForcedLabour"]}] * 3
    report = read_file(json.dumps(records).encode(), "three.json")
    calls = []

    def failing(self: ImportedRecord, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        original(self, *args, **kwargs)

    original = ImportedRecord.save
    monkeypatch.setattr(ImportedRecord, "save", failing)
    with pytest.raises(RuntimeError):
        import_records(
            actor_for(cast.louis),
            report,
            file_name="three.json",
            territory=Territory.objects.get(code="93"),
        )
    assert len(calls) == 3
    assert not Concern.objects.exists()
    assert not ImportedRecord.objects.exists()


def test_the_excel_export_has_the_templates_header(cast: Cast) -> None:
    rich_case(cast)
    rows = read(to_xlsx(export_bulk(actor_for(cast.nadia)).records))
    names = [c.name for c in load().excel]
    assert [rows[1].get(i, "") for i in range(len(names))] == names


def test_a_spreadsheet_declaring_entities_is_refused(cast: Cast) -> None:
    import io
    import zipfile

    content = to_xlsx([])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1
                )
            target.writestr(name, data)
    with translation.override("en"):
        report = read_file(buffer.getvalue(), "entities.xlsx")
    assert [p.message for p in report.problems] == ["The file is not a spreadsheet we can read."]


@pytest.mark.skipif(
    shutil.which("libreoffice") is None and shutil.which("soffice") is None,
    reason="LibreOffice is not installed",
)
def test_the_excel_export_opens_in_libreoffice(cast: Cast, tmp_path: Path) -> None:
    rich_case(cast)
    source = tmp_path / "htcds.xlsx"
    source.write_bytes(to_xlsx(export_bulk(actor_for(cast.nadia)).records))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office is not None
    subprocess.run(  # noqa: S603 (our own file, a fixed command)
        [office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    lines = (tmp_path / "htcds.csv").read_text().splitlines()
    assert lines[0].split(",")[1] == "cas_CaseOwner"
    assert "ForcedLabour;Servitude" in lines[2]


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe", b'{"standard": "other"}', b"[]", b"{}"],
)
def test_hostile_or_empty_json_is_reported_not_crashed(cast: Cast, content: bytes) -> None:
    report = read_file(content, "hostile.json")
    assert not report.ok
    assert report.problems and report.problems[0].row == 0


def test_a_spreadsheet_without_cell_references_is_read() -> None:
    import io
    import zipfile

    content = write([["cas_CaseOwner", "prs_Gender"], ["x"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = re.sub(rb' r="[A-Z0-9]+"', b"", data)
            target.writestr(name, data)
    assert read(buffer.getvalue()) == {1: {0: "cas_CaseOwner", 1: "prs_Gender"}, 2: {0: "x"}}


@pytest.mark.parametrize("content", [b"PK\x03\x04broken", b"not a zip", b""])
def test_a_broken_spreadsheet_is_reported_not_crashed(cast: Cast, content: bytes) -> None:
    report = read_file(content, "broken.xlsx")
    assert [p.row for p in report.problems] == [0]
