"""The pages measured, as the busiest personas use them, on a national dataset.

Run by bench/__main__.py in a process of its own per dataset size, with the bench settings and
DATABASE_URL naming the dataset's database. The personas are the demo's (their organisations
own fixed shares of the national dataset: Amina's association 1 % of all cases).
"""

import datetime
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.load import (  # noqa: E402
    CSRF_INPUT,
    SUBMISSION_INPUT,
    Session,
    Timing,
    latency,
    throughput,
)
from opennrm.cases.enums import IdentificationStatus  # noqa: E402
from opennrm.cases.models import Case  # noqa: E402
from opennrm.core.models import User  # noqa: E402
from opennrm.detection.enums import PlaceType, Sector  # noqa: E402
from opennrm.detection.models import Concern  # noqa: E402
from opennrm.identification.models import Referral, Route  # noqa: E402
from opennrm.monitoring.counts import refresh as refresh_counts  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 (PUBLIC, bench databases only)
PERSONAS = {
    "field": "association.93@demo.opennrm.invalid",  # Amina: 1 % of all cases
    "local": "coordinateur.93@demo.opennrm.invalid",  # Louis: coordinator of the 93
    "national": "coordinatrice.nationale@demo.opennrm.invalid",  # Nadia
    "dpo": "dpd@demo.opennrm.invalid",  # Robert: the audit viewer
}


@dataclass(frozen=True)
class Page:
    label: str
    persona: str | None  # None: anonymous (a public page)
    path: str
    post: dict[str, str] | None = None  # sent by POST (a search by identity), with its token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench"}
    server = subprocess.Popen(  # noqa: S603 (fixed arguments: the project's own gunicorn)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live/", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("gunicorn did not answer within 60 s")


def signed_in_cookies(email: str) -> dict[str, str]:
    """A session for the persona, made as a sign-in makes it (MFA set up, as required)."""
    user = User.objects.get(email=email)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, BENCH_TOTP_SECRET)
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def pages() -> list[Page]:
    amina = User.objects.get(email=PERSONAS["field"])
    organisation = amina.memberships.get().organisation
    recent = (
        Case.objects.filter(owner=organisation).order_by("-opened_at").only("reference").first()
    )
    older = (
        Case.objects.filter(owner=organisation, status=IdentificationStatus.IDENTIFIED_VICTIM)
        .order_by("opened_at")
        .only("reference")
        .first()
    )
    assert recent is not None and older is not None
    presumed = (
        Case.objects.filter(owner=organisation, status=IdentificationStatus.PRESUMED_VICTIM)
        .order_by("-opened_at")
        .only("reference")
        .first()
    )
    # A referral in force before the platform Louis chairs (the 93's).
    referral = (
        Referral.objects.in_force()
        .filter(route=Route.PLATFORM, case__territory__code="93")
        .order_by("-referred_at")
        .only("pk")
        .first()
    )
    file_pages = []
    if presumed is not None:
        base = f"/cases/{presumed.reference}"
        file_pages = [
            Page("account (field)", "field", f"{base}/account/"),
            Page("facts (field)", "field", f"{base}/account/facts/"),
            Page("exploiters and workplaces (field)", "field", f"{base}/account/exploiters/"),
            Page("documents (field)", "field", f"{base}/evidence/"),
            Page("referral, what travels (field)", "field", f"{base}/referral/"),
            Page("transfer of a case (field)", "field", f"{base}/transfer/"),
            Page("rights information, 14 leaflets (field)", "field", f"{base}/rights/"),
        ]
    # Searches (#13): the beginning of a reference and of a pseudonym, filters together, a name
    # (the dataset's names are fictional) and the case picker of a concern to triage.
    person = recent.person
    name = f"{person.given_names} {person.family_name}".strip()
    # What a coordinator types: the beginning of a pseudonym of a case shared with them, long
    # enough to narrow (the dataset's pseudonyms all begin with P-NAT-).
    louis = User.objects.get(email=PERSONAS["local"]).memberships.get().organisation
    shared = (
        Case.objects.filter(shares__organisation=louis, territory__code="93")
        .order_by("-opened_at")
        .values_list("person__pseudonym", flat=True)
        .first()
    )
    shared_prefix = (shared or "P-A")[:8]
    search_pages = [
        Page(
            "case search, reference prefix (field)",
            "field",
            f"/cases/?reference={recent.reference[:6]}",
        ),
        Page(
            "case search, pseudonym prefix (field)",
            "field",
            f"/cases/?pseudonym={person.pseudonym[:6]}",
        ),
        Page(
            "case search, filters together (field)",
            "field",
            "/cases/?territory=93&form=forced_labour&status=preliminary_assessment"
            "&due_from=2020-01-01&due_until=2040-12-31",
        ),
        Page("case search, by name (field)", "field", "/cases/", post={"name": name}),
        Page(
            "case search, pseudonym prefix (local coordinator)",
            "local",
            f"/cases/?pseudonym={shared_prefix}",
        ),
        Page("concern search (local coordinator)", "local", "/concerns/?territory=93&status=new"),
    ]
    to_triage = Concern.objects.filter(territory__code="93", status="new").only("reference").first()
    if to_triage is not None:
        search_pages.append(
            Page(
                "case picker of a concern (local coordinator)",
                "local",
                f"/concerns/{to_triage.reference}/cases/?case_search={shared_prefix}",
            )
        )
    file_pages += search_pages
    if referral is not None:
        file_pages.append(
            Page("platform file (local coordinator)", "local", f"/platform/cases/{referral.pk}/")
        )
    return [
        *file_pages,
        Page("transfers of cases (field)", "field", "/transfers/"),
        Page("notifications (field)", "field", "/notifications/"),
        Page("dashboard (field)", "field", "/dashboard/"),
        Page("case list (field, 1 % of cases)", "field", "/cases/"),
        Page("case list, page 5 (field)", "field", "/cases/?page=5"),
        Page(
            "case list, status filter (field)",
            "field",
            f"/cases/?status={IdentificationStatus.PRESUMED_VICTIM}",
        ),
        Page("case list, overdue filter (field)", "field", "/cases/?overdue=on"),
        Page("case page, recent (field)", "field", f"/cases/{recent.reference}/"),
        Page("case page, identified victim (field)", "field", f"/cases/{older.reference}/"),
        Page("overdue (field)", "field", "/overdue/"),
        Page("dashboard (local coordinator)", "local", "/dashboard/"),
        Page("concerns to triage (local coordinator)", "local", "/concerns/"),
        Page("case list (local coordinator)", "local", "/cases/"),
        Page("deadlines (local coordinator)", "local", "/identification/deadlines/"),
        Page("overdue (local coordinator)", "local", "/overdue/"),
        Page("dashboard (national)", "national", "/dashboard/"),
        Page("overdue (national)", "national", "/overdue/"),
        Page("deadlines (national)", "national", "/identification/deadlines/"),
        Page("residence outcomes (national)", "national", "/monitoring/residence/"),
        Page("directory coverage (national)", "national", "/manage/directory/coverage/"),
        Page("audit viewer (data protection officer)", "dpo", "/audit/"),
        # Monitoring (issue #15: p95 ≤ 2 s at 1,000,000 cases), counted live.
        Page("funnel (national)", "national", "/monitoring/funnel/"),
        Page("funnel (local coordinator)", "local", "/monitoring/funnel/"),
        Page("Directive indicators (national)", "national", "/monitoring/indicators/"),
        Page("HTCDS exchange (local coordinator)", "local", "/exchange/"),
        # Public pages (#17).
        Page("protocol (public)", None, "/protocol/"),
        Page("guidance, one sector (public)", None, "/guidance/agriculture/"),
    ]


