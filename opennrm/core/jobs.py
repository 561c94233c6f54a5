"""Jobs that survive their worker (ADR 0015).

django-tasks' database backend (`manage.py db_worker`) marks a job RUNNING when a worker takes
it and SUCCESSFUL or FAILED when it ends; a worker killed in between (SIGKILL, out of memory, a
machine lost) leaves the job RUNNING for ever, and a job that failed is not run again. This
module adds, without changing the library:

- a **heartbeat**: while a worker runs a job, a thread of that worker renews the job's
  `core.JobLease` every `OPENNRM_JOB_HEARTBEAT_SECONDS` (started and stopped by django-tasks'
  `task_started` and `task_finished` signals, connected in `CoreConfig.ready`);
- a **recovery pass** (`recover`, run by `run_scheduler` before each pass): a RUNNING job whose
  lease is silent for `OPENNRM_JOB_STALE_SECONDS` is put back in the queue (READY) and another
  worker runs it again; a FAILED job is put back after `OPENNRM_JOB_RETRY_SECONDS`, doubled at
  each attempt; after `OPENNRM_JOB_MAX_ATTEMPTS` runs (the library counts them in
  `worker_ids`), the job is set aside as a `core.FailedJob`: logged once at ERROR, shown in
  `/health/ready/` (`"jobs"`) and the admin until someone acknowledges it.

A job may therefore run more than once (a worker killed after the job's work committed but
before the library recorded its success; a worker so slow that its lease went stale): every
job is written to be idempotent (ADR 0015 lists why each one is). Jobs are put back with a
conditional update of the row as it was read, so two recovery passes never put one job back
twice, and the worker's own `select_for_update(skip_locked=True)` lets only one worker take it.
"""

import datetime
import logging
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.models import FailedJob, JobLease, ScheduledRun

logger = logging.getLogger(__name__)

RECOVERY_PROCESS = "job_recovery"
WORKER_LOST = "opennrm.core.jobs.WorkerLost"  # the error recorded when the worker died
# Failures older than this are history, not run again (a job that failed, or whose worker died,
# before this module existed): a job that died that long ago is set aside, a failure ignored.
RETRY_WINDOW = datetime.timedelta(days=2)


def heartbeat_interval() -> float:
    return float(settings.OPENNRM_JOB_HEARTBEAT_SECONDS)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OPENNRM_JOB_STALE_SECONDS)


def max_attempts() -> int:
    return int(settings.OPENNRM_JOB_MAX_ATTEMPTS)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait before the next run of a job that failed `attempts` times: the base delay,
    doubled at each attempt."""
    return datetime.timedelta(
        seconds=settings.OPENNRM_JOB_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    )


# --- The heartbeat, in the worker ------------------------------------------------------------


class _Heartbeat(threading.Thread):
    """Renews one job's lease until stopped; stops on its own if the lease was taken back."""

    def __init__(self, task_id: uuid.UUID, worker_id: str, interval: float) -> None:
        super().__init__(name=f"heartbeat-{task_id}", daemon=True)
        self.task_id = task_id
        self.worker_id = worker_id
        self.interval = interval
        self.halt = threading.Event()

    def run(self) -> None:
        try:
            while not self.halt.wait(self.interval):
                try:
                    kept = JobLease.objects.filter(
                        task_id=self.task_id, worker_id=self.worker_id
                    ).update(beat_at=timezone.now())
                except DatabaseError as error:  # the next beat tries again
                    logger.warning(
                        "Job %s: heartbeat not written (%s).", self.task_id, type(error).__name__
                    )
                    continue
                if not kept:
                    logger.error(
                        "Job %s: its lease was taken back (the worker looked dead); another "
                        "worker may run it too.",
                        self.task_id,
                    )
                    return
        finally:
            connection.close()  # this thread's own connection


_beating: dict[uuid.UUID, _Heartbeat] = {}
_beating_lock = threading.Lock()


def start_heartbeat(task_id: uuid.UUID, worker_id: str) -> None:
    """Take the job's lease (now, before it runs) and keep it alive from a thread."""
    now = timezone.now()
    JobLease.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id, "started_at": now, "beat_at": now}
    )
    beat = _Heartbeat(task_id, worker_id, heartbeat_interval())
    with _beating_lock:
        _beating[task_id] = beat
    beat.start()


def stop_heartbeat(task_id: uuid.UUID, worker_id: str) -> None:
    """Stop the thread and give the lease back (the job ended, well or not)."""
    with _beating_lock:
        beat = _beating.pop(task_id, None)
    if beat is not None:
        beat.halt.set()
        beat.join(timeout=max(heartbeat_interval(), 1.0) * 2)
    JobLease.objects.filter(task_id=task_id, worker_id=worker_id).delete()


