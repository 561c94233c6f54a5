"""Due dates of the mechanism's steps, from the profile's timeframes (calendar or working days)."""

import datetime
from functools import cache

import holidays

from opennrm.core.models import Territory
from opennrm.profiles.loader import active_profile


@cache
def _holidays(country: str, subdivision: str | None, year: int) -> frozenset[datetime.date]:
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(calendar.keys())


def is_working_day(day: datetime.date, territory: Territory | None = None) -> bool:
    """Monday to Friday, and not a public holiday of the territory (national ones otherwise)."""
    if day.weekday() >= 5:
        return False
    country = active_profile().holidays_country
    if country is None:
        return True
    subdivision = territory.holidays_subdivision if territory is not None else None
    return day not in _holidays(country, subdivision, day.year)


def add_days(
    start: datetime.date, days: int, unit: str, territory: Territory | None = None
) -> datetime.date:
    """`days` calendar days after start, or the `days`-th working day after it."""
    if unit == "calendar":
        return start + datetime.timedelta(days=days)
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, territory):
            counted += 1
    return day


def due_date(step: str, start: datetime.date, territory: Territory | None = None) -> datetime.date:
    """When a step that started on `start` is due, per the active profile."""
    timeframe = active_profile().timeframes[step]
    return add_days(start, timeframe.days, timeframe.unit, territory)
