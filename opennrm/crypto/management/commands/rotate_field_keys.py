"""Re-encrypt every encrypted field with the current key (the first of OPENNRM_FIELD_KEYS).

Rotation without downtime (ADR 0008):

1. put the new key first in OPENNRM_FIELD_KEYS, keep the old ones after it, restart: new
   writes use the new key, old values stay readable;
2. run this command (batches, one transaction each; safe to stop and run again);
3. when it reports nothing left to re-encrypt, remove the old key and restart.
"""

from itertools import chain
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.audit.trail import record
from opennrm.core.acting import Actor, Channel
from opennrm.crypto.fields import encrypted_fields
from opennrm.crypto.keys import field_keys
from opennrm.crypto.rotation import DEFAULT_BATCH, file_rotations, rotate_column


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the current key of OPENNRM_FIELD_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be re-encrypted; write nothing.",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        current = field_keys().current_id
        self.stdout.write(
            f"Current key: {current}{' (dry run: nothing is written)' if dry_run else ''}"
        )
        examined = changed = 0
        failed: list[str] = []
        reports = (
            rotate_column(
                model,
                field.column or field.name,
                using=options["database"],
                batch_size=options["batch_size"],
                dry_run=dry_run,
            )
            for model, field in encrypted_fields()
        )
        # Then the files sealed with the same keys (documents attached to cases).
        files = (rotate(dry_run=dry_run) for rotate in file_rotations())
        for report in chain(reports, files):
            examined += report.examined
            changed += report.changed
            verb = "to re-encrypt" if dry_run else "re-encrypted"
            line = f"{report.label}: {report.changed} {verb}"
            if report.failed:
                keys = ", ".join(report.failed[:10])
                line += f", {len(report.failed)} unreadable (primary keys {keys})"
                failed.append(report.label)
            self.stdout.write(line)
        summary = (
            f"{'Would re-encrypt' if dry_run else 'Re-encrypted'} {changed} value(s) sealed "
            f"with an older key ({examined} examined)."
        )
        if not dry_run:
            record(
                "crypto.rotate_field_keys",
                actor=Actor.system("rotate_field_keys", channel=Channel.COMMAND),
                details={"key": current, "values": changed, "unreadable_columns": len(failed)},
            )
        if failed:
            raise CommandError(
                f"{summary} Some values could not be decrypted with the configured keys: "
                f"{', '.join(failed)}. Keep every old key until this command reports none."
            )
        self.stdout.write(self.style.SUCCESS(summary))
