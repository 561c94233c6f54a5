"""The audit trail: hash-chained, append-only, and verified down to the first broken row."""

import io
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from opennrm.audit.models import GENESIS, AppendOnlyError, AuditBatch, AuditEntry
from opennrm.audit.sealing import pending, seal_all, seal_pending
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
def test_record_seals_each_entry_and_the_sealer_chains_batches():
    first, second, third = _chain(3)
    assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3
    for entry in (first, second, third):
        assert len(entry.entry_hash) == 64
        assert entry.previous_hash == "" and entry.batch_id is None
        entry.refresh_from_db()
        assert entry.compute_hash() == entry.entry_hash
    assert pending().count == 3
    batch = seal_pending()
    assert (batch.entry_count, batch.entry_ranges) == (3, [[first.pk, third.pk]])
    assert batch.previous_root == GENESIS == "0" * 64
    assert set(AuditEntry.objects.values_list("batch", flat=True)) == {batch.pk}
    assert seal_pending() is None  # nothing waits
    (fourth,) = _chain(1)
    following = seal_pending()
    assert following.previous_root == batch.root
    assert following.entry_ranges == [[fourth.pk, fourth.pk]]
    assert pending().count == 0
    assert verify_chain() == (4, None)


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
@pytest.mark.parametrize("sealed", [False, True])
def test_altering_one_row_breaks_verification_at_that_row(column, value, sealed):
    entries = _chain(5)
    if sealed:
        seal_pending()
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
def test_deleting_a_sealed_row_is_detected_and_named():
    entries = _chain(5)
    seal_pending()
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    checked, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == entries[2].pk
    assert "missing" in broken.reason
    assert checked == 4  # the remaining entries' own seals hold
    with pytest.raises(CommandError, match=rf"#{entries[2].pk}\b"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_deleting_the_first_and_the_last_sealed_rows_is_detected():
    entries = _chain(4)
    seal_pending()
    for victim in (entries[0], entries[-1]):
        _tamper("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == entries[0].pk


@pytest.mark.django_db
def test_reordering_sealed_rows_is_detected():
    """Two entries swap places (content and own seal): each still matches its own seal, but the
    batch no longer holds them in the order it sealed."""
    first, second, _third = _chain(3)
    batch = seal_pending()
    swap = (
        "UPDATE audit_auditentry SET object_id = %s, created_at = %s, entry_hash = %s WHERE id = %s"
    )
    _tamper(swap, [second.object_id, second.created_at, second.entry_hash, first.pk])
    _tamper(swap, [first.object_id, first.created_at, first.entry_hash, second.pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert (broken.entry_id, broken.batch_id) == (first.pk, batch.pk)
    assert "moved or replaced" in broken.reason


@pytest.mark.django_db
def test_an_entry_moved_into_another_seal_is_detected():
    _first, second = _chain(2)
    seal_pending()
    _chain(1)
    later = seal_pending()
    _tamper("UPDATE audit_auditentry SET batch_id = %s WHERE id = %s", [later.pk, second.pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.entry_id == second.pk
    assert "missing" in broken.reason


@pytest.mark.django_db
def test_a_removed_or_altered_seal_breaks_the_chain_of_seals():
    _chain(2)
    seal_pending()
    _chain(2)
    second = seal_pending()
    _chain(1)
    third = seal_pending()
    _tamper("UPDATE audit_auditbatch SET entry_count = 5 WHERE id = %s", [third.pk])
    _checked, broken = verify_chain()
    assert (broken.batch_id, broken.reason) == (third.pk, "seal does not match its content")
    _tamper("UPDATE audit_auditbatch SET entry_count = 1 WHERE id = %s", [third.pk])
    _tamper("UPDATE audit_auditentry SET batch_id = NULL WHERE batch_id = %s", [second.pk])
    _tamper("DELETE FROM audit_auditbatch WHERE id = %s", [second.pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.batch_id == third.pk
    assert "does not follow" in broken.reason


@pytest.mark.django_db
def test_entries_chained_before_batch_sealing_still_verify_and_are_sealed():
    """Entries written under ADR 0005 carry their predecessor's hash: their chain is still
    checked, and the sealer takes them into its first batch."""
    entries = _chain(3)
    previous = GENESIS
    for entry in entries:  # rebuild them as the former `record` wrote them
        entry.previous_hash = previous
        entry.entry_hash = entry.compute_hash()
        _tamper(
            "UPDATE audit_auditentry SET previous_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.previous_hash, entry.entry_hash, entry.pk],
        )
        previous = entry.entry_hash
    assert verify_chain() == (3, None)
    seal_pending()
    assert verify_chain() == (3, None)
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    _checked, broken = verify_chain()
    assert broken.entry_id == entries[2].pk
    assert "does not follow" in broken.reason


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
    batch = seal_pending()
    with pytest.raises(AppendOnlyError):
        batch.save()
    with pytest.raises(AppendOnlyError):
        batch.delete()
    with pytest.raises(AppendOnlyError):
        AuditBatch.objects.all().update(entry_count=0)
    assert AuditEntry.objects.filter(pk=entry.pk).seal_into(batch) == 0  # sealed once only
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
        "UPDATE audit_auditentry SET batch_id = NULL WHERE id = %s",
        "UPDATE audit_auditentry SET batch_id = batch_id, action = 'test.innocent' WHERE id = %s",
    ],
)
def test_postgres_refuses_raw_update_and_delete(sql):
    from django.db import DatabaseError

    entry = _chain(1)[0]
    seal_pending()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "test.event"
    assert verify_chain() == (1, None)


@pytest.mark.django_db
@pytest.mark.postgres
@requires_postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditbatch SET entry_count = 0 WHERE id = %s",
        "DELETE FROM audit_auditbatch WHERE id = %s",
    ],
)
def test_postgres_refuses_changes_to_seals(sql):
    from django.db import DatabaseError

    _chain(1)
    batch = seal_pending()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [batch.pk])
    assert verify_chain() == (1, None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@requires_postgres
def test_concurrent_records_and_sealing_lose_nothing_and_break_no_seal():
    """Writers append without waiting for each other while the sealer seals: every entry is
    kept, sealed once, and the trail verifies."""
    threads_count, per_thread = 8, 25
    barrier = threading.Barrier(threads_count + 1)
    errors: list[BaseException] = []
    done = threading.Event()

    def work(number: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            for i in range(per_thread):
                with transaction.atomic():  # as a view's transaction: the entry commits late
                    record("test.concurrent", object_type="test.thread", object_id=f"{number}-{i}")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            thread_connection.close()

    def seal() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            while not done.is_set():
                seal_pending(limit=40)
        except BaseException as error:
            errors.append(error)
        finally:
            thread_connection.close()

    writers = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    sealer = threading.Thread(target=seal)
    for thread in [*writers, sealer]:
        thread.start()
    for thread in writers:
        thread.join(timeout=120)
    done.set()
    sealer.join(timeout=60)
    assert not errors
    seal_all()
    total = threads_count * per_thread
    assert AuditEntry.objects.count() == total
    assert AuditEntry.objects.filter(batch__isnull=True).count() == 0
    assert sum(AuditBatch.objects.values_list("entry_count", flat=True)) == total
    assert AuditBatch.objects.count() > 1  # sealed while the writers wrote
    assert verify_chain() == (total, None)
