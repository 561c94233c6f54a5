"""HTCDS files from another organisation or country, as concerns for the coordinator to triage.

`read_file` turns a JSON document or an Excel file (the standard's template) into records, with
their row numbers; `check` reports every problem of every record (row, field, problem, in the
active language); `import_records` stores nothing unless the whole file is right, and then, in
one transaction, a concern per record (through `detection.actions.submit_concern`, as the
actor) with the record and our codes beside it (`ImportedRecord`), audited once for the file.
All or nothing per file: a file half imported would leave the sender unsure which of its
records reached the mechanism (docs/adr).
"""

import datetime
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opennrm.audit.trail import record as audit
from opennrm.cases.enums import DetectionChannel
from opennrm.core.acting import Actor
from opennrm.core.models import Territory
from opennrm.detection.actions import submit_concern
from opennrm.detection.enums import ChildInvolved, PlaceType, Sector
from opennrm.detection.models import DESCRIPTION_MAX, Concern
from opennrm.exchange.export import EVENTS, FORMAT
from opennrm.exchange.mapping import Mapping, country_codes, load
from opennrm.exchange.models import ImportedRecord
from opennrm.exchange.xlsx import SpreadsheetError, column_index, read

MAX_RECORDS = 2000
TEXT_MAX = 500
MANDATORY = ("vic_TypeOfExploitation",)
AGE_GROUPS = ("adult", "child", "unknown")
EVENT_KINDS = ("Recruitment", "Transit", "Exploitation")
FIRST_DATA_ROW = 3  # the template: field names in row 1, labels in row 2


@dataclass(frozen=True)
class Problem:
    row: int  # record number in a JSON file, row number in a spreadsheet; 0: the whole file
    field: str
    message: str


@dataclass
class Report:
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records)


class ImportRefused(ValueError):
    """The file has problems: nothing was stored."""

    def __init__(self, report: Report) -> None:
        super().__init__(_("The file has problems; nothing was imported."))
        self.report = report


# Reading --------------------------------------------------------------------------------------


def _from_json(content: bytes, report: Report) -> None:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        report.problems.append(Problem(0, "", _("The file is not valid JSON.")))
        return
    if isinstance(document, dict):
        if document.get("standard", FORMAT) != FORMAT:
            report.problems.append(Problem(0, "standard", _("The file is not an HTCDS file.")))
            return
        document = document.get("records")
    if not isinstance(document, list):
        report.problems.append(Problem(0, "records", _("The file holds no list of records.")))
        return
    for number, item in enumerate(document, start=1):
        report.records.append((number, item))


def _from_xlsx(content: bytes, report: Report, mapping: Mapping) -> None:
    try:
        rows = read(content)
    except SpreadsheetError:
        report.problems.append(Problem(0, "", _("The file is not a spreadsheet we can read.")))
        return
    header = rows.get(1, {})
    names = {
        index: mapping.excel_aliases.get(name, name)
        for index, name in header.items()
        if index != column_index("A")
    }
    if not any(name in mapping.by_htcds() for name in names.values()):
        report.problems.append(
            Problem(1, "", _("Row 1 does not hold the HTCDS field names of the template."))
        )
        return
    multiple = {f.htcds for f in mapping.fields.values() if f.multiple} | {"prs_Citizenship"}
    for number in sorted(rows):
        if number < FIRST_DATA_ROW:
            continue
        cells = {names[i]: text for i, text in rows[number].items() if i in names}
        if not cells:
            continue  # an empty row (the template numbers a thousand rows in column A)
        item: dict[str, Any] = {}
        for name, text in cells.items():
            if name in multiple:
                item[name] = [part.strip() for part in text.split(mapping.separator) if part]
            elif name == "con_Consent":
                item[name] = {"TRUE": True, "YES": True, "FALSE": False, "NO": False}.get(
                    text.upper(), text
                )
            else:
                item[name] = text
        report.records.append((number, item))


def read_file(content: bytes, file_name: str) -> Report:
    """The records of a `.json` or `.xlsx` file, checked (`check`)."""
    mapping = load()
    report = Report()
    if file_name.lower().endswith(".xlsx"):
        _from_xlsx(content, report, mapping)
    elif file_name.lower().endswith(".json"):
        _from_json(content, report)
    else:
        report.problems.append(Problem(0, "", _("Send a .json or .xlsx file.")))
    if report.problems:
        return report
    if not report.records:
        report.problems.append(Problem(0, "", _("The file holds no record.")))
    elif len(report.records) > MAX_RECORDS:
        report.problems.append(
            Problem(
                0,
                "",
                _("The file holds more than %(max)d records: split it.") % {"max": MAX_RECORDS},
            )
        )
    else:
        check(report, mapping)
    return report


# Checking -------------------------------------------------------------------------------------


