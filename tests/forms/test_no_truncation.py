"""No silent truncation: every long text field of every form of opennrm.web has a limit, refuses a
longer text with an error giving the limit and the length typed, shows the whole text back, and
leaves the limit to the server (`data-maxlength`, never a `maxlength` the browser cuts at).

The forms are those of tests/hardening/test_hostile_forms.py (found, not listed).
"""

import re

import pytest
from django import forms
from django.urls import reverse

from opennrm.detection.models import Concern
from tests.hardening.test_hostile_forms import FORMS, _build
from tests.hardening.test_hostile_forms import context as context


def long_text_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(FORMS))
def test_every_long_text_field_has_a_limit_and_refuses_more_keeping_the_text(path, context):
    form = _build(path, context)
    for name in long_text_fields(form):
        limit = form.fields[name].max_length
        assert limit, f"{path}.{name} is a long text with no max_length"
        typed = "é" * limit + "x"
        bound = _build(path, context, {name: typed})
        assert not bound.is_valid()
        messages = " ".join(bound.errors.get(name, []))
        assert str(limit) in messages and str(limit + 1) in messages, (path, name, messages)
        html = str(bound[name])
        assert typed in html, f"{path}.{name} cut the text"
        assert " maxlength=" not in html
        assert f'data-maxlength="{limit}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(FORMS))
def test_no_field_lets_the_browser_cut_text(path, context):
    html = str(_build(path, context))
    assert not re.search(r"\smaxlength=", html), path


@pytest.mark.django_db
def test_a_public_report_too_long_is_refused_whole_and_nothing_is_stored(client):
    from opennrm.detection.models import DESCRIPTION_MAX

    typed = "Je travaille sans salaire. " * (DESCRIPTION_MAX // 20)
    response = client.post(reverse("web:report"), {"description": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert str(DESCRIPTION_MAX) in body
    assert typed.strip() in body.replace("&#x27;", "'")
    assert Concern.objects.count() == 0
