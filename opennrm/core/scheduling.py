"""Periodic jobs: which background task to queue, when, and the record that it was queued.

django-tasks queues and runs tasks (`manage.py db_worker`) but schedules nothing. Each domain
registers its periodic jobs in a `periodic.py` module of its package, found the way the admin
finds `admin.py` (core imports no domain package):

    from opennrm.core.scheduling import Daily, PeriodicJob, register

    register(PeriodicJob("identification.decision_reminders", send_decision_reminders,
                         Daily(datetime.time(7, 0)), arguments=lambda day: {"today": ...}))

`manage.py run_scheduler` (once, from cron or a systemd timer, or as a long-running loop) queues
the jobs that are due. A job is due when the latest start of its schedule, in the deployment's
time zone (`TIME_ZONE`), has passed and no run was recorded for it. The run is recorded
(`core.ScheduledRun`) and the task queued in the same transaction, and the unique constraint on
(job, period start) lets only one of two schedulers, or of two runs of one, claim a period; a
failure to queue rolls the record back, so the next pass tries again. A period missed by more
than the job's grace (the scheduler was stopped) is recorded as missed and not queued: the next
period runs as usual.

A period's job that fails, or whose worker dies, is run again by the recovery pass that
`run_scheduler` makes before each pass (`opennrm.core.jobs`, ADR 0015): the same queued task,
so `ScheduledRun.task_id` names it through every attempt.
"""

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, close_old_connections, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task

from opennrm.core.jobs import recover
from opennrm.core.models import ScheduledRun

logger = logging.getLogger(__name__)

MODULE = "periodic"  # the module of each app that registers its jobs


def _now() -> datetime.datetime:
    return timezone.now()


def _at(day: datetime.date, at: datetime.time, tz: datetime.tzinfo) -> datetime.datetime:
    """`day` at `at` in the time zone `tz`. A time skipped by a change to summer time is read
    with the offset before the change (an hour later on the clock); a time that occurs twice,
    at its first occurrence."""
    return datetime.datetime.combine(day, at).replace(tzinfo=tz)


@dataclass(frozen=True)
class Daily:
    """Every day at a time of the deployment's time zone (the `TIME_ZONE` setting)."""

    at: datetime.time

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        """The latest start at or before `now`."""
        tz = timezone.get_default_timezone()
        today = timezone.localtime(now, tz).date()
        start = _at(today, self.at, tz)
        if start > now:
            start = _at(today - datetime.timedelta(days=1), self.at, tz)
        return start

    def next_start(self, now: datetime.datetime) -> datetime.datetime:
        """The first start after `now`."""
        tz = timezone.get_default_timezone()
        day = self.period_start(now).astimezone(tz).date() + datetime.timedelta(days=1)
        return _at(day, self.at, tz)

    def __str__(self) -> str:
        return f"daily at {self.at:%H:%M}"


@dataclass(frozen=True)
class Every:
    """Every `interval` (a whole number of minutes dividing a day), periods aligned on
    midnight UTC: every minute, every 5 minutes, every hour…"""

    interval: datetime.timedelta

    def __post_init__(self) -> None:
        seconds = self.interval.total_seconds()
        if seconds < 60 or seconds % 60 or 86_400 % seconds:
            raise ImproperlyConfigured("A period must be whole minutes dividing a day.")

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        seconds = int(self.interval.total_seconds())
        epoch = int(now.timestamp())
        return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)

    def next_start(self, now: datetime.datetime) -> datetime.datetime:
        return self.period_start(now) + self.interval

    def __str__(self) -> str:
        return f"every {int(self.interval.total_seconds() // 60)} min"


Schedule = Daily | Every


@dataclass(frozen=True)
class PeriodicJob:
    """A task queued once per period of its schedule.

    `arguments` gives the task's keyword arguments from the period's day in the deployment's
    time zone (e.g. the day a reminder is for, whenever the worker gets to it). A period is
    queued late, when the scheduler was stopped at its start, as long as no more than `grace`
    has passed."""

    name: str
    task: Task[..., Any]
    schedule: Schedule
    arguments: Callable[[datetime.date], dict[str, Any]] | None = None
    grace: datetime.timedelta = field(default=datetime.timedelta(hours=12))

    def kwargs_for(self, period_start: datetime.datetime) -> dict[str, Any]:
        if self.arguments is None:
            return {}
        day = timezone.localtime(period_start, timezone.get_default_timezone()).date()
        return self.arguments(day)


