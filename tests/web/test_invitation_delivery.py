"""An invitation whose e-mail cannot leave loses nothing: the member is kept, the page says the
e-mail was not sent (no error page), and the administrator resends it from the member's row.

Real SMTP both ways: the local aiosmtpd server of tests/conftest.py for success, a closed port
and a server that refuses the recipient for failure (Django's mail is not mocked). The e-mail
leaves after the membership is committed, so these tests run outside a wrapping transaction.
"""

import re
import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.core.models import Membership, User

pytestmark = pytest.mark.django_db(transaction=True)

NEWCOMER = "newcomer@test.opennrm.invalid"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unreachable_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_USE_TLS = False
    return settings


class _RefusingHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 Mailbox unavailable (fictional refusal)"


@pytest.fixture
def refusing_smtp(settings):
    """A real SMTP server that refuses every recipient."""
    from aiosmtpd.controller import Controller

    port = _closed_port()
    controller = Controller(_RefusingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield settings
    finally:
        controller.stop()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _invite(cast, client):
    return client.post(
        reverse("web:invite", args=[cast.association.pk]),
        {"full_name": "Fictional Newcomer", "email": NEWCOMER, "role": "field_worker"},
    )


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _resend_url(cast, membership) -> str:
    return reverse("web:resend_invitation", args=[cast.association.pk, membership.pk])


def test_a_sent_invitation_says_so(cast, smtp_server):
    response = _invite(cast, _client(cast.amina))
    assert response.status_code == 302
    assert _messages(response) == [("success", "Invitation sent.")]
    assert [mail.recipients for mail in smtp_server] == [[NEWCOMER]]
    assert not AuditEntry.objects.filter(action="organisation.invitation_not_sent").exists()


@pytest.mark.parametrize("server", ["unreachable_smtp", "refusing_smtp"])
def test_a_failed_send_keeps_the_member_warns_and_offers_to_resend(cast, request, server, caplog):
    request.getfixturevalue(server)
    client = _client(cast.amina)
    response = _invite(cast, client)

    # No error page: back to the members, with a warning.
    assert response.status_code == 302
    assert response["Location"] == reverse("web:organisation", args=[cast.association.pk])
    ((level, text),) = _messages(response)
    assert level == "warning"
    assert "could not be sent" in text
    assert "Resend the invitation" in text

    # Nothing lost: the account and the membership are there, the invitation audited.
    user = User.objects.get(email=NEWCOMER)
    membership = Membership.objects.get(user=user, organisation=cast.association)
    assert membership.is_active
    assert AuditEntry.objects.filter(action="organisation.invite").count() == 1
    failure = AuditEntry.objects.get(action="organisation.invitation_not_sent")
    assert (failure.object_type, failure.object_id) == ("core.membership", str(membership.pk))
    assert failure.actor == cast.amina
    expected_error = (
        "ConnectionRefusedError" if server == "unreachable_smtp" else "SMTPRecipientsRefused"
    )
    assert failure.details == {"error": expected_error}
    assert "newcomer" not in failure.payload().decode().lower()
    # The log says which membership, never the address or the name.
    logged = " ".join(
        record.getMessage() for record in caplog.records if record.name.startswith("opennrm")
    ).lower()
    assert str(membership.pk) in logged
    assert "newcomer" not in logged

    # The members' page offers to resend it, on the member's row.
    page = client.get(reverse("web:organisation", args=[cast.association.pk]))
    assert _resend_url(cast, membership) in page.content.decode()


def test_resending_after_a_failure_delivers_a_working_link(cast, smtp_server, settings):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    client = _client(cast.amina)
    client.get(_invite(cast, client)["Location"])  # the warning, read
    membership = Membership.objects.get(user__email=NEWCOMER)
    assert smtp_server == []

    # Still failing: said again, audited, nothing lost.
    response = client.post(_resend_url(cast, membership))
    assert response.status_code == 302
    ((level, _text),) = _messages(response)
    assert level == "warning"
    client.get(response["Location"])  # the warning, read
    audit = AuditEntry.objects.get(action="organisation.resend_invitation")
    assert audit.details == {"sent": False, "choose_password": True}
    assert AuditEntry.objects.filter(action="organisation.invitation_not_sent").count() == 2

    # E-mail works again: resent, received, and the link lets the person choose a password.
    settings.EMAIL_PORT = port
    response = client.post(_resend_url(cast, membership))
    assert response.status_code == 302
    assert _messages(response) == [("success", "Invitation sent again.")]
    audits = AuditEntry.objects.filter(action="organisation.resend_invitation").order_by("pk")
    assert [entry.details for entry in audits] == [
        {"sent": False, "choose_password": True},
        {"sent": True, "choose_password": True},
    ]
    assert audits.last().actor == cast.amina
    assert "newcomer" not in audits.last().payload().decode().lower()
    assert len(smtp_server) == 1
    mail = smtp_server[0]
    assert mail.recipients == [NEWCOMER]
    assert "Fictional Newcomer" not in mail.body
    (link,) = re.findall(r"https?://\S+", mail.body)
    path = urlsplit(link).path
    assert path.startswith("/accounts/password/reset/key/")
    assert "password1" in Client().get(path, follow=True).content.decode()


def test_resending_to_someone_with_a_password_sends_the_sign_in_link(cast, smtp_server):
    membership = cast.hugo.memberships.get()
    response = _client(cast.amina).post(_resend_url(cast, membership))
    assert response.status_code == 302
    (mail,) = smtp_server
    assert mail.recipients == [cast.hugo.email]
    assert "/accounts/password/reset/key/" not in mail.body
    assert reverse("account_login") in mail.body
    assert AuditEntry.objects.get(action="organisation.resend_invitation").details == {
        "sent": True,
        "choose_password": False,
    }


def test_only_the_organisations_administrator_resends(cast, smtp_server):
    membership = cast.hugo.memberships.get()
    url = _resend_url(cast, membership)
    for user in (cast.hugo, cast.paul, cast.yasmine, cast.louis):
        assert _client(user).post(url).status_code == 404
    assert _client(cast.amina).get(url).status_code == 405
    anonymous = Client().post(url)
    assert anonymous.status_code == 302
    assert urlsplit(anonymous["Location"]).path == reverse("account_login")
    # A membership of another organisation, through amina's own organisation: not found.
    foreign = cast.yasmine.memberships.get()
    foreign_url = reverse("web:resend_invitation", args=[cast.association.pk, foreign.pk])
    assert _client(cast.amina).post(foreign_url).status_code == 404
    assert smtp_server == []
    assert not AuditEntry.objects.filter(action="organisation.resend_invitation").exists()


def test_a_removed_access_is_not_resent(cast, smtp_server):
    membership = cast.hugo.memberships.get()
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    response = _client(cast.amina).post(_resend_url(cast, membership))
    assert response.status_code == 302
    ((level, text),) = _messages(response)
    assert level == "error"
    assert "access was removed" in text
    assert smtp_server == []
    assert not AuditEntry.objects.filter(action="organisation.resend_invitation").exists()
