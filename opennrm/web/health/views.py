"""Liveness and readiness.

- `/health/live/`: the process answers (no database, no cache): restart it if this fails.
- `/health/ready/`: the process can serve: the database answers a query and the cache keeps a
  value (503 otherwise: take it out of the load balancer). It also reports whether the
  background worker keeps up (no task ready to run for more than `WORKER_LAG`) and whether the
  scheduler keeps up (a period of the most frequent job recorded within `SCHEDULER_LAG`); those
  two do not take a server out of rotation (every server shares one worker and one scheduler)
  unless `?strict=1`, for monitoring that should page someone. In the same way it reports
  background jobs that failed every attempt and were set aside (`"jobs": "2 failed"`, until
  acknowledged in the admin: opennrm.core.jobs) and e-mails the outbox could not deliver
  (`"mail"`: `"3 failed"`, or `"late"` when one has waited more than MAIL_LAG: opennrm.outbox).

Answers are JSON, never cached, and say nothing but "ok" or what is late.
"""

import datetime
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from opennrm.core.jobs import unacknowledged_failures
from opennrm.core.models import ScheduledRun
from opennrm.outbox.delivery import backlog as outbox_backlog

WORKER_LAG = datetime.timedelta(minutes=5)
MAIL_LAG = datetime.timedelta(minutes=30)  # a mail server down longer than this is news
SCHEDULER_LAG = datetime.timedelta(minutes=5)


@login_not_required
@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "alive"})


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def _cache() -> str:
    key = f"opennrm:health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        kept = cache.get(key) == "1"
        cache.delete(key)
    except Exception:  # any failure of the cache backend means "not ready"
        return "unreachable"
    return "ok" if kept else "not keeping values"


def _worker(now: datetime.datetime) -> str:
    """Late when a task has been ready to run for longer than WORKER_LAG."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is installed with OpenNRM
        return "not used"
    try:
        waiting = (
            DBTaskResult.objects.filter(status="READY", run_after__lte=now)
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
    except DatabaseError:
        return "unknown"
    if waiting is not None and now - waiting > WORKER_LAG:
        return "late"
    return "ok"


def _scheduler(now: datetime.datetime) -> str:
    """Late when no period of any job was recorded within SCHEDULER_LAG (the sealing job runs
    every minute, so a running scheduler records one every minute)."""
    try:
        last = ScheduledRun.objects.order_by("-recorded_at").values_list("recorded_at", flat=True)
        latest = last.first()
    except DatabaseError:
        return "unknown"
    if latest is None:
        return "never ran"
    return "late" if now - latest > SCHEDULER_LAG else "ok"


def _jobs() -> str:
    """Jobs set aside after their last attempt, not acknowledged yet."""
    try:
        failed = unacknowledged_failures()
    except DatabaseError:
        return "unknown"
    return f"{failed} failed" if failed else "ok"


def _mail(now: datetime.datetime) -> str:
    try:
        backlog = outbox_backlog(now)
    except DatabaseError:
        return "unknown"
    if backlog.failed:
        return f"{backlog.failed} failed"
    if backlog.oldest_waiting is not None and now - backlog.oldest_waiting > MAIL_LAG:
        return "late"
    return "ok"


@login_not_required
@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    checks = {"database": _database(), "cache": _cache()}
    if checks["database"] == "ok":
        checks["worker"] = _worker(now)
        checks["scheduler"] = _scheduler(now)
        checks["jobs"] = _jobs()
        checks["mail"] = _mail(now)
    essential = checks["database"] == "ok" and checks["cache"] == "ok"
    strict = request.GET.get("strict") == "1"
    background = all(checks.get(name) == "ok" for name in ("worker", "scheduler", "jobs", "mail"))
    serving = essential and (background or not strict)
    return JsonResponse(
        {"status": "ready" if serving else "not ready", "checks": checks},
        status=200 if serving else 503,
    )
