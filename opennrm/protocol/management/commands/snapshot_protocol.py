"""Keep a snapshot of the protocol as the active profile and the newest catalogue make it
(nothing new when they have not changed). Run after deploying a new profile or catalogue."""

from typing import Any

from django.core.management.base import BaseCommand

from opennrm.core.acting import Actor
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.profiles.loader import active_profile
from opennrm.protocol import versions


class Command(BaseCommand):
    help = "Keep a snapshot of the protocol if the profile or the catalogue changed."

    def handle(self, *args: Any, **options: Any) -> None:
        profile = active_profile()
        before = versions.latest(profile.code)
        version = versions.current(profile, latest_catalogue(), Actor.system("snapshot_protocol"))
        if before is not None and before.pk == version.pk:
            self.stdout.write(f"Unchanged: protocol {version}")
        else:
            self.stdout.write(f"New snapshot: protocol {version}")
