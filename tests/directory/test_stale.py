"""When a directory entry becomes stale: calendar months, clamped to the end of shorter months."""

import datetime

import pytest

from opennrm.directory import models as directory_models
from opennrm.directory.models import ContactEntry, stale_before
from opennrm.profiles.loader import active_profile
from tests.factories import ContactEntryFactory, OrganisationFactory

D = datetime.date


def test_the_france_profile_confirms_every_six_months():
    assert active_profile().directory_confirmation_months == 6


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 9, 15), D(2026, 3, 15)),
        (D(2026, 7, 1), D(2026, 1, 1)),
        (D(2026, 6, 30), D(2025, 12, 30)),  # across the year boundary
        (D(2026, 1, 31), D(2025, 7, 31)),
        (D(2026, 2, 28), D(2025, 8, 28)),
        (D(2026, 8, 31), D(2026, 2, 28)),  # 31st into a short month
        (D(2028, 8, 31), D(2028, 2, 29)),  # leap year
        (D(2026, 3, 31), D(2025, 9, 30)),  # 31st into a 30-day month, previous year
        (D(2026, 12, 31), D(2026, 6, 30)),
        (D(2027, 5, 31), D(2026, 11, 30)),
    ],
)
def test_stale_before_six_months(today, expected):
    assert stale_before(today) == expected


@pytest.mark.parametrize(
    ("months", "today", "expected"),
    [
        (1, D(2026, 3, 31), D(2026, 2, 28)),
        (1, D(2026, 1, 15), D(2025, 12, 15)),
        (12, D(2026, 2, 28), D(2025, 2, 28)),
        (12, D(2028, 2, 29), D(2027, 2, 28)),
        (13, D(2026, 1, 31), D(2024, 12, 31)),
        (24, D(2026, 12, 31), D(2024, 12, 31)),
        (60, D(2026, 5, 31), D(2021, 5, 31)),
    ],
)
def test_stale_before_follows_the_profile(monkeypatch, months, today, expected):
    profile = active_profile().model_copy(update={"directory_confirmation_months": months})
    monkeypatch.setattr(directory_models, "active_profile", lambda: profile)
    assert stale_before(today) == expected


def test_stale_before_defaults_to_today(monkeypatch):
    monkeypatch.setattr(directory_models.timezone, "localdate", lambda: D(2026, 8, 31))
    assert stale_before() == D(2026, 2, 28)


@pytest.fixture
def prefecture(territories):
    from opennrm.core.models import Territory

    return OrganisationFactory(kind="prefecture", territories=[Territory.objects.get(code="93")])


@pytest.mark.django_db
def test_an_entry_confirmed_seven_months_ago_is_stale(prefecture):
    today = D(2026, 9, 15)
    seven_months_ago = D(2026, 2, 15)
    five_months_ago = D(2026, 4, 15)
    old = ContactEntryFactory(organisation=prefecture, last_confirmed_on=seven_months_ago)
    recent = ContactEntryFactory(organisation=prefecture, last_confirmed_on=five_months_ago)
    limit = ContactEntryFactory(organisation=prefecture, last_confirmed_on=D(2026, 3, 15))
    day_before = ContactEntryFactory(organisation=prefecture, last_confirmed_on=D(2026, 3, 14))
    assert old.is_stale(today)
    assert not recent.is_stale(today)
    assert not limit.is_stale(today)  # exactly six months: still fresh
    assert day_before.is_stale(today)
    stale = set(ContactEntry.objects.stale(today))
    assert stale == {old, day_before}


@pytest.mark.django_db
def test_stale_today_by_default(prefecture):
    from django.utils import timezone

    today = timezone.localdate()
    old = ContactEntryFactory(
        organisation=prefecture, last_confirmed_on=today - datetime.timedelta(days=213)
    )
    fresh = ContactEntryFactory(
        organisation=prefecture, last_confirmed_on=today - datetime.timedelta(days=150)
    )
    assert old.is_stale()
    assert not fresh.is_stale()
    assert list(ContactEntry.objects.stale()) == [old]
