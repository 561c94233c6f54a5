"""Production: every secret from the environment, HTTPS only. Refuses to start when unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if os.environ.get("OPENNRM_DEMO_MODE", "").lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("OPENNRM_DEMO_MODE cannot be enabled in production.")
os.environ["OPENNRM_DEMO_MODE"] = "false"

from config.settings.base import *  # noqa: F403
from config.settings.base import (
    DEMO_FIELD_KEYS,
    DEMO_INDEX_KEY,
    EVIDENCE_STORAGE,
    PROCONNECT_INTEGRATION_ISSUER,
    SECRET_KEY,
)

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
# ProConnect (docs/deployment.md §10): all of it or nothing, over HTTPS, signed asymmetrically.
PROCONNECT_VARIABLES = ("PROCONNECT_CLIENT_SECRET", "PROCONNECT_SERVER_URL")
if os.environ.get("PROCONNECT_CLIENT_ID", "").strip():
    if not os.environ.get("PROCONNECT_CLIENT_SECRET", "").strip():
        raise ImproperlyConfigured(
            "PROCONNECT_CLIENT_SECRET must be set when PROCONNECT_CLIENT_ID is (ProConnect's "
            "client secret, given at registration)."
        )
    if not os.environ.get("PROCONNECT_SERVER_URL", PROCONNECT_INTEGRATION_ISSUER).startswith(
        "https://"
    ):
        raise ImproperlyConfigured("PROCONNECT_SERVER_URL must be an https:// issuer URL.")
    if os.environ.get("PROCONNECT_SIGNING_ALGORITHM", "RS256") not in {"RS256", "ES256"}:
        raise ImproperlyConfigured("PROCONNECT_SIGNING_ALGORITHM must be RS256 or ES256.")
elif any(os.environ.get(variable, "").strip() for variable in PROCONNECT_VARIABLES):
    raise ImproperlyConfigured(
        "ProConnect is half configured: PROCONNECT_CLIENT_ID is empty but "
        "PROCONNECT_CLIENT_SECRET or PROCONNECT_SERVER_URL is set."
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
    "evidence": EVIDENCE_STORAGE,
}
