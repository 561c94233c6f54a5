"""HTTP load against a running server: latency with one client, throughput with several.

Plain `http.client` with keep-alive connections (one per client thread), so that what is timed
is the server, not a connection's set-up. A response other than the expected status counts as an
error and is reported; the bench fails on any.
"""

import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_INPUT = re.compile(r'name="submission" value="([0-9a-f]{32})"')


@dataclass
class Session:
    """One client's cookies and connection."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return self.connection

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, bytes, str]:
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A worker closed a kept-alive connection (gunicorn's keep-alive timeout).
                connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, response.getheader("Location") or ""

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Timing:
    label: str
    p50: float
    p95: float
    runs: int
    throughput: float | None = None  # requests (or cycles) a second with concurrent clients
    errors: int = 0
    queries: int | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "p50_ms": round(self.p50, 2),
            "p95_ms": round(self.p95, 2),
            "runs": self.runs,
            "throughput_per_s": None if self.throughput is None else round(self.throughput, 1),
            "errors": self.errors,
            "queries": self.queries,
            **self.extra,
        }


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * fraction) - 1))]


Action = Callable[[Session], bool]  # one request or cycle; False when the answer was wrong


def latency(
    label: str, make_session: Callable[[], Session], action: Action, runs: int, warmup: int = 3
) -> Timing:
    session = make_session()
    errors = 0
    for _ in range(warmup):
        action(session)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        ok = action(session)
        samples.append((time.perf_counter() - start) * 1000)
        errors += 0 if ok else 1
    session.close()
    return Timing(label, statistics.median(samples), percentile(samples, 0.95), runs, errors=errors)


def throughput(
    make_session: Callable[[], Session], action: Action, clients: int, seconds: float
) -> tuple[float, int, int]:
    """(completed actions a second, completed, errors) with `clients` threads for `seconds`."""
    counts = [0] * clients
    errors = [0] * clients
    barrier = threading.Barrier(clients + 1)
    stop = threading.Event()

    def run(index: int) -> None:
        session = make_session()
        action(session)  # warm the connection
        barrier.wait()
        while not stop.is_set():
            if action(session):
                counts[index] += 1
            else:
                errors[index] += 1
        session.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return sum(counts) / elapsed, sum(counts), sum(errors)
