"""The outbox (ADR 0015) against a real local SMTP server that is down, then up: every e-mail
the application sends is queued with what it tells, sent once, and nothing is lost; the content
is encrypted and erased once sent."""

import datetime
import logging

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from opennrm.audit.tasks import write_audit_checkpoint
from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.models import Notification
from opennrm.identification.models import Referral, Route
from opennrm.identification.tasks import REMINDER_KIND, send_decision_reminders
from opennrm.outbox.delivery import CLAIM_FOR, claim, deliver_due, requeue
from opennrm.outbox.models import OutgoingEmail
from tests.identification.conftest import platform93, presumed_case, referred
from tests.outbox.conftest import mail_server_down

__all__ = ["platform93"]  # a fixture of the reminders' test

ACTOR = Actor.system("outbox")


def today() -> datetime.date:
    """Read when the test runs, not when the module is collected: a suite that crosses
    midnight (local time) would otherwise pass yesterday to jobs that key on the day."""
    return timezone.localdate()


LATER = datetime.timedelta(hours=2)  # past any back-off of the first attempts


def raw_message(row: OutgoingEmail) -> str | None:
    """The column as the database holds it (no decryption)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT message FROM outbox_outgoingemail WHERE id = %s",
            [OutgoingEmail._meta.pk.get_db_prep_value(row.pk, connection)],
        )
        return cursor.fetchone()[0]


def _queue(count: int, to: str = "fictional.person@example.invalid") -> None:
    for i in range(count):
        send_mail(f"Fictional subject {i}", f"Fictional body {i}", None, [to])


@pytest.mark.django_db(transaction=True)  # the worker's transactions really commit
def test_reminders_survive_a_mail_server_that_is_down(cast, platform93, outbox_mail, settings):
    day = today()  # the day of the run, as the job reads it
    for days, route in ((-1, Route.PLATFORM), (2, Route.PLATFORM), (1, Route.JUDICIAL)):
        referral = referred(cast, presumed_case(cast), route)
        Referral.objects.filter(pk=referral.pk).update(
            decision_due=day + datetime.timedelta(days=days)
        )
    with mail_server_down(settings):
        reminded = send_decision_reminders.enqueue(today=day.isoformat()).return_value
        # The job did its work: notifications made, e-mails queued with them, none lost.
        assert reminded > 0
        queued = OutgoingEmail.objects.count()
        assert queued == reminded  # every person of the cast has an address
        assert outbox_mail == []
        rows = OutgoingEmail.objects.all()
        assert {(row.status, row.attempts) for row in rows} == {(OutgoingEmail.PENDING, 1)}
        assert {row.last_error for row in rows} == {"ConnectionRefusedError"}
        # Run again the same day (a retry): nobody is notified or e-mailed twice.
        assert send_decision_reminders.enqueue(today=day.isoformat()).return_value == 0
        # Even with the notifications gone, the e-mails are keyed by person and day.
        Notification.objects.filter(kind=REMINDER_KIND).delete()
        assert send_decision_reminders.enqueue(today=day.isoformat()).return_value == reminded
        assert OutgoingEmail.objects.count() == queued
    # The server is back: the periodic delivery sends every e-mail, once.
    done = deliver_due(ACTOR, now=timezone.now() + LATER)
    assert done.sent == queued
    assert deliver_due(ACTOR, now=timezone.now() + 2 * LATER).sent == 0
    recipients = [mail.recipients[0] for mail in outbox_mail]
    assert len(recipients) == queued == len(set(recipients))
    assert cast.louis.email in recipients
    assert all("X-Outbox-Key" not in mail.content for mail in outbox_mail)
    rows = OutgoingEmail.objects.all()
    assert {row.status for row in rows} == {OutgoingEmail.SENT}
    assert all(row.message is None for row in rows)  # erased once sent
    assert AuditEntry.objects.filter(action="outbox.sent").count() == queued


@pytest.mark.django_db(transaction=True)
def test_an_e_mail_goes_as_soon_as_its_transaction_commits(outbox_mail):
    with transaction.atomic():
        _queue(1)
        assert outbox_mail == []  # not before the commit
    assert len(outbox_mail) == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.SENT


@pytest.mark.django_db
def test_an_e_mail_is_never_queued_without_what_it_tells(outbox_mail):
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(1)
        raise RuntimeError("the action failed")
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_two_senders_never_take_the_same_message(outbox_mail):
    _queue(3)
    now = timezone.now()
    first = claim("sender-a", now)
    assert len(first) == 3
    assert claim("sender-b", now) == []
    # Sender a died holding its claim: once the claim expires, another sender takes them.
    later = now + CLAIM_FOR + datetime.timedelta(seconds=1)
    message_ids = {row.pk: row.message["headers"]["Message-ID"] for row in first}
    done = deliver_due(ACTOR, now=later)
    assert done.sent == 3
    assert len(outbox_mail) == 3
    # Sent again after a crash, a message keeps its Message-ID (receivers can tell).
    assert {mail.message["Message-ID"] for mail in outbox_mail} == set(message_ids.values())
    assert {row.attempts for row in OutgoingEmail.objects.all()} == {2}


@pytest.mark.django_db
def test_a_message_out_of_attempts_is_shown_then_sent_again(outbox_mail, settings, caplog, cast):
    settings.OPENNRM_OUTBOX_MAX_ATTEMPTS = 2
    _queue(1)
    now = timezone.now()
    with mail_server_down(settings), caplog.at_level(logging.WARNING, "opennrm.outbox"):
        assert deliver_due(ACTOR, now=now).retrying == 1
        assert deliver_due(ACTOR, now=now).retrying == 0  # waits for its back-off
        assert deliver_due(ACTOR, now=now + LATER).failed == 1
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == (OutgoingEmail.FAILED, 2)
    assert "not delivered after 2 attempts" in caplog.text
    assert "fictional.person" not in caplog.text  # no address in the log
    assert deliver_due(ACTOR, now=now + 3 * LATER).sent == 0  # not tried again on its own
    body = Client().get("/health/ready/").json()
    assert body["checks"]["mail"] == "1 failed"
    assert Client().get("/health/ready/?strict=1").status_code == 503
    assert AuditEntry.objects.filter(action="outbox.failed").count() == 1
    # The operator sends it again (the admin's action), with the server back.
    assert requeue(Actor.for_user(cast.robert), [row]) == 1
    assert deliver_due(ACTOR).sent == 1
    assert len(outbox_mail) == 1
    assert Client().get("/health/ready/").json()["checks"]["mail"] == "ok"


@pytest.mark.django_db
def test_a_message_waiting_long_makes_the_mail_check_late(outbox_mail):
    _queue(1)
    OutgoingEmail.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=1))
    assert Client().get("/health/ready/").json()["checks"]["mail"] == "late"


@pytest.mark.django_db
def test_the_content_is_encrypted_then_erased_and_the_row_purged(outbox_mail, settings):
    address = "zenaide.fictional@example.invalid"
    message = EmailMultiAlternatives("Fictional", "Plain fictional text", None, [address])
    message.attach_alternative("<p>Fictional <b>HTML</b></p>", "text/html")
    message.send()
    row = OutgoingEmail.objects.get()
    stored = raw_message(row)
    assert stored.startswith("v1:")
    assert address not in stored and "Plain fictional text" not in stored
    assert row.message["to"] == [address]
    deliver_due(ACTOR)
    (mail,) = outbox_mail
    assert mail.message.get_body(preferencelist=("html",)).get_content().strip() == (
        "<p>Fictional <b>HTML</b></p>"
    )
    assert raw_message(row) is None
    # Kept OPENNRM_OUTBOX_KEEP_DAYS (no content), then deleted.
    deliver_due(
        ACTOR, now=timezone.now() + datetime.timedelta(days=settings.OPENNRM_OUTBOX_KEEP_DAYS - 1)
    )
    assert OutgoingEmail.objects.exists()
    done = deliver_due(
        ACTOR, now=timezone.now() + datetime.timedelta(days=settings.OPENNRM_OUTBOX_KEEP_DAYS + 1)
    )
    assert done.purged == 1
    assert not OutgoingEmail.objects.exists()
    assert AuditEntry.objects.filter(action="outbox.purged").exists()


@pytest.mark.django_db
def test_the_checkpoint_job_run_twice_mails_the_day_s_checkpoint_once(
    cast, outbox_mail, tmp_path, settings
):
    settings.OPENNRM_AUDIT_CHECKPOINTS = str(tmp_path / "checkpoints.jsonl")
    record("test.event", object_type="test.thing", object_id="1")  # a trail to checkpoint
    day = today().isoformat()
    write_audit_checkpoint.call(today=day)
    write_audit_checkpoint.call(today=day)  # a retry, or a worker that died after its work
    assert OutgoingEmail.objects.count() == 1
    deliver_due(ACTOR)
    (mail,) = outbox_mail
    assert mail.recipients == [cast.robert.email]
    assert len((tmp_path / "checkpoints.jsonl").read_text().splitlines()) == 2
    write_audit_checkpoint.call(today=(today() + datetime.timedelta(days=1)).isoformat())
    assert OutgoingEmail.objects.count() == 2
