"""The audit chain's verification, for the audit viewer: computed once per request and kept a
few minutes (walking the whole chain grows with the trail); the viewer can ask for a fresh one."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from opennrm.audit.trail import verify_chain

CACHE_KEY = "opennrm.privacy.audit_chain_status"
CACHE_SECONDS = 300
_REQUEST_ATTRIBUTE = "_opennrm_chain_status"


@dataclass(frozen=True)
class ChainStatus:
    checked: int
    broken_entry: int | None
    reason: str  # verify_chain's reason (English, for logs); the page shows its own words
    verified_at: datetime.datetime

    @property
    def intact(self) -> bool:
        return self.broken_entry is None


def chain_status(request: HttpRequest, *, refresh: bool = False) -> ChainStatus:
    memo: ChainStatus | None = getattr(request, _REQUEST_ATTRIBUTE, None)
    if memo is not None and not refresh:
        return memo
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
    setattr(request, _REQUEST_ATTRIBUTE, status)
    return status
