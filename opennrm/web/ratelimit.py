"""A small rate limiter on Django's cache, for public forms (no third-party service).

The client address is never stored: the cache key holds an HMAC-SHA256 of it, keyed with
SECRET_KEY. Windows slide: "5 per 10 minutes" means at most five events in any ten minutes (the
times of the latest events are kept, never more than the rate's count), so no burst passes
around the edge of a fixed slot.

Rates are written ``"5/10m,20/1d"``: a count, a slash, a number and a unit (s, m, h, d).
"""

import hashlib
import hmac
import math
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

    def _key(self, client: str, rate: Rate) -> str:
        return f"opennrm:ratelimit:{self.scope}:{client}:{rate.seconds}"

    @staticmethod
    def _recent(stamps: object, rate: Rate, now: float) -> list[float]:
        """The times of the events still inside the window, oldest first."""
        if not isinstance(stamps, list):
            return []
        return sorted(float(stamp) for stamp in stamps if float(stamp) > now - rate.seconds)

    def wait(self, request: HttpRequest) -> int:
        """0 if this address may go on; else the seconds until it may (the oldest event that
        fills a window leaves it)."""
        now = time.time()
        client = client_key(request)
        keys = {self._key(client, rate): rate for rate in self.rates}
        stored = cache.get_many(list(keys))
        waits = [0]
        for key, rate in keys.items():
            recent = self._recent(stored.get(key), rate, now)
            if len(recent) >= rate.limit:
                waits.append(max(1, math.ceil(recent[-rate.limit] + rate.seconds - now)))
        return max(waits)

    def exceeded(self, request: HttpRequest) -> bool:
        """True when one of the rates is already used up for this address."""
        return self.wait(request) > 0

    def hit(self, request: HttpRequest) -> None:
        """Count one event for this address in every window."""
        now = time.time()
        client = client_key(request)
        for rate in self.rates:
            key = self._key(client, rate)
            recent = [*self._recent(cache.get(key), rate, now), now]
            cache.set(key, recent[-rate.limit :], timeout=rate.seconds)


report_limiter = RateLimiter("report", "OPENNRM_REPORT_RATE", DEFAULT_REPORT_RATE)
