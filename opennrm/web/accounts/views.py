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
from opennrm.detection import facts as facts_actions
from opennrm.detection.access import (
    ExploitersAndWorkplaces,
    get_account_for_member,
    get_exploiters_for_member,
    get_facts_for_member,
    links_for_member,
    may_write_account,
)
from opennrm.detection.enums import Sector
from opennrm.detection.facts import EXPLOITER_FIELDS, FACTS_FIELDS, WORKPLACE_FIELDS
from opennrm.detection.models import AccountFacts, ExploitativeSituation, PersonAccount
from opennrm.web.accounts.forms import (
    SECTION_FORMS,
    ExploiterForm,
    FactsForm,
    SituationForm,
    WorkplaceForm,
)
from opennrm.web.accounts.summary import (
    SECTION_TITLES,
    account_summary,
    exploiter_summary,
    facts_rows,
    workplace_summary,
)
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


# Facts in standard terms -------------------------------------------------------------------


def _territory_codes() -> list[tuple[str, str]]:
    return [
        (territory.code, f"{territory.name} ({territory.code})")
        for territory in Territory.objects.local_units().order_by("code")
    ]


def _facts_initial(
    case: Case, account: PersonAccount | None, facts: AccountFacts | None
) -> dict[str, Any]:
    """The facts saved; before their first save, what the case and the account already say
    (the forms of exploitation, the sectors and places of the situations) to confirm."""
    if facts is not None:
        initial = {name: getattr(facts, name) for name in FACTS_FIELDS}
    else:
        situations = list(account.situations.all()) if account is not None else []
        forms = list(dict.fromkeys([*case.forms, *(f for s in situations for f in s.forms)]))
        known = set(Sector.values) - {Sector.UNKNOWN}
        sectors = [
            sector for sector in [case.sector, *(s.sector for s in situations)] if sector in known
        ]
        initial = {
            "forms": forms,
            "sectors": list(dict.fromkeys(sectors)),
            "exploitation_countries": list(
                dict.fromkeys(s.country for s in situations if s.abroad and s.country)
            ),
            "exploitation_territories": list(
                dict.fromkeys(s.territory.code for s in situations if s.territory is not None)
            ),
        }
    initial["control_means"] = account.control_means if account is not None else []
    return initial


def _facts_page(
    request: ActingRequest,
    case: Case,
    account: PersonAccount | None,
    facts: AccountFacts | None,
    form: FactsForm | None = None,
) -> HttpResponse:
    editable = may_write_account(request.actor, case) and not case.is_closed
    if editable and form is None:
        form = FactsForm(
            initial=_facts_initial(case, account, facts),
            prefix="facts",
            territories=_territory_codes(),
        )
    return render(
        request,
        "web/accounts/facts.html",
        {
            "case": case,
            "editable": editable,
            "form": form if editable else None,
            "facts": facts,
            "rows": facts_rows(facts, account),
        },
    )


def facts_page(request: ActingRequest, reference: str) -> HttpResponse:
    """The facts of the account in standard terms: to record (owner field staff), saved like a
    section, or to read (coordinators)."""
    case, account, facts = get_facts_for_member(request.actor, reference)
    if request.method != "POST":
        return _facts_page(request, case, account, facts)
    if not may_write_account(request.actor, case):
        raise Http404
    form = FactsForm(request.POST, prefix="facts", territories=_territory_codes())
    if form.is_valid():
        try:
            facts_actions.save_facts(case, form.cleaned_data, actor=request.actor)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Facts saved."))
            return redirect("web:account_facts", reference=case.reference)
    messages.error(request, _("The facts could not be saved: see the fields marked below."))
    return _facts_page(request, case, account, facts, form)


# Exploiters and workplaces -----------------------------------------------------------------


@dataclass
class PartyBlock:
    """One exploiter or workplace on the page: its summary, its form (writers), whom to
    contact about a matching record of another organisation."""

    number: int
    summary: Any
    form: Form | None
    contacts: list[Any]


