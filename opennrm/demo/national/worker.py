"""Making chunks of rows, in this process or in spawned worker processes.

A spawned process starts empty: it sets Django up before it reads the world it is given (model
instances) or imports anything that defines models, so this module imports neither at its top.
Workers need no database: the ids of their rows were reserved by the parent process, which
writes what they make.
"""

import datetime
import pickle
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opennrm.demo.national.sealing import BatchSpec
    from opennrm.demo.national.stories import Stories

Task = tuple[int, int, int, dict[str, tuple[int, int]]]  # chunk, first, last, id ranges
# Per table: the rows (as tuples), or their COPY text and its count; the chunk's audit batch; the
# processor time it took (seconds).
Made = tuple[dict[str, Any], "BatchSpec | None", float]

_state: dict[str, Any] = {}


def prepare(stories: "Stories", copy: bool) -> None:
    """Make chunks in this process."""
    _state["stories"], _state["copy"] = stories, copy


def start(world: bytes, seed: int, anchor: datetime.date, copy: bool) -> None:
    """A worker process's initialiser: Django first, then the world (pickled)."""
    import django

    django.setup()
    from django.conf import settings

    from opennrm.demo.national.names import NameBook
    from opennrm.demo.national.stories import Stories

    stories = Stories(
        pickle.loads(world),  # noqa: S301 - pickled by the parent process, just now
        seed=seed,
        anchor=anchor,
        time_zone=settings.TIME_ZONE,
        names=NameBook(seed),
    )
    prepare(stories, copy)


def make(task: Task) -> Made:
    """One chunk: its rows by table (COPY text when the parent writes with COPY)."""
    from opennrm.demo.national.writer import copy_text

    started = time.process_time()
    number, first, last, ranges = task
    stories = _state["stories"]
    rows, spec = stories.chunk(number, first, last, ranges)
    made: dict[str, Any]
    if _state["copy"]:
        made = {table.db_table: (copy_text(r, table.line), len(r)) for table, r in rows.items()}
    else:
        made = {table.db_table: r for table, r in rows.items()}
    return made, spec, time.process_time() - started
