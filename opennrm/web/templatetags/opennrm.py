import html
from typing import Any

from django import template
from django.utils.translation import get_language

from opennrm.profiles.loader import active_profile

register = template.Library()


@register.filter
def localized(label: Any) -> str:
    """A profile label in the current language (falls back on the profile's default)."""
    if label is None:
        return ""
    return str(label.get(get_language() or "fr", active_profile().default_language))


@register.filter
def language(code: str) -> str:
    """A language code (ISO 639) by its name in the current language."""
    from opennrm.documents.rendering import language_name

    return language_name(code) if code else ""


@register.filter
def leaflet_language(code: str) -> str:
    """A leaflet's language code by its name (the plain-English version named as such)."""
    from opennrm.documents.leaflets import leaflet_label

    return leaflet_label(code) if code else ""


@register.filter
def holds(group: Any, path: str) -> bool:
    """Whether a header menu group holds the current page."""
    return bool(group.holds(path))


@register.filter
def pairs(mapping: Any) -> list[tuple[Any, Any]]:
    """A dict's (key, value) pairs: `mapping.items` in a template would read a key "items"."""
    return list(mapping.items()) if isinstance(mapping, dict) else []


@register.filter
def audit_action(code: str) -> str:
    """An audit action's label (`person.read_identity` → "Identity read")."""
    from opennrm.web.audit.labels import action_label

    return action_label(code)


@register.filter
def audit_details(details: Any) -> list[tuple[str, str]]:
    """An audit entry's details as (label, text) lines, empty ones left out."""
    from opennrm.web.audit.labels import details_lines

    return details_lines(details)


@register.filter
def object_type(code: str) -> str:
    """A model's name for people (`cases.person` → "person"), else the code itself."""
    from django.apps import apps

    if not code or "." not in code:
        return code
    try:
        model = apps.get_model(code)
    except (LookupError, ValueError):
        return code
    return str(model._meta.verbose_name)


@register.filter
def chosen_values(bound_field: Any) -> set[str]:
    """The values a field of several choices holds, as text: what its checkboxes compare to
    (`{% if value|stringformat:"s" in chosen %}`), model choices (keys) included."""
    value = bound_field.value()
    if value is None or value == "":
        return set()
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        value = [value]
    return {str(getattr(item, "pk", item)) for item in value}


@register.filter
def audit_channel(code: str) -> str:
    """How an audited action came (`page` → "a page")."""
    from opennrm.web.audit.labels import channel_label

    return channel_label(code)


@register.filter
def choice_list(bound_field: Any) -> list[tuple[Any, Any]]:
    """A field's choices read once (model choices query the database at each reading; and
    `list()` would ask their length first, a COUNT query)."""
    return [choice for choice in bound_field.field.choices]  # noqa: C416


@register.simple_tag
def choice_options(bound_field: Any, choices: list[tuple[Any, Any]], chosen: set[str]) -> Any:
    """The chosen values as DSFR tags and every choice as a DSFR checkbox, for
    `_searchable_choices.html`. Built here rather than by a template loop: a list of countries
    is 250 choices, and a form may hold six such lists (tens of milliseconds in the template
    engine, against one here)."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    auto_id, name = escape(bound_field.auto_id), escape(bound_field.html_name)
    tags, boxes = [], []
    for index, (value, label) in enumerate(choices):
        text, shown = escape(value), escape(label)
        checked = str(value) in chosen
        if checked:
            tags.append(f'<li><p class="fr-tag fr-tag--sm">{shown}</p></li>')
        boxes.append(
            f'<div class="fr-checkbox-group fr-checkbox-group--sm">'
            f'<input type="checkbox" id="{auto_id}_{index}" name="{name}" value="{text}"'
            f"{' checked' if checked else ''}>"
            f'<label class="fr-label" for="{auto_id}_{index}">{shown}</label></div>'
        )
    return {"tags": mark_safe("".join(tags)), "boxes": mark_safe("".join(boxes))}  # noqa: S308 (escaped above)


@register.simple_tag
def select_options(widget: dict[str, Any]) -> Any:
    """The <option>s (and <optgroup>s) of a select widget's context, written in one pass: what
    django/forms/widgets/select_option.html writes, option by option."""
    from django.forms.utils import flatatt
    from django.utils.html import conditional_escape as escape
    from django.utils.safestring import mark_safe

    def text(value: Any) -> str:
        # Most values are plain str or int: html.escape is several times cheaper than
        # conditional_escape's lazy-string and SafeString checks.
        if type(value) is str:
            return html.escape(value)
        return str(escape(value))

    def option(item: dict[str, Any]) -> str:
        extra = item["attrs"]
        attrs = flatatt({k: v for k, v in extra.items() if k != "selected"}) if extra else ""
        selected = " selected" if item["selected"] else ""
        return (
            f'<option value="{text(item["value"])}"{attrs}{selected}>{text(item["label"])}</option>'
        )

    parts = []
    for group, options, _index in widget["optgroups"]:
        inner = "".join(option(item) for item in options)
        parts.append(f'<optgroup label="{escape(group)}">{inner}</optgroup>' if group else inner)
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