def _parties_page(
    request: ActingRequest,
    case: Case,
    parties: ExploitersAndWorkplaces,
    *,
    bound: dict[str, Form] | None = None,
) -> HttpResponse:
    bound = bound or {}
    editable = may_write_account(request.actor, case) and not case.is_closed
    found = links_for_member(request.actor, case)
    territories = _territory_choices() if editable else []
    exploiters = []
    for number, exploiter in enumerate(parties.exploiters, start=1):
        key = f"exploiter-{exploiter.pk}"
        form = None
        if editable:
            form = bound.get(key) or ExploiterForm(
                initial={name: getattr(exploiter, name) for name in EXPLOITER_FIELDS}, prefix=key
            )
        exploiters.append(
            PartyBlock(
                number,
                exploiter_summary(number, exploiter),
                form,
                found.exploiters.get(exploiter.pk, []),
            )
        )
    workplaces = []
    for number, workplace in enumerate(parties.workplaces, start=1):
        key = f"workplace-{workplace.pk}"
        form = None
        if editable:
            initial = {name: getattr(workplace, name) for name in WORKPLACE_FIELDS}
            initial["territory"] = workplace.territory_id
            form = bound.get(key) or WorkplaceForm(
                initial=initial, prefix=key, territories=territories
            )
        workplaces.append(
            PartyBlock(
                number,
                workplace_summary(number, workplace),
                form,
                found.workplaces.get(workplace.pk, []),
            )
        )
    return render(
        request,
        "web/accounts/exploiters.html",
        {
            "case": case,
            "editable": editable,
            "exploiters": exploiters,
            "workplaces": workplaces,
            "new_exploiter": (bound.get("exploiter-new") or ExploiterForm(prefix="exploiter-new"))
            if editable
            else None,
            "new_workplace": (
                bound.get("workplace-new")
                or WorkplaceForm(prefix="workplace-new", territories=territories)
            )
            if editable
            else None,
        },
    )


def exploiters_page(request: ActingRequest, reference: str) -> HttpResponse:
    """The exploiters and workplaces of the account, and which other organisations hold a
    matching one (whom to contact, nothing of their cases)."""
    case, parties = get_exploiters_for_member(request.actor, reference)
    return _parties_page(request, case, parties)


def _writable_parties(
    request: ActingRequest, reference: str
) -> tuple[Case, ExploitersAndWorkplaces]:
    case, parties = get_exploiters_for_member(request.actor, reference)
    if not may_write_account(request.actor, case):
        raise Http404
    return case, parties


def _parties_anchor(case: Case, kind: str) -> str:
    return f"{reverse('web:account_parties', args=[case.reference])}#{kind}s"


def _save_party(
    request: ActingRequest, reference: str, kind: str, key: str, act: Any
) -> HttpResponse:
    case, parties = _writable_parties(request, reference)
    form: Form
    if kind == "workplace":
        form = WorkplaceForm(request.POST, prefix=key, territories=_territory_choices())
    else:
        form = ExploiterForm(request.POST, prefix=key)
    error: ValidationError | None = None
    if form.is_valid():
        try:
            act(case, form.cleaned_data, actor=request.actor)
        except ValidationError as refused:
            error = refused
        else:
            if kind == "workplace":
                messages.success(request, _("Workplace saved."))
            else:
                messages.success(request, _("Exploiter saved."))
            return redirect(_parties_anchor(case, kind))
    if error is not None:
        add_errors(form, error)
    messages.error(request, _("This record could not be saved: see the fields marked below."))
    return _parties_page(request, case, parties, bound={key: form})


@require_POST
def exploiter_add(request: ActingRequest, reference: str) -> HttpResponse:
    return _save_party(
        request, reference, "exploiter", "exploiter-new", facts_actions.add_exploiter
    )


@require_POST
def exploiter_edit(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    return _save_party(
        request,
        reference,
        "exploiter",
        f"exploiter-{pk}",
        partial(_with_pk, facts_actions.update_exploiter, pk),
    )


@require_POST
def exploiter_remove(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case, _parties = _writable_parties(request, reference)
    submit_button(
        request,
        None,
        partial(facts_actions.remove_exploiter, case, pk, actor=request.actor),
        _("Exploiter removed."),
    )
    return redirect(_parties_anchor(case, "exploiter"))


@require_POST
def workplace_add(request: ActingRequest, reference: str) -> HttpResponse:
    return _save_party(
        request, reference, "workplace", "workplace-new", facts_actions.add_workplace
    )


@require_POST
def workplace_edit(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    return _save_party(
        request,
        reference,
        "workplace",
        f"workplace-{pk}",
        partial(_with_pk, facts_actions.update_workplace, pk),
    )


@require_POST
def workplace_remove(request: ActingRequest, reference: str, pk: int) -> HttpResponse:
    case, _parties = _writable_parties(request, reference)
    submit_button(
        request,
        None,
        partial(facts_actions.remove_workplace, case, pk, actor=request.actor),
        _("Workplace removed."),
    )
    return redirect(_parties_anchor(case, "workplace"))


def _with_pk(act: Any, pk: int, case: Case, values: dict[str, Any], *, actor: Any) -> Any:
    return act(case, pk, values, actor=actor)