def count_queries(
    cookies: dict[str, str], path: str, post: dict[str, str] | None = None
) -> tuple[int, int]:
    client = Client()
    client.cookies["sessionid"] = cookies["sessionid"]
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, post) if post is not None else client.get(path)
    return len(queries), response.status_code


def get_action(path: str) -> Callable[[Session], bool]:
    def action(session: Session) -> bool:
        status, _, _ = session.request("GET", path)
        return status == 200

    return action


def post_action(path: str, body: dict[str, str]) -> Callable[[Session], bool]:
    """A POST of the page's own form: its CSRF token read once per session (the first
    request of a session also reads the form), then the POST alone is measured."""
    tokens: dict[int, str] = {}

    def action(session: Session) -> bool:
        if id(session) not in tokens:
            status, content, _ = session.request("GET", path)
            found = CSRF_INPUT.search(content.decode())
            if status != 200 or found is None:
                return False
            tokens[id(session)] = found.group(1)
        status, _, _ = session.request(
            "POST", path, {**body, "csrfmiddlewaretoken": tokens[id(session)]}
        )
        return status == 200

    return action


def page_action(page: Page) -> Callable[[Session], bool]:
    return post_action(page.path, page.post) if page.post is not None else get_action(page.path)


def report_cycle(territory: str, acknowledged: list[int]) -> Callable[[Session], bool]:
    """What a person does: the form, the POST, the thanks page. Each POST answered with the
    redirect to the thanks page is counted in `acknowledged` (the person was told it is sent)."""
    lock = threading.Lock()

    def action(session: Session) -> bool:
        status, content, _ = session.request("GET", "/report/")
        csrf = CSRF_INPUT.search(content.decode())
        submission = SUBMISSION_INPUT.search(content.decode())
        if status != 200 or csrf is None or submission is None:
            return False
        status, _, location = session.request(
            "POST",
            "/report/",
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "submission": submission.group(1),
                "description": "Bench report: fictional, generated by make bench.",
                "territory": territory,
                "place_type": PlaceType.CONSTRUCTION,
                "sector": Sector.CONSTRUCTION,
                "child_involved": "unknown",
                "website": "",
            },
        )
        if status != 302 or not location.endswith("/report/thanks/"):
            return False
        with lock:
            acknowledged[0] += 1
        status, _, _ = session.request("GET", "/report/thanks/")
        return status == 200

    return action


