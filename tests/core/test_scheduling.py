"""The scheduler of periodic jobs (opennrm.core.scheduling, `manage.py run_scheduler`).

A due job is queued once per period — not twice when the scheduler runs twice, restarts, or
runs twice at the same moment (PostgreSQL, two transactions) — the next period queues it
again, periods follow the deployment's time zone, and the worker then runs what was queued (a
real reminder, end to end).
"""

import datetime
import inspect
import io
import signal
import threading
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks import task

from opennrm.core import scheduling
from opennrm.core.models import ScheduledRun
from opennrm.core.scheduling import Daily, Every, PeriodicJob, run_due
from tests.identification.conftest import platform93

__all__ = ["platform93"]  # a fixture used by the end-to-end test

CALLS: list[str | None] = []


@task()
def fictional_job(today: str | None = None) -> str | None:
    """A task of the tests: records that it ran, and for which day."""
    CALLS.append(today)
    return today


def _for_day(day: datetime.date) -> dict[str, str]:
    return {"today": day.isoformat()}


JOB = PeriodicJob(
    name="tests.fictional",
    task=fictional_job,
    schedule=Daily(datetime.time(7, 0)),
    arguments=_for_day,
)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.TIME_ZONE = "Europe/Paris"
    CALLS.clear()
    yield
    CALLS.clear()


# The registry --------------------------------------------------------------------------------


def test_each_domain_registers_its_own_jobs():
    jobs = {job.name: job for job in scheduling.registered_jobs()}
    assert set(jobs) == {
        "audit.checkpoint",
        "audit.seal",
        "audit.verify",
        "core.housekeeping",
        "core.notification_digests",
        "detection.triage_reminders",
        "identification.decision_reminders",
        "monitoring.refresh_counts",
        "outbox.deliver",
        "privacy.retention",
        "recognition.expiry",
        "support.orientation_reminders",
    }
    assert jobs["monitoring.refresh_counts"].schedule == Every(datetime.timedelta(minutes=5))
    assert jobs["audit.checkpoint"].schedule == Daily(datetime.time(2, 15))
    assert jobs["audit.checkpoint"].kwargs_for(paris(2026, 5, 4, 2, 15)) == {"today": "2026-05-04"}
    assert jobs["outbox.deliver"].schedule == Every(datetime.timedelta(minutes=1))
    assert jobs["core.housekeeping"].schedule == Daily(datetime.time(3, 45))
    assert jobs["core.notification_digests"].schedule == Daily(datetime.time(6, 30))
    sealing = jobs["audit.seal"]
    assert sealing.task.module_path == "opennrm.audit.tasks.seal_audit_trail"
    assert sealing.schedule == Every(datetime.timedelta(minutes=1))
    reminders = jobs["identification.decision_reminders"]
    assert reminders.task.module_path == "opennrm.identification.tasks.send_decision_reminders"
    assert reminders.schedule == Daily(datetime.time(7, 0))
    assert reminders.kwargs_for(paris(2026, 5, 4, 7, 0)) == {"today": "2026-05-04"}
    retention = jobs["privacy.retention"]
    assert retention.task.module_path == "opennrm.privacy.tasks.apply_retention"
    assert retention.schedule == Daily(datetime.time(1, 30))
    assert retention.kwargs_for(paris(2026, 5, 4, 1, 30)) == {}
    # Core finds the domains' `periodic` modules; it imports none of them.
    source = inspect.getsource(scheduling)
    assert "opennrm.identification" not in source and "opennrm.privacy" not in source
    assert "opennrm.audit" not in source


def test_a_schedule_every_few_minutes_starts_on_the_minute():
    every_five = Every(datetime.timedelta(minutes=5))
    now = paris(2026, 5, 4, 7, 13)
    start = every_five.period_start(now)
    assert start == paris(2026, 5, 4, 7, 10)
    assert every_five.next_start(now) == paris(2026, 5, 4, 7, 15)
    assert every_five.period_start(start) == start
    assert str(every_five) == "every 5 min"
    for wrong in (datetime.timedelta(seconds=30), datetime.timedelta(minutes=7)):
        with pytest.raises(ImproperlyConfigured):
            Every(wrong)


