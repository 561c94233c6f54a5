"""Anonymisation of a case past its retention: what identifies goes, statistics stay.

Kept: the pseudonym and the reference (meaningless random codes), forms of exploitation, sector,
countries of exploitation, age group (child or adult), sex, nationalities, département,
organisations, statuses and every code, and dates at month precision. Gone: names, aliases,
date of birth, exact age, gender identity, languages, places, every narrative and note
(assessments keep their indicator answers, not the notes; persons' accounts their codes, not
their words; the facts in standard terms stay whole: codes only), guardians' names and
contacts, exploiters' names and notes (their roles, nationality and sex stay), workplaces'
names, addresses, towns and SIRET (their country, département and sector stay), and the
blind-index tokens of the person, the workplaces and the exploiters, and the documents attached
to the case (rows and files).

Every record pointing at the case is handled (opennrm.privacy.collect), including models added
after this was written: their free text is blanked (text fields without choices, except the
code fields named in KEEP_TEXT), their dates are cut to the month.
"""

import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Model
from django.utils import timezone

from opennrm.audit.trail import record
from opennrm.cases.models import Case, Person
from opennrm.core.acting import Actor
from opennrm.privacy.collect import related_records
from opennrm.privacy.models import CaseRetention, RetentionStage

PERSON_CLEARED: dict[str, Any] = {
    "given_names": "",
    "family_name": "",
    "aliases": "",
    "date_of_birth": None,
    "estimated_age": None,
    "gender_identity": "",
    "languages": [],
}
# age_at_detection is an exact age; `child` keeps the age group.
CASE_CLEARED: dict[str, Any] = {"places": "", "age_at_detection": None}
# Text fields without choices that hold codes, not words about a person.
KEEP_TEXT = frozenset(
    {
        "pseudonym",
        "reference",
        "kind",
        "source",
        "target",
        "sector",
        "catalogue_version",
        "set_code",
        "language",
        "leaflet_language",
        "engine_outcome",
        "status_before",
        "status_after",
        "nationality",
        "country",  # where an exploitative situation took place, abroad (ISO code)
    }
)
# Records that are kept as they are (retention bookkeeping, the accountability of exceptional
# access), and records that are deleted (keyed hashes of the names: they allow matching; a
# workplace's or an exploiter's tokens, which link the case to others'; the documents attached
# to the case: their files are deleted from the storage with their rows, opennrm.cases.evidence).
KEEP_MODELS = frozenset({"privacy.caseretention", "privacy.breakglassgrant"})
DELETE_MODELS = frozenset({"cases.personindextoken", "detection.linktoken", "cases.evidence"})


def to_month(value: datetime.date) -> datetime.date:
    """The first day of the month (midnight, local time, for a date and time)."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return value.replace(day=1)


def _is_text(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.CharField | models.TextField)


def _answers_without_notes(value: Any) -> Any:
    """Indicator answers keep their codes; the notes typed beside them go."""
    if not isinstance(value, dict):
        return value
    return {
        code: {"answer": item.get("answer")} if isinstance(item, dict) else item
        for code, item in value.items()
    }


def _field_change(field: models.Field[Any, Any], value: Any) -> tuple[bool, Any]:
    """Whether the value changes, and to what."""
    encrypted = bool(getattr(field, "encrypted", False))
    if field.name == "answers":
        cleared = _answers_without_notes(value)
        return cleared != value, cleared
    if isinstance(field, models.DateField):  # date and date-time
        if value is None:
            return False, None
        if encrypted and field.null:
            return True, None
        month = to_month(value)
        return month != value, month
    if _is_text(field):
        if field.choices or field.name in KEEP_TEXT:
            return False, value
        if value in ("", None):
            return False, value
        return True, None if field.null and encrypted else ""
    return False, value


def changes_for(record_: Model, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The field values that anonymise one record (by attribute name)."""
    overrides = overrides or {}
    changes: dict[str, Any] = {}
    for field in record_._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        value = field.value_from_object(record_)
        if field.name in overrides:
            if value != overrides[field.name]:
                changes[field.attname] = overrides[field.name]
            continue
        changed, new_value = _field_change(field, value)
        if changed:
            changes[field.attname] = new_value
    return changes


def free_text_changes(record_: Model) -> dict[str, Any]:
    """The field values that blank a record's free text (text fields without choices, except
    the code fields of KEEP_TEXT), by attribute name; dates, codes and relations stay."""
    changes: dict[str, Any] = {}
    for field in record_._meta.concrete_fields:
        if field.primary_key or field.is_relation or not _is_text(field):
            continue
        changed, new_value = _field_change(field, field.value_from_object(record_))
        if changed:
            changes[field.attname] = new_value
    return changes


def _apply(record_: Model, changes: dict[str, Any]) -> None:
    # A queryset update: no save() side effects, no auto_now dates moved to today; encrypted
    # fields still encrypt (their get_prep_value runs).
    if changes:
        type(record_)._base_manager.filter(pk=record_.pk).update(**changes)


def anonymise_person(person: Person, *, actor: Actor) -> None:
    """Clear the person's identity; the pseudonym, sex and nationalities stay."""
    changes = changes_for(person, PERSON_CLEARED)
    for attname, value in changes.items():
        setattr(person, attname, value)
    if changes:
        # save(): the person's blind-index tokens follow their (now empty) names.
        person.save(update_fields=list(changes))
    for model, records in related_records(person, depth=1, skip=frozenset({"cases.case"})):
        label = model._meta.label_lower
        if label in DELETE_MODELS:
            model._base_manager.filter(pk__in=[r.pk for r in records]).delete()
        elif label not in KEEP_MODELS:
            for item in records:
                _apply(item, changes_for(item))
    record("retention.anonymise_person", target=person, actor=actor)


def anonymise_case(case: Case, *, actor: Actor) -> bool:
    """Anonymise the case and every record pointing at it; the person too once none of their
    cases is left un-anonymised. Returns whether the person was anonymised."""
    with transaction.atomic():
        found = related_records(case, skip=KEEP_MODELS)
        for model, records in found:
            label = model._meta.label_lower
            if label in DELETE_MODELS:
                model._base_manager.filter(pk__in=[r.pk for r in records]).delete()
                continue
            for item in records:
                _apply(item, changes_for(item))
        _apply(case, changes_for(case, CASE_CLEARED))
        CaseRetention.objects.update_or_create(
            case=case,
            defaults={"stage": RetentionStage.ANONYMISED, "anonymised_at": timezone.now()},
        )
        record(
            "retention.anonymise",
            target=case,
            actor=actor,
            details={"owner": case.owner_id, "records": found.count()},
        )
        person = Person.objects.get(pk=case.person_id)
        anonymised = CaseRetention.objects.filter(stage=RetentionStage.ANONYMISED)
        remaining = person.cases.exclude(pk__in=anonymised.values("case_id"))
        if remaining.exists():
            return False
        anonymise_person(person, actor=actor)
    return True
