"""Settings shared by every environment. Values that differ come from the environment."""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.settings.env import env_bool, env_int, env_json_object, env_list, env_str
from opennrm.web.rates import DEFAULT_REPORT_RATE, parse_rates

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("OPENNRM_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "demo-only-secret-key-never-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# Demo mode: fictional data, documented passwords, MFA not enforced. Never in production.
DEMO_MODE = env_bool("OPENNRM_DEMO_MODE", False)
# Which jurisdiction profile this instance runs (a file in opennrm/profiles/data/).
OPENNRM_PROFILE = env_str("OPENNRM_PROFILE", "fr")
OPENNRM_REQUIRE_MFA = env_bool("OPENNRM_REQUIRE_MFA", not DEMO_MODE)
# Where the quick-exit button sends a visitor (a neutral, widely used site).
OPENNRM_QUICK_EXIT_URL = env_str("OPENNRM_QUICK_EXIT_URL", "https://meteofrance.com/")
# The public notices (legal notice, personal data, accessibility statement): who publishes and
# hosts this instance. The defaults are fictional and say so: set them in every deployment.
_FICTIONAL = " (fictional: set the environment variable)"
OPENNRM_PUBLISHER = env_str("OPENNRM_PUBLISHER", "OpenNRM demonstration publisher" + _FICTIONAL)
OPENNRM_PUBLISHER_ADDRESS = env_str(
    "OPENNRM_PUBLISHER_ADDRESS", "1 Example Street, 00000 Example City" + _FICTIONAL
)
OPENNRM_PUBLISHER_EMAIL = env_str("OPENNRM_PUBLISHER_EMAIL", "contact@demo.opennrm.invalid")
OPENNRM_PUBLICATION_DIRECTOR = env_str(
    "OPENNRM_PUBLICATION_DIRECTOR", "The head of the publishing body" + _FICTIONAL
)
OPENNRM_HOST_NAME = env_str("OPENNRM_HOST_NAME", "Example hosting provider" + _FICTIONAL)
OPENNRM_HOST_ADDRESS = env_str(
    "OPENNRM_HOST_ADDRESS", "2 Example Avenue, 00000 Example City" + _FICTIONAL
)
# The data controller (empty: the publisher) and the data protection officer's address.
OPENNRM_DATA_CONTROLLER = env_str("OPENNRM_DATA_CONTROLLER", "")
OPENNRM_DPO_EMAIL = env_str("OPENNRM_DPO_EMAIL", "dpo@demo.opennrm.invalid")
# The accessibility statement: compliance status ("non_compliant", "partially_compliant" or
# "compliant", after an audit), the statement's date (ISO) and where to report a problem.
OPENNRM_ACCESSIBILITY_STATUS = env_str("OPENNRM_ACCESSIBILITY_STATUS", "partially_compliant")
OPENNRM_ACCESSIBILITY_DATE = env_str("OPENNRM_ACCESSIBILITY_DATE", "2026-12-07")
OPENNRM_ACCESSIBILITY_CONTACT = env_str(
    "OPENNRM_ACCESSIBILITY_CONTACT", "accessibilite@demo.opennrm.invalid"
)
if OPENNRM_ACCESSIBILITY_STATUS not in {"non_compliant", "partially_compliant", "compliant"}:
    raise ImproperlyConfigured(
        "OPENNRM_ACCESSIBILITY_STATUS must be non_compliant, partially_compliant or compliant."
    )
try:
    datetime.date.fromisoformat(OPENNRM_ACCESSIBILITY_DATE)
except ValueError as error:
    raise ImproperlyConfigured("OPENNRM_ACCESSIBILITY_DATE must be a date, YYYY-MM-DD.") from error
# The instance's public address, for links in e-mails (reminders, invitations sent by tasks).
OPENNRM_BASE_URL = env_str("OPENNRM_BASE_URL", "")
# The public report's limits per client address ("5/10m,20/1d": 5 in 10 minutes, 20 a day).
OPENNRM_REPORT_RATE = env_str("OPENNRM_REPORT_RATE", DEFAULT_REPORT_RATE)
try:
    parse_rates(OPENNRM_REPORT_RATE)
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(f"OPENNRM_REPORT_RATE: {error}") from error
# The duration first offered for an exceptional access (break-glass), in hours.
OPENNRM_BREAK_GLASS_HOURS = env_int("OPENNRM_BREAK_GLASS_HOURS", 4)
if not 1 <= OPENNRM_BREAK_GLASS_HOURS <= 24:
    raise ImproperlyConfigured(
        f"OPENNRM_BREAK_GLASS_HOURS must be between 1 and 24, not {OPENNRM_BREAK_GLASS_HOURS}."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",  # before django.forms: its widget templates win under TemplatesSetting
    "django.forms",
    "widget_tweaks",
    "ninja",  # Swagger UI's static files for the API's documentation page, no CDN
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "opennrm.web.proconnect",  # ProConnect, an allauth provider of its own (ADR 0016)
    "django_tasks",
    "django_tasks_db",
    "opennrm.profiles",
    "opennrm.core",
    "opennrm.audit",
    "opennrm.crypto",
    "opennrm.outbox",
    "opennrm.directory",
    "opennrm.recognition",
    "opennrm.indicators",
    "opennrm.cases",
    "opennrm.detection",
    "opennrm.identification",
    "opennrm.support",
    "opennrm.privacy",
    "opennrm.monitoring",
    "opennrm.protocol",
    "opennrm.exchange",
    "opennrm.web",
    "opennrm.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "opennrm.web.security.SecurityHeadersMiddleware",  # CSP, Permissions-Policy (ADR 0009)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before the idle timeout, which leaves a message when it signs someone out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "opennrm.web.middleware.ProfileLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opennrm.web.security.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "opennrm.web.middleware.CurrentMembershipMiddleware",
    "opennrm.web.middleware.RequireMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

WEB_DIR = BASE_DIR / "opennrm" / "web"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The web layer's shared templates first (they override allauth's and django-dsfr's),
        # then each area's own (opennrm/web/<area>/templates/web/<area>/…): names are unchanged.
        "DIRS": [WEB_DIR / "templates", *sorted(WEB_DIR.glob("*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opennrm.web.context_processors.shell",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'opennrm.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A persistent connection is checked before a request uses it: after a database
        # restart, a worker reconnects instead of answering one 500.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
if env_str("CACHE_URL", ""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_URL"),
    }

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# django-allauth: e-mail login, no public sign-up, MFA by TOTP and recovery codes.
ACCOUNT_ADAPTER = "opennrm.web.auth_adapters.InvitationOnlyAccountAdapter"
SOCIALACCOUNT_ADAPTER = "opennrm.web.auth_adapters.StateIdentityProviderAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "OpenNRM"
# OpenID Connect for a State identity provider, configured by environment (generic OIDC).
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS: dict[str, object] = {}
if env_str("OIDC_CLIENT_ID", ""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "state-idp"),
                "name": env_str("OIDC_PROVIDER_NAME", "State identity provider"),
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": env_str("OIDC_SERVER_URL")},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
# ProConnect, the identity federation of French public agents (opennrm.web.proconnect, ADR 0016):
# on when PROCONNECT_CLIENT_ID is set. The issuer defaults to ProConnect's integration environment.
PROCONNECT_INTEGRATION_ISSUER = "https://fca.integ01.dev-agentconnect.fr/api/v2"
if env_str("PROCONNECT_CLIENT_ID", ""):
    SOCIALACCOUNT_PROVIDERS["proconnect"] = {
        "APPS": [
            {
                "name": "ProConnect",
                "client_id": env_str("PROCONNECT_CLIENT_ID"),
                "secret": env_str("PROCONNECT_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": env_str("PROCONNECT_SERVER_URL", PROCONNECT_INTEGRATION_ISSUER),
                    "signing_algorithm": env_str("PROCONNECT_SIGNING_ALGORITHM", "RS256"),
                },
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "opennrm" / "locale"]
# English dates spelled out or ISO, never the US order (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Documents attached to cases (opennrm.cases.evidence) are encrypted with the field keys before
# they reach this storage, under random names. A Django storage backend: by default a folder on
# the server, OPENNRM_EVIDENCE_DIR (var/evidence); in production it may be object storage through
# django-storages (README, "Documents attached to cases"): OPENNRM_EVIDENCE_STORAGE names the
# backend, OPENNRM_EVIDENCE_STORAGE_OPTIONS its options as a JSON object.
OPENNRM_EVIDENCE_DIR = Path(env_str("OPENNRM_EVIDENCE_DIR", str(VAR_DIR / "evidence")))
_EVIDENCE_BACKEND = env_str(
    "OPENNRM_EVIDENCE_STORAGE", "django.core.files.storage.FileSystemStorage"
)
EVIDENCE_STORAGE = {
    "BACKEND": _EVIDENCE_BACKEND,
    "OPTIONS": env_json_object(
        "OPENNRM_EVIDENCE_STORAGE_OPTIONS",
        # Owner-only files and folders on the server: nobody else on it reads them.
        {
            "location": str(OPENNRM_EVIDENCE_DIR),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        }
        if _EVIDENCE_BACKEND.endswith("FileSystemStorage")
        else {},
    ),
}
# The largest document accepted, in megabytes (nginx's client_max_body_size must allow it).
OPENNRM_EVIDENCE_MAX_MB = env_int("OPENNRM_EVIDENCE_MAX_MB", 10)
# An upload up to that size stays in memory until it is encrypted: never a clear temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = (OPENNRM_EVIDENCE_MAX_MB + 1) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": EVIDENCE_STORAGE,
}

# Every e-mail the application sends goes to the outbox table (opennrm.outbox), in the
# transaction of what it tells; the worker delivers it through EMAIL_TRANSPORT (the variable
# EMAIL_BACKEND names it), with retries, once (ADR 0015).
EMAIL_BACKEND = "opennrm.outbox.backend.OutboxBackend"
EMAIL_TRANSPORT = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Attempts at one message before it is set aside as failed (shown in /health/ready/ and the
# admin), and the first wait between attempts in seconds (doubled each time, at most an hour).
OPENNRM_OUTBOX_MAX_ATTEMPTS = env_int("OPENNRM_OUTBOX_MAX_ATTEMPTS", 12)
OPENNRM_OUTBOX_RETRY_SECONDS = env_int("OPENNRM_OUTBOX_RETRY_SECONDS", 60)
# Days an outbox row is kept (its content is erased as soon as the message is accepted).
OPENNRM_OUTBOX_KEEP_DAYS = env_int("OPENNRM_OUTBOX_KEEP_DAYS", 30)
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that hangs must not hold a request (an invitation) for long: the send fails,
# the page says so and the invitation can be sent again.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenNRM <no-reply@opennrm.invalid>")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Jobs that survive their worker (opennrm.core.jobs, ADR 0015): a running job beats every
# OPENNRM_JOB_HEARTBEAT_SECONDS; one silent for OPENNRM_JOB_STALE_SECONDS is taken back and run
# again; a failed job is run again after OPENNRM_JOB_RETRY_SECONDS (doubled each time), up to
# OPENNRM_JOB_MAX_ATTEMPTS runs in all, then set aside and shown to the operator.
OPENNRM_JOB_HEARTBEAT_SECONDS = env_int("OPENNRM_JOB_HEARTBEAT_SECONDS", 15)
OPENNRM_JOB_STALE_SECONDS = env_int("OPENNRM_JOB_STALE_SECONDS", 120)
OPENNRM_JOB_RETRY_SECONDS = env_int("OPENNRM_JOB_RETRY_SECONDS", 60)
OPENNRM_JOB_MAX_ATTEMPTS = env_int("OPENNRM_JOB_MAX_ATTEMPTS", 5)
if OPENNRM_JOB_STALE_SECONDS <= 2 * OPENNRM_JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "OPENNRM_JOB_STALE_SECONDS must exceed twice OPENNRM_JOB_HEARTBEAT_SECONDS."
    )
# Results of finished jobs and the scheduler's records of periods are kept this many days, then
# pruned by the daily housekeeping job (opennrm.core.tasks); at least 7 (the recovery pass looks
# back 2 days, and an operator may want last week's failures).
OPENNRM_TASK_RESULTS_KEEP_DAYS = env_int("OPENNRM_TASK_RESULTS_KEEP_DAYS", 14)
if OPENNRM_TASK_RESULTS_KEEP_DAYS < 7:
    raise ImproperlyConfigured("OPENNRM_TASK_RESULTS_KEEP_DAYS must be at least 7.")

# Reverse proxies in front of the application (for the client address in audit and rate limits).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed out after this many seconds without a request (opennrm.web.security); 0 turns it off.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
CSRF_COOKIE_HTTPONLY = True
# The site's own page (the public report comes back filled with what was typed).
CSRF_FAILURE_VIEW = "opennrm.web.public.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Security headers added by opennrm.web.security.SecurityHeadersMiddleware (ADR 0009). No inline
# script or style anywhere: JavaScript and CSS come from static files only.
OPENNRM_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # the TOTP QR code is a data: URI
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
OPENNRM_CSP_REPORT_ONLY = env_bool("OPENNRM_CSP_REPORT_ONLY", False)
OPENNRM_PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

# Key for the audit trail's hash chain; keep it outside the database.
# django-dsfr: mark optional fields (its future default) rather than required ones.
DSFR_MARK_OPTIONAL_FIELDS = True

AUDIT_HMAC_KEY = env_str("OPENNRM_AUDIT_KEY", SECRET_KEY)
# Where the daily audit checkpoints are appended (best on storage the database administrator
# does not control); verify_audit checks the trail against the latest one (ADR 0013).
OPENNRM_AUDIT_CHECKPOINTS = env_str(
    "OPENNRM_AUDIT_CHECKPOINTS", str(VAR_DIR / "audit-checkpoints.jsonl")
)

# Encryption at rest (ADR 0008). Keys live outside the database: OPENNRM_FIELD_KEYS is
# "id:base64,id:base64" (AES-256; the first encrypts, the others only decrypt, for rotation),
# OPENNRM_INDEX_KEY keys the blind indexes. Demo mode falls back to the PUBLIC keys below, which
# protect nothing and exist only so that the demo starts; anywhere else a missing key stops
# the start (opennrm.crypto's AppConfig.ready; production.py checks earlier).
DEMO_FIELD_KEYS = "demo:1pRKbipRi4DfJIePHfGFyUjSzQ3CJEjuD6BCBXdWEOg="  # PUBLIC, demo only
DEMO_INDEX_KEY = "xPXnm5egCQQl7i2CIcLyqvZKn2gGy3v3ZbegKEm3JqU="  # PUBLIC, demo only
OPENNRM_FIELD_KEYS = env_str("OPENNRM_FIELD_KEYS", DEMO_FIELD_KEYS if DEMO_MODE else "")
OPENNRM_INDEX_KEY = env_str("OPENNRM_INDEX_KEY", DEMO_INDEX_KEY if DEMO_MODE else "")

# Optional error reporting (opennrm.web.error_reporting): off unless SENTRY_DSN is set and
# sentry-sdk installed (requirements/sentry.txt); every event scrubbed of personal data.
SENTRY_DSN = env_str("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
SENTRY_RELEASE = env_str("SENTRY_RELEASE", "")

# No personal data in logs or error reports (opennrm.web.logfilters): log records lose the request
# (its POST data, cookies and query string), URLs lose their query strings, exception messages are
# withheld; error reports hide every POST value and local variable; nobody gets error e-mails.
ADMINS: list[tuple[str, str]] = []
MANAGERS: list[tuple[str, str]] = []
DEFAULT_EXCEPTION_REPORTER = "opennrm.web.logfilters.PersonalDataExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "opennrm.web.logfilters.PersonalDataExceptionReporterFilter"
_SCRUBBED_LOGGERS = ("django", "django.request", "django.security", "opennrm")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "opennrm.web.logfilters.ScrubPersonalDataFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_personal_data"]},
        # Replace Django's own handlers of these names (e-mail to ADMINS, runserver's log).
        "mail_admins": {"class": "logging.NullHandler"},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_personal_data"],
        },
    },
    "loggers": {
        **{
            name: {
                "handlers": [],
                "filters": ["no_personal_data"],
                "level": env_str("LOG_LEVEL", "INFO"),
                "propagate": True,
            }
            for name in _SCRUBBED_LOGGERS
        },
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["no_personal_data"],
            "level": "INFO",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
