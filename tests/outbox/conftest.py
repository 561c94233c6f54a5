"""The outbox in front of the local SMTP server of tests/conftest.py (`smtp_server`).

pytest-django sends the test suite's e-mails to its in-memory backend; these tests put the
outbox back in front, as in production: EMAIL_BACKEND queues, EMAIL_TRANSPORT (the real SMTP
server) delivers.
"""

import contextlib
import socket

import pytest

OUTBOX_BACKEND = "opennrm.outbox.backend.OutboxBackend"


@pytest.fixture
def outbox_mail(smtp_server, settings):
    """E-mails through the outbox to the local SMTP server; yields the mails it received."""
    settings.EMAIL_TRANSPORT = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    settings.EMAIL_TIMEOUT = 5
    return smtp_server


@contextlib.contextmanager
def mail_server_down(settings):
    """While inside, the mail server cannot be reached (a port nothing listens on)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed
    try:
        yield
    finally:
        settings.EMAIL_PORT = port