_registry: dict[str, PeriodicJob] = {}
_discovered = False
_lock = threading.Lock()


def register(job: PeriodicJob) -> PeriodicJob:
    """Add a job to the registry (from an app's `periodic.py`). Registering the same job again
    is harmless; another job under a name already taken is a configuration error."""
    with _lock:
        known = _registry.get(job.name)
        if known is not None and (
            known.task.module_path != job.task.module_path or known.schedule != job.schedule
        ):
            raise ImproperlyConfigured(f"Two periodic jobs are named {job.name!r}.")
        _registry[job.name] = job
    return job


def unregister(name: str) -> None:
    """Remove a job (tests)."""
    with _lock:
        _registry.pop(name, None)


def autodiscover() -> None:
    """Import the `periodic` module of every installed app, once."""
    global _discovered
    with _lock:
        if _discovered:
            return
        _discovered = True
    autodiscover_modules(MODULE)


def registered_jobs() -> list[PeriodicJob]:
    autodiscover()
    with _lock:
        return sorted(_registry.values(), key=lambda job: job.name)


@dataclass(frozen=True)
class Claim:
    """What one pass of the scheduler did for one due job."""

    job: str
    period_start: datetime.datetime
    outcome: str  # ScheduledRun.ENQUEUED or ScheduledRun.MISSED
    task_id: str = ""


def _recorded(job: PeriodicJob, period_start: datetime.datetime) -> bool:
    return ScheduledRun.objects.filter(job=job.name, period_start=period_start).exists()


def _claim(
    job: PeriodicJob, period_start: datetime.datetime, now: datetime.datetime
) -> Claim | None:
    """Record the period and queue its task in one transaction; None if another scheduler
    claimed it first."""
    missed = now - period_start > job.grace
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(
                job=job.name,
                period_start=period_start,
                outcome=ScheduledRun.MISSED if missed else ScheduledRun.ENQUEUED,
                recorded_at=now,
            )
            if not missed:
                result = job.task.enqueue(**job.kwargs_for(period_start))
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
    except IntegrityError:  # the unique (job, period start): someone else claimed it
        return None
    return Claim(job.name, period_start, run.outcome, run.task_id)


def run_due(
    now: datetime.datetime | None = None, jobs: list[PeriodicJob] | None = None
) -> list[Claim]:
    """Queue every job whose current period has started and is not recorded yet."""
    now = now or _now()
    claims = []
    for job in registered_jobs() if jobs is None else jobs:
        period_start = job.schedule.period_start(now)
        if _recorded(job, period_start):
            continue
        claim = _claim(job, period_start, now)
        if claim is None:
            continue
        claims.append(claim)
        if claim.outcome == ScheduledRun.MISSED:
            logger.warning(
                "Periodic job %s: the period of %s was missed (scheduler stopped); not queued.",
                job.name,
                period_start.isoformat(),
            )
        else:
            logger.info(
                "Periodic job %s queued for %s (task %s).",
                job.name,
                period_start.isoformat(),
                claim.task_id,
            )
    return claims


def run_forever(
    interval: float,
    stop: threading.Event,
    on_pass: Callable[[list[Claim]], None] | None = None,
) -> None:
    """Every `interval` seconds until `stop` is set: put back in the queue the jobs whose
    worker died or that failed (`opennrm.core.jobs.recover`), then `run_due`. A database error
    is logged and the next pass tries again."""
    while not stop.is_set():
        close_old_connections()
        try:
            recover()
            claims = run_due()
        except DatabaseError:
            logger.exception("Scheduler pass failed; trying again in %s s.", interval)
        else:
            if on_pass is not None:
                on_pass(claims)
        stop.wait(interval)
    close_old_connections()


def last_run(job: PeriodicJob) -> ScheduledRun | None:
    """The latest recorded period of a job."""
    return ScheduledRun.objects.filter(job=job.name).order_by("-period_start").first()
