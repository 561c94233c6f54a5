"""Settings for `make bench`: the production middleware and behaviour on a bench database.

Like production (no debug, MFA required, database tasks, persistent connections) but served over
plain HTTP on 127.0.0.1, with the public test keys of the test settings, a report rate limit
high enough for a load test, and the bench's minimal views (bench/urls.py) beside every route.
Never deploy with it.
"""

import os
import warnings

os.environ.setdefault("OPENNRM_REPORT_RATE", "1000000/1m")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

from config.settings.test import *  # noqa: F403

DEBUG = False
OPENNRM_REQUIRE_MFA = True
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The site's static files are served from the finders (no collectstatic for a bench).
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}  # type: ignore[dict-item]  # noqa: F405
