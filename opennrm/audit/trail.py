"""Writing to and verifying the audit trail. Every feature records through `record`."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from opennrm.audit.models import GENESIS, AuditEntry

if TYPE_CHECKING:
    from opennrm.core.acting import Actor
    from opennrm.core.models import Organisation

# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK = 7_160_201


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


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
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").only("entry_hash").first()
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
            previous_hash=last.entry_hash if last else GENESIS,
            entry_hash="",
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
    return entry


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Walk the chain from the start; return how many entries were checked and the first break."""
    previous = GENESIS
    checked = 0
    for entry in _entries():
        if entry.previous_hash != previous:
            return checked, BrokenLink(entry.pk, "does not follow the previous entry")
        if entry.compute_hash() != entry.entry_hash:
            return checked, BrokenLink(entry.pk, "content does not match its seal")
        previous = entry.entry_hash
        checked += 1
    return checked, None
