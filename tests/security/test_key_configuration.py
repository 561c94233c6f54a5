"""Start-up: without keys, nothing starts (outside demo and tests), with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _check(settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OPENNRM_", "DATABASE_"))
    }
    environment.update({"DJANGO_SETTINGS_MODULE": settings_module, **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_base_settings_without_keys_refuse_to_start():
    result = _check("config.settings.base", OPENNRM_DEMO_MODE="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "OPENNRM_FIELD_KEYS must be set" in result.stderr


def test_base_settings_without_index_key_refuse_to_start():
    key = "k1:1+np1vCR4hFGz50JPRxA1cCqxDhEwBwyE/Bbg9aaHcc="
    result = _check("config.settings.base", OPENNRM_DEMO_MODE="false", OPENNRM_FIELD_KEYS=key)
    assert result.returncode != 0
    assert "OPENNRM_INDEX_KEY must be set" in result.stderr


def test_demo_and_test_settings_start_with_their_public_keys():
    for module in ("config.settings.demo", "config.settings.test"):
        result = _check(module)
        assert result.returncode == 0, result.stderr
