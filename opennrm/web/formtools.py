"""Small helpers every form view uses: the submitted data, an action's refusal on the form, and
the two ways a view runs an action from a form (`submit`, `submit_button`).

Both run the action in a transaction run again after a lock conflict (`core.retry`), and a
create form (`SentOnce`) is run once per form (`core.submissions`): sent again, it stores
nothing and leads to what the first sending made, with a message saying so."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest
from django.utils.translation import gettext as _

from opennrm.core import submissions
from opennrm.core.models import User
from opennrm.core.retry import in_retried_atomic

T = TypeVar("T")
Success = str | Callable[[T], str]  # the success message, or how to make it from the result


@dataclass(frozen=True)
class Done(Generic[T]):
    """An action that was done, and what it returned (a truthy object, even for None)."""

    result: T


SUBMISSION = "submission"  # the hidden field of a create form's key


class SentOnce:
    """Mixin of a create form: a hidden random key, made afresh for each blank form and sent
    back with it (and with the form shown again after an error), so that `submit` runs the
    action once per form. Put it first: `class ConsentForm(SentOnce, forms.Form)`."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[SUBMISSION] = forms.CharField(
            required=False,
            max_length=64,
            widget=forms.HiddenInput,
            initial=submissions.new_key(),
        )


def _signed_in(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def _tell_resent(request: HttpRequest) -> None:
    messages.info(
        request, _("This form was already sent: what it records is stored once, shown here.")
    )


def already_sent(request: HttpRequest, form: Form) -> Any:
    """What a `SentOnce` form sent before made, before validating it again (its checks may
    refuse what the first sending stored, "already recorded"); None for a form not sent yet."""
    if not isinstance(form, SentOnce) or SUBMISSION not in form.fields or not form.is_bound:
        return None
    made = submissions.made_before(str(form.data.get(SUBMISSION, "")), _signed_in(request))
    if made is not None:
        _tell_resent(request)
    return made


def run_once(request: HttpRequest, form: Form, act: Callable[..., T]) -> submissions.Sent[T]:
    """`act(**cleaned_data)` (without the key) in a transaction run again after a lock
    conflict; for a `SentOnce` form, once per form key. Resent, says so in a message."""
    data = dict(form.cleaned_data)
    key = str(data.pop(SUBMISSION, "") or "")
    if not isinstance(form, SentOnce):
        return submissions.Sent(in_retried_atomic(lambda: act(**data)))
    user = _signed_in(request)
    sent = in_retried_atomic(lambda: submissions.once(key, user, lambda: act(**data)))
    if sent.resent:
        _tell_resent(request)
    return sent


def posted(request: HttpRequest) -> Any:
    """The submitted data on a POST (even an empty one: the form then shows its errors)."""
    return request.POST if request.method == "POST" else None


def add_errors(form: Form, exc: ValidationError) -> None:
    """Show an action's refusal on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _say(request: HttpRequest, success: "Success[T]", result: T) -> None:
    messages.success(request, success(result) if callable(success) else success)


def submit(
    request: HttpRequest, form: Form, act: Callable[..., T], success: "Success[T]"
) -> Done[T] | None:
    """A form on its own page. On a POST whose data are valid, `act(**cleaned_data)`: done, the
    success message and Done (the view redirects); refused (ValidationError), the reasons go on
    the form and None (the view shows the page again, as for a GET or invalid data)."""
    if request.method != "POST":
        return None
    if (made := already_sent(request, form)) is not None:
        return Done(made)
    if not form.is_valid():
        return None
    try:
        sent = run_once(request, form, act)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    if not sent.resent:
        _say(request, success, sent.result)
    return Done(sent.result)


def submit_button(
    request: HttpRequest,
    form: Form | None,
    act: Callable[..., T],
    success: "Success[T]",
    *,
    invalid: str | None = None,
) -> Done[T] | None:
    """A one-button form posted from another page, which the view redirects back to: invalid
    data (the form's errors, or `invalid` when given) and the action's refusal become error
    messages, and None; done, the success message and Done. Without a form, `act()` alone."""
    if form is not None and (made := already_sent(request, form)) is not None:
        return Done(made)
    if form is not None and not form.is_valid():
        if invalid is not None:
            messages.error(request, invalid)
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(str(error) for error in errors))
        return None
    try:
        if form is None:
            sent = submissions.Sent(in_retried_atomic(act))
        else:
            sent = run_once(request, form, act)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    if not sent.resent:
        _say(request, success, sent.result)
    return Done(sent.result)
