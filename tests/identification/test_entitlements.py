"""One status, the same rights: entitlements depend on status, age group and profile only.

The property-based test generates cases (age, uncertain age, forms of exploitation, sector,
channel) and profiles (which entitlement applies to which status and age group), takes each
generated case to "identified victim" by the judicial route, by the platform route, and by a
reconsideration after a negative platform decision, and checks that the rights are the same.
"""

import inspect

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opennrm.cases.enums import DetectionChannel, IdentificationStatus
from opennrm.identification import actions
from opennrm.identification import entitlements as entitlements_module
from opennrm.identification.entitlements import age_group_of, case_entitlements, entitlements
from opennrm.identification.models import Route
from opennrm.profiles.loader import active_profile
from opennrm.profiles.schema import Entitlement, Label
from tests.identification.conftest import actor_for, presumed_case, referred, vote_all

FORMS = [form.code for form in active_profile().forms_of_exploitation]

case_data = st.fixed_dictionaries(
    {
        "person__estimated_age": st.one_of(st.none(), st.integers(min_value=0, max_value=90)),
        "person__may_be_child": st.booleans(),
        "forms": st.lists(st.sampled_from(FORMS), min_size=1, max_size=3, unique=True),
        "sector": st.sampled_from(["construction", "agriculture", "domestic_work", ""]),
        "channel": st.sampled_from(DetectionChannel.values),
    }
)

generated_entitlements = st.lists(
    st.tuples(
        st.lists(
            st.sampled_from(["presumed_victim", "identified_victim"]),
            min_size=1,
            max_size=2,
            unique=True,
        ),
        st.lists(st.sampled_from(["adult", "child"]), min_size=1, max_size=2, unique=True),
    ),
    min_size=1,
    max_size=6,
).map(
    lambda rows: tuple(
        Entitlement(
            code=f"right_{index}",
            label=Label(fr=f"Droit {index}", en=f"Right {index}"),
            statuses=tuple(statuses),
            age_groups=tuple(ages),
        )
        for index, (statuses, ages) in enumerate(rows)
    )
)


def test_entitlements_take_no_route():
    assert list(inspect.signature(entitlements).parameters) == ["status", "age_group", "profile"]


def test_the_france_profile_adds_rights_at_identification():
    adult = {item.code for item in entitlements("identified_victim", "adult")}
    presumed = {item.code for item in entitlements("presumed_victim", "adult")}
    assert presumed < adult
    assert {"residence_permit", "compensation", "long_term_support"} <= adult
    assert "child_protection" in {item.code for item in entitlements("identified_victim", "child")}
    assert entitlements("not_identified", "adult") == ()


def _judicial(cast, case):
    referral = referred(cast, case, Route.JUDICIAL)
    actions.record_statement(
        referral,
        kind="testimony",
        recorded_on=timezone.localdate(),
        service="Fictional unit",
        offence="Fictional offence",
        procedure_reference="FICT",
        actor=actor_for(cast.claire),
    )
    actions.record_judicial_decision(
        referral, outcome="identified", reasons="Fictional.", actor=actor_for(cast.claire)
    )


def _platform(cast, platform93, case):
    referral = referred(cast, case, Route.PLATFORM)
    vote_all(platform93, referral, platform93.first)
    actions.record_platform_decision(
        referral, outcome="identified", reasons="Fictional.", actor=platform93.actor("louis")
    )


def _reconsidered(cast, platform93, case):
    referral = referred(cast, case, Route.PLATFORM)
    vote_all(platform93, referral, platform93.first, "not_identified")
    refused = actions.record_platform_decision(
        referral, outcome="not_identified", reasons="x", actor=platform93.actor("louis")
    )
    second = actions.request_reconsideration(
        refused, new_elements="Fictional.", actor=actor_for(cast.amina)
    )
    vote_all(platform93, second, platform93.second)
    actions.record_platform_decision(
        second, outcome="identified", reasons="Fictional.", actor=platform93.actor("lucie")
    )


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=case_data, rights=generated_entitlements)
def test_entitlements_are_identical_whichever_route_led_to_the_status(
    cast, platform93, monkeypatch, data, rights
):
    profile = active_profile().model_copy(update={"entitlements": rights})
    monkeypatch.setattr(entitlements_module, "active_profile", lambda: profile)
    by_judicial, by_platform, by_reconsideration = (presumed_case(cast, **data) for _ in range(3))
    _judicial(cast, by_judicial)
    _platform(cast, platform93, by_platform)
    _reconsidered(cast, platform93, by_reconsideration)
    results = set()
    for case in (by_judicial, by_platform, by_reconsideration):
        case.refresh_from_db()
        assert case.status == IdentificationStatus.IDENTIFIED_VICTIM
        results.add(tuple(item.code for item in case_entitlements(case)))
    assert len(results) == 1
    expected = entitlements("identified_victim", age_group_of(by_judicial), profile)
    assert results == {tuple(item.code for item in expected)}
    assert {age_group_of(c) for c in (by_judicial, by_platform, by_reconsideration)} == {
        age_group_of(by_judicial)
    }
