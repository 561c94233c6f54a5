"""The person's rights (GDPR arts. 15 and 16): a copy of everything held on them, in JSON and
PDF, and the rectification of their identity with a reason.

The export walks Django's relations from the person and their cases (opennrm.privacy.collect):
a record type added later is exported without a change here. Staff accounts are left out (they
are other people's data); organisations and départements are named. The documents attached to
the cases (opennrm.cases.evidence) are described in both copies and given whole, decrypted, in
the archive (ZIP: the JSON copy and every document).
"""

import datetime
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.models import Case, CaseEvent, Evidence, Person, TransitionError
from opennrm.cases.persons import update_person
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.privacy.collect import related_records
from opennrm.profiles.loader import active_profile

FORMAT = "opennrm.subject-access/1"
PDF_TEMPLATE = "privacy/subject_access.html"
RECTIFICATION_REASON_MIN = 10
# Derived keyed hashes of the names, for duplicate detection (persons) and for linking cases
# that name the same employer or exploiter: they tell the person nothing.
NOT_EXPORTED = frozenset({"cases.personindextoken", "detection.linktoken"})
ARCHIVE_COPY = "subject-access.json"
ARCHIVE_DOCUMENTS = "documents"

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Value:
    name: str
    label: str
    data: Any  # for JSON
    text: str  # for people


@dataclass
class Entry:
    """One record: its model, id and field values."""

    model: str
    title: str
    pk: Any
    values: list[Value]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.pk, **{value.name: value.data for value in self.values}}


@dataclass
class Section:
    model: str
    title: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class CaseCopy:
    reference: str
    case: Entry
    sections: list[Section]


@dataclass
class SubjectAccess:
    generated_at: datetime.datetime
    organisation: str
    person: Entry
    cases: list[CaseCopy]
    other: list[Section]
    # The documents attached to the cases (their files go in the archive).
    documents: list[Evidence] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "generated_at": self.generated_at.isoformat(),
            "generated_by_organisation": self.organisation,
            "person": self.person.as_json(),
            "cases": [
                {
                    "case": copy.case.as_json(),
                    "records": {
                        section.model: [entry.as_json() for entry in section.entries]
                        for section in copy.sections
                    },
                }
                for copy in self.cases
            ],
            "other_records": {
                section.model: [entry.as_json() for entry in section.entries]
                for section in self.other
            },
        }


# Values ----------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _code_labels(name: str) -> dict[str, str]:
    """Labels of the codes some list fields hold, in the active language."""
    from opennrm.cases.reference_data import country_choices, language_choices

    if name == "forms":
        profile = active_profile()
        language = translation.get_language() or profile.default_language
        return {
            form.code: form.label.get(language[:2], profile.default_language)
            for form in profile.forms_of_exploitation
        }
    if name == "nationalities" or name.endswith("_countries"):
        return dict(country_choices())
    if name == "languages":
        return dict(language_choices())
    return {}


def _text(model_field: models.Field[Any, Any], value: Any) -> str:
    if _empty(value):
        return "—"
    if isinstance(value, list) and (labels := _code_labels(model_field.name)):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(value)


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def _relation_value(record_: Model, model_field: models.Field[Any, Any]) -> Value | None:
    target = model_field.related_model
    if target in (Case, Person) or target is None:
        return None  # the nesting says which case or person a record belongs to
    if target._meta.label == settings.AUTH_USER_MODEL:
        return None  # staff accounts: other people's data
    label = capfirst(str(model_field.verbose_name))
    pk = getattr(record_, model_field.attname)
    if pk is None:
        return Value(model_field.name, label, None, "—")
    if target in (Organisation, Territory):
        name = str(getattr(record_, model_field.name))
        return Value(model_field.name, label, name, name)
    return Value(model_field.name, label, pk, f"#{pk}")


