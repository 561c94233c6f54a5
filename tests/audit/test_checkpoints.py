"""Checkpoints keep the trail's tail outside the database: cutting it is seen."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opennrm.audit import checkpoints
from opennrm.audit.models import AuditBatch, AuditEntry
from opennrm.audit.tasks import write_audit_checkpoint
from opennrm.audit.trail import record

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def _trail(count: int) -> None:
    for i in range(count):
        record("test.event", object_type="test.thing", object_id=str(i))


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_the_daily_checkpoint_is_written_logged_and_mailed_to_the_dpo(
    cast, smtp_server, audit_checkpoints, caplog
):
    _trail(3)
    with caplog.at_level("INFO", logger="opennrm.audit.checkpoint"):
        result = write_audit_checkpoint.enqueue().return_value
    last = checkpoints.read_last()
    batch = AuditBatch.objects.latest("pk")
    assert (last.batch_id, last.root) == (batch.pk, batch.root)
    assert last.entries == AuditEntry.objects.filter(batch__isnull=False).count()
    assert result == {"batch_id": batch.pk, "entries": last.entries, "mailed": 1}
    assert batch.root in caplog.text
    (mail,) = smtp_server
    assert mail.message["To"] == cast.robert.email  # the data protection officer
    assert batch.root in mail.body  # in the profile's language (French here)
    assert mail.message["Subject"].strip().endswith(f"n° {batch.pk}")
    assert "Matches the checkpoint" in _verify()
    # The file only grows: a second checkpoint is appended.
    _trail(1)
    write_audit_checkpoint.enqueue()
    assert len(audit_checkpoints.read_text().splitlines()) == 2


def test_deleting_the_newest_entries_and_their_seal_is_detected(cast):
    from opennrm.audit.sealing import seal_pending

    _trail(3)
    seal_pending()
    _trail(2)
    call_command("write_audit_checkpoint", stdout=io.StringIO())
    last = AuditBatch.objects.latest("pk")
    _tamper("DELETE FROM audit_auditentry WHERE batch_id = %s", [last.pk])
    _tamper("DELETE FROM audit_auditbatch WHERE id = %s", [last.pk])
    with pytest.raises(CommandError, match=rf"seal #{last.pk} .* is gone"):
        _verify()


def test_a_truncated_trail_with_checkpoints_fails(cast):
    _trail(2)
    call_command("write_audit_checkpoint", stdout=io.StringIO())
    _tamper("DELETE FROM audit_auditentry", [])
    _tamper("DELETE FROM audit_auditbatch", [])
    with pytest.raises(CommandError, match="the trail is empty"):
        _verify()


def test_without_a_checkpoint_the_tail_is_said_to_be_unanchored(cast):
    _trail(1)
    assert "not anchored" in _verify()


def test_an_empty_trail_writes_no_checkpoint(audit_checkpoints):
    out = io.StringIO()
    call_command("write_audit_checkpoint", stdout=out)
    assert "empty" in out.getvalue()
    assert not audit_checkpoints.exists()


def test_a_mail_server_that_is_down_loses_no_checkpoint(cast, settings, audit_checkpoints):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed, 2
    _trail(1)
    with pytest.raises(OSError):
        write_audit_checkpoint.call()
    assert checkpoints.read_last() is not None
