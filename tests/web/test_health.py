"""Health endpoints: liveness without the database, readiness with it, lateness reported."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from opennrm.core.models import ScheduledRun

pytestmark = pytest.mark.django_db


def test_liveness_needs_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_readiness_checks_database_and_cache_and_reports_the_background():
    response = Client().get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    assert body["checks"]["scheduler"] == "never ran"
    # Strict: a scheduler that never ran is a reason to page someone.
    assert Client().get("/health/ready/?strict=1").status_code == 503


def test_a_late_scheduler_is_reported_and_a_running_one_is_ok():
    ScheduledRun.objects.create(
        job="audit.seal",
        period_start=timezone.now() - datetime.timedelta(hours=1),
        recorded_at=timezone.now() - datetime.timedelta(hours=1),
        outcome=ScheduledRun.ENQUEUED,
    )
    assert Client().get("/health/ready/").json()["checks"]["scheduler"] == "late"
    ScheduledRun.objects.create(
        job="audit.seal",
        period_start=timezone.now(),
        recorded_at=timezone.now(),
        outcome=ScheduledRun.ENQUEUED,
    )
    body = Client().get("/health/ready/").json()
    assert body["checks"]["scheduler"] == "ok"
    assert body["checks"]["worker"] == "ok"


def test_a_task_waiting_too_long_means_the_worker_is_late():
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="opennrm.audit.tasks.seal_audit_trail",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - datetime.timedelta(hours=1),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert Client().get("/health/ready/").json()["checks"]["worker"] == "late"
