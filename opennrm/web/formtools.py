"""Small helpers every form view uses: the submitted data, an action's refusal on the form, and
the two ways a view runs an action from a form (`submit`, `submit_button`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest

T = TypeVar("T")
Success = str | Callable[[T], str]  # the success message, or how to make it from the result


@dataclass(frozen=True)
class Done(Generic[T]):
    """An action that was done, and what it returned (a truthy object, even for None)."""

    result: T


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
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = act(**form.cleaned_data)
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    _say(request, success, result)
    return Done(result)


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
    if form is not None and not form.is_valid():
        if invalid is not None:
            messages.error(request, invalid)
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(str(error) for error in errors))
        return None
    try:
        result = act(**form.cleaned_data) if form is not None else act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    _say(request, success, result)
    return Done(result)
