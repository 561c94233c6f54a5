"""Form pieces several areas share: radios and checkboxes in DSFR markup, dates.

A field whose `template_name` is CHOICES_TEMPLATE is drawn as one fieldset with its legend and
one DSFR group per option (the DSFR option templates are shadowed by Django's). RadioGroup and
CheckboxGroup draw each option in DSFR markup inside DSFR's own field snippets.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opennrm.core import plausible

CHOICES_TEMPLATE = "web/includes/_choice_field.html"


class RadioGroup(forms.RadioSelect):
    """DSFR markup for each choice (fr-radio-group, input then label)."""

    option_template_name = "web/includes/widgets/radio_option.html"


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """DSFR markup for each box (fr-checkbox-group, input then label)."""

    option_template_name = "web/includes/widgets/checkbox_option.html"


def date_widget() -> forms.DateInput:
    """<input type="date">: it sends and expects ISO dates, whatever the interface language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The plausibility rules (opennrm.core.plausible), as the forms' validators of one value.
not_in_future = plausible.not_in_future
past_date = plausible.past_date
date_of_birth = plausible.date_of_birth
exploitation_date = plausible.exploitation_date


BIGGEST_KEY = 2**63 - 1  # the largest primary key a database column holds


def _keys_in_range(value: Any) -> None:
    """Refuse a submitted key no database could hold: SQLite raises OverflowError (a 500) when
    asked for it, where any other unknown key is a plain "not one of the choices"."""
    for item in value if isinstance(value, list | tuple) else [value]:
        digits = str(item).strip().lstrip("-")
        # isdecimal, not isdigit: int() refuses digits such as "¹", which isdigit accepts
        if digits.isdecimal() and (len(digits) > 19 or int(digits) > BIGGEST_KEY):
            raise forms.ValidationError(
                _("Select a valid choice. That choice is not one of the available choices."),
                code="invalid_choice",
            )


class KeyedChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A model choice whose submitted key is checked to be one a database can hold."""

    def to_python(self, value: Any) -> Any:
        _keys_in_range(value)
        return super().to_python(value)


class KeyedMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Model choices whose submitted keys are checked to be ones a database can hold."""

    def clean(self, value: Any) -> Any:
        _keys_in_range(value or [])
        return super().clean(value)


def reference_text(text: str) -> str:
    """A reference or pseudonym typed in a search (or its beginning), as stored; refused if it
    cannot be one: a name typed in the wrong field would otherwise reach the audit trail."""
    from opennrm.cases.search import is_reference_text, reference_prefix

    if not is_reference_text(text):
        raise forms.ValidationError(
            _("Only digits, letters other than I, L, O and U, and dashes: for example C-AB12.")
        )
    return reference_prefix(text)


# Long lists of choices (countries, languages, départements) --------------------------------

SEARCHABLE_CHOICES_TEMPLATE = "web/includes/_searchable_choices.html"


class SearchableSelect(forms.Select):
    """A native <select> (one choice) that choice-filter.js gives a filter box: typing part of a
    name, accents and case ignored, leaves only the matching options. Without JavaScript it is a
    plain select, which the keyboard already searches by first letters."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"data-filterable": "", **(attrs or {})}, choices)


class SearchableMultipleChoiceField(forms.MultipleChoiceField):
    """Several choices in a long list, without Ctrl-click: the chosen ones shown as tags, and
    every choice as a checkbox in a list that opens (<details>) with a filter box
    (choice-filter.js). Without JavaScript, a list of checkboxes."""

    template_name = SEARCHABLE_CHOICES_TEMPLATE
    widget = forms.CheckboxSelectMultiple


def searchable_choices(label: Any, help_text: Any = "") -> SearchableMultipleChoiceField:
    return SearchableMultipleChoiceField(
        label=label, required=False, choices=(), help_text=help_text
    )
