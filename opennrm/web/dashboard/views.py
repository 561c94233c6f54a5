"""The signed-in home: what the user's role does, and what needs their attention."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opennrm.directory.models import ContactEntry
from opennrm.privacy.breakglass import owner_notices
from opennrm.profiles.capabilities import Capability
from opennrm.web.acting import ActingRequest
from opennrm.web.dashboard.tiles import tiles
from opennrm.web.middleware import switch_membership


def dashboard(request: ActingRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    stale_count = None
    if membership is not None and membership.can(Capability.MANAGE_DIRECTORY):
        stale_count = ContactEntry.objects.published().stale().count()
    # What waits for the user: counts through the lists' own access functions, each bounded.
    waiting = tiles(request.actor, membership, timezone.localdate())
    transfers = next((tile.count for tile in waiting if tile.key == "transfers"), 0)
    return render(
        request,
        "web/dashboard.html",
        {
            "stale_count": stale_count,
            # Exceptional access to the organisation's cases (opennrm.privacy.breakglass).
            "exceptional_access_notices": owner_notices(membership),
            "exceptional_access_now": timezone.now(),
            "exceptional_access_page": membership is not None
            and membership.can(Capability.ADMINISTER_ORGANISATION),
            "tiles": waiting,
            # Transfers of cases waiting for this organisation's decision (its coordinators).
            "transfers_awaiting": transfers,
        },
    )


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        membership_id = 0
    if switch_membership(request, membership_id):
        messages.success(request, _("You now act for another organisation."))
    else:
        messages.error(request, _("You cannot act for this organisation."))
    return redirect("web:dashboard")
