"""The quick-start demo: SQLite in var/, fictional data, e-mails printed on the console."""

import os

os.environ.setdefault("OPENNRM_DEMO_MODE", "true")

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
# Through the outbox, as in production; delivered on the console once the transaction commits.
EMAIL_TRANSPORT = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Links in the e-mails printed on the console point at the demo server (`make demo`).
OPENNRM_BASE_URL = os.environ.get("OPENNRM_BASE_URL", "http://127.0.0.1:8000")

# A training room on one SQLite file: readers never wait for a writer (WAL), a writer waits for
# another instead of failing (busy timeout), and a transaction takes the write lock when it
# starts (IMMEDIATE), so two transactions never deadlock upgrading a read lock.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
