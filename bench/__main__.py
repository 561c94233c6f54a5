"""`make bench`: the main pages on national datasets of 10,000 / 100,000 / 1,000,000 cases.

For each size in BENCH_CASES (comma-separated, default 10000), a PostgreSQL database
`opennrm_bench_<size>` is built with `generate_national_dataset` unless it already holds that
dataset (the same size and seed: nothing is regenerated), then bench/size.py serves it with
gunicorn under the bench settings and measures every page beside a minimal view behind the same
middleware, in the same run. Results: a table per size, the targets of issue #11 met or missed,
and JSON in bench/results/ (one file per size, and summary.json).

Environment: BENCH_CASES, BENCH_DATABASE_URL (server, default
postgres://postgres@127.0.0.1:5432), BENCH_RUNS (sequential requests per page, 50),
BENCH_SECONDS (per throughput measure, 5), BENCH_CLIENTS (concurrent clients, 2),
BENCH_WORKERS (gunicorn workers, 2), BENCH_SCALING=1 (also 1, 2 and 4 workers on the smallest
size). Speed is measured here, never asserted in tests.
"""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SEED = 1

P95_MS = 100.0
MONITORING_P95_MS = 2000.0  # issue #15: monitoring pages, whatever the filters
MONITORING = ("funnel (", "Directive indicators (")
GROWTH = 1.5  # latency at the largest size / at the smallest
SHARE_OF_MINIMAL = 0.5
DUPLICATE_P95_MS = 20.0
RECALL = 0.95


def database_url(cases: int) -> str:
    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    return f"{server.rstrip('/')}/opennrm_bench_{cases}"


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True)  # noqa: S603 (the project's own commands)


def ensure_dataset(cases: int) -> dict[str, str]:
    url = database_url(cases)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if admin.execute("select 1 from pg_database where datname = %s", [name]).fetchone() is None:
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    python = sys.executable
    run([python, "manage.py", "migrate", "--verbosity=0"], env)
    print(f"Dataset of {cases:,} cases in {name} (built unless present)…", flush=True)
    run(
        [python, "manage.py", "generate_national_dataset", f"--cases={cases}", f"--seed={SEED}"],
        env,
    )
    return env


def targets(results: dict[int, dict]) -> list[tuple[str, bool, str]]:
    """Each target of issue #11: (what, met, the figures)."""
    checks: list[tuple[str, bool, str]] = []
    sizes = sorted(results)
    for size in sizes:
        pages = {page["label"]: page for page in results[size]["pages"]}
        minimal = pages["minimal view (signed in)"]["throughput_per_s"]
        minimal_post = pages["minimal POST cycle (anonymous)"]["throughput_per_s"]
        for label, page in pages.items():
            if label.startswith("minimal"):
                continue
            limit = MONITORING_P95_MS if label.startswith(MONITORING) else P95_MS
            checks.append(
                (
                    f"{size:>9,}  {label}: p95 ≤ {limit:.0f} ms",
                    page["p95_ms"] <= limit,
                    f"{page['p95_ms']} ms",
                )
            )
            baseline = minimal_post if label == "public report cycle" else minimal
            share = page["throughput_per_s"] / baseline if baseline else 0.0
            checks.append(
                (
                    f"{size:>9,}  {label}: throughput ≥ 50 % of the minimal view",
                    share >= SHARE_OF_MINIMAL,
                    f"{share:.0%}",
                )
            )
            checks.append(
                (
                    f"{size:>9,}  {label}: no wrong answer",
                    page["errors"] == 0,
                    f"{page['errors']} errors",
                )
            )
        report = pages["public report cycle"]
        checks.append(
            (
                f"{size:>9,}  every acknowledged report stored once",
                report["acknowledged"] == report["stored"],
                f"{report['acknowledged']} acknowledged, {report['stored']} stored",
            )
        )
        found = results[size]["duplicates"]
        checks.append(
            (
                f"{size:>9,}  duplicate check p95 ≤ {DUPLICATE_P95_MS:.0f} ms",
                found["p95_ms"] <= DUPLICATE_P95_MS,
                f"{found['p95_ms']} ms",
            )
        )
        checks.append(
            (
                f"{size:>9,}  duplicate recall ≥ {RECALL}",
                found["recall"] >= RECALL,
                f"{found['recall']}",
            )
        )
    if len(sizes) > 1:
        small, large = results[sizes[0]], results[sizes[-1]]
        before = {page["label"]: page for page in small["pages"]}
        for page in large["pages"]:
            if page["label"].startswith("minimal") or page["label"] not in before:
                continue
            ratio = page["p95_ms"] / max(before[page["label"]]["p95_ms"], 0.001)
            checks.append(
                (
                    f"{sizes[-1]:>9,}  {page['label']}: p95 ≤ {GROWTH} × at {sizes[0]:,}",
                    ratio <= GROWTH,
                    f"× {ratio:.2f}",
                )
            )
    return checks


def main() -> int:
    sizes = [int(size) for size in os.environ.get("BENCH_CASES", "10000").split(",") if size]
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict] = {}
    for index, size in enumerate(sizes):
        env = ensure_dataset(size)
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
        out = RESULTS / f"{size}.json"
        args = [sys.executable, "-m", "bench.size", str(out)]
        if index == 0 and os.environ.get("BENCH_SCALING") == "1":
            args.append("--scaling")
        print(f"Measuring {size:,} cases:", flush=True)
        run(args, env)
        results[size] = json.loads(out.read_text())
    checks = targets(results)
    print("\nTargets:")
    for what, met, figures in checks:
        print(f"  {'met   ' if met else 'MISSED'}  {what}  ({figures})")
    missed = sum(1 for _, met, _ in checks if not met)
    (RESULTS / "summary.json").write_text(
        json.dumps(
            {
                "written_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "sizes": sizes,
                "targets": [
                    {"target": what, "met": met, "measured": figures}
                    for what, met, figures in checks
                ],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\n{len(checks) - missed} of {len(checks)} targets met; JSON in {RESULTS}.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
