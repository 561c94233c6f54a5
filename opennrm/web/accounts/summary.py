"""The person's account as it is read (by coordinators, and in the file put to formal
identification): each section with what was written, codes shown as words. The template is
`web/includes/_person_account.html`, shared with the identification area."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opennrm.cases.reference_data import country_choices, language_choices
from opennrm.detection import accounts
from opennrm.detection.enums import ControlMeans, LastContact, ReportedBefore, Sector, StillThere
from opennrm.detection.models import ExploitativeSituation, PersonAccount
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
