"""Writing to and verifying the audit trail. Every feature records through `record`."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from opennrm.audit.models import GENESIS, AuditEntry

if TYPE_CHECKING:
    from opennrm.core.models import Organisation, User

# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK = 7_160_201


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        # X-Forwarded-For: client, proxy1, proxy2…; trust only the last `proxies` hops.
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def record(
    action: str,
    *,
    actor: "User | None" = None,
    organisation: "Organisation | None" = None,
    target: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one sealed entry. Never put personal data in `details`: ids and codes only."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    if request is not None and organisation is None:
        membership = getattr(request, "membership", None)
        organisation = membership.organisation if membership is not None else None
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").only("entry_hash").first()
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=actor,
            organisation=organisation,
            action=action,
            object_type=object_type,
            object_id=object_id,
            ip_address=client_ip(request),
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
