"""The SQLite demo serves a training room: people report and read at the same time, and no
request fails and no report is lost. Run against the demo settings, with the demo server
(`runserver`, one thread per request) on a database file, as `make demo` serves it."""

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 6
REPORTS_EACH = 8
READERS = 4
READS_EACH = 20
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHOWN_REFERENCE = re.compile(r'id="concern-reference">([^<]+)<')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture
def demo_server(tmp_path):
    # The demo's own environment, as `make demo` has it: none of the test settings' variables.
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OPENNRM_", "DJANGO_", "DATABASE_"))
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.demo",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "OPENNRM_REPORT_RATE": "1000/1m",
        "PYTHONUNBUFFERED": "1",
    }
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_territories")
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the demo server did not start")
        yield base, tmp_path / "demo.sqlite3"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _report(base: str, index: int, outcome: dict[str, list]) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/report/", timeout=30).read().decode()
    token = TOKEN.search(page)
    assert token, "the report form carries a CSRF token"
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "description": f"Fictional concurrent report {index}: workers never leave the farm.",
            "territory": "93",
            "commune": "Fictiveville",
            "place_type": "farm",
            "sector": "agriculture",
            "signs": "cannot_leave",
            "child_involved": "no",
            "contact": "",
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/report/", data=data, headers={"Referer": f"{base}/report/"}
    )
    try:
        response = opener.open(request, timeout=30)  # follows to the thanks page
        thanks = response.read().decode()
        outcome["statuses"].append(response.status)
        shown = SHOWN_REFERENCE.search(thanks)
        if response.status == 200 and shown:
            outcome["acknowledged"].append(shown.group(1).strip())
    except urllib.error.HTTPError as error:
        outcome["statuses"].append(error.code)


def _read(base: str, outcome: dict[str, list]) -> None:
    for path in ("/", "/directory/?territory=93", "/report/", "/legal/") * (READS_EACH // 4):
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:  # noqa: S310
                outcome["reads"].append(response.status)
        except urllib.error.HTTPError as error:
            outcome["reads"].append(error.code)


def test_concurrent_reports_and_reads_fail_nothing_and_lose_nothing(demo_server):
    base, database = demo_server
    outcome: dict[str, list] = {"statuses": [], "acknowledged": [], "reads": []}

    def writer(number: int) -> None:
        for i in range(REPORTS_EACH):
            _report(base, number * 100 + i, outcome)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    threads += [threading.Thread(target=_read, args=(base, outcome)) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert sorted(set(outcome["statuses"])) == [200], outcome["statuses"]
    assert sorted(set(outcome["reads"])) == [200], outcome["reads"]
    assert len(outcome["acknowledged"]) == WRITERS * REPORTS_EACH
    with sqlite3.connect(database) as connection:
        stored = [row[0] for row in connection.execute("SELECT reference FROM detection_concern")]
    # Every acknowledged report is stored, once, under the reference the person was shown.
    assert sorted(stored) == sorted(outcome["acknowledged"])
    assert len(set(stored)) == WRITERS * REPORTS_EACH
