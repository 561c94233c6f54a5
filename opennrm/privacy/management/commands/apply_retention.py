"""Apply the profile's retention periods: archive, then anonymise, closed cases, and erase the
content of concerns closed at triage without a case (the scheduler queues it daily, see
opennrm/privacy/periodic.py; `--dry-run` says what would happen, in counts only)."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.core.acting import Actor, Channel
from opennrm.privacy.retention import RETENTION_PROCESS, run_retention

LABELS = {
    "archive": "to archive",
    "anonymise": "to anonymise",
    "persons_anonymised": "persons anonymised",
    "stay_active": "closed, still in the active stage",
    "stay_archived": "closed, still in the intermediate archive",
    "closed_without_date": "closed without a closure date (skipped)",
    "concerns_to_erase": "concerns closed at triage without a case, content to erase",
    "concerns_erased": "concerns erased",
    "concerns_kept": "concerns closed at triage without a case, still kept",
}
# Counts of what was done, printed after a run only.
DONE = frozenset({"persons_anonymised", "concerns_erased"})


class Command(BaseCommand):
    help = (
        "Archive and anonymise closed cases, and erase the content of concerns closed at triage "
        "without a case, past the profile's retention periods."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would happen (counts)."
        )
        parser.add_argument("--today", help="Run as of this date (YYYY-MM-DD).")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the background task instead of running now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from exc
        if options["queue"]:
            from opennrm.privacy.tasks import apply_retention

            result = apply_retention.enqueue(
                today=today.isoformat() if today else None, dry_run=options["dry_run"]
            )
            self.stdout.write(f"Queued: {result.id}")
            return
        report = run_retention(
            today,
            dry_run=options["dry_run"],
            actor=Actor.system(RETENTION_PROCESS, channel=Channel.COMMAND),
        )
        heading = "Dry run" if report.dry_run else "Applied"
        self.stdout.write(
            f"{heading} on {report.today.isoformat()}: active stage {report.active_months} "
            f"months, archive {report.archive_months} months after closure; concerns closed at "
            f"triage without a case, content erased {report.concern_months} months after triage."
        )
        for key, label in LABELS.items():
            if key in DONE and report.dry_run:
                continue
            self.stdout.write(f"  {label}: {report.counts[key]}")
