"""The facts of the person's account in standard terms, and the exploiters and workplaces it
names (issue #12, point 2).

Beside the narrative (opennrm.detection.accounts), the responsible organisation's field staff
record the facts as codes, for statistics and exchange (the IOM's HTCDS: the mapping is
opennrm.detection.htcds), and the exploiters and workplaces as records of their own, encrypted.
Each change checks the writer's right (the account's writers), validates (unknown codes are
refused), writes the audit entry (ids and codes only) and keeps the blind-index tokens of names
(opennrm.detection.links) in one transaction; a workplace or exploiter that matches one of
another organisation's cases is audited and that organisation's field staff are told.
Reading goes through opennrm.detection.access.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases import hooks
from opennrm.cases.enums import FileItem
from opennrm.cases.models import Case, TransitionError
from opennrm.core.acting import Actor
from opennrm.detection import links
from opennrm.detection.accounts import _check_writer, _locked_account
from opennrm.detection.models import AccountFacts, Exploiter, PersonAccount, Workplace

FACTS_FIELDS = (*AccountFacts.CODE_LISTS, "relation_to_exploiter", "minor_during_exploitation",
                "self_identifies")  # fmt: skip
# The account's own list, shown and saved with the facts: one list of means of control.
ACCOUNT_FIELDS = ("control_means",)
EXPLOITER_FIELDS = ("roles", "nationality", "sex", "name", "notes")
WORKPLACE_FIELDS = ("name", "address", "commune", "country", "territory", "sector", "siret")


def save_facts(case: Case, values: dict[str, Any], *, actor: Actor) -> AccountFacts:
    """Save the facts (a draft: the fields not in `values` are left as they are)."""
    _check_writer(actor, case)
    with transaction.atomic():
        account, _created = _locked_account(case, actor)
        facts = AccountFacts.objects.filter(account=account).first() or AccountFacts(
            account=account
        )
        for name in FACTS_FIELDS:
            if name in values:
                value = values[name]
                setattr(facts, name, value if value is not None else _empty(name))
        facts.saved_at = timezone.now()
        facts.full_clean()
        changed = [name for name in ACCOUNT_FIELDS if name in values]
        for name in changed:
            setattr(account, name, values[name] or [])
        if changed:
            account.full_clean()
            account.save(update_fields=[*changed, "updated_at"])
        facts.save()
        record(
            "facts.save",
            target=facts,
            actor=actor,
            details={"case": case.pk, "account": account.pk},
        )
        hooks.file_changed(case, FileItem.FACTS, actor)
    return facts


def _empty(name: str) -> Any:
    return [] if name in AccountFacts.CODE_LISTS else ""


# Exploiters and workplaces ---------------------------------------------------------------


def _set(record_: Exploiter | Workplace, names: tuple[str, ...], values: dict[str, Any]) -> None:
    for name in names:
        if name not in values:
            continue
        value = values[name]
        if name == "territory":  # a Territory, its id, or None
            record_.territory_id = getattr(value, "pk", value)  # type: ignore[union-attr]
        elif name == "roles":
            record_.roles = list(value or [])  # type: ignore[union-attr]
        else:
            setattr(record_, name, value if value is not None else "")


def _locked(case: Case, model: type[Exploiter] | type[Workplace], pk: int) -> Any:
    account = PersonAccount.objects.select_for_update(of=("self",)).filter(case_id=case.pk).first()
    item = model.objects.filter(pk=pk, account=account).first() if account else None
    if account is None or item is None:
        raise TransitionError(_("This record is not part of the case's account."))
    return item


def _tell(
    case: Case, item: Exploiter | Workplace, before: set[tuple[int, int]], actor: Actor
) -> None:
    """Audit a match found for this record, and tell the other organisations of a new one."""
    kind = "workplace" if isinstance(item, Workplace) else "exploiter"
    after = (
        links.other_cases_matching(case, workplace=item)
        if isinstance(item, Workplace)
        else links.other_cases_matching(case, exploiter=item)
    )
    if not after:
        return
    record(
        f"{kind}.possible_match",
        target=case,
        actor=actor,
        details={kind: item.pk, "organisations": sorted({owner for _c, owner in after})},
    )
    new = after - before
    if new:  # written in this transaction, like the record
        links.tell_the_other_organisations(new, kind=kind)


def _refresh(case: Case, item: Exploiter | Workplace) -> None:
    if isinstance(item, Workplace):
        links.refresh_workplace(item, case)
    else:
        links.refresh_exploiter(item, case)


def _matching(case: Case, item: Exploiter | Workplace) -> set[tuple[int, int]]:
    if isinstance(item, Workplace):
        return links.other_cases_matching(case, workplace=item)
    return links.other_cases_matching(case, exploiter=item)


def _add(
    case: Case, model: Any, names: tuple[str, ...], values: dict[str, Any], actor: Actor
) -> Any:
    _check_writer(actor, case)
    kind = model._meta.model_name
    with transaction.atomic():
        account, _created = _locked_account(case, actor)
        item = model(account=account, created_by=actor.signed_in_user())
        _set(item, names, values)
        item.full_clean()
        item.save()
        _refresh(case, item)
        record(
            f"{kind}.add",
            target=item,
            actor=actor,
            details={"case": case.pk, "account": account.pk},
        )
        _tell(case, item, set(), actor)
        hooks.file_changed(case, FileItem.FACTS, actor)
    return item


def _update(
    case: Case, model: Any, pk: int, names: tuple[str, ...], values: dict[str, Any], actor: Actor
) -> Any:
    _check_writer(actor, case)
    kind = model._meta.model_name
    with transaction.atomic():
        item = _locked(case, model, pk)
        before = _matching(case, item)
        _set(item, names, values)
        item.full_clean()
        item.save()
        _refresh(case, item)
        record(
            f"{kind}.update",
            target=item,
            actor=actor,
            details={"case": case.pk, "account": item.account_id},
        )
        _tell(case, item, before, actor)
        hooks.file_changed(case, FileItem.FACTS, actor)
    return item


def _remove(case: Case, model: Any, pk: int, actor: Actor) -> None:
    _check_writer(actor, case)
    kind = model._meta.model_name
    with transaction.atomic():
        item = _locked(case, model, pk)
        record(
            f"{kind}.remove",
            target=item,
            actor=actor,
            details={"case": case.pk, "account": item.account_id},
        )
        item.delete()  # its tokens go with it
        hooks.file_changed(case, FileItem.FACTS, actor)


def add_exploiter(case: Case, values: dict[str, Any], *, actor: Actor) -> Exploiter:
    """Add an exploiter to the case's account (created on the way if needed)."""
    item: Exploiter = _add(case, Exploiter, EXPLOITER_FIELDS, values, actor)
    return item


def update_exploiter(case: Case, pk: int, values: dict[str, Any], *, actor: Actor) -> Exploiter:
    item: Exploiter = _update(case, Exploiter, pk, EXPLOITER_FIELDS, values, actor)
    return item


def remove_exploiter(case: Case, pk: int, *, actor: Actor) -> None:
    _remove(case, Exploiter, pk, actor)


def add_workplace(case: Case, values: dict[str, Any], *, actor: Actor) -> Workplace:
    """Add a workplace or employer to the case's account (created on the way if needed)."""
    item: Workplace = _add(case, Workplace, WORKPLACE_FIELDS, values, actor)
    return item


def update_workplace(case: Case, pk: int, values: dict[str, Any], *, actor: Actor) -> Workplace:
    item: Workplace = _update(case, Workplace, pk, WORKPLACE_FIELDS, values, actor)
    return item


def remove_workplace(case: Case, pk: int, *, actor: Actor) -> None:
    _remove(case, Workplace, pk, actor)
