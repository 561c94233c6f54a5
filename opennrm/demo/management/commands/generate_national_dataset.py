"""Generate the national synthetic dataset (demo mode or test settings only; never production).

Everything is fictional: see opennrm/demo/national/. Same --cases and --seed, same data; a
second run finds the dataset and does nothing; other parameters on a database that has one are
refused (generated data cannot be removed: the audit trail is append-only).
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.demo.national.generator import Refused, fingerprint, generate


class Command(BaseCommand):
    help = (
        "Generate a national synthetic dataset of fictional cases, in bulk (demo mode or test "
        "settings only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--anchor",
            type=datetime.date.fromisoformat,
            default=None,
            help="The dataset stands as of the day before this date (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--fingerprint",
            action="store_true",
            help="Print a digest of the dataset's content at the end (slow for large datasets).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes making the rows (default: 2 from 20,000 cases on PostgreSQL, else "
            "none: this process makes them).",
        )
        indexes = parser.add_mutually_exclusive_group()
        indexes.add_argument(
            "--keep-indexes",
            action="store_true",
            help="Do not drop and rebuild the secondary indexes (by default they are, from "
            "20,000 cases on PostgreSQL).",
        )
        indexes.add_argument(
            "--rebuild-indexes",
            action="store_true",
            help="Drop and rebuild the secondary indexes whatever the size (PostgreSQL).",
        )
        parser.add_argument(
            "--no-check",
            action="store_true",
            help="Skip the final check of foreign keys (PostgreSQL, when the load skipped them).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate(
                options["cases"],
                options["seed"],
                anchor=options["anchor"],
                out=self.stdout.write,
                check=not options["no_check"],
                workers=options["workers"],
                rebuild_indexes=(
                    False
                    if options["keep_indexes"]
                    else True
                    if options["rebuild_indexes"]
                    else None
                ),
            )
        except Refused as error:
            raise CommandError(str(error)) from error
        if not report.skipped:
            self.stdout.write("Timings per stage:")
            for stage, seconds in report.stages.items():
                self.stdout.write(f"  {stage:<55} {seconds:9.1f} s")
            cpu = (
                f"Processor time: making rows {report.maker_cpu:.1f} s, this process "
                f"{report.main_cpu:.1f} s"
            )
            if report.database_cpu is not None:
                cpu += f", database server {report.database_cpu:.1f} s"
            self.stdout.write(cpu + ".")
            self.stdout.write("Rows written:")
            for table, rows in sorted(report.rows.items(), key=lambda item: -item[1]):
                seconds = report.write_seconds.get(table, 0.0)
                self.stdout.write(f"  {table:<45} {rows:>12,}  {seconds:8.1f} s")
            self.stdout.write(
                self.style.SUCCESS(
                    f"National dataset ready: {report.cases:,} fictional cases, seed "
                    f"{report.seed}, as of {report.anchor - datetime.timedelta(days=1)}."
                )
            )
        if options["fingerprint"]:
            self.stdout.write(f"Fingerprint: {fingerprint()}")
