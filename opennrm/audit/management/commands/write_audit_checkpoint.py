from typing import Any

from django.core.management.base import BaseCommand

from opennrm.audit.tasks import write_audit_checkpoint


class Command(BaseCommand):
    help = (
        "Seal what waits and write the newest seal to the checkpoint file, the log and the data "
        "protection officers' e-mail now (the scheduler does it daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = write_audit_checkpoint.call()
        if result["batch_id"] is None:
            self.stdout.write("The audit trail is empty: no checkpoint written.")
        else:
            self.stdout.write(
                f"Checkpoint written: seal #{result['batch_id']}, {result['entries']} entries, "
                f"mailed to {result['mailed']} data protection officer(s)."
            )
