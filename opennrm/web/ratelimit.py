"""A small rate limiter on Django's cache, for public forms (no third-party service).

The client address is never stored: the cache key holds an HMAC-SHA256 of it, keyed with
SECRET_KEY. Windows are fixed (e.g. "5 per 10 minutes" counts per ten-minute slot), which is
enough to stop a flood without bothering a person who writes once or twice.

Rates are written ``"5/10m,20/1d"``: a count, a slash, a number and a unit (s, m, h, d).
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from opennrm.web.acting import client_ip
from opennrm.web.rates import DEFAULT_REPORT_RATE, Rate, parse_rates

__all__ = ["DEFAULT_REPORT_RATE", "Rate", "RateLimiter", "parse_rates", "report_limiter"]


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client address: stable for the limiter, useless to read back."""
    address = client_ip(request) or "unknown"
    return hmac.new(
        settings.SECRET_KEY.encode(), address.encode(), digestmod=hashlib.sha256
    ).hexdigest()


class RateLimiter:
    """Counts events per client address in `scope`, against the rates of setting `setting`."""

    def __init__(self, scope: str, setting: str, default: str) -> None:
        self.scope = scope
        self.setting = setting
        self.default = default

    @property
    def rates(self) -> tuple[Rate, ...]:
        return parse_rates(str(getattr(settings, self.setting, self.default)))

    def _keys(self, request: HttpRequest, now: int) -> list[tuple[str, Rate]]:
        client = client_key(request)
        return [
            (f"opennrm:ratelimit:{self.scope}:{client}:{rate.seconds}:{now // rate.seconds}", rate)
            for rate in self.rates
        ]

    def wait(self, request: HttpRequest) -> int:
        """0 if this address may go on; else the seconds until the exhausted windows end."""
        now = int(time.time())
        keys = self._keys(request, now)
        counts = cache.get_many([key for key, _rate in keys])
        return max(
            (
                rate.seconds - now % rate.seconds
                for key, rate in keys
                if int(counts.get(key, 0)) >= rate.limit
            ),
            default=0,
        )

    def exceeded(self, request: HttpRequest) -> bool:
        """True when one of the rates is already used up for this address."""
        return self.wait(request) > 0

    def hit(self, request: HttpRequest) -> None:
        """Count one event for this address in every window."""
        for key, rate in self._keys(request, int(time.time())):
            cache.add(key, 0, timeout=rate.seconds)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=rate.seconds)


report_limiter = RateLimiter("report", "OPENNRM_REPORT_RATE", DEFAULT_REPORT_RATE)
