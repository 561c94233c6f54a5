"""Form pieces several areas share: radios and checkboxes in DSFR markup.

A field whose `template_name` is CHOICES_TEMPLATE is drawn as one fieldset with its legend and
one DSFR group per option (the DSFR option templates are shadowed by Django's). RadioGroup and
CheckboxGroup draw each option in DSFR markup inside DSFR's own field snippets.
"""

from django import forms

CHOICES_TEMPLATE = "web/includes/_choice_field.html"


class RadioGroup(forms.RadioSelect):
    """DSFR markup for each choice (fr-radio-group, input then label)."""

    option_template_name = "web/includes/widgets/radio_option.html"


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """DSFR markup for each box (fr-checkbox-group, input then label)."""

    option_template_name = "web/includes/widgets/checkbox_option.html"
