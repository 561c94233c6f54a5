"""Production: every secret from the environment, HTTPS only. Refuses to start when unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if os.environ.get("OPENNRM_DEMO_MODE", "").lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("OPENNRM_DEMO_MODE cannot be enabled in production.")
os.environ["OPENNRM_DEMO_MODE"] = "false"

from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the host names served.")
if not os.environ.get("OPENNRM_AUDIT_KEY"):
    raise ImproperlyConfigured(
        "OPENNRM_AUDIT_KEY must be set in production (keep it outside the database; changing it "
        "later makes the audit chain unverifiable)."
    )
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…) in production.")

DEBUG = False
OPENNRM_REQUIRE_MFA = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
