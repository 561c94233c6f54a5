"""The audit trail: append-only, each entry sealed with an HMAC over itself and its predecessor."""

import hashlib
import hmac
import json
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnlyError(RuntimeError):
    """Audit entries cannot be changed or deleted."""


class AuditQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def seal_into(self, batch: "AuditBatch") -> int:
        """Put the unsealed entries of this queryset into `batch`: the one change an entry
        takes, once (the PostgreSQL trigger allows nothing else)."""
        return models.QuerySet.update(self.filter(batch__isnull=True), batch=batch)


class AuditBatch(models.Model):
    """A seal over a batch of entries, chained to the previous batch's seal.

    The sealing job (`opennrm.audit.sealing`) takes the entries not sealed yet, in id order,
    writes the digest of their (id, seal) pairs here with their count and bounds, and seals the
    batch with an HMAC over that digest and the previous batch's root. An entry deleted, added,
    replaced or moved in a sealed batch no longer gives the digest; a batch removed or changed
    breaks the chain of roots."""

    sealed_at = models.DateTimeField(_("sealed at"), db_index=True)
    first_entry_id = models.BigIntegerField()
    last_entry_id = models.BigIntegerField()
    entry_count = models.PositiveIntegerField()
    # The ids sealed, as [first, last] runs (ids are not contiguous: an entry whose transaction
    # committed late is sealed in a later batch).
    entry_ranges = models.JSONField(default=list)
    entries_digest = models.CharField(max_length=64)
    previous_root = models.CharField(max_length=64)
    root = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        ordering: ClassVar = ["id"]

    def __str__(self) -> str:
        return f"seal #{self.pk} ({self.entry_count} entries)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit seals cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit seals cannot be deleted.")

    def payload(self) -> bytes:
        body = {
            "sealed_at": self.sealed_at.isoformat(),
            "first_entry_id": self.first_entry_id,
            "last_entry_id": self.last_entry_id,
            "entry_count": self.entry_count,
            "entry_ranges": self.entry_ranges,
            "entries_digest": self.entries_digest,
            "previous_root": self.previous_root,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def entry_ids(self) -> set[int]:
        return {pk for first, last in self.entry_ranges for pk in range(first, last + 1)}

    def compute_root(self) -> str:
        key = settings.AUDIT_HMAC_KEY.encode()
        return hmac.new(key, self.payload(), hashlib.sha256).hexdigest()


class AuditEntry(models.Model):
    """Who, acting for which organisation, did what to which object, when, from where."""

    created_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acting for"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    process = models.CharField(_("process"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Entries written before batch sealing were chained one to the next (ADR 0005); newer ones
    # leave this empty and are chained through their batch (ADR 0013).
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, db_index=True)
    batch = models.ForeignKey(
        AuditBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("seal"),
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering: ClassVar = ["id"]
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def payload(self) -> bytes:
        """The canonical bytes the seal covers; the previous hash chains it to its predecessor."""
        body: dict[str, Any] = {
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "organisation": self.organisation_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "ip_address": self.ip_address,
            "details": self.details,
            "previous_hash": self.previous_hash,
        }
        # Added after the first entries were sealed: covered only when set, so that the seals
        # of older entries stay valid.
        if self.channel:
            body["channel"] = self.channel
        if self.process:
            body["process"] = self.process
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        key = settings.AUDIT_HMAC_KEY.encode()
        return hmac.new(key, self.payload(), hashlib.sha256).hexdigest()


class ChainCheck(models.Model):
    """One verification of the whole trail (`verify_chain`), run by the `audit.verify` job or
    asked for from the audit viewer: walking millions of entries takes minutes, never a
    request's time. The viewer shows the latest."""

    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    entries_checked = models.PositiveBigIntegerField()
    broken_entry = models.BigIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)  # verify_chain's reason (English, for the logs)

    class Meta:
        ordering: ClassVar = ["-finished_at", "-pk"]

    def __str__(self) -> str:
        state = "intact" if self.broken_entry is None else f"broken at #{self.broken_entry}"
        return f"{self.finished_at:%Y-%m-%d %H:%M}: {self.entries_checked} entries, {state}"
