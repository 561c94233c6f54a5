"""Hostile input to every form of opennrm.web: validation never raises, rendering never raises.

The forms are discovered (every `forms` module of opennrm.web's areas, every Form class defined
there), so a new form is covered without editing this file, unless its constructor needs
arguments: then it must be added to CONSTRUCTOR_ARGS, and the test says so.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import opennrm.web
from opennrm.cases.models import Case
from opennrm.core.models import Membership, Organisation, Territory
from tests.factories import CaseFactory
from tests.hardening.hostile import as_query_dict, hostile_form_data

MAX_EXAMPLES = 20


def form_modules() -> list[str]:
    return sorted(
        module.name
        for module in pkgutil.walk_packages(opennrm.web.__path__, "opennrm.web.")
        if module.name.rsplit(".", 1)[-1] == "forms"
    )


def form_classes() -> dict[str, type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module_name in form_modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                found[f"{module_name}.{name}"] = value
    return dict(sorted(found.items()))


@dataclass
class Context:
    cast: Any
    case: Case
    child_case: Case


def _organisations(context: Context) -> Any:
    return Organisation.objects.order_by("name")


def _services(context: Context) -> Any:
    from opennrm.support.models import Service

    return Service.objects.all()


def _territories(context: Context) -> list[tuple[int, str]]:
    from opennrm.core.models import Territory

    return [(t.pk, t.name) for t in Territory.objects.local_units().order_by("code")[:5]]


# Forms whose constructor needs arguments: what the views pass, from the test's cast.
CONSTRUCTOR_ARGS: dict[str, Callable[[Context], dict[str, Any]]] = {
    "opennrm.web.assessments.forms.StartAssessmentForm": lambda c: {
        "set_codes": [("ilo_adult", "ILO adult"), ("ilo_child", "ILO child")]
    },
    "opennrm.web.assessments.forms.AnswersForm": lambda c: {"codes": ["R1", "D2", "C3"]},
    "opennrm.web.assessments.forms.ConclusionForm": lambda c: {
        "engine_conclusion": "presumed_victim",
        "refusal": "A refusal, for the test.",
    },
    "opennrm.web.concerns.forms.OpenCaseForm": lambda c: {"owners": _organisations(c)},
    "opennrm.web.concerns.forms.AttachForm": lambda c: {"cases": Case.objects.all()},
    "opennrm.web.concerns.forms.ConcernSearchForm": lambda c: {
        "territories": Territory.objects.local_units()
    },
    "opennrm.web.exchange.forms.ImportForm": lambda c: {
        "territories": list(Territory.objects.local_units())
    },
    "opennrm.web.monitoring.forms.FunnelFilterForm": lambda c: {
        "territories": Territory.objects.local_units()
    },
    "opennrm.web.protection.forms.ConsentForm": lambda c: {"case": c.case},
    "opennrm.web.protection.forms.ChildProtectionAlertForm": lambda c: {"case": c.child_case},
    "opennrm.web.protection.forms.ReferralForm": lambda c: {"case": c.case},
    "opennrm.web.identification.forms.NotificationPreferencesForm": lambda c: {"chosen": {}},
    "opennrm.web.identification.forms.PlatformMemberForm": lambda c: {
        "memberships": Membership.objects.all()
    },
    "opennrm.web.support.forms.ServiceForm": lambda c: {"organisations": _organisations(c)},
    "opennrm.web.support.forms.OrientationForm": lambda c: {
        "services": _services(c),
        "case": c.child_case,
    },
    "opennrm.web.support.forms.ResidenceApplicationForm": lambda c: {
        "prefectures": _organisations(c)
    },
    "opennrm.web.support.forms.NonPunishmentForm": lambda c: {"prosecutors": _organisations(c)},
    "opennrm.web.support.forms.ClosureForm": lambda c: {"case": c.child_case},
    "opennrm.web.accounts.forms.SituationForm": lambda c: {"territories": _territories(c)},
    "opennrm.web.accounts.forms.WorkplaceForm": lambda c: {"territories": _territories(c)},
    "opennrm.web.accounts.forms.FactsForm": lambda c: {
        "territories": [(code, code) for code in ("93", "13", "974")]
    },
    "opennrm.web.cases.forms.SafeContactForm": lambda c: {"organisations": _organisations(c)},
    "opennrm.web.transfers.forms._Reason": lambda c: {"territories": Territory.objects.all()},
    "opennrm.web.transfers.forms.RequestForm": lambda c: {"territories": Territory.objects.all()},
    "opennrm.web.transfers.forms.ProposeForm": lambda c: {
        "case": c.case,
        "organisations": Organisation.objects.all(),
        "territories": Territory.objects.all(),
    },
    "opennrm.web.transfers.forms.AcceptRequestForm": lambda c: {"case": c.case},
}

FORMS = form_classes()


def required_arguments(form_class: type[forms.BaseForm]) -> list[str]:
    signature = inspect.signature(form_class.__init__)
    return [
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        and parameter.default is inspect.Parameter.empty
    ]


def test_forms_are_found():
    assert len(FORMS) >= 30, sorted(FORMS)
    assert "opennrm.web.concerns.forms.PublicConcernForm" in FORMS


def test_every_form_needing_arguments_has_them_in_the_table():
    missing = [
        f"{path} needs {', '.join(required_arguments(form_class))}"
        for path, form_class in FORMS.items()
        if required_arguments(form_class) and path not in CONSTRUCTOR_ARGS
    ]
    assert missing == [], "add these forms to CONSTRUCTOR_ARGS: " + "; ".join(missing)


def test_the_table_names_only_existing_forms():
    assert sorted(set(CONSTRUCTOR_ARGS) - set(FORMS)) == []


@pytest.fixture
def context(cast) -> Context:
    case = CaseFactory(owner=cast.association)
    child_case = CaseFactory(owner=cast.association, person__estimated_age=15)
    return Context(cast=cast, case=case, child_case=child_case)


def _build(path: str, context: Context, data: Any = None) -> forms.BaseForm:
    form_class = FORMS[path]
    kwargs = CONSTRUCTOR_ARGS[path](context) if path in CONSTRUCTOR_ARGS else {}
    if data is None:
        return form_class(**kwargs)
    return form_class(data, **kwargs)


@pytest.mark.parametrize("path", list(FORMS))
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_hostile_input_never_breaks_a_form(path, context, data):
    fields = _build(path, context).fields
    posted = data.draw(hostile_form_data(fields), label="posted")
    form = _build(path, context, as_query_dict(posted))
    # Neither validation nor showing the form again with its errors may raise.
    valid = form.is_valid()
    assert isinstance(valid, bool)
    assert valid or form.errors
    form.errors.as_data()
    str(form)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["9" * 32, "9" * 5000, "-" + "9" * 25])
def test_a_key_no_database_can_hold_is_an_invalid_choice_not_a_crash(key):
    from django import forms as django_forms

    from opennrm.core.models import Territory
    from opennrm.web.forms import KeyedChoiceField, KeyedMultipleChoiceField

    one = KeyedChoiceField(queryset=Territory.objects.all())
    many = KeyedMultipleChoiceField(queryset=Territory.objects.all())
    for field, value in ((one, key), (many, [key])):
        with pytest.raises(django_forms.ValidationError):
            field.clean(value)


@pytest.mark.django_db
def test_a_key_written_in_superscript_digits_is_not_a_choice():
    """Found by Hypothesis: "¹" passes str.isdigit() but int() refuses it (a 500)."""
    from opennrm.web.support.forms import ServiceFilterForm

    form = ServiceFilterForm({"territory": "¹"})
    assert not form.is_valid()
    assert "territory" in form.errors
