"""Small helpers every form view uses: the submitted data, and an action's refusal on the form."""

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


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
