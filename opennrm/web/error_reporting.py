"""Optional error reporting to a Sentry server (or a compatible one: GlitchTip, self-hosted).

Off unless `SENTRY_DSN` is set and the optional dependency is installed (`pip install -r
requirements/sentry.txt`, the `sentry` extra). Then errors of the pages, the API, the worker and
the commands (an unhandled exception, a log record at ERROR) are sent — with what
`opennrm.web.logfilters` keeps out of logs kept out of them too, by `scrub_event`, the
`before_send` of the SDK, applied to every event before it leaves:

- the request keeps its method and its URL without query string; its body, query string,
  cookies, headers (but content type and length) and environment go;
- the user is an id only (the SDK's default sends none: no address, no name, no e-mail);
- every exception's message is withheld (messages quote the values that caused them), the
  stack keeps its file, function and line, never a local variable;
- log messages lose the query strings of URLs, and their arguments when the SDK sees them apart
  (a message our log filter already formatted is sent as the log shows it: as in logs, pass
  ids, never personal data, to a log call); breadcrumbs too, and their data; `extra` goes.

No performance tracing, no profiling, no request bodies (`max_request_body_size="never"`), no
local variables (`include_local_variables=False`): the scrubber is the second line, not the
only one.
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from opennrm.web.logfilters import QUERY_REMOVED, WITHHELD
from opennrm.web.logfilters import strip_query_strings as _strip_once

logger = logging.getLogger(__name__)

_DONE = "\x00query-removed\x00"


def strip_query_strings(text: str) -> str:
    """The log filter's, safe on a text it already went through (a logged message)."""
    return _strip_once(text.replace(QUERY_REMOVED, _DONE)).replace(_DONE, QUERY_REMOVED)


KEPT_HEADERS = frozenset({"content-type", "content-length"})
Event = dict[str, Any]


def _scrub_request(request: Mapping[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    if "method" in request:
        kept["method"] = request["method"]
    if "url" in request:
        kept["url"] = str(request["url"]).split("?", 1)[0]
    headers = request.get("headers")
    if isinstance(headers, Mapping):
        kept["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
    return kept


def _scrub_stack(stacktrace: Any) -> None:
    if not isinstance(stacktrace, dict):
        return
    for frame in stacktrace.get("frames") or []:
        if isinstance(frame, dict):
            frame.pop("vars", None)


def _scrub_message(entry: Any) -> Any:
    """A log entry ({"message", "params", "formatted"}) or a plain message, without values."""
    if isinstance(entry, str):
        return strip_query_strings(entry)
    if isinstance(entry, dict):
        scrubbed = {"message": strip_query_strings(str(entry.get("message", "")))}
        return scrubbed
    return None


def _scrub_breadcrumb(crumb: Any) -> Any:
    if not isinstance(crumb, dict):
        return None
    kept = {key: crumb[key] for key in ("type", "category", "level", "timestamp") if key in crumb}
    if "message" in crumb and crumb["message"] is not None:
        kept["message"] = strip_query_strings(str(crumb["message"]))
    return kept


def scrub_event(event: Event, hint: Any = None) -> Event | None:
    """`before_send`: the event without personal data (see the module). Never drops one."""
    if isinstance(event.get("request"), Mapping):
        event["request"] = _scrub_request(event["request"])
    user = event.get("user")
    if isinstance(user, Mapping):
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception, dict):
            if exception.get("value"):
                exception["value"] = WITHHELD
            _scrub_stack(exception.get("stacktrace"))
    for thread in (event.get("threads") or {}).get("values") or []:
        if isinstance(thread, dict):
            _scrub_stack(thread.get("stacktrace"))
    if "logentry" in event:
        event["logentry"] = _scrub_message(event["logentry"])
    if "message" in event:
        event["message"] = _scrub_message(event["message"])
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    if isinstance(values, list):
        event["breadcrumbs"] = {"values": [c for c in map(_scrub_breadcrumb, values) if c]}
    event.pop("extra", None)
    return event


def scrub_breadcrumb(crumb: Any, hint: Any = None) -> Any:
    """`before_breadcrumb`: the same rules as for the events' breadcrumbs."""
    return _scrub_breadcrumb(crumb)


def configure(
    dsn: str,
    *,
    environment: str = "production",
    release: str | None = None,
    transport: Any = None,
) -> bool:
    """Start the SDK with the scrubber; False when the optional dependency is missing."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        logger.warning(
            "SENTRY_DSN is set but sentry-sdk is not installed (requirements/sentry.txt): "
            "errors are not reported."
        )
        return False
    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": environment,
        "release": release,
        # No personal data sent by default: `send_default_pii` is left at its default (off;
        # setting it at all is deprecated by recent SDKs in favour of `data_collection`).
        "include_local_variables": False,
        "max_request_body_size": "never",
        "before_send": scrub_event,
        "before_breadcrumb": scrub_breadcrumb,
        "traces_sample_rate": None,  # no performance tracing
        "integrations": [DjangoIntegration(transaction_style="url")],
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return True


def configure_from_settings() -> bool:
    """At start (`WebConfig.ready`): on when `SENTRY_DSN` is set, off otherwise."""
    dsn = getattr(settings, "SENTRY_DSN", "")
    if not dsn:
        return False
    return configure(
        dsn,
        environment=getattr(settings, "SENTRY_ENVIRONMENT", "production"),
        release=getattr(settings, "SENTRY_RELEASE", "") or None,
    )
