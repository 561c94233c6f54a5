"""No personal data in logs or error reports.

What a request carries (form fields, query strings, cookies) may name a victim, a witness or an
exploiter, and exception messages often quote the values that caused them (a database error
repeats the duplicate key, a validation error the value). So:

- `ScrubPersonalDataFilter`, a logging filter set on our loggers and handlers
  (`settings.LOGGING`), removes the request attached to a record (Django attaches it to
  `django.request` records), strips query strings from URLs in the message, and replaces the
  message of every exception in a logged traceback by its type: the traceback still shows where
  it happened, never with which data.
- `PersonalDataExceptionReporterFilter` (`DEFAULT_EXCEPTION_REPORTER_FILTER`) hides every POST
  value, every local variable and the query string in error reports, whatever the view.
"""

import logging
import re
import traceback
from collections.abc import ItemsView
from types import TracebackType
from typing import Any

from django.http import HttpRequest, QueryDict
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

WITHHELD = "[withheld: may contain personal data]"
# A path followed by a query string: "/cases/?name=Dupont" → "/cases/?[query removed]".
_QUERY_STRING = re.compile(r"(/[^\s?#\"']*)\?[^\s\"']*")
QUERY_REMOVED = "?[query removed]"
# Record attributes that may hold request data; dropped from every record.
_REQUEST_ATTRIBUTES = ("request", "data", "body", "POST", "GET", "params")


def strip_query_strings(text: str) -> str:
    """Remove the query string of every URL path in `text`."""
    return _QUERY_STRING.sub(lambda match: match.group(1) + QUERY_REMOVED, text)


_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


def _exception_chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The exception and its causes, oldest first, each with the sentence printed before it."""
    newest_first: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        older: BaseException | None = None
        sentence = ""
        if current.__cause__ is not None:
            older, sentence = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            older, sentence = current.__context__, _CONTEXT
        newest_first.append((current, sentence))
        current = older
    return newest_first[::-1]


def format_exception_without_messages(
    exc: BaseException | None, tb: TracebackType | None = None
) -> str:
    """A traceback as Python prints it, but each exception's message replaced by WITHHELD."""
    if exc is None:
        return ""
    parts: list[str] = []
    for error, sentence in _exception_chain(exc):
        if parts and sentence:
            parts.append(f"\n{sentence}\n\n")
        frames = traceback.extract_tb(
            tb if error is exc and tb is not None else error.__traceback__
        )
        if frames:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_list(frames))
        kind = type(error)
        name = kind.__qualname__
        if kind.__module__ not in ("builtins", "__main__"):
            name = f"{kind.__module__}.{name}"
        parts.append(f"{name}: {WITHHELD}\n")
    return "".join(parts).rstrip("\n")


class ScrubPersonalDataFilter(logging.Filter):
    """Remove request data, query strings and exception messages from log records.

    Never drops a record: it only takes the dangerous parts out of it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_opennrm_scrubbed", False):
            return True
        for name in _REQUEST_ATTRIBUTES:
            if name in record.__dict__:
                setattr(record, name, None)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the template only
            message = str(record.msg)
        record.msg = strip_query_strings(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            _kind, exc, tb = record.exc_info
            record.exc_text = format_exception_without_messages(exc, tb)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = WITHHELD
        record._opennrm_scrubbed = True
        return True


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (debug page, any report sent anywhere) without request data or variables.

    Active whatever DEBUG says: every POST value and every local variable of every frame is
    replaced by stars, and so is the query string.
    """

    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed.setlist(key, [self.cleansed_substitute])
        return cleansed

    def get_cleansed_multivaluedict(
        self, request: HttpRequest, multivaluedict: QueryDict
    ) -> QueryDict:
        cleansed = multivaluedict.copy()
        for key in cleansed:
            cleansed.setlist(key, [self.cleansed_substitute])
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> ItemsView[str, Any]:
        return dict.fromkeys(tb_frame.f_locals, self.cleansed_substitute).items()

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        meta: dict[str, Any] = super().get_safe_request_meta(request)
        for key in ("QUERY_STRING", "HTTP_REFERER", "REQUEST_URI", "RAW_URI"):
            if meta.get(key):
                meta[key] = self.cleansed_substitute
        return meta

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, Any]:
        cookies = getattr(request, "COOKIES", {})
        return dict.fromkeys(cookies, self.cleansed_substitute)


class PersonalDataExceptionReporter(ExceptionReporter):
    """Error reports (`DEFAULT_EXCEPTION_REPORTER`) without the query string, the exception
    messages (they quote values) or the signed-in user's name; see the filter above for the
    rest."""

    def get_traceback_data(self) -> dict[str, Any]:
        data: dict[str, Any] = super().get_traceback_data()
        substitute = SafeExceptionReporterFilter.cleansed_substitute
        if self.request is not None:
            data["request_GET_items"] = [(key, substitute) for key in self.request.GET]
            data["request_insecure_uri"] = strip_query_strings(data.get("request_insecure_uri", ""))
            user_id = getattr(getattr(self.request, "user", None), "pk", None)
            data["user_str"] = f"user #{user_id}" if user_id else None
        if "exception_value" in data:
            data["exception_value"] = WITHHELD
        data.pop("exception_notes", None)
        data["unicode_hint"] = ""
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = WITHHELD
        return data
