"""Forms of the cases area: the person, the case, its closure and reopening (DSFR).

Forms validate; the actions of opennrm.detection change state.
"""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import CaseClosingReason, DetectionChannel, IdentificationStatus
from opennrm.cases.models import Person
from opennrm.cases.reference_data import country_choices, language_choices
from opennrm.core.models import Organisation, Territory
from opennrm.detection.enums import Sector
from opennrm.profiles.loader import active_profile
from opennrm.web.forms import (
    CHOICES_TEMPLATE,
    SearchableSelect,
    exploitation_date,
    reference_text,
    searchable_choices,
)
from opennrm.web.formtools import SUBMISSION, SentOnce

DATE_WIDGET = {"type": "date"}
NOTE_MAX = 2000


def form_of_exploitation_choices() -> list[tuple[str, str]]:
    profile = active_profile()
    language = get_language() or profile.default_language
    return [
        (form.code, form.label.get(language, profile.default_language))
        for form in profile.forms_of_exploitation
    ]


class PersonForm(DsfrBaseForm, forms.ModelForm[Person]):
    """The person's identity fields: for direct detection and for the identity edit page."""

    nationalities = searchable_choices(
        _("Nationalities"), _("Several may be chosen. A nationality is named by its country.")
    )
    languages = searchable_choices(_("Languages spoken"), _("Several may be chosen."))

    class Meta:
        model = Person
        fields = (
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "estimated_age",
            "may_be_child",
            "sex",
            "gender_identity",
            "nationalities",
            "languages",
        )
        labels = {
            "given_names": _("Given names"),
            "family_name": _("Family name"),
            "aliases": _("Aliases"),
            "date_of_birth": _("Date of birth"),
            "estimated_age": _("Estimated age"),
            "may_be_child": _("May be a child"),
            "sex": _("Sex"),
            "gender_identity": _("Gender identity"),
        }
        help_texts = {
            "aliases": _("Other names the person uses or is known by."),
            "estimated_age": _("In years, when the date of birth is not known."),
            "may_be_child": _(
                "Tick when the age is uncertain and there are reasons to believe the person "
                "is under 18: child rules then apply."
            ),
            "gender_identity": _("Only if the person wishes to state it."),
        }
        widgets = {"date_of_birth": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationalities"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["estimated_age"].widget.attrs.update({"min": 0, "max": 120})


class CaseForm(SentOnce, DsfrBaseForm):
    """The case opened by direct detection."""

    sector = forms.ChoiceField(label=_("Sector of activity"), required=False, choices=())
    places = forms.CharField(
        label=_("Places of exploitation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Towns, types of place; no personal address of the person."),
    )
    period_start = forms.DateField(
        label=_("Exploitation from"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        validators=[exploitation_date],
    )
    period_end = forms.DateField(
        label=_("Exploitation until"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        validators=[exploitation_date],
        help_text=_("Leave empty if it is still going on."),
    )
    channel = forms.ChoiceField(label=_("How the person was detected"), choices=())
    territory = forms.ModelChoiceField(
        label=_("Département"), queryset=Territory.objects.none(), empty_label=None
    )
    detected_on = forms.DateField(
        label=_("Detected on"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Declared here: a class attribute named "forms" would hide the django.forms module.
        self.fields["forms"] = forms.MultipleChoiceField(
            label=_("Forms of exploitation"),
            choices=form_of_exploitation_choices(),
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Tick every form that may be involved."),
            error_messages={"required": _("Tick at least one form of exploitation.")},
        )
        self.fields["forms"].template_name = CHOICES_TEMPLATE
        self.order_fields(["forms"])
        self.fields["sector"].choices = [
            ("", _("Not known")),
            *(choice for choice in Sector.choices if choice[0] != Sector.UNKNOWN),
        ]
        self.fields["channel"].choices = [
            choice
            for choice in DetectionChannel.choices
            if choice[0] != DetectionChannel.PUBLIC_REPORT
        ]
        territories = Territory.objects.local_units().order_by("code")
        self.fields["territory"].queryset = territories
        if not self.is_bound:
            self.initial.setdefault("channel", DetectionChannel.DIRECT)
            self.initial.setdefault("detected_on", timezone.localdate())
            if organisation is not None:
                own = [t for t in organisation.territories.all() if t in territories]
                if len(own) == 1:
                    self.initial.setdefault("territory", own[0].pk)

    def clean_detected_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["detected_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of detection cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end comes before the start."))
        return data


class CaseDetailsForm(CaseForm):
    """What is known of the exploitation, completed as the assessment goes on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("channel", "territory", "detected_on", SUBMISSION):
            del self.fields[name]

    def clean_detected_on(self) -> datetime.date | None:  # type: ignore[override]
        return None  # the field is not on this form


class CaseFilterForm(DsfrBaseForm):
    """The case list's search (GET): every field narrows the cases the organisation may see.
    The name and date of birth are offered only to those who may search by identity."""

    reference = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=16,
        help_text=_("All of it or its beginning, for example C-AB12."),
    )
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        required=False,
        max_length=32,
        help_text=_("All of it or its beginning, for example P-XY34."),
    )
    status = forms.ChoiceField(label=_("Identification status"), required=False, choices=())
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False, choices=())
    territory = forms.ChoiceField(label=_("Département"), required=False, choices=())
    owner = forms.TypedChoiceField(
        label=_("Responsible organisation"),
        required=False,
        choices=(),
        coerce=int,
        empty_value=None,
    )
    route = forms.ChoiceField(label=_("Route to formal identification"), required=False)
    due_from = forms.DateField(
        label=_("Assessment due from"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    due_until = forms.DateField(
        label=_("Assessment due until"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )
    overdue = forms.BooleanField(label=_("Overdue assessments only"), required=False)
    awaiting_consent = forms.BooleanField(
        label=_("Presumed victims awaiting consent to referral"), required=False
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=150,
        help_text=_(
            "Given names, family name or an alias, in any order and any script: "
            "written differently, a name is still found."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={**DATE_WIDGET, "autocomplete": "off"}, format="%Y-%m-%d"),
    )

    IDENTITY_FIELDS = ("name", "date_of_birth")

    def __init__(
        self,
        *args: Any,
        identity: bool = False,
        owners: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        """`owners`: the organisations offered (`cases.search.owner_choices`); every
        authorised reporter when not given."""
        from opennrm.identification.models import Route

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *IdentificationStatus.choices]
        self.fields["form"].choices = [("", _("All forms")), *form_of_exploitation_choices()]
        self.fields["route"].choices = [("", _("All routes")), *Route.choices]
        # Read once each (the choices are checked against these lists, without a query more).
        self.fields["territory"].choices = [
            ("", _("All départements")),
            *(
                (code, f"{code} — {name}")
                for code, name in Territory.objects.local_units()
                .order_by("code")
                .values_list("code", "name")
            ),
        ]
        if owners is None:
            owners = list(
                Organisation.objects.filter(authorised_reporter=True)
                .order_by("name", "pk")
                .values_list("pk", "name")
            )
        self.fields["owner"].choices = [("", _("All organisations")), *owners]
        if not identity:
            for name in self.IDENTITY_FIELDS:
                del self.fields[name]

    def clean_reference(self) -> str:
        return reference_text(self.cleaned_data["reference"])

    def clean_pseudonym(self) -> str:
        return reference_text(self.cleaned_data["pseudonym"])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("due_from"), cleaned.get("due_until")
        if start and end and start > end:
            self.add_error("due_until", _("The end of the period comes before its start."))
        name = cleaned.get("name") or ""
        if name.strip():
            from opennrm.cases.search import has_searchable_name

            if not has_searchable_name(name):
                self.add_error(
                    "name", _("Type at least one name of two letters or more (not only initials).")
                )
        return cleaned

    def audit_filters(self) -> dict[str, Any]:
        """The filters used, for the audit trail: codes, ids and prefixes, never the name or
        the date of birth typed (only that they were)."""
        used: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", False) or name in self.IDENTITY_FIELDS:
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            used[name] = value
        if self.identity_used():
            used["identity"] = [
                name for name in self.IDENTITY_FIELDS if self.cleaned_data.get(name)
            ]
        return used

    def identity_used(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.IDENTITY_FIELDS)


# Closing a case before support ---------------------------------------------------------------


class CaseClosingForm(DsfrBaseForm):
    """Close a case that never reached support: a reason from the list, a date, a note."""

    reason = forms.ChoiceField(
        label=_("Why the case closes"),
        choices=CaseClosingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the case closes.")},
    )
    closed_on = forms.DateField(
        label=_("Closed on"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        help_text=_("The retention periods count from this date."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for another reason. No details of the person."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this case is closed"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].template_name = CHOICES_TEMPLATE
        if not self.is_bound:
            self.initial.setdefault("closed_on", timezone.localdate())

    def clean_closed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["closed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == CaseClosingReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the case is closed."))
        return data


class CaseReopenForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Why the case is reopened"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the case is reopened.")},
    )


class SafeContactForm(DsfrBaseForm):
    """How the person can be reached safely. `organisations`: the organisations the person
    may be reached through (opennrm.cases.safe_contact.contact_organisations)."""

    phone = forms.CharField(
        label=_("Telephone"),
        required=False,
        max_length=60,
        help_text=_("A number the person is safe to be called on; leave empty if there is none."),
    )
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    do_not_call = forms.BooleanField(label=_("Do not call, do not leave messages"), required=False)
    do_not_write = forms.BooleanField(label=_("Do not write to this address"), required=False)
    through_organisation = forms.BooleanField(
        label=_("Reach the person only through an organisation"),
        required=False,
        help_text=_("For example only through the association that supports the person."),
    )
    contact_organisation = forms.ModelChoiceField(
        label=_("Contact organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    contact_organisation_other = forms.CharField(
        label=_("Another organisation or person, and how to reach them"),
        required=False,
        max_length=300,
        help_text=_("When the organisation is not in OpenNRM."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), required=False, widget=SearchableSelect
    )
    safe_times = forms.CharField(
        label=_("Safe times"),
        required=False,
        max_length=300,
        help_text=_("When the person can be reached safely, e.g. weekday mornings, 9 to 11."),
    )
    precautions = forms.CharField(
        label=_("Precautions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What anyone contacting the person must know. Shown to the providers the person "
            "is oriented to: no story here."
        ),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_organisation"].queryset = organisations.order_by("name")
        self.fields["preferred_language"].choices = [
            ("", _("Not stated")),
            *language_choices(),
        ]
