"""Production: every secret from the environment, HTTPS only. Refuses to start when unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if os.environ.get("OPENNRM_DEMO_MODE", "").lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("OPENNRM_DEMO_MODE cannot be enabled in production.")
os.environ["OPENNRM_DEMO_MODE"] = "false"

from config.settings.base import *  # noqa: F403
from config.settings.base import DEMO_FIELD_KEYS, DEMO_INDEX_KEY, SECRET_KEY

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the host names served.")
if not os.environ.get("OPENNRM_AUDIT_KEY"):
    raise ImproperlyConfigured(
        "OPENNRM_AUDIT_KEY must be set in production (keep it outside the database; changing it "
        "later makes the audit chain unverifiable)."
    )
for variable in ("OPENNRM_FIELD_KEYS", "OPENNRM_INDEX_KEY"):
    if not os.environ.get(variable, "").strip():
        raise ImproperlyConfigured(
            f"{variable} must be set in production: the keys that encrypt personal data and key "
            "its blind indexes, kept outside the database (docs/adr/0008-encryption-at-rest.md)."
        )
if DEMO_FIELD_KEYS.partition(":")[2] in os.environ["OPENNRM_FIELD_KEYS"]:
    raise ImproperlyConfigured("OPENNRM_FIELD_KEYS holds the public demo key: never in production.")
if os.environ["OPENNRM_INDEX_KEY"].strip() == DEMO_INDEX_KEY:
    raise ImproperlyConfigured("OPENNRM_INDEX_KEY is the public demo key: never in production.")
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        "DATABASE_URL must point to PostgreSQL (postgres://…) in production."
    )

DEBUG = False
OPENNRM_REQUIRE_MFA = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix: browsers accept the cookie only over HTTPS, for this host, on path /.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
