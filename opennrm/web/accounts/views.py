"""The person's account and the interview record (not to be confused with user accounts,
which are allauth's, under /accounts/).

One page holds every section; each section is its own form, posted on its own and saved at
once (a draft: nothing else moves), and the page comes back at that section's anchor. A form
refused shows the page again with what was typed. The account is reached only through
opennrm.detection.access; changes only through opennrm.detection.accounts.
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.cases.models import Case
from opennrm.core.models import Territory
from opennrm.detection import accounts
from opennrm.detection.access import get_account_for_member, may_write_account
from opennrm.detection.models import ExploitativeSituation, PersonAccount
from opennrm.web.accounts.forms import SECTION_FORMS, SituationForm
from opennrm.web.accounts.summary import SECTION_TITLES, account_summary
from opennrm.web.acting import ActingRequest
from opennrm.web.formtools import add_errors, submit_button


@dataclass
class SectionBlock:
    code: str
    title: str
    filled: bool
    saved_at: Any
    form: Form | None = None


@dataclass
class SituationBlock:
    situation: ExploitativeSituation | None
    form: Form
    number: int


def _territory_choices() -> list[tuple[int, str]]:
    return [
        (territory.pk, f"{territory.name} ({territory.code})")
        for territory in Territory.objects.local_units().order_by("code")
    ]


def _initial(account: PersonAccount | None, fields: tuple[str, ...]) -> dict[str, Any]:
    if account is None:
        return {}
    return {name: getattr(account, name) for name in fields}


def _situation_initial(situation: ExploitativeSituation) -> dict[str, Any]:
    initial = {name: getattr(situation, name) for name in accounts.SITUATION_FIELDS}
    initial["territory"] = situation.territory_id
    return initial


def _anchor(case: Case, section: str) -> str:
    return f"{reverse('web:account', args=[case.reference])}#section-{section}"


def _page(
    request: ActingRequest,
    case: Case,
    account: PersonAccount | None,
    *,
    bound: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page; `bound` holds the form posted and refused, by its section or situation key."""
    bound = bound or {}
    editable = may_write_account(request.actor, case) and not case.is_closed
    situations = list(account.situations.all()) if account is not None else []
    completeness = accounts.filled_sections(account, len(situations))
    sections = []
    for code, fields in accounts.SECTIONS.items():
        form = None
        if editable and code in SECTION_FORMS:
            form = bound.get(code) or SECTION_FORMS[code](
                initial=_initial(account, fields), prefix=code
            )
        sections.append(
            SectionBlock(
                code=code,
                title=str(SECTION_TITLES[code]),
                filled=code in completeness.sections,
                saved_at=accounts.saved_at(account, code),
                form=form,
            )
        )
    situation_blocks: list[SituationBlock] = []
    if editable:
        territories = _territory_choices()
        for number, situation in enumerate(situations, start=1):
            key = f"situation-{situation.pk}"
            form = bound.get(key) or SituationForm(
                initial=_situation_initial(situation), prefix=key, territories=territories
            )
            situation_blocks.append(SituationBlock(situation, form, number))
        new = bound.get("situation-new") or SituationForm(
            prefix="situation-new", territories=territories
        )
        situation_blocks.append(SituationBlock(None, new, len(situations) + 1))
    return render(
        request,
        "web/accounts/account.html",
        {
            "case": case,
            "account": account,
            "editable": editable,
            "sections": sections,
            "completeness": completeness,
            "situation_blocks": situation_blocks,
            "summary": account_summary(account, situations) if not editable else None,
        },
        status=status,
    )


def account_page(request: ActingRequest, reference: str) -> HttpResponse:
    """The account: its sections to write (owner field staff) or to read (coordinators)."""
    case, account = get_account_for_member(request.actor, reference)
    return _page(request, case, account)


def _writable(request: ActingRequest, reference: str) -> tuple[Case, PersonAccount | None]:
    case, account = get_account_for_member(request.actor, reference)
    if not may_write_account(request.actor, case):
        raise Http404
    return case, account


def _refused(
    request: ActingRequest,
    case: Case,
    account: PersonAccount | None,
    key: str,
    form: Form,
    error: ValidationError | None,
) -> HttpResponse:
    """The page again, the refused form with what was typed (nothing was saved)."""
    if error is not None:
        add_errors(form, error)
    messages.error(request, _("This section could not be saved: see the fields marked below."))
    return _page(request, case, account, bound={key: form})


@require_POST
def account_section(request: ActingRequest, reference: str, section: str) -> HttpResponse:
    """Save one section: the page comes back at its anchor, "saved" and when."""
    case, account = _writable(request, reference)
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, prefix=section)
    if not form.is_valid():
        return _refused(request, case, account, section, form, None)
    try:
        accounts.save_section(case, section, form.cleaned_data, actor=request.actor)
    except ValidationError as error:
        return _refused(request, case, account, section, form, error)
    messages.success(request, _("Section “%(title)s” saved.") % {"title": SECTION_TITLES[section]})
    return redirect(_anchor(case, section))


def _save_situation(request: ActingRequest, reference: str, key: str, act: Any) -> HttpResponse:
    case, account = _writable(request, reference)
    form = SituationForm(request.POST, prefix=key, territories=_territory_choices())
    if not form.is_valid():
        return _refused(request, case, account, key, form, None)
    try:
        act(case, values=form.cleaned_data, actor=request.actor)
    except ValidationError as error:
        return _refused(request, case, account, key, form, error)
    messages.success(request, _("Exploitative situation saved."))
    return redirect(_anchor(case, accounts.SITUATIONS))


@require_POST
def situation_add(request: ActingRequest, reference: str) -> HttpResponse:
    return _save_situation(request, reference, "situation-new", accounts.add_situation)


@require_POST
def situation_edit(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    def act(case: Case, *, values: dict[str, Any], actor: Any) -> object:
        return accounts.update_situation(case, pk, values, actor=actor)

    return _save_situation(request, reference, f"situation-{pk}", act)


@require_POST
def situation_remove(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case, _account = _writable(request, reference)
    submit_button(
        request,
        None,
        partial(accounts.remove_situation, case, pk, actor=request.actor),
        _("Exploitative situation removed."),
    )
    return redirect(_anchor(case, accounts.SITUATIONS))
