"""The quick-start demo: SQLite in var/, fictional data, e-mails printed on the console."""

import os

os.environ.setdefault("OPENNRM_DEMO_MODE", "true")

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Links in the e-mails printed on the console point at the demo server (`make demo`).
OPENNRM_BASE_URL = os.environ.get("OPENNRM_BASE_URL", "http://127.0.0.1:8000")
