"""A real `manage.py db_worker` process killed with SIGKILL in the middle of a real job: the job
is taken back and run by another worker, and completes exactly once (PostgreSQL; ADR 0015).

The job is the morning reminders. The test holds a lock on the notifications' table, so the
first worker stops in the middle of the job, inside its first person's transaction; then it is
killed. Its heartbeat stops; the recovery pass queues the job again; a second worker runs it,
and the outbox it fills is delivered to the local SMTP server: every person has one in-app
reminder and one e-mail.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opennrm.core import jobs
from opennrm.core.models import JobLease, Notification
from opennrm.identification.models import Referral, Route
from opennrm.identification.tasks import REMINDER_KIND, send_decision_reminders
from opennrm.outbox.models import OutgoingEmail
from tests.identification.conftest import platform93, presumed_case, referred

__all__ = ["platform93"]

ROOT = Path(__file__).resolve().parents[2]
TODAY = timezone.localdate()

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: DATABASE_URL=postgres://…")


def _wait(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


def _worker(worker_id: str, smtp_port: int, *extra: str) -> subprocess.Popen[str]:
    database = connection.settings_dict
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OPENNRM_", "DJANGO_", "DATABASE_", "EMAIL_"))
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        # The test database pytest-django made, not the one DATABASE_URL names.
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--worker-id",
            worker_id,
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _waiting_for_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted "
            "AND relation = 'core_notification'::regclass"
        )
        return bool(cursor.fetchone()[0])


def test_a_job_whose_worker_is_killed_completes_exactly_once(
    cast, platform93, smtp_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OPENNRM_JOB_HEARTBEAT_SECONDS = 1
    settings.OPENNRM_JOB_STALE_SECONDS = 3
    for days, route in ((-1, Route.PLATFORM), (2, Route.PLATFORM), (1, Route.JUDICIAL)):
        referral = referred(cast, presumed_case(cast), route)
        Referral.objects.filter(pk=referral.pk).update(
            decision_due=TODAY + datetime.timedelta(days=days)
        )
    queued = send_decision_reminders.enqueue(today=TODAY.isoformat())
    row = DBTaskResult.objects.get(pk=queued.id)
    port = settings.EMAIL_PORT  # the local SMTP server's

    with transaction.atomic():
        with connection.cursor() as cursor:  # inserts into the notifications now wait
            cursor.execute("LOCK TABLE core_notification IN SHARE MODE")
        first = _worker("worker-one", port)
        try:
            _wait(_waiting_for_the_lock, "the first worker to reach the notifications")
            row.refresh_from_db()
            assert row.status == "RUNNING" and row.worker_ids == ["worker-one"]
            assert JobLease.objects.filter(task_id=row.pk, worker_id="worker-one").exists()
            first.send_signal(signal.SIGKILL)  # in the middle of the job
            first.wait(timeout=30)
        finally:
            if first.poll() is None:
                first.kill()
    assert first.returncode == -signal.SIGKILL
    # The lock is released; the killed worker's transaction never commits.
    row.refresh_from_db()
    assert row.status == "RUNNING"  # what django-tasks alone would leave for ever
    assert not jobs.recover()  # too soon: its lease may still be renewed
    time.sleep(settings.OPENNRM_JOB_STALE_SECONDS + 1)
    assert jobs.recover().reclaimed == [str(row.pk)]

    second = _worker("worker-two", port, "--batch")
    try:
        output, _ = second.communicate(timeout=120)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, output[-3000:]
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert row.worker_ids == ["worker-one", "worker-two"]
    assert not JobLease.objects.exists()

    notified = Counter(
        Notification.objects.filter(kind=REMINDER_KIND).values_list("recipient_id", flat=True)
    )
    assert notified and set(notified.values()) == {1}  # each person reminded once
    assert row.return_value == len(notified)
    # Each e-mail was queued once and sent once (the second worker ran the delivery too).
    assert OutgoingEmail.objects.count() == len(notified)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.SENT}
    received = Counter(mail.recipients[0] for mail in smtp_server)
    assert len(received) == len(notified) and set(received.values()) == {1}
    assert cast.louis.email in received
