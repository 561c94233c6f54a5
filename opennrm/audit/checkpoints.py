"""Checkpoints of the audit trail kept outside the database (issue 14; ADR 0013).

Once a day the checkpoint job seals what waits, then writes the newest seal — its number, its
root, how many entries the trail holds up to it — to three places the database administrator
does not control alone: a line appended to `OPENNRM_AUDIT_CHECKPOINTS` (a file, best on other
storage), the application log, and an e-mail to the data protection officers. `verify_audit`
then checks the trail against the latest checkpoint of the file: a seal removed, the newest
entries deleted or the table truncated no longer give the root the checkpoint kept.

A checkpoint holds numbers and a hash, never personal data.
"""

import datetime
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opennrm.audit.models import AuditBatch
from opennrm.audit.sealing import seal_all
from opennrm.profiles.loader import active_profile

logger = logging.getLogger("opennrm.audit.checkpoint")


@dataclass(frozen=True)
class Checkpoint:
    batch_id: int
    root: str
    entries: int  # entries sealed up to and including this batch
    sealed_at: str
    written_at: str

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def checkpoint_file() -> Path:
    return Path(settings.OPENNRM_AUDIT_CHECKPOINTS)


def _entries_up_to(batch: AuditBatch) -> int:
    total = AuditBatch.objects.filter(pk__lte=batch.pk).aggregate(total=Sum("entry_count"))
    return int(total["total"] or 0)


def current() -> Checkpoint | None:
    """The newest seal as a checkpoint (after sealing what waits); None for an empty trail."""
    seal_all()
    batch = AuditBatch.objects.order_by("-id").first()
    if batch is None:
        return None
    return Checkpoint(
        batch_id=batch.pk,
        root=batch.root,
        entries=_entries_up_to(batch),
        sealed_at=batch.sealed_at.isoformat(),
        written_at=timezone.now().isoformat(),
    )


def write(checkpoint: Checkpoint) -> None:
    """Append the checkpoint to the file and the log. A failure to write the file fails."""
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(checkpoint.line() + "\n")
    logger.info("Audit checkpoint %s", checkpoint.line())


def notify(checkpoint: Checkpoint, recipients: list[str], once: str | None = None) -> int:
    """E-mail the checkpoint to the data protection officers; the number of recipients. The
    e-mail goes to the outbox (EMAIL_BACKEND); `once` (e.g. the day) keeps a job run twice from
    queueing it twice."""
    if not recipients:
        return 0
    with translation.override(active_profile().default_language):
        facts = {
            "seal": checkpoint.batch_id,
            "root": checkpoint.root,
            "entries": checkpoint.entries,
            "sealed_at": checkpoint.sealed_at,
        }
        body = (
            _(
                "OpenNRM audit trail checkpoint. Keep this message: it lets anyone holding the "
                "audit key prove later that the trail was not cut after this point.\n\n"
                "Seal number: %(seal)s\nRoot: %(root)s\nEntries sealed: %(entries)s\n"
                "Sealed at: %(sealed_at)s\n"
            )
            % facts
        )
        subject = _("OpenNRM audit checkpoint #%(seal)s") % facts
    headers = {"X-Outbox-Key": f"audit.checkpoint:{once}"} if once else {}
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, headers=headers).send()
    return len(recipients)


def read_last(path: Path | None = None) -> Checkpoint | None:
    """The latest checkpoint of the file (its last well-formed line); None without one."""
    path = path or checkpoint_file()
    if not path.exists():
        return None
    last = None
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            last = Checkpoint(**json.loads(line))
        except (ValueError, TypeError):
            continue
    return last


def check(checkpoint: Checkpoint) -> str | None:
    """Why the trail no longer holds what the checkpoint saw; None when it does. (The chain of
    seals from the first one is checked by `verify_chain`: a seal that is still there with the
    checkpoint's root proves every seal before it.)"""
    batch = AuditBatch.objects.filter(pk=checkpoint.batch_id).first()
    if batch is None:
        if not AuditBatch.objects.exists():
            return (
                f"the trail is empty, but checkpoint seal #{checkpoint.batch_id} of "
                f"{checkpoint.written_at} shows it held {checkpoint.entries} entries"
            )
        return f"seal #{checkpoint.batch_id} of the checkpoint of {checkpoint.written_at} is gone"
    if batch.root != checkpoint.root:
        return f"seal #{checkpoint.batch_id} no longer has the root its checkpoint kept"
    if _entries_up_to(batch) != checkpoint.entries:
        return f"the seals up to #{checkpoint.batch_id} no longer count the checkpoint's entries"
    return None


def age(checkpoint: Checkpoint) -> datetime.timedelta:
    return timezone.now() - datetime.datetime.fromisoformat(checkpoint.written_at)
