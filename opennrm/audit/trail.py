"""Writing to and verifying the audit trail. Every feature records through `record`."""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils import timezone

from opennrm.audit.models import GENESIS, AuditBatch, AuditEntry

if TYPE_CHECKING:
    from opennrm.core.acting import Actor
    from opennrm.core.models import Organisation


def record(
    action: str,
    *,
    actor: "Actor | None" = None,
    organisation: "Organisation | None" = None,
    target: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one sealed entry naming who acted (`actor`: a person, the public or a process).

    `organisation` overrides the one the actor acts for. Never put personal data in `details`:
    ids and codes only."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    user = actor.user if actor is not None and actor.is_authenticated else None
    if organisation is None and actor is not None:
        organisation = actor.organisation
    # No lock and no read of another entry: appends never wait for each other. The entry is
    # sealed on its own now and chained into a batch by the sealing job (ADR 0013).
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=user,
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_address=actor.address if actor is not None else None,
        channel=str(actor.channel) if actor is not None else "",
        process=actor.process if actor is not None else "",
        details=details or {},
        previous_hash="",
        entry_hash="",
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    return entry


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str
    batch_id: int | None = None


def _entries(using: str) -> Iterator[AuditEntry]:
    return AuditEntry.objects.using(using).order_by("id").iterator(chunk_size=2000)


def _check_entries(using: str) -> tuple[int, BrokenLink | None]:
    """Every entry's own seal; for the entries of before batch sealing, their chain."""
    previous = GENESIS
    checked = 0
    for entry in _entries(using):
        if entry.previous_hash:  # chained one to the next (ADR 0005)
            if entry.previous_hash != previous:
                return checked, BrokenLink(entry.pk, "does not follow the previous entry")
            previous = entry.entry_hash
        if entry.compute_hash() != entry.entry_hash:
            return checked, BrokenLink(entry.pk, "content does not match its seal")
        checked += 1
    return checked, None


def batch_digest(pairs: Iterable[tuple[int, str]]) -> str:
    """The digest of a batch: its entries' (id, seal) pairs, in id order."""
    digest = hashlib.sha256()
    for entry_id, entry_hash in pairs:
        digest.update(f"{entry_id}:{entry_hash}\n".encode())
    return digest.hexdigest()


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs of consecutive ids."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and runs[-1][1] == pk - 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def _check_batches(using: str) -> BrokenLink | None:
    """Every batch holds exactly the entries it sealed, in their order, and the batches form
    one chain."""
    previous = GENESIS
    for batch in AuditBatch.objects.using(using).order_by("id").iterator(chunk_size=500):
        if batch.previous_root != previous:
            return BrokenLink(
                batch.first_entry_id, "seal does not follow the previous one", batch.pk
            )
        if batch.compute_root() != batch.root:
            return BrokenLink(batch.first_entry_id, "seal does not match its content", batch.pk)
        pairs = list(
            AuditEntry.objects.using(using)
            .filter(batch=batch)
            .order_by("id")
            .values_list("id", "entry_hash")
        )
        sealed = batch.entry_ids()
        present = {pk for pk, _hash in pairs}
        if missing := sealed - present:
            return BrokenLink(min(missing), "sealed entry is missing", batch.pk)
        if extra := present - sealed:
            return BrokenLink(min(extra), "entry was not in the batch it claims", batch.pk)
        if batch_digest(pairs) != batch.entries_digest:
            return BrokenLink(
                batch.first_entry_id, "entries of the sealed batch were moved or replaced", batch.pk
            )
        previous = batch.root
    return None


def verify_chain(using: str = "default") -> tuple[int, BrokenLink | None]:
    """Check every entry's seal, then every batch; return how many entries were checked and
    the first break (an entry, or the first entry of a broken batch)."""
    checked, broken = _check_entries(using)
    if broken is not None:
        return checked, broken
    return checked, _check_batches(using)
