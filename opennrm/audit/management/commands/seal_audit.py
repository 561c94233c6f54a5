from typing import Any

from django.core.management.base import BaseCommand

from opennrm.audit.sealing import seal_all


class Command(BaseCommand):
    help = "Seal every audit entry waiting for its seal now (the scheduler does it every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        batches = seal_all()
        sealed = sum(batch.entry_count for batch in batches)
        self.stdout.write(f"{sealed} entries sealed in {len(batches)} batch(es).")