def _check_values(
    number: int, name: str, value: Any, allowed: frozenset[str] | tuple[str, ...], many: bool
) -> list[Problem]:
    if many:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [Problem(number, name, _("A list of values is expected."))]
        values = value
    else:
        if not isinstance(value, str):
            return [Problem(number, name, _("One value (text) is expected."))]
        values = [value]
    return [
        Problem(number, name, _("“%(value)s” is not a value of this list.") % {"value": v})
        for v in values
        if v not in allowed
    ]


def _check_record(number: int, item: Any, mapping: Mapping) -> list[Problem]:
    if not isinstance(item, dict):
        return [Problem(number, "", _("A record is expected (a JSON object)."))]
    problems: list[Problem] = []
    for name in MANDATORY:
        if not item.get(name):
            problems.append(Problem(number, name, _("This field is required.")))
    by_htcds = mapping.by_htcds()
    countries = country_codes()
    for name, value in item.items():
        if not isinstance(name, str):
            continue
        if name in by_htcds:
            if value in (None, "", []):
                continue
            fmap = by_htcds[name]
            problems += _check_values(number, name, value, fmap.picklist, fmap.multiple)
        elif name in mapping.countries:
            problems += _check_values(number, name, value, countries, True)
        elif name == "con_Consent":
            if not isinstance(value, bool):
                problems.append(Problem(number, name, _("TRUE or FALSE is expected.")))
        elif name == "prs_Birthdate":
            try:
                datetime.date.fromisoformat(str(value))
            except ValueError:
                problems.append(Problem(number, name, _("A date (YYYY-MM-DD) is expected.")))
        elif name == "ext_AgeGroup":
            problems += _check_values(number, name, value, AGE_GROUPS, False)
        elif name == EVENTS:
            problems += _check_events(number, value, countries)
        elif value is not None and not isinstance(value, str | int | float | bool):
            problems.append(Problem(number, name, _("Text is expected.")))
        elif isinstance(value, str) and len(value) > TEXT_MAX:
            problems.append(
                Problem(number, name, _("At most %(max)d characters.") % {"max": TEXT_MAX})
            )
    return problems


def _check_events(number: int, value: Any, countries: frozenset[str]) -> list[Problem]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return [Problem(number, EVENTS, _("A list of events is expected."))]
    problems: list[Problem] = []
    for event in value:
        problems += _check_values(number, EVENTS, event.get("hte_Type"), EVENT_KINDS, False)
        problems += _check_values(number, EVENTS, event.get("hte_Country"), countries, False)
    return problems


def check(report: Report, mapping: Mapping | None = None) -> None:
    mapping = mapping or load()
    for number, item in report.records:
        report.problems += _check_record(number, item, mapping)


# Storing --------------------------------------------------------------------------------------


def codes_of(item: dict[str, Any], mapping: Mapping) -> dict[str, list[str]]:
    """Our codes of the record's mapped fields (a checked record)."""
    codes: dict[str, list[str]] = {}
    for key, fmap in mapping.fields.items():
        value = item.get(fmap.htcds)
        values = value if isinstance(value, list) else [value] if value else []
        mapped = [fmap.reverse[v] for v in values if fmap.reverse.get(v)]
        codes[key] = list(dict.fromkeys(mapped))
    for name, key in mapping.countries.items():
        codes[key] = [c.upper() for c in item.get(name) or []]
    return codes


def _description(file_name: str, number: int, item: dict[str, Any], mapping: Mapping) -> str:
    lines = [
        _("Imported from the HTCDS file “%(file)s”, record %(row)d.")
        % {"file": file_name, "row": number}
    ]
    for fmap in mapping.fields.values():
        value = item.get(fmap.htcds)
        if value:
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            lines.append(f"{fmap.htcds}: {shown}")
    if item.get("prs_Citizenship"):
        lines.append(f"prs_Citizenship: {', '.join(item['prs_Citizenship'])}")
    return "\n".join(lines)[:DESCRIPTION_MAX]


def import_records(actor: Actor, report: Report, *, file_name: str, territory: Territory) -> str:
    """A concern per record of a checked file, all in one transaction; the import's batch id.
    Refused (ImportRefused, nothing stored) when the report has any problem."""
    if not report.ok:
        raise ImportRefused(report)
    mapping = load()
    batch = secrets.token_hex(8)
    with transaction.atomic():
        for number, item in report.records:
            codes = codes_of(item, mapping)
            child = item.get("ext_AgeGroup") == "child"
            concern: Concern = submit_concern(
                actor,
                channel=DetectionChannel.OTHER,
                territory=territory,
                place_type=PlaceType.OTHER,
                sector=(codes.get("sectors") or [Sector.UNKNOWN])[0],
                description=_description(file_name, number, item, mapping),
                child_involved=ChildInvolved.YES if child else ChildInvolved.UNKNOWN,
            )
            imported = ImportedRecord(
                concern=concern, batch=batch, file_name=file_name[:200], row=number
            )
            imported.record = item
            imported.codes = codes
            imported.save()
        audit(
            "exchange.import",
            actor=actor,
            details={"batch": batch, "records": len(report.records), "territory": territory.pk},
        )
    return batch
