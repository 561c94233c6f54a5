"""The production settings pass Django's deployment checks and refuse to start when unsafe."""

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def _environment(**overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OPENNRM_", "DATABASE_", "EMAIL_", "CACHE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
            "OPENNRM_AUDIT_KEY": secrets.token_urlsafe(48),
            "OPENNRM_FIELD_KEYS": f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
            "OPENNRM_INDEX_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "DJANGO_ALLOWED_HOSTS": "opennrm.example.org",
            "DATABASE_URL": "postgres://opennrm@127.0.0.1:5432/opennrm",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_secret_key_used_here_is_long():
    assert len(_environment()["DJANGO_SECRET_KEY"]) == 64


def test_production_settings_pass_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"OPENNRM_DEMO_MODE": "true"}, "OPENNRM_DEMO_MODE"),
        ({"OPENNRM_FIELD_KEYS": None}, "OPENNRM_FIELD_KEYS"),
        ({"OPENNRM_FIELD_KEYS": "k1:dG9vLXNob3J0"}, "OPENNRM_FIELD_KEYS"),
        ({"OPENNRM_FIELD_KEYS": "k1:1pRKbipRi4DfJIePHfGFyUjSzQ3CJEjuD6BCBXdWEOg="}, "demo"),
        ({"OPENNRM_INDEX_KEY": None}, "OPENNRM_INDEX_KEY"),
        ({"OPENNRM_INDEX_KEY": "dG9vLXNob3J0"}, "OPENNRM_INDEX_KEY"),
        ({"OPENNRM_REPORT_RATE": "five a day"}, "OPENNRM_REPORT_RATE"),
        ({"OPENNRM_BREAK_GLASS_HOURS": "48"}, "OPENNRM_BREAK_GLASS_HOURS"),
        ({"OPENNRM_BREAK_GLASS_HOURS": "four"}, "OPENNRM_BREAK_GLASS_HOURS"),
        ({"PROCONNECT_CLIENT_ID": "fictional"}, "PROCONNECT_CLIENT_SECRET"),
        (
            {
                "PROCONNECT_CLIENT_ID": "fictional",
                "PROCONNECT_CLIENT_SECRET": "fictional-secret",
                "PROCONNECT_SERVER_URL": "http://proconnect.fictional.invalid/api/v2",
            },
            "PROCONNECT_SERVER_URL",
        ),
        (
            {
                "PROCONNECT_CLIENT_ID": "fictional",
                "PROCONNECT_CLIENT_SECRET": "fictional-secret",
                "PROCONNECT_SIGNING_ALGORITHM": "HS256",
            },
            "PROCONNECT_SIGNING_ALGORITHM",
        ),
        ({"PROCONNECT_CLIENT_SECRET": "fictional-secret"}, "PROCONNECT_CLIENT_ID"),
    ],
    ids=[
        "no-secret",
        "empty-secret",
        "short-secret",
        "no-hosts",
        "no-database",
        "demo-mode",
        "no-field-keys",
        "short-field-key",
        "demo-field-key",
        "no-index-key",
        "short-index-key",
        "malformed-report-rate",
        "break-glass-too-long",
        "break-glass-not-a-number",
        "proconnect-without-secret",
        "proconnect-over-http",
        "proconnect-symmetric-signature",
        "proconnect-half-configured",
    ],
)
def test_production_refuses_to_start_when_unsafe(overrides, named):
    result = _manage("check", **overrides)
    assert result.returncode != 0
    assert named in result.stderr


def test_a_complete_proconnect_configuration_passes_the_deployment_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PROCONNECT_CLIENT_ID="fictional",
        PROCONNECT_CLIENT_SECRET="fictional-secret",
        PROCONNECT_SERVER_URL="https://auth.agentconnect.gouv.fr/api/v2",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_enforces_https_and_mfa():
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.OPENNRM_REQUIRE_MFA, s.DEMO_MODE)"
    )
    result = _manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "True",
        "False",
    ]


def test_limits_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.OPENNRM_REPORT_RATE, s.OPENNRM_BREAK_GLASS_HOURS)"
    )
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        OPENNRM_REPORT_RATE="3/10m,10/1d",
        OPENNRM_BREAK_GLASS_HOURS="2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["3/10m,10/1d", "2"]


def test_the_evidence_storage_comes_from_the_environment():
    """A folder of the server by default (owner-only permissions); any Django storage backend
    with its options as JSON (object storage through django-storages); bad JSON stops."""
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps(s.STORAGES['evidence'], sort_keys=True))"
    )
    result = _manage("shell", "--no-imports", "-c", code, OPENNRM_VAR_DIR="/srv/fictional")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": "/srv/fictional/evidence",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
    options = '{"bucket_name": "opennrm-evidence", "default_acl": "private"}'
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        OPENNRM_EVIDENCE_STORAGE="storages.backends.s3.S3Storage",
        OPENNRM_EVIDENCE_STORAGE_OPTIONS=options,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": json.loads(options),
    }
    result = _manage("check", OPENNRM_EVIDENCE_STORAGE_OPTIONS="{bucket")
    assert result.returncode != 0
    assert "OPENNRM_EVIDENCE_STORAGE_OPTIONS must be a JSON object" in result.stderr
