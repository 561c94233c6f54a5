"""The audit trail: hash-chained, append-only, and verified down to the first broken row."""

import io
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from opennrm.audit.models import GENESIS, AppendOnlyError, AuditEntry
from opennrm.audit.trail import record, verify_chain
from opennrm.core.acting import Actor, Channel
from tests.factories import MembershipFactory

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the append-only trigger and the advisory lock exist only there",
)


def _chain(count: int) -> list[AuditEntry]:
    return [record("test.event", object_type="test.thing", object_id=str(i)) for i in range(count)]


def _tamper(sql: str, params: list[object]) -> None:
    """Change rows behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.django_db
def test_record_chains_entries():
    first, second, third = _chain(3)
    assert first.previous_hash == GENESIS == "0" * 64
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3
    for entry in (first, second, third):
        assert len(entry.entry_hash) == 64
        entry.refresh_from_db()
        assert entry.compute_hash() == entry.entry_hash


@pytest.mark.django_db
def test_record_takes_user_organisation_address_and_channel_from_the_actor():
    membership = MembershipFactory()
    actor = Actor.for_membership(membership, channel=Channel.API, address="203.0.113.7")
    entry = record("test.event", target=membership.organisation, actor=actor, details={"n": 1})
    entry.refresh_from_db()
    assert entry.actor == membership.user
    assert entry.organisation == membership.organisation
    assert entry.ip_address == "203.0.113.7"
    assert entry.channel == "api"
    assert entry.process == ""
    assert entry.object_type == "core.organisation"
    assert entry.object_id == str(membership.organisation.pk)
    assert entry.details == {"n": 1}
    assert entry.compute_hash() == entry.entry_hash


@pytest.mark.django_db
def test_a_system_actor_is_named_by_its_process_and_sealed():
    entry = record("test.job", actor=Actor.system("retention"))
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.organisation is None
    assert (entry.channel, entry.process) == ("job", "retention")
    assert entry.compute_hash() == entry.entry_hash
    # The process is covered by the seal: changing it breaks the entry.
    entry.process = "reminders"
    assert entry.compute_hash() != entry.entry_hash


@pytest.mark.django_db
def test_entries_sealed_before_channel_and_process_existed_still_verify():
    """An entry with neither channel nor process hashes as it did before they were added."""
    entry = record("test.old")
    body = json.loads(entry.payload())
    assert "channel" not in body and "process" not in body
    assert verify_chain() == (1, None)


@pytest.mark.django_db
def test_an_intact_chain_verifies():
    _chain(5)
    assert verify_chain() == (5, None)
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "5 entries verified" in out.getvalue()


@pytest.mark.django_db
def test_an_empty_chain_verifies():
    assert verify_chain() == (0, None)
    call_command("verify_audit", stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "test.innocent"),
        ("object_id", "999"),
        ("details", '{"n": 2}'),
        ("ip_address", "198.51.100.1"),
        ("created_at", "2020-01-01 00:00:00+00:00"),
    ],
)
def test_altering_one_row_breaks_verification_at_that_row(column, value):
    entries = _chain(5)
    victim = entries[2]
    _tamper(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, victim.pk])  # noqa: S608
    checked, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == victim.pk
    assert checked == 2
    with pytest.raises(CommandError, match=rf"#{victim.pk}\b"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_resealing_a_row_without_the_key_is_detected_at_that_row():
    import hashlib

    entries = _chain(4)
    victim = entries[1]
    victim.action = "test.innocent"
    forged = hashlib.sha256(victim.payload()).hexdigest()
    _tamper(
        "UPDATE audit_auditentry SET action = %s, entry_hash = %s WHERE id = %s",
        ["test.innocent", forged, victim.pk],
    )
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == victim.pk


@pytest.mark.django_db
def test_deleting_a_middle_row_is_detected():
    entries = _chain(5)
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    checked, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == entries[3].pk
    assert "does not follow" in broken.reason
    assert checked == 2
    with pytest.raises(CommandError, match=rf"#{entries[3].pk}\b"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_deleting_the_first_row_is_detected():
    entries = _chain(3)
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == entries[1].pk


@pytest.mark.django_db
def test_entries_sealed_with_another_key_do_not_verify(settings):
    _chain(2)
    settings.AUDIT_HMAC_KEY = "another-key"
    _checked, broken = verify_chain()
    assert broken is not None


@pytest.mark.django_db
def test_the_model_refuses_changes_and_deletions():
    entry = _chain(1)[0]
    entry.action = "test.innocent"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.innocent")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(action="test.innocent")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.action == "test.event"
    assert AuditEntry.objects.count() == 1
    assert verify_chain() == (1, None)


@pytest.mark.django_db
@pytest.mark.postgres
@requires_postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'test.innocent' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_postgres_refuses_raw_update_and_delete(sql):
    from django.db import DatabaseError

    entry = _chain(1)[0]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "test.event"
    assert verify_chain() == (1, None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@requires_postgres
def test_concurrent_records_keep_the_chain_intact():
    threads_count, per_thread = 8, 10
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                record("test.concurrent", object_type="test.thread", object_id=f"{number}-{i}")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert AuditEntry.objects.count() == threads_count * per_thread
    assert verify_chain() == (threads_count * per_thread, None)
    previous = list(AuditEntry.objects.values_list("previous_hash", flat=True))
    assert len(set(previous)) == len(previous)  # no two entries claim the same predecessor