def test_two_different_jobs_cannot_share_a_name():
    from django.core.exceptions import ImproperlyConfigured

    scheduling.register(JOB)
    try:
        scheduling.register(JOB)  # the same again: harmless
        with pytest.raises(ImproperlyConfigured, match=r"tests\.fictional"):
            scheduling.register(PeriodicJob(JOB.name, fictional_job, Daily(datetime.time(8, 0))))
    finally:
        scheduling.unregister(JOB.name)


# Periods in the deployment's time zone ------------------------------------------------------


def test_a_daily_period_starts_at_the_local_time_summer_and_winter():
    daily = Daily(datetime.time(7, 0))
    utc = datetime.UTC
    # Summer (UTC+2): 07:00 in Paris is 05:00 UTC.
    assert daily.period_start(datetime.datetime(2026, 7, 1, 4, 59, tzinfo=utc)) == paris(
        2026, 6, 30, 7, 0
    )
    assert daily.period_start(datetime.datetime(2026, 7, 1, 5, 0, tzinfo=utc)) == paris(
        2026, 7, 1, 7, 0
    )
    # Winter (UTC+1): 07:00 in Paris is 06:00 UTC.
    assert daily.period_start(datetime.datetime(2026, 1, 15, 5, 30, tzinfo=utc)) == paris(
        2026, 1, 14, 7, 0
    )
    assert daily.period_start(datetime.datetime(2026, 1, 15, 6, 0, tzinfo=utc)) == paris(
        2026, 1, 15, 7, 0
    )
    assert daily.next_start(datetime.datetime(2026, 1, 15, 6, 0, tzinfo=utc)) == paris(
        2026, 1, 16, 7, 0
    )
    assert str(daily) == "daily at 07:00"


def test_the_period_follows_the_deployments_time_zone(settings):
    settings.TIME_ZONE = "Pacific/Noumea"  # UTC+11, no summer time
    daily = Daily(datetime.time(7, 0))
    noumea = zoneinfo.ZoneInfo("Pacific/Noumea")
    start = daily.period_start(datetime.datetime(2026, 7, 1, 20, 0, tzinfo=datetime.UTC))
    assert start == datetime.datetime(2026, 7, 2, 7, 0, tzinfo=noumea)
    assert start.astimezone(datetime.UTC).hour == 20
    assert JOB.kwargs_for(start) == {"today": "2026-07-02"}  # the local day, not UTC's


@pytest.mark.parametrize(
    ("first", "at"),
    [
        (datetime.date(2026, 3, 27), datetime.time(2, 30)),  # 02:30 does not exist on 29 March
        (datetime.date(2026, 10, 23), datetime.time(2, 30)),  # 02:30 happens twice on 25 October
        (datetime.date(2026, 3, 27), datetime.time(7, 0)),
    ],
)
def test_one_period_a_day_across_the_changes_of_time(first, at):
    daily = Daily(at)
    start = datetime.datetime.combine(first, datetime.time(0, 0), tzinfo=datetime.UTC)
    starts = {daily.period_start(start + datetime.timedelta(minutes=15 * i)) for i in range(480)}
    days = sorted(s.astimezone(PARIS).date() for s in starts)
    assert len(days) == len(set(days)) == len(starts)  # exactly one period per local day
    assert days == [
        first - datetime.timedelta(days=1) + datetime.timedelta(days=i) for i in range(6)
    ]