def _from_database_backend(sender: Any) -> bool:
    """db_worker sends the backend itself, or its class after a failure."""
    if isinstance(sender, type):
        return issubclass(sender, DatabaseBackend)
    return isinstance(sender, DatabaseBackend)


def _ids(task_result: Any) -> tuple[uuid.UUID, str]:
    worker_ids = list(task_result.worker_ids or [])
    return uuid.UUID(str(task_result.id)), str(worker_ids[-1]) if worker_ids else ""


def on_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if _from_database_backend(sender):
        start_heartbeat(*_ids(task_result))


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if _from_database_backend(sender):
        stop_heartbeat(*_ids(task_result))


def connect_signals() -> None:
    task_started.connect(on_task_started, dispatch_uid="opennrm.core.jobs.started")
    task_finished.connect(on_task_finished, dispatch_uid="opennrm.core.jobs.finished")


# --- The recovery pass, in the scheduler -----------------------------------------------------


@dataclass(frozen=True)
class Recovery:
    """What one recovery pass did (task ids)."""

    reclaimed: list[str] = field(default_factory=list)  # RUNNING, worker dead: queued again
    retried: list[str] = field(default_factory=list)  # FAILED: queued again
    set_aside: list[str] = field(default_factory=list)  # out of attempts: FailedJob

    def __bool__(self) -> bool:
        return bool(self.reclaimed or self.retried or self.set_aside)


def _actor() -> Actor:
    return Actor.system(RECOVERY_PROCESS)


def _set_aside(row: "DBTaskResult[..., Any]", now: datetime.datetime) -> bool:
    """Record the job as failed for good, once; False if it already was."""
    attempts = len(row.worker_ids)
    error = (row.exception_class_path or "")[:200]
    _job, created = FailedJob.objects.get_or_create(
        task_id=row.pk,
        defaults={
            "task_path": row.task_path[:200],
            "attempts": attempts,
            "error": error,
            "failed_at": now,
        },
    )
    if created:
        record(
            "job.failed",
            object_type="django_tasks_db.dbtaskresult",
            object_id=str(row.pk),
            actor=_actor(),
            details={"task": row.task_path, "attempts": attempts, "error": error},
        )
        logger.error(
            "Background job %s (task %s) failed %s time(s), last with %s: not run again. "
            "Acknowledge it in the admin (Core: failed jobs) once dealt with.",
            row.task_path,
            row.pk,
            attempts,
            error or "no error recorded",
        )
    return created


def _reclaim(task_id: uuid.UUID, started_at: datetime.datetime, now: datetime.datetime) -> str:
    """Put a RUNNING job whose worker went silent back in the queue, or set it aside when it
    has had all its attempts. "" when it was not stale after all, or someone else acted."""
    stale_before = now - stale_after()
    with transaction.atomic():
        lease = JobLease.objects.select_for_update(of=("self",)).filter(task_id=task_id).first()
        if lease is not None and lease.beat_at >= stale_before:
            return ""
        row = (
            DBTaskResult.objects.select_for_update(of=("self",))
            .filter(pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at)
            .first()
        )
        if row is None:
            return ""
        if lease is not None:
            lease.delete()  # a heartbeat still trying finds it gone and stops
        worker = row.worker_ids[-1] if row.worker_ids else ""
        # Out of attempts, or stuck since before the retry window (a worker killed before
        # this module existed): history, shown to the operator rather than run days late.
        if len(row.worker_ids) >= max_attempts() or started_at < now - RETRY_WINDOW:
            row.status = TaskResultStatus.FAILED
            row.finished_at = now
            row.exception_class_path = WORKER_LOST
            row.traceback = f"The worker {worker} stopped renewing this job's lease."
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            _set_aside(row, now)
            return "set_aside"
        row.status = TaskResultStatus.READY
        row.save(update_fields=["status"])
        record(
            "job.reclaimed",
            object_type="django_tasks_db.dbtaskresult",
            object_id=str(row.pk),
            actor=_actor(),
            details={"task": row.task_path, "attempts": len(row.worker_ids), "worker": worker},
        )
    logger.warning(
        "Background job %s (task %s): worker %s stopped; queued again (attempt %s of %s).",
        row.task_path,
        row.pk,
        worker,
        len(row.worker_ids) + 1,
        max_attempts(),
    )
    return "reclaimed"


