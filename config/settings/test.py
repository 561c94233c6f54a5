"""Settings for the test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("OPENNRM_DEMO_MODE", "false")

from config.settings.base import *  # noqa: F403

if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,5/5m/key"}

# PUBLIC test keys, used unless the environment names others (tests of rotation override them).
TEST_FIELD_KEYS = "test:1+np1vCR4hFGz50JPRxA1cCqxDhEwBwyE/Bbg9aaHcc="  # PUBLIC, tests only
TEST_INDEX_KEY = "n8xn2yofVPSTYb6mezYF8nP6a73G5zaPRy3uqUSUWnw="  # PUBLIC, tests only
OPENNRM_FIELD_KEYS = os.environ.get("OPENNRM_FIELD_KEYS") or TEST_FIELD_KEYS
OPENNRM_INDEX_KEY = os.environ.get("OPENNRM_INDEX_KEY") or TEST_INDEX_KEY

# Documents attached to cases: a folder of this test run, removed at its end; never var/.
OPENNRM_EVIDENCE_DIR = Path(tempfile.mkdtemp(prefix="opennrm-test-evidence-"))
atexit.register(shutil.rmtree, OPENNRM_EVIDENCE_DIR, ignore_errors=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(OPENNRM_EVIDENCE_DIR)},
    },
}
