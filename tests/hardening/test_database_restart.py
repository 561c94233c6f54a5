"""After PostgreSQL restarts, the application answers again without an error.

A PostgreSQL cluster of the test's own (initdb in a temporary folder, its own port), gunicorn
with one sync worker and persistent connections (`DATABASE_CONN_MAX_AGE=60`, the production
value), pages that read the database, a restart of the cluster under the worker's open
connection, and the same pages again: every answer is 200 (the connection is checked before a
request uses it, `CONN_HEALTH_CHECKS`).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("/health/ready/", "/directory/?territory=93", "/")

pytestmark = pytest.mark.postgres


def _bin(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(*command: str) -> subprocess.CompletedProcess[str]:
    """Run a server program as the `postgres` system user when we are root (initdb refuses
    root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(  # noqa: S603 - fixed programs of the PostgreSQL installation
        [*prefix, *command], capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture
def cluster():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("needs the PostgreSQL server programs (initdb, pg_ctl)")
    folder = Path(tempfile.mkdtemp(prefix="opennrm-restart-"))
    folder.chmod(0o777)
    data = folder / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    done = _as_postgres(initdb, "-D", str(data), "-A", "trust", "-U", "postgres")
    assert done.returncode == 0, done.stderr
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def ctl(*args: str) -> None:
        # The server's output goes to the log file: a pipe would keep pg_ctl waiting.
        log = str(folder / "log")
        result = _as_postgres(pg_ctl, "-D", str(data), "-w", "-l", log, "-o", options, *args)
        assert result.returncode == 0, result.stdout + result.stderr

    ctl("start")
    try:
        yield port, ctl
    finally:
        _as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_no_error_after_the_database_restarts(cluster, tmp_path):
    port, ctl = cluster
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OPENNRM_", "DJANGO_", "DATABASE_"))
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.demo",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/postgres",
        "DATABASE_CONN_MAX_AGE": "60",
        "OPENNRM_VAR_DIR": str(tmp_path),
    }
    for command in (["migrate", "--noinput"], ["load_territories"]):
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    web = _free_port()
    server = subprocess.Popen(  # noqa: S603 - gunicorn from the project's environment
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{web}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{web}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/live/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        before = [_get(base + page) for page in PAGES * 3]
        assert set(before) == {200}, before
        ctl("-m", "fast", "restart")  # the worker's connection is now dead
        after = [_get(base + page) for page in PAGES * 3]
        assert set(after) == {200}, after
    finally:
        server.terminate()
        server.wait(timeout=20)
