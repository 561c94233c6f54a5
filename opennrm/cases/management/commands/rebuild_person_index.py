"""Recompute every person's blind-index tokens (after OPENNRM_INDEX_KEY changed, or to check).

The tokens are replaced a batch of persons at a time, each batch in one transaction: duplicate
detection keeps working while it runs, with old tokens for the persons not yet done (which,
after a change of key, simply find no match until they are).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from opennrm.audit.trail import record
from opennrm.cases.duplicates import refresh_indexes
from opennrm.cases.models import Person
from opennrm.core.acting import Actor, Channel


class Command(BaseCommand):
    help = "Recompute the blind-index tokens of every person with OPENNRM_INDEX_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        persons = Person.objects.only(
            "pk", "given_names", "family_name", "aliases", "date_of_birth"
        )
        size = max(1, options["batch_size"])
        batch: list[Person] = []
        for person in persons.order_by("pk").iterator(chunk_size=size):
            batch.append(person)
            if len(batch) == size:
                count += self._refresh(batch)
                batch = []
        count += self._refresh(batch)
        record(
            "crypto.rebuild_person_index",
            actor=Actor.system("rebuild_person_index", channel=Channel.COMMAND),
            details={"persons": count},
        )
        self.stdout.write(self.style.SUCCESS(f"Blind index rebuilt for {count} person(s)."))

    def _refresh(self, batch: list[Person]) -> int:
        if batch:
            with transaction.atomic():
                refresh_indexes(batch)
        return len(batch)
