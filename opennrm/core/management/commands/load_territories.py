from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from opennrm.core.models import Territory
from opennrm.profiles.loader import active_profile, active_territory_records


class Command(BaseCommand):
    help = "Create or update the territories of the active jurisdiction profile (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        records = active_territory_records()
        by_code: dict[str, Territory] = {}
        pending = list(records)
        while pending:  # parents before children, whatever the depth
            ready = [r for r in pending if r.parent is None or r.parent in by_code]
            for record in ready:
                by_code[record.code], _ = Territory.objects.update_or_create(
                    code=record.code,
                    defaults={
                        "name": record.name,
                        "level": record.level,
                        "holidays_subdivision": record.holidays_subdivision or "",
                        "parent": by_code[record.parent] if record.parent else None,
                    },
                )
            pending = [r for r in pending if r.code not in by_code]
        levels = [level.code for level in active_profile().territory_levels]
        if options["verbosity"] > 0:
            self.stdout.write(f"{len(by_code)} territories loaded ({', '.join(levels)}).")
