"""No personal data in logs, URLs, e-mails or error reports."""

import logging
import sys

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from opennrm.web.logfilters import (
    QUERY_REMOVED,
    WITHHELD,
    PersonalDataExceptionReporter,
    PersonalDataExceptionReporterFilter,
    ScrubPersonalDataFilter,
    format_exception_without_messages,
    strip_query_strings,
)

NAME = "Zyxwvutsa Fictivenamé"
DATE_OF_BIRTH = "1990-04-17"
SESSION_VALUE = "fictional-session-value"


def _everything_logged(caplog) -> str:
    """Every log record rendered, with all its attributes, as any handler could see them."""
    handler = logging.StreamHandler()
    texts = [caplog.text]
    for record in caplog.records:
        texts.append(handler.format(record))
        texts.append(repr(record.__dict__))
    return "\n".join(texts)


@pytest.mark.urls("tests.hardening.urls_failing")
def test_a_server_error_with_a_name_in_the_form_logs_no_personal_data(cast, caplog, settings):
    settings.ADMINS = [("Ops", "ops@test.opennrm.invalid")]  # even if someone sets it
    client = Client(raise_request_exception=False)
    client.force_login(cast.hugo)
    with caplog.at_level(logging.INFO):
        response = client.post(
            f"/failing/identity/?family_name={NAME.split()[0]}&dob={DATE_OF_BIRTH}",
            {"family_name": NAME, "date_of_birth": DATE_OF_BIRTH},
        )
    assert response.status_code == 500
    logged = _everything_logged(caplog)
    assert "Internal Server Error: /failing/identity/" in logged
    # The traceback still says what failed and where.
    assert "IdentityStoreError" in logged
    assert "failing_identity_view" in logged
    for secret in (NAME, NAME.split()[0], NAME.split()[1], DATE_OF_BIRTH):
        assert secret not in logged
    assert mail.outbox == []
    # The error page itself says nothing either.
    assert NAME not in response.content.decode()


def test_the_filter_drops_the_request_and_query_strings():
    request = RequestFactory().post(f"/cases/?q={NAME}", {"family_name": NAME})
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Bad Request: %s",
        (request.get_full_path(),),
        None,
    )
    record.request = request
    record.status_code = 400
    assert ScrubPersonalDataFilter().filter(record) is True
    assert record.request is None
    assert record.getMessage() == f"Bad Request: /cases/{QUERY_REMOVED}"
    assert record.status_code == 400


def test_the_filter_withholds_exception_messages_in_the_whole_chain():
    try:
        try:
            raise KeyError(NAME)
        except KeyError:
            raise ValueError(f"bad value {NAME}")  # noqa: B904 — implicit chaining on purpose
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("opennrm", logging.ERROR, __file__, 1, "failed", (), exc_info)
    ScrubPersonalDataFilter().filter(record)
    assert record.exc_info is None
    text = logging.Formatter().format(record)
    assert NAME not in text
    assert "KeyError: " + WITHHELD in text
    assert "ValueError: " + WITHHELD in text
    assert "During handling of the above exception" in text
    assert "test_the_filter_withholds_exception_messages_in_the_whole_chain" in text


def test_the_filter_never_drops_a_record_and_runs_once():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("only one",), None)
    scrub = ScrubPersonalDataFilter()
    assert scrub.filter(record) is True  # a broken format: the template is kept
    assert scrub.filter(record) is True
    assert "%s" in record.getMessage()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /cases/?name=Dupont HTTP/1.1", f"GET /cases/{QUERY_REMOVED} HTTP/1.1"),
        ('"GET /report/?a=1&b=2 HTTP/1.1" 200 5', f'"GET /report/{QUERY_REMOVED} HTTP/1.1" 200 5'),
        ("https://x.example/a/b?token=1", f"https://x.example/a/b{QUERY_REMOVED}"),
        ("Is this a question?", "Is this a question?"),
        ("/plain/path/", "/plain/path/"),
    ],
)
def test_strip_query_strings(text, expected):
    assert strip_query_strings(text) == expected


def test_the_runserver_log_loses_its_query_string(caplog):
    logger = logging.getLogger("django.server")
    logger.addHandler(caplog.handler)
    try:
        logger.info('"%s" %s %s', f"GET /directory/?q={NAME} HTTP/1.1", "200", "42")
    finally:
        logger.removeHandler(caplog.handler)
    assert NAME not in caplog.text
    assert QUERY_REMOVED in caplog.text


def test_format_without_messages_of_nothing():
    assert format_exception_without_messages(None) == ""


def test_error_reports_hide_post_data_variables_and_query_strings(settings):
    settings.DEBUG = True  # the filter is active even then
    request = RequestFactory().post(
        f"/cases/?family_name={NAME}", {"family_name": NAME, "dob": DATE_OF_BIRTH}
    )
    request.COOKIES["sessionid"] = SESSION_VALUE
    family_name = NAME  # a local variable of the failing frame
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        reporter = PersonalDataExceptionReporter(request, *sys.exc_info())
    text = reporter.get_traceback_text()
    html = reporter.get_traceback_html()
    for output in (text, html):
        assert NAME not in output
        assert DATE_OF_BIRTH not in output
        assert SESSION_VALUE not in output
    assert family_name  # used
    assert isinstance(reporter.filter, PersonalDataExceptionReporterFilter)


def test_nobody_receives_error_emails(settings):
    from config.settings import base

    assert base.ADMINS == []
    handlers = logging.getLogger("django").handlers + logging.getLogger().handlers
    from django.utils.log import AdminEmailHandler

    assert not any(isinstance(handler, AdminEmailHandler) for handler in handlers)


def test_our_urls_carry_no_names():
    """Personal data never travels in a URL: every route takes ids or references only."""
    from django.urls import get_resolver

    def patterns(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from patterns(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    forbidden = ("name", "birth", "dob", "email", "phone", "address", "alias")
    offenders = [
        route
        for route in patterns(get_resolver())
        if any(
            f"<{kind}" in route or f":{word}" in route
            for word in forbidden
            for kind in ("str:", "")
        )
        and any(word in route.split("<", 1)[-1] for word in forbidden)
    ]
    assert offenders == []


def test_get_forms_do_not_put_identity_fields_in_urls():
    """A form sent by GET puts its fields in the URL (and so in logs and history): only
    filters and choices there, never a name."""
    import re
    from pathlib import Path

    import opennrm

    offenders = []
    for template in Path(opennrm.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text()
        for form in re.finditer(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", text, re.S | re.I):
            if re.search(
                r"name=\"(family_name|given_names|aliases|date_of_birth|name|contact)\"",
                form.group(1),
            ):
                offenders.append(str(template))
    assert offenders == []
