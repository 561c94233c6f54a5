"""The one way the web layer fetches directory entries for editing."""

from django.http import Http404

from opennrm.core.models import Membership
from opennrm.directory.models import ContactEntry, ContactEntryQuerySet
from opennrm.profiles.capabilities import Capability


def editable_entries(membership: Membership | None) -> ContactEntryQuerySet:
    """Entries this membership may edit: all for the directory manager, else its own body's."""
    entries = ContactEntry.objects.all()
    if membership is None:
        return entries.none()
    if membership.can(Capability.MANAGE_DIRECTORY):
        return entries
    if membership.can(Capability.ADMINISTER_ORGANISATION) or membership.can(Capability.LIAISON):
        return entries.filter(organisation_id=membership.organisation_id)
    return entries.none()


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
