"""The form helpers of the views (opennrm.web.formtools): when an action runs, where its refusal
goes, what the person is told."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from opennrm.core.models import FormSubmission, Organisation
from opennrm.web.formtools import SUBMISSION, Done, SentOnce, submit, submit_button
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db  # actions run in a transaction (run again after a conflict)


class NoteForm(forms.Form):
    note = forms.CharField()


def _request(method: str, data: dict[str, str] | None = None, user=None):
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request._messages = CookieStorage(request)
    if user is not None:
        request.user = user
    return request


def _told(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def _refuse(**data):
    raise ValidationError({"note": "Not this note.", "other": "Not now."})


def test_submit_acts_only_on_a_post_with_valid_data():
    calls = []
    for request, form in (
        (_request("GET"), NoteForm()),
        (_request("POST"), NoteForm({})),
    ):
        assert submit(request, form, lambda **data: calls.append(data), "Done.") is None
        assert _told(request) == []
    assert calls == []


def test_submit_runs_the_action_with_the_cleaned_data_and_says_so():
    request = _request("POST", {"note": "hello"})
    form = NoteForm(request.POST)
    done = submit(request, form, lambda note: None, "Recorded.")
    assert done == Done(None) and done  # done, even when the action returns nothing
    assert _told(request) == [("success", "Recorded.")]


def test_submit_puts_a_refusal_on_the_form():
    request = _request("POST", {"note": "hello"})
    form = NoteForm(request.POST)
    assert submit(request, form, _refuse, "Recorded.") is None
    assert form.errors == {"note": ["Not this note."], "__all__": ["Not now."]}
    assert _told(request) == []


def test_the_success_message_can_be_made_from_the_result():
    request = _request("POST", {"note": "hello"})
    done = submit(request, NoteForm(request.POST), lambda note: note.upper(), lambda r: f"{r}!")
    assert done == Done("HELLO")
    assert _told(request) == [("success", "HELLO!")]


def test_submit_button_tells_invalid_data_and_refusals_as_messages():
    request = _request("POST", {})
    form = NoteForm(request.POST)
    assert submit_button(request, form, _refuse, "Recorded.") is None
    assert _told(request) == [("error", " ".join(form.errors["note"]))]

    request = _request("POST", {})
    form = NoteForm(request.POST)
    assert submit_button(request, form, _refuse, "Recorded.", invalid="Write a note.") is None
    assert _told(request) == [("error", "Write a note.")]

    request = _request("POST", {"note": "hello"})
    assert submit_button(request, NoteForm(request.POST), _refuse, "Recorded.") is None
    assert _told(request) == [("error", "Not this note. Not now.")]


def test_submit_button_without_a_form_runs_the_action_alone():
    request = _request("POST")
    assert submit_button(request, None, lambda: 42, "Done.") == Done(42)
    assert _told(request) == [("success", "Done.")]


# Create forms sent once (SentOnce, core.submissions) ------------------------------------------


class NewOrganisationForm(SentOnce, forms.Form):
    name = forms.CharField()


def _create(name: str) -> Organisation:
    return Organisation.objects.create(name=name, kind="association")


def test_a_create_form_carries_a_fresh_key_each_time_it_is_shown():
    first, second = NewOrganisationForm(), NewOrganisationForm()
    assert first.fields[SUBMISSION].initial != second.fields[SUBMISSION].initial
    assert 'type="hidden"' in str(first[SUBMISSION])


def test_a_create_form_sent_again_stores_nothing_twice_and_leads_to_the_first_record():
    user = UserFactory()
    key = NewOrganisationForm().fields[SUBMISSION].initial
    data = {"name": "Sent once (fictional)", SUBMISSION: key}

    first = _request("POST", data, user)
    made = submit(first, NewOrganisationForm(first.POST), _create, "Created.")
    assert _told(first) == [("success", "Created.")]

    again = _request("POST", data, user)  # the person saw an error page and sends it again
    resent = submit(again, NewOrganisationForm(again.POST), _create, "Created.")
    assert resent == made  # the record made the first time, to be shown
    assert Organisation.objects.filter(name="Sent once (fictional)").count() == 1
    assert [level for level, _text in _told(again)] == ["info"]
    assert FormSubmission.objects.filter(user=user, key=key).count() == 1


def test_a_refused_sending_keeps_no_key_so_the_corrected_form_runs():
    user = UserFactory()
    key = NewOrganisationForm().fields[SUBMISSION].initial
    data = {"name": "Refused first (fictional)", SUBMISSION: key}
    request = _request("POST", data, user)
    form = NewOrganisationForm(request.POST)
    assert submit(request, form, lambda name: _refuse(), "Created.") is None
    assert not FormSubmission.objects.filter(key=key).exists()
    request = _request("POST", data, user)
    assert submit(request, NewOrganisationForm(request.POST), _create, "Created.")
    assert Organisation.objects.filter(name="Refused first (fictional)").count() == 1


def test_the_key_is_another_persons_own():
    """Someone else sending the same key (copied, replayed) gets nothing of the first."""
    key = NewOrganisationForm().fields[SUBMISSION].initial
    data = {"name": "Two people (fictional)", SUBMISSION: key}
    for user in (UserFactory(), UserFactory()):
        request = _request("POST", data, user)
        assert submit(request, NewOrganisationForm(request.POST), _create, "Created.")
    assert Organisation.objects.filter(name="Two people (fictional)").count() == 2


def test_a_form_without_a_valid_key_runs_as_usual():
    user = UserFactory()
    for key in ("", "not-a-key", "A" * 32):
        request = _request("POST", {"name": "No key (fictional)", SUBMISSION: key}, user)
        assert submit(request, NewOrganisationForm(request.POST), _create, "Created.")
    assert Organisation.objects.filter(name="No key (fictional)").count() == 3
    assert not FormSubmission.objects.exists()


def test_keys_are_forgotten_after_a_day():
    import datetime

    from django.utils import timezone

    from opennrm.core import submissions

    user = UserFactory()
    old = FormSubmission.objects.create(key="a" * 32, user=user)
    FormSubmission.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    recent = FormSubmission.objects.create(key="b" * 32, user=user)
    assert submissions.purge() == 1
    assert list(FormSubmission.objects.all()) == [recent]
