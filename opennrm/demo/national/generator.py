"""Generating the national dataset: the guard, the stages, their timings, the fingerprint.

The whole generation is one transaction: it leaves a complete dataset or nothing. A dataset is
made once per database. Its audit entries cannot be deleted (the trail is append-only), so the
generated data cannot be cleared either: a second run with the same number of cases and seed
finds the dataset (the audit entry written last, `demo.national_dataset`) and does nothing; a
run with other parameters is refused and names them. Use a new database for another dataset.
"""

import datetime
import hashlib
import multiprocessing
import multiprocessing.pool
import os
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, Sum

from opennrm.audit.models import AuditEntry
from opennrm.audit.sealing import seal_all
from opennrm.audit.trail import record
from opennrm.cases.models import Case, CaseEvent
from opennrm.core.acting import Actor, Channel
from opennrm.core.models import Membership, Organisation, User
from opennrm.demo.national import sealing, tables, worker
from opennrm.demo.national.names import NameBook
from opennrm.demo.national.sealing import BatchSpec
from opennrm.demo.national.stories import CASES_PER_CHUNK, PROCESS, Stories, ids_per_chunk
from opennrm.demo.national.world import World, WorldBuilder
from opennrm.demo.national.writer import (
    IdPlan,
    IndexRebuild,
    Writer,
    check_foreign_keys,
)
from opennrm.identification.models import PlatformMember
from opennrm.profiles.loader import active_profile
from opennrm.support.models import Placement, Service

MARKER = "demo.national_dataset"  # the audit entry that says a dataset is complete
CASE_PREFIX = "C-NAT-"
TEST_SETTINGS = "config.settings.test"
PRODUCTION_SETTINGS = "config.settings.production"
VERSION = 1  # of the generator: another version may make other data from the same seed
PROFILE = "fr"  # the jurisdiction profile the dataset follows
LARGE = 20_000  # cases from which, on PostgreSQL, workers make rows and indexes are rebuilt


class Refused(RuntimeError):
    """The dataset cannot be generated here; the message says why."""


def refusal() -> str | None:
    """Why the dataset may not be generated with the current settings, or None: only in demo
    mode or with the test settings (benchmarks use them), never with the production settings."""
    # Overridden settings (tests) hide SETTINGS_MODULE: the environment still names them.
    module = getattr(settings, "SETTINGS_MODULE", "") or os.environ.get(
        "DJANGO_SETTINGS_MODULE", ""
    )
    if module == PRODUCTION_SETTINGS or module.endswith(".production"):
        return (
            "The national synthetic dataset is never generated with the production settings: "
            "use the demo settings (OPENNRM_DEMO_MODE=true) or config.settings.test."
        )
    if settings.DEMO_MODE or module == TEST_SETTINGS:
        return None
    return (
        "The national synthetic dataset is generated only in demo mode (OPENNRM_DEMO_MODE=true) "
        f"or with {TEST_SETTINGS}; these settings are {module or 'unknown'}."
    )


@dataclass(frozen=True)
class Present:
    """A dataset already in the database (from its marker)."""

    cases: int
    seed: int
    anchor: str


def present() -> Present | None:
    """The dataset already generated in this database, if any. Refuses a partial one."""
    entry = AuditEntry.objects.filter(action=MARKER).order_by("-id").first()
    if entry is not None:
        details = entry.details
        return Present(int(details["cases"]), int(details["seed"]), str(details["anchor"]))
    if Case.objects.filter(reference__startswith=CASE_PREFIX).exists():
        raise Refused(
            "Cases of a national dataset are present without the entry that marks a complete "
            "dataset: use a new database."
        )
    return None


