"""Cases as HTCDS records: one case for a partner under the person's consent, or every case an
organisation or the national coordinator holds, pseudonymised; as JSON or as the standard's
Excel template.

A record holds the mapped fields (`mapping.py`), the person's citizenship and the countries of
recruitment, transit and exploitation (as historic trafficking events), and our extensions,
named `ext_…` as the standard expects custom fields to be: the case's reference, the person's
pseudonym and age group. Names and the date of birth only in a per-case export that carries the
identity; never the year of birth alone, which with the rest may single a person out.
"""

import json
from dataclasses import dataclass
from typing import Any

from opennrm.audit.trail import record as audit
from opennrm.cases.models import Case, Consent, Person
from opennrm.core.acting import Actor
from opennrm.detection.models import AccountFacts, PersonAccount
from opennrm.exchange import access
from opennrm.exchange.mapping import Mapping, load
from opennrm.exchange.xlsx import write

FORMAT = "HTCDS"
EVENTS = "hte_Events"
EVENT_TYPES = (
    ("recruitment_countries", "Recruitment"),
    ("transit_countries", "Transit"),
    ("exploitation_countries", "Exploitation"),
)


@dataclass(frozen=True)
class Export:
    records: list[dict[str, Any]]
    identity: bool


def age_group(case: Case, person: Person) -> str:
    if case.child or person.may_be_child:
        return "child"
    age = case.age_at_detection if case.age_at_detection is not None else person.estimated_age
    if age is not None:
        return "child" if age < 18 else "adult"
    return "unknown"


def _account(case: Case) -> tuple[PersonAccount | None, AccountFacts | None]:
    try:
        account: PersonAccount | None = case.account
    except PersonAccount.DoesNotExist:
        return None, None
    try:
        facts: AccountFacts | None = account.facts if account is not None else None
    except AccountFacts.DoesNotExist:
        facts = None
    return account, facts


def case_record(
    case: Case, *, identity: Person | None = None, consent: bool = False
) -> dict[str, Any]:
    """The case as one HTCDS record (`case.account` and its facts loaded or loadable)."""
    mapping = load()
    person = case.person
    account, facts = _account(case)
    fields = mapping.fields
    codes: dict[str, list[str]] = {
        "forms": list(dict.fromkeys([*case.forms, *(facts.forms if facts else [])])),
        "sectors": list(facts.sectors) if facts else [],
        "recruitment_methods": list(facts.recruitment_methods) if facts else [],
        "control_means": list(account.control_means) if account else [],
        "relation_to_exploiter": [facts.relation_to_exploiter] if facts else [],
        "sex": [person.sex],
        "status": [case.status],
    }
    result: dict[str, Any] = {
        "ext_CaseReference": case.reference,
        "ext_Pseudonym": person.pseudonym,
        "ext_AgeGroup": age_group(case, person),
    }
    if identity is not None:
        result["prs_FirstName"] = identity.given_names
        result["prs_SecondName"] = identity.family_name
        if identity.date_of_birth is not None:
            result["prs_Birthdate"] = identity.date_of_birth.isoformat()
    result["con_Consent"] = consent
    result["prs_Citizenship"] = [code.upper() for code in person.nationalities]
    for key, field in fields.items():
        values = field.to_htcds(codes.get(key, []))
        if field.multiple:
            result[field.htcds] = values
        elif values:
            result[field.htcds] = values[0]
    events = []
    for attribute, kind in EVENT_TYPES:
        for country in getattr(facts, attribute, None) or []:
            events.append({"hte_Type": kind, "hte_Country": country.upper()})
    result[EVENTS] = events
    return result


def export_case(actor: Actor, case: Case, consent: Consent) -> Export:
    """One case for the organisation named by the person's consent (checked by
    `access.get_consent_for_export`). Audited, naming the consent."""
    identity = access.identity_for_export(actor, case, consent)
    records = [case_record(case, identity=identity, consent=True)]
    audit(
        "exchange.export_case",
        target=case,
        actor=actor,
        details={"consent": consent.pk, "identity": identity is not None},
    )
    return Export(records, identity is not None)


def export_bulk(actor: Actor) -> Export:
    """Every case the actor may export in bulk, pseudonymised; 404 for anyone else. Audited."""
    cases = (
        access.cases_for_bulk_export(actor)
        .select_related("person", "account", "account__facts")
        .order_by("reference")
    )
    records = [case_record(case) for case in cases]
    audit("exchange.export_bulk", actor=actor, details={"records": len(records)})
    return Export(records, identity=False)


def to_json(records: list[dict[str, Any]]) -> bytes:
    document = {"standard": FORMAT, "version": load().version, "records": records}
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _cell(value: Any, mapping: Mapping) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, list):
        return mapping.separator.join(str(item) for item in value)
    return str(value)


def to_xlsx(records: list[dict[str, Any]]) -> bytes:
    """The standard's Excel template: field names (row 1, hidden), labels (row 2), a case a row.
    Only the template's columns: the extensions and events travel in JSON only."""
    mapping = load()
    aliases = mapping.excel_aliases
    rows = [[column.name for column in mapping.excel], [column.label for column in mapping.excel]]
    for item in records:
        rows.append(
            [
                _cell(item.get(aliases.get(column.name, column.name)), mapping)
                if column.name
                else ""
                for column in mapping.excel
            ]
        )
    return write(rows, hidden_rows=(1,))
