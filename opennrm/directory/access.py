"""The one way the web layer decides who manages directory entries and fetches them for editing."""

from django.http import Http404

from opennrm.core.models import Membership
from opennrm.directory.models import ContactEntry, ContactEntryQuerySet
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile


def _is_contact_body(membership: Membership) -> bool:
    kind = active_profile().organisation_type(membership.organisation.kind)
    return kind is not None and kind.contact_body


def can_manage_directory(membership: Membership | None) -> bool:
    """The directory manager, or the contact person or administrator of a contact body."""
    if membership is None:
        return False
    if membership.can(Capability.MANAGE_DIRECTORY):
        return True
    return _is_contact_body(membership) and (
        membership.can(Capability.LIAISON) or membership.can(Capability.ADMINISTER_ORGANISATION)
    )


def can_create_entries(membership: Membership | None) -> bool:
    """The directory manager, or the administrator of a contact body (for its own entries)."""
    if membership is None:
        return False
    if membership.can(Capability.MANAGE_DIRECTORY):
        return True
    return _is_contact_body(membership) and membership.can(Capability.ADMINISTER_ORGANISATION)


def editable_entries(membership: Membership | None) -> ContactEntryQuerySet:
    """Entries this membership may edit: all for the directory manager, else its own body's."""
    entries = ContactEntry.objects.all()
    if membership is None or not can_manage_directory(membership):
        return entries.none()
    if membership.can(Capability.MANAGE_DIRECTORY):
        return entries
    return entries.filter(organisation_id=membership.organisation_id)


def get_entry_for_edit(membership: Membership | None, pk: int) -> ContactEntry:
    """The entry if this membership may edit it; 404 otherwise (outsiders learn nothing)."""
    entry = (
        editable_entries(membership)
        .select_related("organisation", "territory")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry
