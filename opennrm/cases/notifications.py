"""In-app notifications of the case file (and their e-mails, as each person chose). No
personal data: the case reference only. Transfers tell their own (`cases.transfer`).

Messages are English sources marked with gettext_noop and translated when shown.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_noop

from opennrm.core.models import Notification, Organisation
from opennrm.core.notifying import app_path, holders
from opennrm.profiles.capabilities import Capability

CONSENT_WITHDRAWN_OWNER = gettext_noop(
    "The person withdrew a consent on case %(reference)s: what rested on it stopped."
)
CONSENT_WITHDRAWN_SHARED = gettext_noop(
    "The person withdrew their consent to share case %(reference)s with your organisation: "
    "its data is no longer yours to use."
)
CASE_WORK = (Capability.REPORT, Capability.TRIAGE)


def notify_consent_withdrawn(
    *, reference: str, owner_id: int, shared_with: Iterable[int], actor_user_id: int | None
) -> int:
    """The owner's case staff (but who recorded the withdrawal), with a link to the case; the
    staff of the organisations that lost their access through it, with no link (they may no
    longer open it)."""
    params = {"reference": reference}
    sent = Notification.send(
        holders(
            CASE_WORK,
            organisations=Organisation.objects.filter(pk=owner_id),
            exclude=actor_user_id,
        ),
        kind="consent.withdrawn",
        message=CONSENT_WITHDRAWN_OWNER,
        params=params,
        link=app_path("web:case", reference),
    )
    others = sorted(set(shared_with) - {owner_id})
    if others:
        sent += Notification.send(
            holders(
                (*CASE_WORK, Capability.PROVIDE_SERVICES),
                organisations=Organisation.objects.filter(pk__in=others),
                exclude=actor_user_id,
            ),
            kind="consent.withdrawn",
            message=CONSENT_WITHDRAWN_SHARED,
            params=params,
        )
    return sent
