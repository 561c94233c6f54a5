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
