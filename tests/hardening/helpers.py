"""Running manage.py with the production settings and dummy (random) secrets."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def production_environment(**overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OPENNRM_", "DATABASE_", "EMAIL_", "CACHE_", "SESSION_"))
    }
    field_key = base64.b64encode(secrets.token_bytes(32)).decode()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "OPENNRM_AUDIT_KEY": secrets.token_urlsafe(48),
            "OPENNRM_FIELD_KEYS": f"k1:{field_key}",
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


def manage_in_production(*args: str, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=production_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_setting(expression: str, **overrides: str | None) -> str:
    """The value of `expression` (over `s`, the settings) in production, as printed."""
    result = manage_in_production(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings as s; print({expression})",
        **overrides,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()[-1]
