"""Recompute the blind-index tokens of every workplace and exploiter (after OPENNRM_INDEX_KEY
changed, with rebuild_person_index), in one transaction: until it ends, the old tokens stay."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from opennrm.audit.trail import record
from opennrm.core.acting import Actor, Channel
from opennrm.detection.links import rebuild_link_index


class Command(BaseCommand):
    help = "Recompute the blind-index tokens of workplaces and exploiters with OPENNRM_INDEX_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = rebuild_link_index()
            record(
                "crypto.rebuild_link_index",
                actor=Actor.system("rebuild_link_index", channel=Channel.COMMAND),
                details={"tokens": count},
            )
        self.stdout.write(f"Link tokens rebuilt: {count}.")
