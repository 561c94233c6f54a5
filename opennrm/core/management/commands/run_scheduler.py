"""Queue the periodic jobs that are due (opennrm.core.scheduling); the worker
(`manage.py db_worker`) runs them.

    manage.py run_scheduler --once     # one pass, then exit: from cron or a systemd timer
    manage.py run_scheduler            # a pass every --interval seconds until stopped
    manage.py run_scheduler --list     # the jobs, their schedule, their last and next period

Several schedulers, or a pass run twice, never queue the same period twice. Before each pass,
the jobs whose worker died or that failed are queued again (opennrm.core.jobs).
"""

import signal
import threading
import uuid
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opennrm.core.jobs import recover
from opennrm.core.models import FailedJob, ScheduledRun
from opennrm.core.scheduling import Claim, last_run, registered_jobs, run_due, run_forever


class Command(BaseCommand):
    help = "Queue the periodic background jobs that are due (once, or in a loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="One pass, then exit (cron, systemd timer)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="Seconds between two passes in loop mode (default: 60).",
        )
        parser.add_argument(
            "--list", action="store_true", help="List the jobs and their periods, queue nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        if options["once"]:
            recover()
            self._report(run_due())
            return
        interval = options["interval"]
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds.")
        stop = threading.Event()

        def shut_down(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"{signal.strsignal(signum)}: stopping after this pass.")
            stop.set()

        signal.signal(signal.SIGTERM, shut_down)
        signal.signal(signal.SIGINT, shut_down)
        names = ", ".join(job.name for job in registered_jobs()) or "none"
        self.stdout.write(f"Scheduler running, a pass every {interval:g} s. Jobs: {names}.")
        run_forever(interval, stop, on_pass=self._report)
        self.stdout.write("Scheduler stopped.")

    def _report(self, claims: list[Claim]) -> None:
        for claim in claims:
            start = timezone.localtime(claim.period_start).strftime("%Y-%m-%d %H:%M %Z")
            if claim.task_id:
                self.stdout.write(f"Queued {claim.job} for {start} (task {claim.task_id}).")
            else:
                self.stdout.write(f"Missed {claim.job} for {start}: not queued.")

    def _list(self) -> None:
        now = timezone.now()
        for job in registered_jobs():
            run = last_run(job)
            last = (
                f"{timezone.localtime(run.period_start):%Y-%m-%d %H:%M} ({self._state(run)})"
                if run
                else "never"
            )
            current = job.schedule.period_start(now)
            if (run is None or run.period_start < current) and now - current <= job.grace:
                upcoming = "due now"
            else:
                upcoming = f"{timezone.localtime(job.schedule.next_start(now)):%Y-%m-%d %H:%M %Z}"
            self.stdout.write(
                f"{job.name}: {job.task.module_path}, {job.schedule}; "
                f"last period {last}; next {upcoming}"
            )

    @staticmethod
    def _state(run: ScheduledRun) -> str:
        """The run's outcome and, when its task is in the queue's table, where it stands (a
        failed task is run again until it succeeds or runs out of attempts: core.jobs)."""
        try:  # the database backend's ids are UUIDs; another backend keeps no row
            task_id = uuid.UUID(run.task_id)
        except ValueError:
            return run.outcome
        status = DBTaskResult.objects.filter(pk=task_id).values_list("status", flat=True).first()
        if status is None:
            return run.outcome
        given_up = FailedJob.objects.filter(task_id=task_id).exists()
        return f"{run.outcome}, task {status.lower()}" + (", failed for good" if given_up else "")
