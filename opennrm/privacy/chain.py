"""The audit chain's verification, for the audit viewer: computed once and kept a few minutes
(walking the whole chain grows with the trail); the viewer can ask for a fresh one."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from opennrm.audit.trail import verify_chain

CACHE_KEY = "opennrm.privacy.audit_chain_status"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class ChainStatus:
    checked: int
    broken_entry: int | None
    reason: str  # verify_chain's reason (English, for logs); the page shows its own words
    verified_at: datetime.datetime

    @property
    def intact(self) -> bool:
        return self.broken_entry is None


def chain_status(*, refresh: bool = False) -> ChainStatus:
    status: ChainStatus | None = None if refresh else cache.get(CACHE_KEY)
    if status is None:
        checked, broken = verify_chain()
        status = ChainStatus(
            checked=checked,
            broken_entry=broken.entry_id if broken else None,
            reason=broken.reason if broken else "",
            verified_at=timezone.now(),
        )
        cache.set(CACHE_KEY, status, CACHE_SECONDS)
    return status