# Queued once per period ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_due_job_is_queued_once_and_the_next_period_again():
    first = run_due(paris(2026, 5, 4, 7, 5), jobs=[JOB])
    assert [(c.job, c.outcome) for c in first] == [("tests.fictional", "enqueued")]
    assert first[0].period_start == paris(2026, 5, 4, 7, 0)
    assert CALLS == ["2026-05-04"]
    run = ScheduledRun.objects.get()
    assert run.task_id == first[0].task_id and run.task_id
    # Run again in the same period (twice, or after a restart): nothing more.
    assert run_due(paris(2026, 5, 4, 7, 6), jobs=[JOB]) == []
    assert run_due(paris(2026, 5, 5, 6, 59), jobs=[JOB]) == []
    assert CALLS == ["2026-05-04"]
    # The next period queues it again.
    second = run_due(paris(2026, 5, 5, 7, 0), jobs=[JOB])
    assert [c.period_start for c in second] == [paris(2026, 5, 5, 7, 0)]
    assert CALLS == ["2026-05-04", "2026-05-05"]
    assert ScheduledRun.objects.count() == 2


@pytest.mark.django_db
def test_a_late_scheduler_catches_up_within_the_grace_and_skips_older_periods():
    # Started at 10:00: this morning's period is 3 hours old, within the 12 hours of grace.
    claims = run_due(paris(2026, 5, 4, 10, 0), jobs=[JOB])
    assert [c.outcome for c in claims] == ["enqueued"] and CALLS == ["2026-05-04"]
    # Stopped for two days, started again at 03:00: yesterday's 07:00 is 20 hours old.
    claims = run_due(paris(2026, 5, 7, 3, 0), jobs=[JOB])
    assert [(c.period_start, c.outcome, c.task_id) for c in claims] == [
        (paris(2026, 5, 6, 7, 0), "missed", "")
    ]
    assert CALLS == ["2026-05-04"]
    assert run_due(paris(2026, 5, 7, 3, 1), jobs=[JOB]) == []  # missed once, said once
    assert run_due(paris(2026, 5, 7, 7, 0), jobs=[JOB])[0].outcome == "enqueued"
    assert CALLS == ["2026-05-04", "2026-05-07"]


class FailingTask:
    """Stands for a task whose queue is unreachable."""

    module_path = "tests.core.test_scheduling.failing"

    def enqueue(self, **kwargs: object) -> object:
        raise RuntimeError("queue unreachable")


@pytest.mark.django_db
def test_a_run_that_could_not_be_queued_is_not_recorded_and_is_tried_again():
    failing = PeriodicJob(JOB.name, FailingTask(), JOB.schedule, arguments=_for_day)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        run_due(paris(2026, 5, 4, 7, 5), jobs=[failing])
    assert not ScheduledRun.objects.exists()
    assert [c.outcome for c in run_due(paris(2026, 5, 4, 7, 6), jobs=[JOB])] == ["enqueued"]


# The command ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_run_scheduler_once_queues_the_registered_jobs_once(monkeypatch):
    monkeypatch.setattr(scheduling, "_now", lambda: paris(2026, 5, 4, 7, 5))
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    text = out.getvalue()
    assert "Queued identification.decision_reminders for 2026-05-04 07:00" in text
    assert "Queued privacy.retention for 2026-05-04 01:30" in text
    assert set(ScheduledRun.objects.values_list("job", "outcome")) == {
        ("audit.checkpoint", "enqueued"),
        ("audit.seal", "enqueued"),
        ("audit.verify", "enqueued"),
        ("core.housekeeping", "enqueued"),
        ("core.notification_digests", "enqueued"),
        ("detection.triage_reminders", "enqueued"),
        ("identification.decision_reminders", "enqueued"),
        ("monitoring.refresh_counts", "enqueued"),
        ("outbox.deliver", "enqueued"),
        ("privacy.retention", "enqueued"),
        ("recognition.expiry", "enqueued"),
        ("support.orientation_reminders", "enqueued"),
    }
    again = io.StringIO()
    call_command("run_scheduler", "--once", stdout=again)
    assert again.getvalue() == ""
    assert ScheduledRun.objects.count() == 12
    listing = io.StringIO()
    call_command("run_scheduler", "--list", stdout=listing)
    assert "identification.decision_reminders: opennrm.identification.tasks" in listing.getvalue()
    assert "last period 2026-05-04 07:00 (enqueued)" in listing.getvalue()