def minimal_post_cycle() -> Callable[[Session], bool]:
    def action(session: Session) -> bool:
        status, _, _ = session.request("GET", "/bench/minimal/public/")
        token = session.cookies.get("csrftoken") or session.cookies.get("__Host-csrftoken")
        if status != 200 or token is None:
            return False
        status, _, _ = session.request(
            "POST", "/bench/minimal/public/", {"csrfmiddlewaretoken": token}
        )
        if status != 302:
            return False
        status, _, _ = session.request("GET", "/bench/minimal/public/")
        return status == 200

    return action


def measure(runs: int, seconds: float, clients: int, workers: int) -> dict[str, object]:
    cookies = {role: signed_in_cookies(email) for role, email in PERSONAS.items()}
    # As the scheduler does every 5 minutes in production: the counts the national and local
    # views read. Its own time is a figure of the bench.
    start = time.perf_counter()
    refresh_counts()
    refreshed = time.perf_counter() - start
    print(f"  monitoring counts refreshed in {refreshed:.2f} s (the job, every 5 minutes)")
    port = free_port()
    server = start_server(port, workers)
    results: list[Timing] = []

    def session_for(role: str | None) -> Callable[[], Session]:
        return lambda: Session("127.0.0.1", port, dict(cookies[role]) if role else {})

    def run(
        label: str,
        role: str | None,
        action: Callable[[Session], bool],
        path: str | None,
        post: dict[str, str] | None = None,
    ) -> Timing:
        timing = latency(label, session_for(role), action, runs)
        rate, _, errors = throughput(session_for(role), action, clients, seconds)
        timing.throughput = rate
        timing.errors += errors
        if path is not None and role is not None:
            timing.queries, status = count_queries(cookies[role], path, post)
            if status != 200:
                timing.errors += 1
        results.append(timing)
        print(
            f"  {label:<45} p50 {timing.p50:7.1f} ms  p95 {timing.p95:7.1f} ms  "
            f"{rate:7.1f}/s  queries {timing.queries if timing.queries is not None else '-':>3}"
            f"{'  ERRORS ' + str(timing.errors) if timing.errors else ''}",
            flush=True,
        )
        return timing

    try:
        run("minimal view (signed in)", "field", get_action("/bench/minimal/"), "/bench/minimal/")
        for page in pages():
            run(page.label, page.persona, page_action(page), page.path, page.post)
        run("minimal view (signed in), again", "field", get_action("/bench/minimal/"), None)
        run("minimal POST cycle (anonymous)", None, minimal_post_cycle(), None)
        before = Concern.objects.count()
        counter = [0]
        cycle = report_cycle("93", counter)
        timing = latency("public report cycle", session_for(None), cycle, runs)
        rate, _, errors = throughput(session_for(None), cycle, clients, seconds)
        acknowledged = counter[0]
        stored = Concern.objects.count() - before
        timing.throughput = rate
        timing.errors += errors
        timing.extra = {"acknowledged": acknowledged, "stored": stored}
        results.append(timing)
        print(
            f"  {'public report cycle':<45} p50 {timing.p50:7.1f} ms  p95 {timing.p95:7.1f} ms  "
            f"{rate:7.1f}/s  acknowledged {acknowledged}, stored {stored}",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "cases": Case.objects.count(),
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "workers": workers,
        "clients": clients,
        "runs": runs,
        "seconds": seconds,
        "pages": [timing.as_dict() for timing in results],
        "monitoring_refresh_s": round(refreshed, 2),
    }


def worker_scaling(seconds: float) -> list[dict[str, object]]:
    """Throughput of the minimal view and of an audited page (the case list) with 1, 2 and 4
    workers and as many clients: audited pages must scale like the minimal view."""
    cookies = signed_in_cookies(PERSONAS["field"])
    rows = []
    for workers in (1, 2, 4):
        port = free_port()
        server = start_server(port, workers)
        try:
            row: dict[str, object] = {"workers": workers}
            for label, path in (("minimal", "/bench/minimal/"), ("case_list", "/cases/")):
                rate, _, errors = throughput(
                    lambda port=port: Session("127.0.0.1", port, dict(cookies)),  # type: ignore[misc]
                    get_action(path),
                    workers,
                    seconds,
                )
                row[f"{label}_per_s"] = round(rate, 1)
                row[f"{label}_errors"] = errors
            rows.append(row)
            print(
                f"  {workers} worker(s): minimal {row['minimal_per_s']}/s, "
                f"audited case list {row['case_list_per_s']}/s",
                flush=True,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows
