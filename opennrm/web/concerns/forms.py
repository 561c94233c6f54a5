"""Forms of the concerns area: the public report, staff entry, and the three triage decisions.

Forms validate; the actions of opennrm.detection.actions change state. Free text is kept as
typed (it is escaped on display), except control characters: they are removed from what is
shown back and the form asks the person to check the text and send it again.
"""

import re
import secrets
from typing import Any

from django import forms
from django.core import validators
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opennrm.cases.enums import DetectionChannel
from opennrm.cases.models import Case, CaseQuerySet
from opennrm.core.models import Organisation, Territory
from opennrm.detection.enums import (
    ChildInvolved,
    ClosingReason,
    ConcernStatus,
    PlaceType,
    PublicSign,
    Sector,
)
from opennrm.detection.models import CONTACT_MAX, DESCRIPTION_MAX
from opennrm.web.forms import CheckboxGroup, RadioGroup, reference_text

# C0 controls except tab (\x09) and newline (\x0a), DEL, and C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
COMMUNE_MAX = 120
NOTE_MAX = 2000
HONEYPOT_FIELD = "website"
SUBMISSION_KEY = re.compile(r"[0-9a-f]{32}")

STAFF_CHANNELS = [
    (value, label)
    for value, label in DetectionChannel.choices
    if value not in {DetectionChannel.PUBLIC_REPORT, DetectionChannel.DIRECT}
]


def normalise_newlines(value: str) -> str:
    """Browsers send CRLF; count and store a line break as one character."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


class CheckboxesField(forms.MultipleChoiceField):
    """A group of checkboxes in a fieldset with a legend."""

    widget = CheckboxGroup
    template_name = "dsfr/form_field_snippets/checkboxselectmultiple_snippet.html"


class RadiosField(forms.ChoiceField):
    """A group of radio buttons in a fieldset with a legend."""

    widget = RadioGroup
    template_name = "dsfr/form_field_snippets/radioselect_snippet.html"


class TextField(forms.CharField):
    """A CharField whose line breaks are normalised before the length is checked."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Control characters (NUL included) are handled by CleanTextMixin with one message.
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, validators.ProhibitNullCharactersValidator)
        ]

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return normalise_newlines(text) if isinstance(text, str) else text


class CleanTextMixin:
    """Remove control characters from the submitted text fields, and say so on each field."""

    text_fields: tuple[str, ...] = ()

    def _strip_control_characters(self, data: Any) -> tuple[Any, set[str]]:
        if data is None:
            return None, set()
        cleaned = data.copy()
        found = set()
        for name in self.text_fields:
            value = cleaned.get(name)
            if isinstance(value, str) and CONTROL_CHARACTERS.search(normalise_newlines(value)):
                cleaned[name] = CONTROL_CHARACTERS.sub("", normalise_newlines(value))
                found.add(name)
        return cleaned, found

    def _add_control_errors(self, found: set[str]) -> None:
        for name in sorted(found):
            self.add_error(  # type: ignore[attr-defined]
                name,
                forms.ValidationError(
                    _(
                        "This text contained invisible control characters (often left by a copy "
                        "and paste). We removed them: check the text, then send the form again."
                    ),
                    code="control_characters",
                ),
            )


class ConcernForm(CleanTextMixin, DsfrBaseForm):
    """What a concern holds, from the public or from staff."""

    text_fields = ("description", "commune", "contact")

    description = TextField(
        label=_("What did you see or hear?"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe the situation in your own words: what is happening, since when, how many "
            "people. Up to 4,000 characters."
        ),
    )
    territory = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Territory.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a département"),
    )
    commune = TextField(label=_("Town or neighbourhood"), max_length=COMMUNE_MAX, required=False)
    place_type = forms.ChoiceField(
        label=_("Type of place"),
        choices=[("", _("Choose a type of place")), *PlaceType.choices],
    )
    sector = forms.ChoiceField(
        label=_("Sector of activity"),
        choices=Sector.choices,
        initial=Sector.UNKNOWN,
        help_text=format_lazy(
            _("If the person works: in which sector? Choose “{unknown}” if unsure."),
            unknown=Sector.UNKNOWN.label,
        ),
    )
    signs = CheckboxesField(
        label=_("What did you notice? Tick everything that applies."),
        choices=PublicSign.choices,
        required=False,
    )
    child_involved = RadiosField(
        label=_("Does a child (under 18) seem to be involved?"),
        choices=ChildInvolved.choices,
        initial=ChildInvolved.UNKNOWN,
    )
    contact = TextField(
        label=_("How can you be contacted?"),
        max_length=CONTACT_MAX,
        required=False,
        help_text=_(
            "A telephone number or an e-mail address, only if you agree to be contacted. "
            "Leave it empty to stay anonymous."
        ),
    )

    # The form's random key, sent back with it: the same form sent twice is stored once.
    submission = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        data, self._control_found = self._strip_control_characters(data)
        super().__init__(data, *args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.local_units().order_by("code")
        self.fields["submission"].initial = secrets.token_hex(16)

    def submission_key(self) -> str:
        """The key sent with the form, if it is one this form gave (32 hex digits)."""
        key = str(self.cleaned_data.get("submission") or "")
        return key if SUBMISSION_KEY.fullmatch(key) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._add_control_errors(self._control_found)
        return data

    def concern_values(self) -> dict[str, Any]:
        """The cleaned values, as `submit_concern` takes them."""
        data = self.cleaned_data
        return {
            "description": data["description"],
            "territory": data["territory"],
            "commune": data["commune"],
            "place_type": data["place_type"],
            "sector": data["sector"],
            "signs": list(data["signs"]),
            "child_involved": data["child_involved"],
            "contact": data["contact"],
        }


class PublicConcernForm(ConcernForm):
    """The public form, with a honeypot field that people never see nor fill."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(HONEYPOT_FIELD, "") or "").strip())


class StaffConcernForm(ConcernForm):
    """A concern received by phone or in person, entered by staff."""

    channel = forms.ChoiceField(label=_("Received through"), choices=STAFF_CHANNELS)

    field_order = ("channel",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("What was reported")
        self.fields["description"].help_text = _(
            "What the person who called or came said they saw, in their words. "
            "Up to 4,000 characters."
        )
        self.fields["contact"].label = _("How to contact the person who reported")
        self.fields["contact"].help_text = _("Only if they agreed to be contacted again.")

    def concern_values(self) -> dict[str, Any]:
        return {**super().concern_values(), "channel": self.cleaned_data["channel"]}


# Triage ------------------------------------------------------------------------------------


class OpenCaseForm(DsfrBaseForm):
    owner = forms.ModelChoiceField(
        label=_("Organisation responsible for the case"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_(
            "An authorised reporter of the département runs the preliminary assessment; "
            "your organisation keeps access to the case."
        ),
    )

    def __init__(self, *args: Any, owners: "QuerySet[Organisation]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class AttachForm(DsfrBaseForm):
    case_reference = forms.CharField(
        label=_("Reference of the existing case"),
        max_length=16,
        help_text=_("For example C-AB12-CD34. The case must be of the same département."),
    )

    def __init__(self, *args: Any, cases: CaseQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases

    def clean_case_reference(self) -> Case:
        reference = self.cleaned_data["case_reference"].strip().upper()
        case = self.cases.filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(
                _(
                    "No case with this reference in this département among the cases your "
                    "organisation can see."
                )
            )
        return case


class ConcernSearchForm(DsfrBaseForm):
    """The concerns list's search (GET), within the concerns the person may see."""

    reference = forms.CharField(
        label=_("Concern reference"),
        required=False,
        max_length=16,
        help_text=_("All of it or its beginning, for example S-AB12."),
    )
    territory = forms.ChoiceField(label=_("Département"), required=False, choices=())
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())

    def __init__(self, *args: Any, territories: "QuerySet[Territory]", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = [
            ("", _("All départements")),
            *((code, f"{code} — {name}") for code, name in territories.values_list("code", "name")),
        ]
        self.fields["status"].choices = [("", _("All statuses")), *ConcernStatus.choices]

    def clean_reference(self) -> str:
        return reference_text(self.cleaned_data["reference"])

    def audit_filters(self) -> dict[str, Any]:
        """The filters used, for the audit trail (codes and ids)."""
        used: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            used[name] = value
        return used


class CaseSearchForm(DsfrBaseForm):
    """The case picker's plain search (GET, without JavaScript): a reference or pseudonym, or
    their beginning."""

    case_search = forms.CharField(
        label=_("Find the case"),
        required=False,
        max_length=32,
        help_text=_("Its reference or the person's pseudonym, or their beginning."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )


class CloseForm(CleanTextMixin, DsfrBaseForm):
    text_fields = ("note",)

    reason = RadiosField(
        label=_("Why close this concern?"),
        choices=ClosingReason.choices,
    )
    note = TextField(
        label=_("Note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you checked and decided, for the record. Up to 2,000 characters."),
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        data, self._control_found = self._strip_control_characters(data)
        super().__init__(data, *args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._add_control_errors(self._control_found)
        return data
