"""Plausible dates and ages (opennrm.core.plausible), with messages that say why, and where each
rule applies: rights information, date of birth, estimated age, the exploitation's dates, the
leaflet's language."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from opennrm.core import plausible
from opennrm.documents.leaflets import leaflet_languages
from opennrm.web.protection.forms import NO_LEAFLET, RightsInformationForm
from tests.factories import CaseFactory

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _refused(rule, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as raised:
        rule(*args, **kwargs)
    return " ".join(raised.value.messages)


def test_a_date_of_birth_more_than_120_years_ago_is_refused_saying_why():
    message = _refused(plausible.date_of_birth, datetime.date(1850, 3, 1), today=TODAY)
    assert "120" in message and "1906" in message
    plausible.date_of_birth(datetime.date(1906, 12, 7), today=TODAY)  # 120 today: accepted


def test_a_date_of_birth_in_the_future_is_refused():
    assert "future" in _refused(plausible.date_of_birth, TODAY + datetime.timedelta(1), today=TODAY)
    plausible.date_of_birth(TODAY, today=TODAY)


@pytest.mark.parametrize("age", [-1, 121, 500])
def test_an_age_outside_0_to_120_is_refused(age):
    assert "120" in _refused(plausible.age, age)


@pytest.mark.parametrize("age", [0, 17, 120, None])
def test_an_age_from_0_to_120_passes(age):
    plausible.age(age)


def test_an_exploitation_starting_next_year_is_refused_saying_why():
    message = _refused(plausible.exploitation_date, datetime.date(2027, 3, 1), today=TODAY)
    assert "future" in message and "2026" in message
    assert "1900" in _refused(plausible.exploitation_date, datetime.date(1899, 1, 1), today=TODAY)
    plausible.exploitation_date(TODAY, today=TODAY)


def test_rights_information_before_the_detection_minus_the_margin_is_refused():
    detected = datetime.date(2026, 11, 1)
    margin = datetime.timedelta(days=plausible.RIGHTS_MARGIN_DAYS)
    message = _refused(
        plausible.rights_information_date, datetime.date(1900, 1, 1), detected, today=TODAY
    )
    assert "2026" in message and "detected" in message
    _refused(plausible.rights_information_date, detected - margin - datetime.timedelta(1), detected)
    plausible.rights_information_date(detected - margin, detected, today=TODAY)
    _refused(
        plausible.rights_information_date, TODAY + datetime.timedelta(1), detected, today=TODAY
    )


@pytest.mark.django_db
def test_the_person_model_refuses_a_date_of_birth_in_1850_and_an_age_of_130():
    case = CaseFactory()
    person = case.person
    person.date_of_birth = datetime.date(1850, 1, 1)
    person.estimated_age = 130
    with pytest.raises(ValidationError) as raised:
        person.full_clean()
    assert set(raised.value.message_dict) >= {"date_of_birth", "estimated_age"}


@pytest.mark.django_db
def test_the_case_model_refuses_an_exploitation_starting_next_year():
    case = CaseFactory()
    case.period_start = timezone.localdate() + datetime.timedelta(days=200)
    with pytest.raises(ValidationError) as raised:
        case.full_clean()
    assert "period_start" in raised.value.message_dict


def _rights_data(**values):
    return {
        "given_on": timezone.localdate().isoformat(),
        "language": "fr",
        "leaflet_given": "on",
        "leaflet_language": "fr",
        **values,
    }


@pytest.mark.django_db
def test_the_rights_form_refuses_1900_and_a_date_long_before_the_detection():
    detected = timezone.localdate() - datetime.timedelta(days=10)
    form = RightsInformationForm(_rights_data(given_on="1900-01-01"), detected_on=detected)
    assert not form.is_valid() and "given_on" in form.errors
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert RightsInformationForm(_rights_data(given_on=yesterday), detected_on=detected).is_valid()


@pytest.mark.django_db
def test_the_leaflet_is_offered_only_in_the_languages_it_exists_in_or_none():
    form = RightsInformationForm()
    offered = [code for code, _label in form.fields["leaflet_language"].choices if code]
    assert offered == [*leaflet_languages(), NO_LEAFLET]
    abkhazian = RightsInformationForm(_rights_data(leaflet_language="ab"))
    assert not abkhazian.is_valid() and "leaflet_language" in abkhazian.errors
    none = RightsInformationForm(_rights_data(leaflet_language=NO_LEAFLET))
    assert none.is_valid(), none.errors
    assert none.cleaned_data["leaflet_given"] is False
    assert none.cleaned_data["leaflet_language"] == ""


@pytest.mark.django_db
def test_the_rights_model_refuses_a_leaflet_in_a_language_it_does_not_exist_in(cast):
    from opennrm.detection.models import RightsInformation

    case = CaseFactory(owner=cast.association)
    info = RightsInformation(
        case=case,
        given_on=timezone.localdate(),
        language="ab",
        leaflet_given=True,
        leaflet_language="ab",
        given_by=cast.amina,
        organisation=cast.association,
    )
    with pytest.raises(ValidationError) as raised:
        info.full_clean()
    assert "leaflet_language" in raised.value.message_dict
