"""The local ProConnect-like provider (provider_site/), started as a subprocess for the tests."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

BASE_DIR = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT_SECONDS = 60
PROVIDER_PASSWORD = "fictional-provider-password-42"
CLIENT_ID = "opennrm-tests-fictional-client"


def _user(sub: str, acr: str, amr: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "password": PROVIDER_PASSWORD,
        "email": f"{sub}@agents.fictional.invalid",
        "given_name": "Camille",
        "usual_name": "Fictive",
        "uid": f"uid-{sub}",
        "siret": "00000000000018",
        "sub": f"sub-{sub}",
        "acr": acr,
        "amr": amr,
        **extra,
    }


# Fictional agents of the provider, by username, and how each one signs in.
USERS = {
    "agent.totp": _user("agent-totp", "eidas1", ["pwd", "totp"]),  # amr proves MFA
    "agent.eidas2": _user("agent-eidas2", "eidas2", ["pwd"]),  # acr proves MFA
    "agent.password": _user("agent-password", "eidas1", ["pwd"]),  # a password only
    "agent.stranger": _user("agent-stranger", "eidas1", ["pwd", "totp"]),  # no OpenNRM link
    "agent.forged-nonce": _user("agent-forged-nonce", "eidas1", ["pwd"], forge_nonce=True),
    "agent.forged-userinfo": _user("agent-forged-userinfo", "eidas1", ["pwd"], forge_userinfo=True),
}


@dataclass(frozen=True)
class LocalProConnect:
    base_url: str
    client_id: str
    client_secret: str
    control_token: str

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/api/v2"

    def allow(self, opennrm_base_url: str) -> None:
        """Register OpenNRM's callback and post-logout addresses at `opennrm_base_url`."""
        response = requests.post(
            f"{self.base_url}/test/client-uris/",
            data=json.dumps(
                {
                    "client_id": self.client_id,
                    "redirect_uris": [f"{opennrm_base_url}/accounts/proconnect/login/callback/"],
                    "post_logout_redirect_uris": [
                        f"{opennrm_base_url}/accounts/proconnect/logout/callback/"
                    ],
                }
            ),
            headers={"X-Control-Token": self.control_token},
            timeout=10,
        )
        response.raise_for_status()

    def socialaccount_settings(self) -> dict[str, Any]:
        """OpenNRM's SOCIALACCOUNT_PROVIDERS entry, as PROCONNECT_* variables would make it."""
        return {
            "APPS": [
                {
                    "name": "ProConnect",
                    "client_id": self.client_id,
                    "secret": self.client_secret,
                    "settings": {"server_url": self.issuer, "signing_algorithm": "RS256"},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }


@contextmanager
def running_provider(directory: Path) -> Iterator[LocalProConnect]:
    users_file = directory / "users.json"
    users_file.write_text(json.dumps(USERS), encoding="utf-8")
    provider = LocalProConnect(
        base_url="",
        client_id=CLIENT_ID,
        client_secret=secrets.token_urlsafe(32),
        control_token=secrets.token_urlsafe(32),
    )
    environment = {
        **os.environ,
        "PROVIDER_DATABASE": str(directory / "provider.sqlite3"),
        "PROVIDER_USERS": str(users_file),
        "PROVIDER_CLIENT": json.dumps(
            {"client_id": provider.client_id, "client_secret": provider.client_secret}
        ),
        "PROVIDER_SECRET_KEY": secrets.token_urlsafe(50),
        "PROVIDER_CONTROL_TOKEN": provider.control_token,
        "PYTHONPATH": str(BASE_DIR),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    log = directory / "provider.log"
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.proconnect.provider_site.serve"],
            cwd=BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        port = _wait_until_ready(process, log)
        yield LocalProConnect(
            base_url=f"http://127.0.0.1:{port}",
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            control_token=provider.control_token,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path) -> int:
    """The port the provider listens on, once it says so (in its log)."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("READY "):
                return int(line.split()[1])
        time.sleep(0.1)
    raise RuntimeError(
        "The local ProConnect provider did not start:\n" + log.read_text(errors="replace")
    )
