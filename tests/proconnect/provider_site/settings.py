"""Settings of the local ProConnect-like provider (tests only; see __init__.py)."""

import os
from pathlib import Path

SECRET_KEY = os.environ["PROVIDER_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.proconnect.provider_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PROVIDER_DATABASE"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fictional users only
# Its own cookie names: the browser talks to OpenNRM and to this provider on one machine.
SESSION_COOKIE_NAME = "provider_sessionid"
CSRF_COOKIE_NAME = "provider_csrftoken"
LOGIN_URL = "/login/"

OIDC_LOGIN_URL = "/login/"
OIDC_IDTOKEN_SUB_GENERATOR = "tests.proconnect.provider_site.claims.subject"
OIDC_USERINFO = "tests.proconnect.provider_site.claims.standard_claims"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.proconnect.provider_site.claims.ProConnectClaims"
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.proconnect.provider_site.claims.authentication_claims"
OIDC_IDTOKEN_EXPIRE = 600
