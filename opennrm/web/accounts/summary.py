"""The person's account as it is read (by coordinators, and in the file put to formal
identification): each section with what was written, codes shown as words. The template is
`web/includes/_person_account.html`, shared with the identification area. The facts, exploiters
and workplaces likewise (`web/accounts/_facts.html`, `web/accounts/_exploiters.html`)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opennrm.cases.enums import Sex
from opennrm.cases.reference_data import country_choices, language_choices
from opennrm.core.models import Territory
from opennrm.detection import accounts
from opennrm.detection.enums import (
    ControlMeans,
    ExploiterRole,
    FactAnswer,
    LastContact,
    RecruitmentMethod,
    RelationToExploiter,
    ReportedBefore,
    Sector,
    SelfIdentification,
    StillThere,
)
from opennrm.detection.models import (
    AccountFacts,
    ExploitativeSituation,
    Exploiter,
    PersonAccount,
    Workplace,
)
from opennrm.web.cases.views import form_labels

SECTION_TITLES: dict[str, Promise] = {
    "background": _("Background"),
    "recruitment": _("How it started"),
    "journey": _("The journey"),
    accounts.SITUATIONS: _("Exploitative situations"),
    "conditions": _("Living and working conditions"),
    "control": _("Control"),
    "leaving": _("Still there, or how the person left"),
    "contact": _("Last contact and risk of reprisals"),
    "reported": _("Reported before"),
    "interview": _("The interview"),
}


@dataclass
class Row:
    label: str
    value: str


@dataclass
class SectionSummary:
    code: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class SituationSummary:
    number: int
    period: str
    place: str
    sector: str
    forms: list[str]
    description: str


@dataclass
class AccountSummary:
    account: PersonAccount
    sections: list[SectionSummary]
    situations: list[SituationSummary]
    completeness: accounts.Completeness


def _label(choices: Any, code: str) -> str:
    return str(dict(choices).get(code, code)) if code else ""


def _row(account: PersonAccount, name: str) -> Row:
    model_field = PersonAccount._meta.get_field(name)
    value: Any = getattr(account, name)
    if name == "control_means":
        text = ", ".join(_label(ControlMeans.choices, code) for code in value or [])
    elif name == "interpreter_language":
        text = _label(language_choices(), value)
    elif name == "interview_on":
        from django.utils.formats import date_format

        text = date_format(value, "SHORT_DATE_FORMAT") if value else ""
    elif name in {"still_there", "last_contact", "reported_before"}:
        choices = {
            "still_there": StillThere.choices,
            "last_contact": LastContact.choices,
            "reported_before": ReportedBefore.choices,
        }[name]
        text = _label(choices, value)
    else:
        text = str(value or "")
    label = str(getattr(model_field, "verbose_name", name))
    return Row(label=label[:1].upper() + label[1:], value=text)


def _situation(number: int, situation: ExploitativeSituation) -> SituationSummary:
    from django.utils.formats import date_format

    def day(value: Any) -> str:
        return date_format(value, "SHORT_DATE_FORMAT") if value else "?"

    period = ""
    if situation.started_on or situation.ended_on:
        period = f"{day(situation.started_on)} → {day(situation.ended_on)}"
    if situation.timing:
        period = f"{period} ({situation.timing})" if period else situation.timing
    if situation.abroad:
        where = [_label(country_choices(), situation.country) or str(_("Abroad"))]
    else:
        where = (
            [f"{situation.territory.name} ({situation.territory.code})"]
            if situation.territory
            else []
        )
    if situation.commune:
        where.insert(0, situation.commune)
    labels = form_labels()
    return SituationSummary(
        number=number,
        period=period,
        place=", ".join(where),
        sector=_label(Sector.choices, situation.sector),
        forms=[labels.get(code, code) for code in situation.forms],
        description=situation.description,
    )


def account_summary(
    account: PersonAccount | None, situations: list[ExploitativeSituation] | None = None
) -> AccountSummary | None:
    """What was written, section by section (sections left empty are left out)."""
    if account is None:
        return None
    if situations is None:
        situations = list(account.situations.all())
    sections = []
    for code, fields in accounts.SECTIONS.items():
        rows = [row for row in (_row(account, name) for name in fields) if row.value]
        if rows or (code == accounts.SITUATIONS and situations):
            sections.append(SectionSummary(code, str(SECTION_TITLES[code]), rows))
    return AccountSummary(
        account=account,
        sections=sections,
        situations=[_situation(n, s) for n, s in enumerate(situations, start=1)],
        completeness=accounts.filled_sections(account, len(situations)),
    )


# Facts, exploiters and workplaces, as they are read ----------------------------------------


def _labels(choices: Any, codes: list[str] | None) -> str:
    mapping = dict(choices)
    return ", ".join(str(mapping.get(code, code)) for code in codes or [])


def _territory_names(codes: list[str] | None) -> str:
    if not codes:
        return ""
    names = dict(Territory.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(f"{names.get(code, code)} ({code})" for code in codes)


def facts_rows(facts: AccountFacts | None, account: PersonAccount | None) -> list[Row]:
    """The facts in words, each with its label (empty ones left out): the methods of control
    are the account's."""
    rows: list[Row] = []
    if facts is None and account is None:
        return rows

    def add(label: Any, value: str) -> None:
        if value:
            rows.append(Row(label=str(label), value=value))

    if facts is not None:
        add(
            _("Methods of recruitment"),
            _labels(RecruitmentMethod.choices, facts.recruitment_methods),
        )
    if account is not None:
        add(_("Methods of control"), _labels(ControlMeans.choices, account.control_means))
    if facts is None:
        return rows
    countries = country_choices()
    for kind, label_countries, label_territories in (
        ("recruitment", _("Countries of recruitment"), _("Départements of recruitment")),
        ("transit", _("Countries of transit"), _("Départements of transit")),
        ("exploitation", _("Countries of exploitation"), _("Départements of exploitation")),
    ):
        add(label_countries, _labels(countries, getattr(facts, f"{kind}_countries")))
        add(label_territories, _territory_names(getattr(facts, f"{kind}_territories")))
    add(_("Sectors of activity"), _labels(Sector.choices, facts.sectors))
    add(_("Types of exploitation"), ", ".join(form_labels().get(c, c) for c in facts.forms or []))
    add(
        _("The person's relation to the main exploiter"),
        _label(RelationToExploiter.choices, facts.relation_to_exploiter),
    )
    add(
        _("A minor during the exploitation"),
        _label(FactAnswer.choices, facts.minor_during_exploitation),
    )
    add(
        _("Sees themselves as a victim"),
        _label(SelfIdentification.choices, facts.self_identifies),
    )
    return rows


@dataclass
class ExploiterSummary:
    number: int
    pk: int
    name: str
    roles: str
    nationality: str
    sex: str
    notes: str


@dataclass
class WorkplaceSummary:
    number: int
    pk: int
    name: str
    place: str
    address: str
    sector: str
    siret: str


def exploiter_summary(number: int, exploiter: Exploiter) -> ExploiterSummary:
    return ExploiterSummary(
        number=number,
        pk=exploiter.pk,
        name=exploiter.name,
        roles=_labels(ExploiterRole.choices, exploiter.roles),
        nationality=_label(country_choices(), exploiter.nationality),
        sex=_label(Sex.choices, exploiter.sex),
        notes=exploiter.notes,
    )


def workplace_summary(number: int, workplace: Workplace) -> WorkplaceSummary:
    where = [workplace.commune] if workplace.commune else []
    if workplace.territory is not None:
        where.append(f"{workplace.territory.name} ({workplace.territory.code})")
    if workplace.country:
        where.append(_label(country_choices(), workplace.country))
    return WorkplaceSummary(
        number=number,
        pk=workplace.pk,
        name=workplace.name,
        place=", ".join(where),
        address=workplace.address,
        sector=_label(Sector.choices, workplace.sector),
        siret=workplace.siret,
    )
