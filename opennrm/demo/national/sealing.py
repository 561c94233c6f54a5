"""The dataset's audit entries, sealed in batches as they are written (ADR 0013).

The sealing job seals waiting entries by updating each one with its batch: for millions of
entries that rewrites every row, and its eight indexes, a second time. The dataset's entries
are written sealed instead, as the job would have sealed them: each entry sealed on its own
(`AuditEntry.compute_hash()`); one batch per chunk of cases (a few thousand entries, within
`sealing.BATCH_MAX`) with its ids in order, its digest (`trail.batch_digest`), id ranges
(`trail.id_ranges`) and root (`AuditBatch.compute_root()`), chained to the previous batch's
root. The sealing job's own lock is held until the dataset is committed, so that none of its
batches comes in between; `verify_chain()` checks these batches like any other.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from opennrm.audit import sealing
from opennrm.audit.models import GENESIS, AuditBatch
from opennrm.audit.trail import batch_digest, id_ranges
from opennrm.demo.national.writer import Table

BATCH = Table(AuditBatch, ("id",))


@dataclass(frozen=True)
class BatchSpec:
    """A batch of entries, before it is chained."""

    id: int
    first: int
    last: int
    count: int
    ranges: list[list[int]]
    digest: str


def batch_of(batch_id: int, pairs: Sequence[tuple[int, str]]) -> BatchSpec:
    """The batch of these (entry id, entry seal) pairs, in increasing id order."""
    if len(pairs) > sealing.BATCH_MAX:
        raise ValueError("more entries than a batch takes")
    return BatchSpec(
        id=batch_id,
        first=pairs[0][0],
        last=pairs[-1][0],
        count=len(pairs),
        ranges=id_ranges(pk for pk, _hash in pairs),
        digest=batch_digest(pairs),
    )


def lock() -> None:
    """The sealing job's lock (PostgreSQL), held until the transaction ends."""
    sealing._lock()


def write_batches(specs: Sequence[BatchSpec]) -> int:
    """Chain the batches, in order, after the last one; write them. Returns the entries they
    seal. The caller holds the lock (`lock`) since before the batches' ids were reserved."""
    last = AuditBatch.objects.order_by("-id").values_list("root", flat=True).first()
    previous = last or GENESIS
    now = timezone.now()
    batches = []
    for spec in specs:
        batch = AuditBatch(
            id=spec.id,
            sealed_at=now,
            first_entry_id=spec.first,
            last_entry_id=spec.last,
            entry_count=spec.count,
            entry_ranges=spec.ranges,
            entries_digest=spec.digest,
            previous_root=previous,
        )
        batch.root = batch.compute_root()
        previous = batch.root
        batches.append(batch)
    AuditBatch.objects.bulk_create(batches, batch_size=200)
    return sum(spec.count for spec in specs)