def _retry(row: "DBTaskResult[..., Any]", now: datetime.datetime) -> bool:
    """Put a FAILED job back in the queue, if nobody did meanwhile."""
    with transaction.atomic():
        updated = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.FAILED, finished_at=row.finished_at
        ).update(status=TaskResultStatus.READY, finished_at=None)
        if not updated:
            return False
        record(
            "job.retried",
            object_type="django_tasks_db.dbtaskresult",
            object_id=str(row.pk),
            actor=_actor(),
            details={
                "task": row.task_path,
                "attempts": len(row.worker_ids),
                "error": row.exception_class_path[:200],
            },
        )
    logger.warning(
        "Background job %s (task %s) failed with %s; run again (attempt %s of %s).",
        row.task_path,
        row.pk,
        row.exception_class_path or "no error recorded",
        len(row.worker_ids) + 1,
        max_attempts(),
    )
    return True


def _due_again(row: "DBTaskResult[..., Any]", attempts: int, now: datetime.datetime) -> bool:
    return row.finished_at is not None and row.finished_at + retry_delay(attempts) <= now


def recover(now: datetime.datetime | None = None) -> Recovery:
    """One recovery pass: stale RUNNING jobs and FAILED jobs due for a retry are queued again;
    jobs out of attempts are set aside. Safe to run from several schedulers at once."""
    now = now or timezone.now()
    done = Recovery()
    stale_before = now - stale_after()
    running = list(DBTaskResult.objects.running().values_list("pk", "started_at"))
    beats = dict(
        JobLease.objects.filter(task_id__in=[pk for pk, _start in running]).values_list(
            "task_id", "beat_at"
        )
    )
    for pk, started_at in running:
        last = beats.get(pk, started_at)
        if started_at is None or (last is not None and last >= stale_before):
            continue
        outcome = _reclaim(pk, started_at, now)
        if outcome == "reclaimed":
            done.reclaimed.append(str(pk))
        elif outcome == "set_aside":
            done.set_aside.append(str(pk))
    set_aside = FailedJob.objects.values("task_id")
    failed = (
        DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - RETRY_WINDOW)
        .exclude(pk__in=set_aside)
        .order_by("finished_at")
    )
    for row in failed:
        attempts = len(row.worker_ids)
        if attempts >= max_attempts():
            with transaction.atomic():
                if _set_aside(row, now):
                    done.set_aside.append(str(row.pk))
        elif _due_again(row, attempts, now) and _retry(row, now):
            done.retried.append(str(row.pk))
    return done


# --- Housekeeping -----------------------------------------------------------------------------


def keep_results() -> datetime.timedelta:
    return datetime.timedelta(days=settings.OPENNRM_TASK_RESULTS_KEEP_DAYS)


def prune_results(now: datetime.datetime | None = None) -> dict[str, int]:
    """Forget the results of jobs that ended more than `OPENNRM_TASK_RESULTS_KEEP_DAYS` ago
    (every minute's sealing and delivery add about 1,440 rows a day each), and the scheduler's
    record of periods as old (but each job's last, which `run_scheduler --list` shows and a
    scheduler may be writing). A failed job set aside and not yet acknowledged keeps its result:
    the operator may want its traceback. Recent history stays for the recovery pass, which
    looks back `RETRY_WINDOW` (2 days), less than the 7 days the setting allows at least."""
    before = (now or timezone.now()) - keep_results()
    unacknowledged = FailedJob.objects.filter(acknowledged_at__isnull=True).values("task_id")
    results, _detail = (
        DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
            finished_at__lt=before,
        )
        .exclude(pk__in=unacknowledged)
        .delete()
    )
    newest = ScheduledRun.objects.filter(job=OuterRef("job")).order_by("-period_start")
    runs, _detail = (
        ScheduledRun.objects.filter(recorded_at__lt=before)
        .exclude(pk=Subquery(newest.values("pk")[:1]))  # each job's last run stays listed
        .delete()
    )
    return {"task_results": results, "scheduled_runs": runs}


# --- What the operator sees ------------------------------------------------------------------


def unacknowledged_failures() -> int:
    return FailedJob.objects.filter(acknowledged_at__isnull=True).count()


def acknowledge(actor: Actor, jobs: Iterable[FailedJob]) -> int:
    """Mark failed jobs as seen by an operator (they leave the readiness report)."""
    count = 0
    with transaction.atomic():
        for job in jobs:
            if job.acknowledged_at is not None:
                continue
            job.acknowledged_at = timezone.now()
            job.save(update_fields=["acknowledged_at"])
            record("job.acknowledged", target=job, actor=actor, details={"task": job.task_path})
            count += 1
    return count
