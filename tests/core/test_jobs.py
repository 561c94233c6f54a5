"""Jobs that survive their worker (opennrm.core.jobs, ADR 0015): a job whose worker went silent
is queued again, a failed job is run again after a back-off, a job out of attempts is set aside
and shown to the operator, and the period of a periodic job that failed is run again. The
worker is the library's own `db_worker`, run in this process; the same with a real worker
process killed mid-job is in test_worker_killed.py (PostgreSQL)."""

import datetime
import io
import logging
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from opennrm.audit.models import AuditEntry
from opennrm.audit.periodic import CHECKPOINT
from opennrm.core import jobs
from opennrm.core.acting import Actor
from opennrm.core.models import FailedJob, JobLease, ScheduledRun
from opennrm.core.scheduling import run_due

SEAL = "opennrm.audit.tasks.seal_audit_trail"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _running(worker_ids: list[str], started: datetime.datetime) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {}},
        task_path=SEAL,
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        started_at=started,
        worker_ids=worker_ids,
    )


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())


@task(takes_context=True)
def lease_seen(context: TaskContext) -> bool:
    """A task of the tests: whether its worker holds its lease while it runs."""
    return JobLease.objects.filter(task_id=context.task_result.id).exists()


# A worker that died -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_went_silent_is_run_again(database_tasks):
    now = timezone.now()
    row = _running(["dead-worker"], now - datetime.timedelta(minutes=10))
    JobLease.objects.create(
        task_id=row.pk, worker_id="dead-worker", beat_at=now - datetime.timedelta(minutes=5)
    )
    done = jobs.recover(now)
    assert done.reclaimed == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == "READY"
    assert not JobLease.objects.exists()
    entry = AuditEntry.objects.get(action="job.reclaimed")
    assert entry.details["task"] == SEAL and entry.object_id == str(row.pk)
    assert not jobs.recover(now)  # a second pass finds nothing to do
    _work()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert len(row.worker_ids) == 2 and row.worker_ids[0] == "dead-worker"
    assert not JobLease.objects.exists()  # given back when the job ended


@pytest.mark.django_db
def test_a_job_whose_worker_still_beats_is_left_alone():
    now = timezone.now()
    row = _running(["live-worker"], now - datetime.timedelta(hours=1))  # a long job
    JobLease.objects.create(task_id=row.pk, worker_id="live-worker", beat_at=now)
    assert not jobs.recover(now)
    # Killed before its first beat: the start counts as one.
    fresh = _running(["worker"], now - datetime.timedelta(seconds=5))
    assert not jobs.recover(now)
    assert jobs.recover(now + jobs.stale_after()).reclaimed == [str(fresh.pk)]
    row.refresh_from_db()
    assert row.status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_a_running_job_holds_its_lease(database_tasks):
    result = lease_seen.enqueue()
    _work()
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == ("SUCCESSFUL", True)
    assert not JobLease.objects.exists()


@pytest.mark.django_db
def test_a_job_whose_worker_dies_every_time_is_set_aside(settings, caplog):
    settings.OPENNRM_JOB_MAX_ATTEMPTS = 2
    now = timezone.now()
    row = _running(["worker-1", "worker-2"], now - datetime.timedelta(minutes=10))
    with caplog.at_level(logging.ERROR, "opennrm.core.jobs"):
        assert jobs.recover(now).set_aside == [str(row.pk)]
        assert not jobs.recover(now)  # recorded, and logged, once
    row.refresh_from_db()
    assert (row.status, row.exception_class_path) == ("FAILED", jobs.WORKER_LOST)
    failed = FailedJob.objects.get()
    assert (failed.task_path, failed.attempts, failed.error) == (SEAL, 2, jobs.WORKER_LOST)
    assert caplog.text.count("not run again") == 1


