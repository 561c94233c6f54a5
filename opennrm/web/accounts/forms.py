"""Forms of the person's account (DSFR): one per section, each saved on its own, and one per
exploitative situation. Every field is optional: the professional writes in any order.

Forms validate; the actions of opennrm.detection.accounts change state.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import Sex
from opennrm.cases.reference_data import country_choices, language_choices
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
    ACCOUNT_TEXT_MAX,
    EXPLOITER_NAME_MAX,
    EXPLOITER_NOTES_MAX,
)
from opennrm.web.cases.forms import form_of_exploitation_choices
from opennrm.web.forms import (
    CHOICES_TEMPLATE,
    SearchableSelect,
    date_widget,
    exploitation_date,
    past_date,
    searchable_choices,
)


def _text(label: Any, help_text: Any, rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=ACCOUNT_TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: Any, help_text: Any = "", *, rule: Any = past_date) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=date_widget(),
        validators=[rule],
    )


def _choice(label: Any, choices: Any) -> forms.ChoiceField:
    field = forms.ChoiceField(label=label, required=False, choices=[("", _("Not said")), *choices])
    return field


class BackgroundForm(DsfrBaseForm):
    background = _text(
        _("Background before the exploitation"),
        _(
            "Place of birth, family, schooling, work before; what the person wishes to say "
            "of their life before."
        ),
    )


class RecruitmentForm(DsfrBaseForm):
    recruitment = _text(
        _("How it started"),
        _(
            "Who approached the person and how; what was promised (work, pay, papers, "
            "marriage…); debts taken on for the journey or the job."
        ),
    )


class JourneyForm(DsfrBaseForm):
    journey = _text(
        _("The journey"),
        _(
            "If the person was moved: routes, places, means of transport, who organised and "
            "paid, documents used."
        ),
    )


class ConditionsForm(DsfrBaseForm):
    conditions = _text(
        _("Living and working conditions"),
        _("Tasks, hours, days off, pay; where the person slept, food, hygiene, access to care."),
    )


class ControlForm(DsfrBaseForm):
    control = _text(
        _("How the person was controlled"),
        _("In the person's words: what was done, by whom, how often."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["control_means"] = forms.MultipleChoiceField(
            label=_("Means of control"),
            required=False,
            choices=ControlMeans.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Tick what the person describes."),
        )
        self.fields["control_means"].template_name = CHOICES_TEMPLATE
        self.order_fields(["control_means", "control"])


class LeavingForm(DsfrBaseForm):
    still_there = _choice(_("Is the person still in the situation?"), StillThere.choices)
    leaving = _text(
        _("What keeps the person there, or how they left"),
        _(
            "Withheld documents, fear for themselves or their family, debt…; or how and when "
            "they got out."
        ),
    )


class ContactForm(DsfrBaseForm):
    last_contact = _choice(_("Last contact with the exploiters"), LastContact.choices)
    reprisals = _text(
        _("That contact, and the risk of reprisals"),
        _(
            "How the contact happened, threats made, what was done to prevent contact; why a "
            "risk of reprisals or of being trafficked again is feared."
        ),
    )


class ReportedForm(DsfrBaseForm):
    reported_before = _choice(_("Was it reported before?"), ReportedBefore.choices)
    reported_details = _text(
        _("Earlier reports"),
        _(
            "To whom and when (police, labour inspection, an association), any reference; or "
            "what kept the person from reporting it."
        ),
        rows=4,
    )


class InterviewForm(DsfrBaseForm):
    interview_place = forms.CharField(
        label=_("Where the interview took place"),
        required=False,
        max_length=300,
        help_text=_("The kind of place (our office, a hospital, a police station…)."),
    )
    interview_on = _date(_("Date of the interview"))
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter's language"),
        required=False,
        choices=(),
        widget=SearchableSelect,
        help_text=_("Leave empty if there was no interpreter."),
    )
    present = _text(
        _("Who was present"),
        _("Interpreter (service, in person or by phone), other professionals, anyone else."),
        rows=3,
    )
    breaks = _text(_("Breaks"), _("Breaks taken, and why."), rows=3)
    person_state = _text(
        _("The person's state"),
        _("Appearance, demeanour, physical and mental health, tiredness, fear."),
        rows=4,
    )
    insight = _text(
        _("Your professional insight"),
        _("What you make of the account, and why you believe it points to trafficking."),
    )
    credibility = _text(
        _("Credibility concerns"),
        _(
            "Only concerns based on evidence. Trauma and fear explain an account that is "
            "incomplete, inconsistent, or changed over time, and a first account held back: "
            "they are not, on their own, a reason for doubt."
        ),
        rows=4,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interpreter_language"].choices = [
            ("", _("No interpreter")),
            *language_choices(),
        ]


class SituationForm(DsfrBaseForm):
    """One exploitative situation. `territories`: the (pk, label) choices of départements, read
    once by the view for every situation of the page."""

    started_on = _date(
        _("From"), _("A date within the month or the year is enough."), rule=exploitation_date
    )
    ended_on = _date(_("Until"), _("Leave empty if it is still going on."), rule=exploitation_date)
    timing = forms.CharField(
        label=_("When, as the person says it"),
        required=False,
        max_length=300,
        help_text=_("For example: “two summers”, “since the end of 2023”."),
    )
    abroad = forms.BooleanField(label=_("Abroad"), required=False)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=(),
        widget=SearchableSelect,
        help_text=_("For a place abroad."),
    )
    territory = forms.TypedChoiceField(
        label=_("Département"),
        required=False,
        choices=(),
        coerce=int,
        empty_value=None,
    )
    commune = forms.CharField(label=_("Town"), required=False, max_length=120)
    sector = forms.ChoiceField(label=_("Sector of activity"), required=False, choices=())
    description = _text(
        _("What happened there"),
        _("The work or acts demanded, by whom, and anything the other sections do not say."),
        rows=4,
    )

    def __init__(self, *args: Any, territories: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forms"] = forms.MultipleChoiceField(
            label=_("Forms of exploitation"),
            required=False,
            choices=form_of_exploitation_choices(),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["forms"].template_name = CHOICES_TEMPLATE
        self.fields["country"].choices = [("", "---------"), *country_choices()]
        self.fields["territory"].choices = [("", "---------"), *territories]
        self.fields["sector"].choices = [
            ("", _("Not known")),
            *(choice for choice in Sector.choices if choice[0] != Sector.UNKNOWN),
        ]
        self.order_fields(
            [
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
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end comes before the start."))
        if not any(value not in (None, "", [], False) for value in data.values()):
            raise forms.ValidationError(_("Fill in at least one field of the situation."))
        return data


SECTION_FORMS: dict[str, type[DsfrBaseForm]] = {
    "background": BackgroundForm,
    "recruitment": RecruitmentForm,
    "journey": JourneyForm,
    "conditions": ConditionsForm,
    "control": ControlForm,
    "leaving": LeavingForm,
    "contact": ContactForm,
    "reported": ReportedForm,
    "interview": InterviewForm,
}


# Facts in standard terms, exploiters and workplaces ---------------------------------------


def _checkboxes(label: Any, choices: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    field = forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )
    field.template_name = CHOICES_TEMPLATE  # type: ignore[attr-defined]
    return field


def _several(label: Any) -> forms.MultipleChoiceField:
    return searchable_choices(label, _("Several may be chosen."))


def sector_choices() -> list[tuple[str, Any]]:
    return [choice for choice in Sector.choices if choice[0] != Sector.UNKNOWN]


class FactsForm(DsfrBaseForm):
    """The facts in standard terms (IOM HTCDS): codes only, every field optional.
    `territories`: the (code, label) choices of départements."""

    relation_to_exploiter = _choice(
        _("The person's relation to the main exploiter"), RelationToExploiter.choices
    )
    minor_during_exploitation = _choice(
        _("Was the person a minor during the exploitation?"), FactAnswer.choices
    )
    self_identifies = _choice(_("Does the person see themselves as a victim?"), ())

    PLACES = (
        ("recruitment", _("Countries of recruitment"), _("Départements of recruitment")),
        ("transit", _("Countries of transit"), _("Départements of transit")),
        ("exploitation", _("Countries of exploitation"), _("Départements of exploitation")),
    )

    def __init__(self, *args: Any, territories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recruitment_methods"] = _checkboxes(
            _("Methods of recruitment"), RecruitmentMethod.choices
        )
        self.fields["control_means"] = _checkboxes(
            _("Methods of control"),
            ControlMeans.choices,
            _("The same list as in the account's control section: tick it here or there."),
        )
        countries = country_choices()
        for kind, countries_label, territories_label in self.PLACES:
            self.fields[f"{kind}_countries"] = _several(countries_label)
            self.fields[f"{kind}_countries"].choices = countries
            self.fields[f"{kind}_territories"] = _several(territories_label)
            self.fields[f"{kind}_territories"].choices = territories
        self.fields["sectors"] = _checkboxes(_("Sectors of activity"), sector_choices())
        self.fields["forms"] = _checkboxes(
            _("Types of exploitation"), form_of_exploitation_choices()
        )
        self.fields["self_identifies"].choices = [
            ("", _("Not said")),
            *SelfIdentification.choices,
        ]
        self.order_fields(
            [
                "recruitment_methods",
                "control_means",
                *(
                    f"{kind}_{what}"
                    for kind, *_ in self.PLACES
                    for what in ("countries", "territories")
                ),
                "sectors",
                "forms",
                "relation_to_exploiter",
                "minor_during_exploitation",
                "self_identifies",
            ]
        )


class ExploiterForm(DsfrBaseForm):
    """One exploiter, as the person describes them."""

    name = forms.CharField(
        label=_("Name or alias"),
        required=False,
        max_length=EXPLOITER_NAME_MAX,
        help_text=_("As the person knows them: a name, a nickname, a first name."),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        choices=(),
        help_text=_("Named by the country."),
        widget=SearchableSelect,
    )
    sex = _choice(_("Sex"), [c for c in Sex.choices if c[0] != Sex.UNKNOWN])
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=EXPLOITER_NOTES_MAX,
        help_text=_(
            "What the person says of them: description, where they can be found, what they did."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _checkboxes(_("What they did"), ExploiterRole.choices)
        self.fields["nationality"].choices = [
            ("", _("Not known")),
            *country_choices(),
        ]
        self.order_fields(["roles", "name", "nationality", "sex", "notes"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(value not in (None, "", []) for value in data.values()):
            raise forms.ValidationError(_("Fill in at least one field."))
        return data


class WorkplaceForm(DsfrBaseForm):
    """One workplace or employer. `territories`: the (pk, label) choices of départements."""

    name = forms.CharField(
        label=_("Name of the workplace or employer"),
        required=False,
        max_length=300,
        help_text=_(
            "The company's or the place's name as the person gives it (a farm, a restaurant, "
            "a household…). Other organisations holding the same employer are found from it."
        ),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    commune = forms.CharField(label=_("Town"), required=False, max_length=120)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=(),
        widget=SearchableSelect,
        help_text=_("Leave empty for a place in this country."),
    )
    territory = forms.TypedChoiceField(
        label=_("Département"), required=False, choices=(), coerce=int, empty_value=None
    )
    sector = forms.ChoiceField(label=_("Sector of activity"), required=False, choices=())
    siret = forms.CharField(
        label=_("SIRET (optional)"),
        required=False,
        max_length=20,
        help_text=_("14 digits, if known (on a pay slip or a contract)."),
    )

    def __init__(self, *args: Any, territories: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------"), *country_choices()]
        self.fields["territory"].choices = [("", "---------"), *territories]
        self.fields["sector"].choices = [("", _("Not known")), *sector_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(value not in (None, "", []) for value in data.values()):
            raise forms.ValidationError(_("Fill in at least one field."))
        return data
