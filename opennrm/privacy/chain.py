"""The audit chain's verification, for the audit viewer.

Walking the whole chain grows with the trail (minutes at a million cases): it runs in the
background, every 6 hours (`audit.verify`) and when the viewer asks for it, and the viewer shows
the latest result (opennrm.audit.models.ChainCheck) and whether a newer one was asked for."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from opennrm.audit.models import ChainCheck
from opennrm.audit.tasks import verify_audit_trail
from opennrm.audit.trail import record
from opennrm.core.acting import Actor

REQUESTED_KEY = "opennrm.privacy.audit_chain_requested"
REQUEST_KEPT = 6 * 3600  # a request not answered by then is shown as not asked for


@dataclass(frozen=True)
class ChainStatus:
    checked: int
    broken_entry: int | None
    reason: str  # verify_chain's reason (English, for logs); the page shows its own words
    verified_at: datetime.datetime

    @property
    def intact(self) -> bool:
        return self.broken_entry is None


@dataclass(frozen=True)
class ChainView:
    """What the viewer shows: the latest verification (None before the first) and, if one was
    asked for since, when."""

    latest: ChainStatus | None
    requested_at: datetime.datetime | None


def _latest() -> ChainStatus | None:
    check = ChainCheck.objects.order_by("-finished_at", "-pk").first()
    if check is None:
        return None
    return ChainStatus(
        checked=check.entries_checked,
        broken_entry=check.broken_entry,
        reason=check.reason,
        verified_at=check.finished_at,
    )


def request_verification(actor: Actor) -> None:
    """Ask for a verification now (queued for the worker; the test and demo settings run it at
    once). Audited."""
    now = timezone.now()
    cache.set(REQUESTED_KEY, now, REQUEST_KEPT)
    record("audit.verify_requested", actor=actor)
    verify_audit_trail.enqueue(requested_at=now.isoformat())


def chain_status(actor: Actor, *, refresh: bool = False) -> ChainView:
    """The latest verification; with `refresh`, or before the first one, a new one is asked
    for."""
    latest = _latest()
    requested = _pending(latest)
    if (refresh or latest is None) and requested is None:
        request_verification(actor)
        latest = _latest()
        requested = _pending(latest)
    return ChainView(latest=latest, requested_at=requested)


def _pending(latest: ChainStatus | None) -> datetime.datetime | None:
    """When a verification not finished yet was asked for, if one was."""
    requested: datetime.datetime | None = cache.get(REQUESTED_KEY)
    if requested is not None and latest is not None and latest.verified_at >= requested:
        return None
    return requested