# A job that failed ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_period_whose_job_failed_is_run_again(database_tasks, settings, tmp_path, cast):
    from opennrm.audit.trail import record

    record("test.event", object_type="test.thing", object_id="1")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.OPENNRM_AUDIT_CHECKPOINTS = str(blocker / "checkpoints.jsonl")  # cannot be written
    period = CHECKPOINT.schedule.period_start(timezone.now())
    (claim,) = run_due(period + datetime.timedelta(minutes=5), jobs=[CHECKPOINT])
    _work()
    row = DBTaskResult.objects.get(pk=claim.task_id)
    assert row.status == "FAILED"
    assert not jobs.recover(row.finished_at)  # not at once: after the back-off
    settings.OPENNRM_AUDIT_CHECKPOINTS = str(tmp_path / "checkpoints.jsonl")  # fixed meanwhile
    later = row.finished_at + jobs.retry_delay(1)
    assert jobs.recover(later).retried == [str(row.pk)]
    assert AuditEntry.objects.filter(action="job.retried", object_id=str(row.pk)).exists()
    _work()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert len(row.worker_ids) == 2
    # The same task, so the scheduler's record of the period names the run that succeeded.
    assert ScheduledRun.objects.get(job=CHECKPOINT.name).task_id == str(row.pk)
    assert len((tmp_path / "checkpoints.jsonl").read_text().splitlines()) == 1
    listing = io.StringIO()
    call_command("run_scheduler", "--list", stdout=listing)
    assert "(enqueued, task successful)" in listing.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_job_failing_every_attempt_is_shown_to_the_operator(
    database_tasks, settings, tmp_path, caplog, cast
):
    from opennrm.audit.trail import record

    settings.OPENNRM_JOB_MAX_ATTEMPTS = 2
    record("test.event", object_type="test.thing", object_id="1")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.OPENNRM_AUDIT_CHECKPOINTS = str(blocker / "checkpoints.jsonl")
    period = CHECKPOINT.schedule.period_start(timezone.now())
    (claim,) = run_due(period + datetime.timedelta(minutes=5), jobs=[CHECKPOINT])
    _work()
    row = DBTaskResult.objects.get(pk=claim.task_id)
    assert jobs.recover(row.finished_at + jobs.retry_delay(1)).retried == [str(row.pk)]
    _work()
    row.refresh_from_db()
    with caplog.at_level(logging.ERROR, "opennrm.core.jobs"):
        assert jobs.recover(row.finished_at + jobs.retry_delay(2)).set_aside == [str(row.pk)]
    assert "opennrm.audit.tasks.write_audit_checkpoint" in caplog.text
    assert "failed 2 time(s)" in caplog.text
    failed = FailedJob.objects.get()
    assert failed.error.endswith("FileExistsError")
    assert AuditEntry.objects.filter(action="job.failed").count() == 1
    body = Client().get("/health/ready/").json()
    assert body["checks"]["jobs"] == "1 failed"
    listing = io.StringIO()
    call_command("run_scheduler", "--list", stdout=listing)
    assert "task failed, failed for good" in listing.getvalue()
    # Dealt with: the operator acknowledges it (the admin's action).
    assert jobs.acknowledge(Actor.for_user(cast.robert), FailedJob.objects.all()) == 1
    assert Client().get("/health/ready/").json()["checks"]["jobs"] == "ok"
    assert AuditEntry.objects.filter(action="job.acknowledged").count() == 1


@pytest.mark.django_db
def test_a_job_stuck_for_days_is_set_aside_not_run_days_late():
    now = timezone.now()
    row = _running(["old-worker"], now - jobs.RETRY_WINDOW - datetime.timedelta(hours=1))
    assert jobs.recover(now).set_aside == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert FailedJob.objects.get().attempts == 1


@pytest.mark.django_db
def test_old_failures_are_history_not_retried():
    old = timezone.now() - jobs.RETRY_WINDOW - datetime.timedelta(hours=1)
    DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {}},
        task_path=SEAL,
        backend_name="default",
        queue_name="default",
        run_after=old,
        started_at=old,
        finished_at=old,
        worker_ids=["w"],
        id=uuid.uuid4(),
    )
    assert not jobs.recover()


def test_the_back_off_doubles(settings):
    settings.OPENNRM_JOB_RETRY_SECONDS = 60
    assert [jobs.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


# Housekeeping -----------------------------------------------------------------------------------


def _ended(status: str, days_ago: float) -> DBTaskResult:
    at = timezone.now() - datetime.timedelta(days=days_ago)
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=SEAL,
        backend_name="default",
        queue_name="default",
        run_after=at,
        started_at=at,
        finished_at=at,
        worker_ids=["w"],
        id=uuid.uuid4(),
    )


@pytest.mark.django_db
def test_housekeeping_prunes_old_job_results_and_scheduler_records(settings):
    """Every minute's jobs add about 1,440 results a day each: those ended more than
    OPENNRM_TASK_RESULTS_KEEP_DAYS ago go, but a failure the operator has not acknowledged."""
    from opennrm.core.tasks import housekeeping

    settings.OPENNRM_TASK_RESULTS_KEEP_DAYS = 14
    old_success = _ended("SUCCESSFUL", 15)
    old_failure = _ended("FAILED", 15)
    unacknowledged = _ended("FAILED", 20)
    FailedJob.objects.create(task_id=unacknowledged.pk, task_path=SEAL, attempts=5)
    recent = _ended("SUCCESSFUL", 13)
    running = _running(["w"], timezone.now() - datetime.timedelta(days=30))
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=15)
    ScheduledRun.objects.create(job="audit.seal", period_start=long_ago, recorded_at=long_ago)
    kept_run = ScheduledRun.objects.create(job="audit.seal", period_start=now)

    done = housekeeping.call()
    assert done["task_results"] == 2 and done["scheduled_runs"] == 1
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {unacknowledged.pk, recent.pk, running.pk}
    assert old_success.pk not in left and old_failure.pk not in left
    assert list(ScheduledRun.objects.all()) == [kept_run]
    assert housekeeping.call()["task_results"] == 0  # twice: nothing more
