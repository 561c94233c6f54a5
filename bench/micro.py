"""Micro-benchmarks (`python -m bench.micro`): the audit trail and public pages, throw-away data.

Speed is measured here, never asserted in tests. Set DATABASE_URL to run on PostgreSQL.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from opennrm.audit.trail import record, verify_chain  # noqa: E402
from opennrm.core.models import Organisation, Territory  # noqa: E402
from opennrm.directory.models import ContactEntry  # noqa: E402


def timed(label: str, runs: int, action: Callable[[], object]) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<45} median {statistics.median(samples):8.2f} ms"
        f"   p95 {sorted(samples)[int(len(samples) * 0.95) - 1]:8.2f} ms   ({runs} runs)"
    )


def build_directory(per_unit: int) -> None:
    units = list(Territory.objects.local_units())
    entries = []
    for unit in units:
        org = Organisation.objects.create(name=f"Bench prefecture {unit.code}", kind="prefecture")
        entries += [
            ContactEntry(
                organisation=org,
                territory=unit,
                post_title=f"Bench post {n}",
                remit="Bench remit",
                email=f"bench{n}.{unit.code}@bench.invalid",
                last_confirmed_on=django.utils.timezone.localdate(),
            )
            for n in range(per_unit)
        ]
    ContactEntry.objects.bulk_create(entries, batch_size=1000)
    print(f"directory: {len(entries)} entries in {len(units)} local units")


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_territories", verbosity=0)
        timed("audit: record() one entry", 500, lambda: record("bench.event"))
        timed("audit: verify_chain() over the trail", 5, verify_chain)
        build_directory(per_unit=3)
        client = Client()
        timed("page: public directory, all entries", 20, lambda: client.get("/directory/"))
        timed(
            "page: public directory, one département",
            50,
            lambda: client.get("/directory/?territory=93"),
        )
        timed("page: home", 50, lambda: client.get("/"))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