@pytest.mark.django_db(transaction=True)  # the loop closes stale connections between passes
def test_run_scheduler_loops_until_stopped(monkeypatch):
    """Loop mode: a pass every interval; stopping (SIGTERM in production) ends it cleanly."""
    from opennrm.core.management.commands import run_scheduler

    times = iter([paris(2026, 5, 4, 7, 5), paris(2026, 5, 4, 7, 6), paris(2026, 5, 5, 7, 0)])
    monkeypatch.setattr(scheduling, "_now", lambda: next(times))
    passes: list[list[str]] = []
    real_run_forever = scheduling.run_forever

    def three_passes(interval, stop, on_pass=None):
        def counted(claims):
            on_pass(claims)
            passes.append([claim.job for claim in claims])
            if len(passes) == 3:
                stop.set()

        real_run_forever(0.01, stop, on_pass=counted)

    monkeypatch.setattr(run_scheduler, "run_forever", three_passes)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    out = io.StringIO()
    try:
        call_command("run_scheduler", "--interval", "30", stdout=out)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    every = [
        "audit.checkpoint",
        "audit.seal",
        "audit.verify",
        "core.housekeeping",
        "core.notification_digests",
        "detection.triage_reminders",
        "identification.decision_reminders",
        "monitoring.refresh_counts",
        "outbox.deliver",
        "privacy.retention",
        "recognition.expiry",
        "support.orientation_reminders",
    ]
    assert passes == [every, ["audit.seal", "outbox.deliver"], every]  # those of every minute
    assert "Scheduler running, a pass every 30 s" in out.getvalue()
    assert "Scheduler stopped." in out.getvalue()
    with pytest.raises(Exception, match="positive"):
        call_command("run_scheduler", "--interval", "0")


# Two schedulers at once (PostgreSQL) ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_queue_one_run(monkeypatch):
    """Both pass the "already recorded?" check, then both insert: the unique constraint makes
    the second transaction wait for the first and fail; it queues nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writes")
    checked = threading.Barrier(2)
    original = scheduling._recorded

    def check_then_wait(job, period_start):
        seen = original(job, period_start)
        checked.wait(timeout=10)  # both saw "not recorded yet"
        return seen

    monkeypatch.setattr(scheduling, "_recorded", check_then_wait)
    results: list[list[scheduling.Claim]] = []
    errors: list[BaseException] = []

    def scheduler() -> None:
        try:
            results.append(run_due(paris(2026, 5, 4, 7, 5), jobs=[JOB]))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(len(claims) for claims in results) == [0, 1]
    assert CALLS == ["2026-05-04"]
    assert ScheduledRun.objects.filter(job=JOB.name).count() == 1


# End to end: the scheduler queues, the worker runs a real reminder ----------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_reminder_the_scheduler_queued(
    settings, monkeypatch, cast, platform93, smtp_server
):
    from django_tasks_db.models import DBTaskResult

    from opennrm.core.models import Notification
    from opennrm.identification.models import Referral, Route
    from tests.identification.conftest import presumed_case, referred

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OPENNRM_BASE_URL = "https://opennrm.test.invalid"
    referral = referred(cast, presumed_case(cast), Route.PLATFORM)
    today = timezone.localdate()
    Referral.objects.filter(pk=referral.pk).update(decision_due=today - datetime.timedelta(1))
    morning = datetime.datetime.combine(today, datetime.time(7, 5), tzinfo=PARIS)
    monkeypatch.setattr(scheduling, "_now", lambda: morning)

    call_command("run_scheduler", "--once", stdout=io.StringIO())
    queued = DBTaskResult.objects.filter(
        task_path="opennrm.identification.tasks.send_decision_reminders"
    ).get()
    assert queued.args_kwargs == {"args": [], "kwargs": {"today": today.isoformat()}}
    assert not Notification.objects.filter(kind="identification.reminder").exists()
    assert smtp_server == []  # queued, not sent: the worker sends

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert Notification.objects.filter(recipient=cast.louis, kind="identification.reminder")
    assert cast.louis.email in {mail.recipients[0] for mail in smtp_server}
    # The scheduler's second pass, the same morning, queues nothing more.
    call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(task_path=queued.task_path).count() == 1
