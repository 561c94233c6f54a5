"""Rates written ``"5/10m,20/1d"``: a count, a slash, a number and a unit (s, m, h, d).

Pure Python, so that the settings can check a rate given in the environment at start-up.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

DEFAULT_REPORT_RATE = "5/10m,20/1d"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rates(text: str) -> tuple[Rate, ...]:
    """``"5/10m,20/1d"`` → (Rate(5, 600), Rate(20, 86400)); a wrong value names itself."""
    rates = []
    for part in text.split(","):
        match = _RATE.match(part)
        if not match:
            raise ImproperlyConfigured(f"Invalid rate {part!r}: write it like '5/10m' or '20/1d'.")
        count, number, unit = match.groups()
        seconds = int(number or 1) * _UNITS[unit]
        if int(count) < 1 or seconds < 1:
            raise ImproperlyConfigured(f"Invalid rate {part!r}: count and period must be > 0.")
        rates.append(Rate(int(count), seconds))
    return tuple(rates)
