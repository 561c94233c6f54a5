"""Who may do what in preliminary identification (rules about one actor, readable messages)."""

import datetime

from django.utils.translation import gettext as _

from opennrm.core.models import Membership
from opennrm.profiles.capabilities import Capability
from opennrm.profiles.loader import active_profile


def reporter_refusal(membership: Membership | None, today: datetime.date) -> str | None:
    """Why this membership may not report a presumed victim, or None if it may."""
    if membership is None or not membership.can(Capability.REPORT):
        return _("Your role does not allow you to report a presumed victim.")
    if not membership.organisation.authorised_reporter:
        return _(
            "Your organisation is not recognised as an authorised reporter: a recognised "
            "organisation or the local coordinator can take over the case."
        )
    if active_profile().reporter_training_required and not membership.user.valid_training_on(today):
        return _(
            "Your training record is missing or has expired: reporting a presumed victim "
            "requires a valid training. Ask your administrator to record it."
        )
    return None
