"""One dataset size: the pages, the report intake and the duplicate check, written as JSON.

`python -m bench.size OUT.json [--scaling]`, with DATABASE_URL naming a national dataset's
database; bench/__main__.py runs it once per size.
"""

import json
import os
import platform
import sys
from pathlib import Path

from bench import (
    duplicates,
    pages,  # first: it sets Django up
)


def main() -> int:
    out = Path(sys.argv[1])
    runs = int(os.environ.get("BENCH_RUNS", "50"))
    seconds = float(os.environ.get("BENCH_SECONDS", "5"))
    clients = int(os.environ.get("BENCH_CLIENTS", "2"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    result = pages.measure(runs, seconds, clients, workers)
    found = duplicates.measure(sample=int(os.environ.get("BENCH_DUPLICATE_SAMPLE", "200")))
    print(
        f"  {'duplicate check for a new person':<45} p50 {found.p50:7.1f} ms  p95 "
        f"{found.p95:7.1f} ms  recall {found.recall:.3f} "
        f"({', '.join(f'{k} {v:.2f}' for k, v in found.recall_by_variant.items())}); "
        f"nobody found: p95 {found.p95_no_match:.1f} ms",
        flush=True,
    )
    result["duplicates"] = found.as_dict()
    if "--scaling" in sys.argv:
        result["scaling"] = pages.worker_scaling(seconds)
    result["machine"] = {
        "processors": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
