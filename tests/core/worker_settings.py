"""Settings of the `db_worker` processes started by test_worker_killed.py: the test settings,
with the database backend of django-tasks (as in production), the outbox, and a heartbeat fast
enough for a test."""

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "opennrm.outbox.backend.OutboxBackend"
OPENNRM_JOB_HEARTBEAT_SECONDS = 1
OPENNRM_JOB_STALE_SECONDS = 3
