"""Decision deadlines from the profile: calendar days (France: platform 21 days) or working
days with the public holidays of the département — metropolitan, Alsace-Moselle, overseas."""

import datetime

import pytest
from django.utils import timezone

from opennrm.core import timeframes
from opennrm.core.models import Territory
from opennrm.core.timeframes import add_days, due_date
from opennrm.identification import deadlines
from opennrm.identification.deadlines import extended_due, paused_days
from opennrm.identification.models import Route
from opennrm.profiles.loader import active_profile
from opennrm.profiles.schema import Label, Timeframe
from tests.identification.conftest import org, presumed_case, referred

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def places(territories):
    return {code: Territory.objects.get(code=code) for code in ("93", "974", "57", "13")}


@pytest.fixture
def working_days(monkeypatch):
    """A profile whose decisions are due in working days (5 for the platform, 3 judicial)."""

    def use(platform_days: int = 5, judicial_days: int = 3):
        profile = active_profile()
        changed = {
            **profile.timeframes,
            "platform_decision": Timeframe(
                label=Label(fr="Plateforme", en="Platform"), days=platform_days, unit="working"
            ),
            "judicial_decision": Timeframe(
                label=Label(fr="Judiciaire", en="Judicial"), days=judicial_days, unit="working"
            ),
        }
        copy = profile.model_copy(update={"timeframes": changed})
        monkeypatch.setattr(timeframes, "active_profile", lambda: copy)
        monkeypatch.setattr(deadlines, "active_profile", lambda: copy)
        return copy

    return use


def test_france_platform_decision_is_due_21_calendar_days_after_referral(places):
    # Calendar days ignore week-ends and holidays, in 93 as in La Réunion.
    start = D(2027, 12, 10)
    assert due_date("platform_decision", start, places["93"]) == D(2027, 12, 31)
    assert due_date("platform_decision", start, places["974"]) == D(2027, 12, 31)
    assert due_date("reconsideration_request", start, places["974"]) == D(2028, 1, 9)


def test_refer_sets_the_deadline_of_the_route(cast, platform93):
    case = presumed_case(cast)
    referral = referred(cast, case, Route.PLATFORM)
    today = timezone.localtime(referral.referred_at).date()
    assert referral.decision_due == today + datetime.timedelta(days=21)


@pytest.mark.parametrize(
    ("code", "start", "days", "expected"),
    [
        # 20 December: abolition of slavery, a public holiday in La Réunion only.
        ("93", D(2027, 12, 17), 5, D(2027, 12, 24)),
        ("974", D(2027, 12, 17), 5, D(2027, 12, 27)),
        # Alsace-Moselle: Good Friday (18 April 2025) and 26 December are holidays in 57.
        ("93", D(2025, 4, 17), 3, D(2025, 4, 23)),
        ("57", D(2025, 4, 17), 3, D(2025, 4, 24)),
        ("93", D(2025, 12, 24), 2, D(2025, 12, 29)),
        ("57", D(2025, 12, 24), 2, D(2025, 12, 30)),
    ],
)
def test_working_days_skip_the_departements_public_holidays(places, code, start, days, expected):
    assert add_days(start, days, "working", places[code]) == expected


def test_a_referral_in_working_days_follows_its_departement(
    cast, places, working_days, monkeypatch
):
    from opennrm.identification import services

    working_days(platform_days=5)
    monkeypatch.setattr(services.timezone, "localdate", lambda: D(2027, 12, 17))
    org("Coordination 974 (fictional)", "local_coordination", "974")
    reunion = presumed_case(cast, territory=places["974"])
    from opennrm.cases.enums import ConsentScope
    from opennrm.identification.services import refer
    from tests.identification.conftest import actor_for

    target = services.eligible_targets(reunion, Route.PLATFORM).get()
    in_974 = refer(
        reunion,
        route=Route.PLATFORM,
        target=target,
        consent=reunion.active_consent(ConsentScope.REFERRAL),
        actor=actor_for(cast.amina),
    )
    in_93 = referred(cast, presumed_case(cast), Route.PLATFORM)
    assert in_93.decision_due == D(2027, 12, 24)
    assert in_974.decision_due == D(2027, 12, 27)


@pytest.mark.parametrize(
    ("code", "unit", "expected_days"),
    [
        ("93", "calendar", 4),  # Fri 17 → Tue 21 December 2027
        ("974", "calendar", 4),
        ("93", "working", 2),  # Mon 20, Tue 21
        ("974", "working", 1),  # Mon 20 is a holiday in La Réunion: Tue 21 only
    ],
)
def test_paused_days_count_in_the_timeframes_unit(places, code, unit, expected_days):
    assert paused_days(D(2027, 12, 17), D(2027, 12, 21), unit, places[code]) == expected_days


def test_the_deadline_moves_by_the_paused_days(places, working_days):
    # Calendar (the France profile): 4 days paused move the deadline by 4 days.
    due, days = extended_due(
        D(2027, 12, 28), D(2027, 12, 17), D(2027, 12, 21), Route.PLATFORM, places["974"]
    )
    assert (due, days) == (D(2028, 1, 1), 4)
    # Working days: 1 working day paused in 974 (20 December is a holiday there) moves a
    # deadline of Thursday 23 December to Friday 24; in 93, 2 working days to Monday 27.
    working_days()
    assert extended_due(
        D(2027, 12, 23), D(2027, 12, 17), D(2027, 12, 21), Route.PLATFORM, places["974"]
    ) == (D(2027, 12, 24), 1)
    assert extended_due(
        D(2027, 12, 23), D(2027, 12, 17), D(2027, 12, 21), Route.PLATFORM, places["93"]
    ) == (D(2027, 12, 27), 2)
    # Answered the day it was asked: nothing moves.
    assert extended_due(
        D(2027, 12, 23), D(2027, 12, 17), D(2027, 12, 17), Route.PLATFORM, places["93"]
    ) == (D(2027, 12, 23), 0)
