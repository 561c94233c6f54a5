"""The person's account and the interview record, written once during preliminary
identification so that the person does not have to tell it again (DESIGN §1.5).

The responsible organisation's field staff write it, in their own words and in any order: each
section is optional and saved on its own, so that nothing typed is lost; the exploitative
situations are repeatable. Each change checks the writer's right, writes the audit entry (ids
and section codes only) and, for the first save and for situations, the case's timeline, in one
transaction. Reading goes through opennrm.detection.access.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases import hooks
from opennrm.cases.enums import FileItem
from opennrm.cases.models import Case, CaseEvent, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.detection.models import ExploitativeSituation, PersonAccount
from opennrm.profiles.capabilities import Capability

SITUATIONS = "situations"
# Section code -> the account's fields it holds, in the order the page shows them. The
# situations are a section of their own (records, not fields).
SECTIONS: dict[str, tuple[str, ...]] = {
    "background": ("background",),
    "recruitment": ("recruitment",),
    "journey": ("journey",),
    SITUATIONS: (),
    "conditions": ("conditions",),
    "control": ("control_means", "control"),
    "leaving": ("still_there", "leaving"),
    "contact": ("last_contact", "reprisals"),
    "reported": ("reported_before", "reported_details"),
    "interview": (
        "interview_place",
        "interview_on",
        "interpreter_language",
        "present",
        "breaks",
        "person_state",
        "insight",
        "credibility",
    ),
}
SITUATION_FIELDS = (
    "started_on",
    "ended_on",
    "timing",
    "abroad",
    "country",
    "territory",
    "commune",
    "sector",
    "forms",
    "description",
)


def _organisation(actor: Actor) -> Organisation | None:
    membership = actor.membership
    return membership.organisation if membership is not None else None


def may_write(actor: Actor, case: Case) -> bool:
    """The responsible organisation's field staff (who assess and report) write the account."""
    membership = actor.membership
    return (
        membership is not None
        and membership.organisation_id == case.owner_id
        and membership.can(Capability.REPORT)
    )


def _check_writer(actor: Actor, case: Case) -> None:
    if not may_write(actor, case):
        raise TransitionError(
            _("Only the responsible organisation's field staff write the account.")
        )
    if case.is_closed:
        raise TransitionError(_("This case is closed: reopen it first."))


def _locked_account(case: Case, actor: Actor) -> tuple[PersonAccount, bool]:
    """The case's account, locked for the transaction; created on its first save."""
    account = PersonAccount.objects.select_for_update(of=("self",)).filter(case_id=case.pk).first()
    if account is not None:
        return account, False
    organisation = _organisation(actor)
    assert organisation is not None  # noqa: S101 (may_write checked the membership)
    account = PersonAccount.objects.create(
        case=case, created_by=actor.signed_in_user(), organisation=organisation
    )
    CaseEvent.log(case, "account.started", actor=actor)
    record("account.create", target=account, actor=actor, details={"case": case.pk})
    return account, True


def _stamp(account: PersonAccount, section: str) -> list[str]:
    saved_at = dict(account.saved_at or {})
    saved_at[section] = timezone.now().isoformat()
    account.saved_at = saved_at
    return ["saved_at", "updated_at"]


def save_section(
    case: Case, section: str, values: dict[str, Any], *, actor: Actor
) -> PersonAccount:
    """Save one section of the account (a draft: the others are left as they are)."""
    fields = SECTIONS.get(section)
    if not fields:
        raise TransitionError(_("Unknown section of the account."))
    _check_writer(actor, case)
    with transaction.atomic():
        account, _created = _locked_account(case, actor)
        for name in fields:
            setattr(account, name, values.get(name, getattr(account, name)))
        account.full_clean()
        account.save(update_fields=[*fields, *_stamp(account, section)])
        record(
            "account.save_section",
            target=account,
            actor=actor,
            details={"case": case.pk, "section": section},
        )
        hooks.file_changed(case, FileItem.ACCOUNT, actor)
    return account


def _situation_values(situation: ExploitativeSituation, values: dict[str, Any]) -> None:
    for name in SITUATION_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "territory":  # a Territory, its id, or None
            situation.territory_id = getattr(value, "pk", value)
        else:
            setattr(situation, name, value if value is not None or name != "forms" else [])
    if not situation.abroad:
        situation.country = situation.country or ""
    else:
        situation.territory = None


def add_situation(case: Case, values: dict[str, Any], *, actor: Actor) -> ExploitativeSituation:
    """Add an exploitative situation to the account (created on the way if needed)."""
    _check_writer(actor, case)
    with transaction.atomic():
        account, _created = _locked_account(case, actor)
        situation = ExploitativeSituation(account=account)
        _situation_values(situation, values)
        situation.full_clean()
        situation.save()
        account.save(update_fields=_stamp(account, SITUATIONS))
        CaseEvent.log(case, "account.situation_added", actor=actor)
        record(
            "account.add_situation",
            target=situation,
            actor=actor,
            details={"case": case.pk, "account": account.pk},
        )
        hooks.file_changed(case, FileItem.ACCOUNT, actor)
    return situation


def _locked_situation(case: Case, pk: int) -> tuple[PersonAccount, ExploitativeSituation]:
    account = PersonAccount.objects.select_for_update(of=("self",)).filter(case_id=case.pk).first()
    situation = (
        ExploitativeSituation.objects.filter(pk=pk, account=account).first() if account else None
    )
    if account is None or situation is None:
        raise TransitionError(_("This situation is not part of the case's account."))
    return account, situation


def update_situation(
    case: Case, pk: int, values: dict[str, Any], *, actor: Actor
) -> ExploitativeSituation:
    _check_writer(actor, case)
    with transaction.atomic():
        account, situation = _locked_situation(case, pk)
        _situation_values(situation, values)
        situation.full_clean()
        situation.save()
        account.save(update_fields=_stamp(account, SITUATIONS))
        record(
            "account.update_situation",
            target=situation,
            actor=actor,
            details={"case": case.pk, "account": account.pk},
        )
        hooks.file_changed(case, FileItem.ACCOUNT, actor)
    return situation


def remove_situation(case: Case, pk: int, *, actor: Actor) -> None:
    _check_writer(actor, case)
    with transaction.atomic():
        account, situation = _locked_situation(case, pk)
        record(
            "account.remove_situation",
            target=situation,
            actor=actor,
            details={"case": case.pk, "account": account.pk},
        )
        hooks.file_changed(case, FileItem.ACCOUNT, actor)
        situation.delete()
        account.save(update_fields=_stamp(account, SITUATIONS))
        CaseEvent.log(case, "account.situation_removed", actor=actor)


# Completeness ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    filled: int
    total: int
    sections: tuple[str, ...]  # the codes of the sections filled

    @property
    def complete(self) -> bool:
        return self.filled == self.total


def _has(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, [], {}, False)


def filled_sections(account: PersonAccount | None, situations: int) -> Completeness:
    """Which sections hold something (the situations: at least one)."""
    if account is None:
        return Completeness(0, len(SECTIONS), ())
    filled = tuple(
        code
        for code, fields in SECTIONS.items()
        if (
            situations > 0 if code == SITUATIONS else any(_has(getattr(account, f)) for f in fields)
        )
    )
    return Completeness(len(filled), len(SECTIONS), filled)


def saved_at(account: PersonAccount | None, section: str) -> datetime.datetime | None:
    """When the section was last saved (None: never)."""
    if account is None:
        return None
    value = (account.saved_at or {}).get(section)
    return parse_datetime(value) if isinstance(value, str) else None
