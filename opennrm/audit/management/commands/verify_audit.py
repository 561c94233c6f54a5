from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opennrm.audit import checkpoints
from opennrm.audit.sealing import pending
from opennrm.audit.trail import verify_chain


class Command(BaseCommand):
    help = (
        "Verify every audit entry's seal and every batch seal, and report the first broken one "
        "and the entries still waiting for their batch seal."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            where = f" (seal #{broken.batch_id})" if broken.batch_id is not None else ""
            raise CommandError(
                f"Audit chain broken at entry #{broken.entry_id}{where}: {broken.reason} "
                f"({checked} entries verified before it)."
            )
        last = checkpoints.read_last()
        if last is not None:
            problem = checkpoints.check(last)
            if problem is not None:
                raise CommandError(
                    f"Audit trail cut: {problem} (checkpoints: {checkpoints.checkpoint_file()})."
                )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} entries verified."))
        if last is None:
            self.stdout.write(
                f"No checkpoint in {checkpoints.checkpoint_file()}: the tail of the trail is not "
                "anchored (the scheduler's audit.checkpoint job writes one daily)."
            )
        else:
            self.stdout.write(
                f"Matches the checkpoint of {last.written_at} (seal #{last.batch_id}, "
                f"{last.entries} entries)."
            )
        waiting = pending()
        if waiting.count:
            oldest = waiting.oldest.isoformat() if waiting.oldest else "?"
            self.stdout.write(
                f"{waiting.count} entries not sealed in a batch yet (oldest from {oldest}): "
                "their own seals are verified; `seal_audit` or the scheduler seals them."
            )
