"""Audit of changes made through the Django administration (sign-in events: opennrm.web.signals)."""

import json
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from opennrm.audit.trail import record
from opennrm.core.acting import Actor, Channel

_ADMIN_ACTIONS = {ADDITION: "admin.addition", CHANGE: "admin.change", DELETION: "admin.deletion"}


def _changed_fields(entry: LogEntry) -> list[str]:
    """Names of the fields changed on the object itself, from the admin's change message.

    Only field labels are kept: the message also names related objects (``object``), whose text
    may be a person's name, and those are left out.
    """
    try:
        messages = json.loads(entry.change_message or "[]")
    except ValueError:
        return []
    fields: set[str] = set()
    for message in messages if isinstance(messages, list) else []:
        changed = message.get("changed") if isinstance(message, dict) else None
        if isinstance(changed, dict) and "object" not in changed:
            fields.update(str(name) for name in changed.get("fields", []))
    return sorted(fields)


@receiver(post_save, sender=LogEntry)
def audit_admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Every change made through the Django administration goes to the audit trail too."""
    if not created:
        return
    action = _ADMIN_ACTIONS.get(instance.action_flag)
    if action is None:
        return
    content_type = instance.content_type
    object_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    details: dict[str, Any] = {}
    if instance.action_flag == CHANGE:
        fields = _changed_fields(instance)
        if fields:
            details["changed_fields"] = fields
    record(
        action,
        actor=Actor.for_user(instance.user, channel=Channel.PAGE),
        object_type=object_type,
        object_id=str(instance.object_id or ""),
        details=details,
    )
