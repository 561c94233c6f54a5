"""The form helpers of the views (opennrm.web.formtools): when an action runs, where its refusal
goes, what the person is told."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from opennrm.web.formtools import Done, submit, submit_button


class NoteForm(forms.Form):
    note = forms.CharField()


def _request(method: str, data: dict[str, str] | None = None):
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request._messages = CookieStorage(request)
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