@dataclass
class Report:
    """What was made, and how long each stage took (seconds)."""

    cases: int
    seed: int
    anchor: datetime.date
    stages: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    write_seconds: dict[str, float] = field(default_factory=dict)
    organisations: int = 0
    users: int = 0
    sealed: int = 0
    skipped: bool = False
    maker_cpu: float = 0.0  # processor seconds spent making rows (all processes)
    main_cpu: float = 0.0  # processor seconds of this process
    database_cpu: float | None = None  # of the database server's process, when local


def _progress(out: Callable[[str], None], done: int, total: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed else 0.0
    left = (total - done) / rate if rate else 0.0
    out(
        f"  {done:>10,} / {total:,} cases ({done * 100 // total:>3}%)  {elapsed:7.1f} s  "
        f"{rate:8,.0f} cases/s  about {left:6.0f} s left"
    )


def generate(
    cases: int,
    seed: int,
    *,
    anchor: datetime.date | None = None,
    out: Callable[[str], None] = lambda _line: None,
    check: bool = True,
    workers: int | None = None,
    rebuild_indexes: bool | None = None,
) -> Report:
    """Generate the dataset (see the module's docstring). `anchor`: the dataset stands as of
    the end of the day before it (by default today). `workers`: processes making the rows
    (by default 2 for a large dataset on PostgreSQL, else none: made in this process).
    `rebuild_indexes`: drop the secondary indexes of the tables filled and build them at the
    end (by default for a large dataset on PostgreSQL). Raises Refused."""
    if cases < 1:
        raise Refused("Give a number of cases of at least 1.")
    reason = refusal()
    if reason:
        raise Refused(reason)
    profile = active_profile().code
    if profile != PROFILE:
        raise Refused(
            f"The national dataset follows the {PROFILE!r} profile (its départements, and the "
            f"demo's personas in 93, 13 and 974); this instance runs the {profile!r} profile."
        )
    anchor = anchor or datetime.date.today()  # noqa: DTZ011 - a calendar day, local
    large = connection.vendor == "postgresql" and cases >= LARGE
    workers = (2 if large else 0) if workers is None else workers
    rebuild_indexes = large if rebuild_indexes is None else rebuild_indexes
    if rebuild_indexes and connection.vendor != "postgresql":
        raise Refused("Indexes are rebuilt only on PostgreSQL.")
    report = Report(cases, seed, anchor)
    existing = present()
    if existing is not None:
        if existing.cases == cases and existing.seed == seed:
            report.skipped = True
            out(
                f"The national dataset of {cases:,} cases with seed {seed} is already present "
                f"(anchored on {existing.anchor}): nothing to do."
            )
            return report
        raise Refused(
            f"A national dataset of {existing.cases:,} cases with seed {existing.seed} is already "
            "present. Generated data cannot be removed (the audit trail is append-only): use a "
            "new database for another dataset."
        )
    names = NameBook(seed)
    writer = Writer()
    total_start = time.perf_counter()
    cpu_start = time.process_time()
    server_start = _server_cpu()
    with transaction.atomic():
        start = time.perf_counter()
        world = WorldBuilder(cases=cases, seed=seed, anchor=anchor, names=names).build()
        _stage(report, "organisations, staff, platforms, services", start)
        report.organisations, report.users = world.organisations_created, world.users_created
        out(
            f"World ready: {world.organisations_created:,} fictional organisations and "
            f"{world.users_created:,} users added, {len(world.units)} local units "
            f"({report.stages['organisations, staff, platforms, services']:.1f} s)."
        )
        sealing.lock()  # until the commit: no batch of the sealing job comes in between
        writer.begin()
        rebuild = IndexRebuild(table.db_table for table in tables.ALL)
        if rebuild_indexes and not writer.fast:
            rebuild_indexes = False  # foreign keys would be checked against batches not written
            out("Indexes kept: rebuilding them needs a database superuser (see writer).")
        if rebuild_indexes:
            start = time.perf_counter()
            rebuild.drop()
            _stage(report, "secondary indexes dropped", start)
        specs = _cases(world, report, writer, names, out, workers)
        writer.end()
        if rebuild_indexes:
            start = time.perf_counter()
            rebuild.restore()
            _stage(report, "secondary indexes built", start)
            out(f"Indexes built ({report.stages['secondary indexes built']:.1f} s).")
        _capacities(world)
        start = time.perf_counter()
        report.sealed = sealing.write_batches(specs)
        _stage(report, "audit batches chained", start)
        if writer.fast and check:
            start = time.perf_counter()
            broken = check_foreign_keys(table.model for table in tables.ALL)
            if broken:
                raise RuntimeError("Foreign keys broken: " + "; ".join(broken))
            _stage(report, "foreign keys checked", start)
            out(f"Foreign keys checked ({report.stages['foreign keys checked']:.1f} s).")
        record(
            MARKER,
            actor=Actor.system(PROCESS, channel=Channel.COMMAND),
            details={
                "cases": cases,
                "seed": seed,
                "anchor": anchor.isoformat(),
                "version": VERSION,
            },
        )
        seal_all()  # the entry above, and any other waiting: the sealing job's way
        out(f"Audit trail: {report.sealed:,} entries written sealed, in {len(specs):,} batches.")
        start = time.perf_counter()
    _stage(report, "commit", start)
    if connection.vendor == "postgresql":
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for table in sorted({t.db_table for t in tables.ALL} | _world_tables()):
                cursor.execute(f'ANALYZE "{table}"')
        _stage(report, "analyze", start)
    report.stages["total"] = time.perf_counter() - total_start
    report.main_cpu = time.process_time() - cpu_start
    server_end = _server_cpu()
    if server_start is not None and server_end is not None:
        report.database_cpu = server_end - server_start
    report.rows = dict(writer.timings.rows)
    report.write_seconds = dict(writer.timings.seconds)
    return report


def _server_cpu() -> float | None:
    """Processor seconds of this connection's PostgreSQL server process, when the server runs
    on this machine and its process can be read (/proc); else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stage(report: Report, name: str, start: float) -> None:
    report.stages[name] = time.perf_counter() - start


def _world_tables() -> set[str]:
    models: list[type[Model]] = [Organisation, User, Membership, PlatformMember, Service]
    return {model._meta.db_table for model in models}


def _cases(
    world: World,
    report: Report,
    writer: Writer,
    names: NameBook,
    out: Callable[[str], None],
    workers: int,
) -> list[BatchSpec]:
    global _stories, _copy
    plan = IdPlan(ids_per_chunk())
    chunks = (report.cases + CASES_PER_CHUNK - 1) // CASES_PER_CHUNK
    tasks: list[worker.Task] = []
    for number in range(chunks):  # ids reserved here, in this process's transaction
        first = number * CASES_PER_CHUNK
        tasks.append((number, first, min(first + CASES_PER_CHUNK, report.cases), plan.ranges()))
    by_name = {table.db_table: table for table in tables.ALL}
    specs: list[BatchSpec] = []
    started = time.perf_counter()
    waiting = 0.0
    every = max(1, chunks // 20)
    pool = None
    if workers > 1:
        # Spawned, not forked: a forked child would share this process's database connection.
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(
            workers,
            initializer=worker.start,
            initargs=(pickle.dumps(world), report.seed, report.anchor, writer.copy),
        )
        made: Iterator[worker.Made] = _ahead(pool, tasks, 2 * workers + 1)
    else:
        stories = Stories(
            world,
            seed=report.seed,
            anchor=report.anchor,
            time_zone=settings.TIME_ZONE,
            names=names,
        )
        worker.prepare(stories, copy=False)
        made = map(worker.make, tasks)
    try:
        for index, task in enumerate(tasks):
            begun = time.perf_counter()
            result, spec, cpu = next(made)
            report.maker_cpu += cpu
            waiting += time.perf_counter() - begun
            for name, content in result.items():
                if isinstance(content, tuple):
                    writer.write_text(by_name[name], *content)
                else:
                    writer.write(by_name[name], content)
            if spec is not None:
                specs.append(spec)
            if (index + 1) % every == 0 or index + 1 == chunks:
                _progress(out, task[2], report.cases, started)
    finally:
        if pool is not None:
            pool.terminate()
    elapsed = time.perf_counter() - started
    written = sum(writer.timings.seconds.values())
    maker = f"{workers} worker processes" if workers > 1 else "this process"
    report.stages[f"cases: waiting for rows ({maker})"] = waiting
    report.stages["cases: rows written (database)"] = written
    report.stages["cases"] = elapsed
    out(
        f"Cases written: {report.cases:,} in {elapsed:.1f} s (rows made by {maker}; waiting "
        f"for them {waiting:.1f} s, writing {written:.1f} s)."
    )
    return specs


def _ahead(
    pool: "multiprocessing.pool.Pool", tasks: list[worker.Task], ahead: int
) -> Iterator[worker.Made]:
    """The chunks made by the pool, in order, with at most `ahead` made or being made before
    they are written (a chunk's rows take some megabytes: memory stays bounded when the
    database is slower than the workers)."""
    pending: deque[multiprocessing.pool.AsyncResult[worker.Made]] = deque()
    for task in tasks:
        pending.append(pool.apply_async(worker.make, (task,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _capacities(world: World) -> None:
    """Shelters hold their current placements: more places where more were taken."""
    current = dict(
        Placement.objects.filter(ended_on__isnull=True)
        .values("service")
        .annotate(places=Sum("places"))
        .values_list("service", "places")
    )
    for unit in world.units:
        for shelter in unit.shelters:
            taken = current.get(shelter.id, 0)
            if taken:
                total = max(shelter.places, taken)
                Service.objects.filter(pk=shelter.id).update(
                    places_total=total, places_free=total - taken
                )


def fingerprint() -> str:
    """A digest of the dataset's content — cases, persons (decrypted), timelines, audit
    actions and the records of each step — leaving out what differs between databases (ids)
    and what encryption randomises (ciphertexts). The same seed gives the same fingerprint."""
    digest = hashlib.sha256()
    cases = (
        Case.objects.filter(reference__startswith=CASE_PREFIX)
        .select_related("person", "owner", "territory")
        .order_by("reference")
    )
    for case in cases.iterator(chunk_size=2000):
        person = case.person
        values: list[Any] = [
            case.reference, case.status, case.territory.code, case.owner.name,
            case.detected_on, case.forms, case.channel, case.sector, case.child,
            case.age_at_detection, case.assessment_due, case.opened_at, case.places,
            person.pseudonym, person.given_names, person.family_name, person.aliases,
            person.date_of_birth, person.estimated_age, person.sex, person.nationalities,
            person.languages, person.index_tokens.count(),
        ]  # fmt: skip
        digest.update(("|".join(map(str, values)) + "\n").encode())
    events = (
        CaseEvent.objects.filter(case__reference__startswith=CASE_PREFIX)
        .order_by("case__reference", "at", "id")
        .values_list("case__reference", "at", "kind", "source", "target")
    )
    for row in events.iterator(chunk_size=5000):
        digest.update(("|".join(map(str, row)) + "\n").encode())
    audit = (
        AuditEntry.objects.filter(process=PROCESS)
        .exclude(action=MARKER)
        .order_by("created_at", "action", "id")
        .values_list("created_at", "action", "object_type")
    )
    for row in audit.iterator(chunk_size=5000):
        digest.update(("|".join(map(str, row)) + "\n").encode())
    for table in tables.ALL:
        model = table.model
        names = {f.name for f in model._meta.concrete_fields}
        if "case" in names:
            count = model._default_manager.filter(case__reference__startswith=CASE_PREFIX).count()
            digest.update(f"{model._meta.label}:{count}\n".encode())
    return digest.hexdigest()