def entry_for(record_: Model) -> Entry:
    values: list[Value] = []
    for model_field in record_._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.is_relation:
            value = _relation_value(record_, model_field)
            if value is not None:
                values.append(value)
            continue
        raw = model_field.value_from_object(record_)
        values.append(
            Value(
                model_field.name,
                capfirst(str(model_field.verbose_name)),
                _json(raw),
                _text(model_field, raw),
            )
        )
    meta = record_._meta
    return Entry(meta.label_lower, capfirst(str(meta.verbose_name)), record_.pk, values)


def _sections(found: Any) -> list[Section]:
    sections: list[Section] = []
    for model, records in found:
        meta = model._meta
        if meta.label_lower in NOT_EXPORTED:
            continue
        section = Section(meta.label_lower, capfirst(str(meta.verbose_name_plural)))
        section.entries = [entry_for(item) for item in records]
        sections.append(section)
    return sorted(sections, key=lambda section: section.model)


def subject_access(person: Person, cases: list[Case], organisation: Organisation) -> SubjectAccess:
    """Everything held on the person in the given cases (those the requester may export)."""
    copies = []
    documents: list[Evidence] = []
    for case in cases:
        found = related_records(case)
        copies.append(CaseCopy(case.reference, entry_for(case), _sections(found)))
        for item in found.by_model.get(Evidence, []):
            assert isinstance(item, Evidence)  # noqa: S101 (for the type checker)
            item.case = case
            documents.append(item)
    other = related_records(person, depth=1, skip=frozenset({"cases.case"}))
    return SubjectAccess(
        generated_at=timezone.now(),
        organisation=organisation.name,
        person=entry_for(person),
        cases=copies,
        other=_sections(other),
        documents=documents,
    )


def as_json_bytes(copy: SubjectAccess) -> bytes:
    return json.dumps(
        copy.as_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str
    ).encode()


def archive_path(document: Evidence) -> str:
    """Where a document is in the archive: by case, its id first (two may share a name)."""
    from opennrm.cases.evidence import download_name

    return f"{ARCHIVE_DOCUMENTS}/{document.case.reference}/{document.pk}-{download_name(document)}"


def as_archive_bytes(copy: SubjectAccess) -> bytes:
    """A ZIP archive: the JSON copy, and every document attached to the cases, decrypted. The
    caller audits the export (each document's id in the details)."""
    from opennrm.cases.evidence import read_content

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ARCHIVE_COPY, as_json_bytes(copy))
        for document in copy.documents:
            archive.writestr(archive_path(document), read_content(document))
    return buffer.getvalue()


# PDF -------------------------------------------------------------------------------------


@cache
def _no_fetching() -> Any:
    """A URL fetcher that refuses everything: the document is self-contained, no network."""
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"Documents do not fetch external resources ({url[:40]})")

    return NoFetching()


def as_pdf_bytes(copy: SubjectAccess, language: str) -> bytes:
    from weasyprint import HTML

    # The values' texts (choices, dates, yes/no) were made in the active language: build the
    # copy and the document under the same one.
    with translation.override(language):
        html = render_to_string(PDF_TEMPLATE, {"copy": copy, "LANGUAGE_CODE": language})
    pdf: bytes = HTML(string=html, url_fetcher=_no_fetching()).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


# Rectification --------------------------------------------------------------------------


def rectify(
    actor: Actor,
    case: Case,
    person: Person,
    changed: list[str],
    reason: str,
    *,
    details: dict[str, Any] | None = None,
) -> None:
    """Correct the person's identity at their request: saved as any identity change
    (validation, age rules, timeline), with the reason on the case's timeline. Audited."""
    reason = reason.strip()
    if len(reason) < RECTIFICATION_REASON_MIN:
        raise TransitionError(_("Say why the data are corrected."))
    if not changed:
        raise TransitionError(_("Nothing was changed."))
    fields = sorted(changed)
    with transaction.atomic():
        update_person(actor, case, person, fields)
        CaseEvent.log(
            case, "person.rectified", actor=actor, note=reason, details={"fields": fields}
        )
        record(
            "person.rectify",
            target=person,
            actor=actor,
            details={"case": case.pk, "fields": fields, **(details or {})},
        )
