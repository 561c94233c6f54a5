"""Writing many rows fast: ids reserved ahead per chunk, rows sent by PostgreSQL COPY (or
batched inserts elsewhere), secondary indexes rebuilt once at the end of a large load.

Rows are tuples of values ready for the database: encrypted columns already encrypted (by the
model field's own `get_prep_value`), JSON columns already text. Each chunk of cases gets, per
table, a range of ids large enough for its rows (`CAPS` rows per case at most), so that rows
can name each other — and chunks can be made in parallel — before anything is written; ids
left unused in a range are a gap, as a rolled-back transaction leaves one.

On PostgreSQL, a large load also:

- runs with `session_replication_role = replica` for its transaction when the user may set
  it (a superuser): foreign keys are not checked row by row, and `check_foreign_keys` checks
  every one of them at the end, set by set;
- drops the secondary indexes and unique constraints of the tables it fills and creates them
  again at the end from their own definitions (`IndexRebuild`): building an index once is far
  cheaper than inserting millions of rows into it. The tables are locked until the commit.
"""

import datetime
import decimal
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import ForeignKey, Model

Row = tuple[Any, ...]


@dataclass(eq=False)  # hashed by identity: one per table
class Table:
    """Where rows of one model go: its table and the columns of each row tuple, in order."""

    model: type[Model]
    fields: tuple[str, ...]  # model field names ("id" first); through models too
    # A faster COPY text line for this table's rows (`copy_text` does any row otherwise).
    line: Callable[[Row], str] | None = None
    db_table: str = ""
    columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        meta = self.model._meta
        self.db_table = meta.db_table
        self.columns = tuple(str(meta.get_field(name).column) for name in self.fields)  # type: ignore[union-attr]


class ChunkIds:
    """The ids of one chunk's rows: from the ranges the chunk was given, in order."""

    def __init__(self, ranges: dict[str, tuple[int, int]]) -> None:
        self._next = {name: start for name, (start, _end) in ranges.items()}
        self._end = {name: end for name, (_start, end) in ranges.items()}

    def next(self, table: Table) -> int:
        name = table.db_table
        value = self._next[name]
        if value >= self._end[name]:
            raise OverflowError(f"more rows of {name} than planned for a chunk")
        self._next[name] = value + 1
        return value


class IdPlan:
    """Reserves ids for chunks: for each table, as many as a chunk may need, taken from
    the table's sequence (PostgreSQL: others writing meanwhile get ids after the reservation)
    or after the largest id (elsewhere), many chunks at a time."""

    def __init__(self, sizes: dict[str, int], chunks_ahead: int = 25) -> None:
        self.sizes = sizes  # ids per chunk, per table
        self.ahead = chunks_ahead
        self._pool: dict[str, tuple[int, int]] = {}
        self._after: dict[str, int] = {}

    def ranges(self) -> dict[str, tuple[int, int]]:
        """The id ranges of the next chunk."""
        result = {}
        for name, size in self.sizes.items():
            start, end = self._pool.get(name, (0, 0))
            if end - start < size:
                start, end = self._reserve(name, size * self.ahead)
            result[name] = (start, start + size)
            self._pool[name] = (start + size, end)
        return result

    def _reserve(self, name: str, count: int) -> tuple[int, int]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [name, name, count],
                )
                last = int(cursor.fetchone()[0])
                return last - count + 1, last + 1
            if name not in self._after:  # one writer: each reservation follows the last
                cursor.execute(f'SELECT MAX(id) FROM "{name}"')  # noqa: S608 - a model's table
                self._after[name] = int(cursor.fetchone()[0] or 0) + 1
            start = self._after[name]
            self._after[name] = start + count
            return start, start + count


# COPY text format -------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value: str) -> str:
    """A text value, escaped as COPY's text format needs."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _other(value: Any) -> str:
    if isinstance(value, str):  # choices (enumerations of text)
        return text(str.__str__(value))
    raise TypeError(f"no COPY text for {type(value).__name__}")


# How each type of value is written in COPY's text format (by exact type: bool is not int).
_FORMATS: dict[type, Callable[[Any], str]] = {
    str: text,
    int: int.__repr__,
    bool: lambda value: "t" if value else "f",
    type(None): lambda _value: "\\N",
    datetime.datetime: datetime.datetime.isoformat,  # with its offset
    datetime.date: datetime.date.isoformat,
    decimal.Decimal: decimal.Decimal.__str__,
    float: float.__repr__,
}


def copy_line(row: Row) -> str:
    """One row in PostgreSQL's COPY text format, with its end of line."""
    get = _FORMATS.get
    return "\t".join([get(type(value), _other)(value) for value in row]) + "\n"


def copy_text(rows: Iterable[Row], line: Callable[[Row], str] | None = None) -> bytes:
    """Rows in PostgreSQL's COPY text format (by `line`, a table's own, when given)."""
    return "".join(map(line or copy_line, rows)).encode()


def null(value: int | None) -> str:
    """An id, or COPY's NULL."""
    return "\\N" if value is None else str(value)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


@dataclass
class Timings:
    """Seconds spent writing, per table, and rows written."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class Writer:
    """Sends rows to the database, table by table, in the caller's transaction."""

    def __init__(self) -> None:
        self.timings = Timings()
        self.fast = False

    @property
    def copy(self) -> bool:
        return connection.vendor == "postgresql"

    def begin(self) -> None:
        """Inside the transaction: skip row-by-row foreign key checks where allowed (see the
        module's docstring), and do not wait for the disk at each commit of this session."""
        if not self.copy:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
            self.fast = bool(row and row[0])
            if self.fast:
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL synchronous_commit = off")

    def end(self) -> None:
        if self.fast:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")

    def write_text(self, table: Table, text: bytes, rows: int) -> None:
        """Rows already in COPY text format (PostgreSQL)."""
        if not rows:
            return
        start = time.perf_counter()
        columns = ", ".join(f'"{column}"' for column in table.columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table.db_table}" ({columns}) FROM STDIN') as copy,
        ):
            copy.write(text)
        self._timed(table, rows, start)

    def write(self, table: Table, rows: Sequence[Row]) -> None:
        if not rows:
            return
        if self.copy:
            self.write_text(table, copy_text(rows, table.line), len(rows))
            return
        start = time.perf_counter()
        columns = ", ".join(f'"{column}"' for column in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        sql = f'INSERT INTO "{table.db_table}" ({columns}) VALUES ({marks})'  # noqa: S608 - names from the models, values bound
        with connection.cursor() as cursor:
            cursor.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in rows])
        self._timed(table, len(rows), start)

    def _timed(self, table: Table, rows: int, start: float) -> None:
        self.timings.seconds[table.db_table] += time.perf_counter() - start
        self.timings.rows[table.db_table] += rows


class IndexRebuild:
    """PostgreSQL: the secondary indexes and unique constraints of some tables, dropped for a
    load and created again afterwards from their own definitions (the primary keys, foreign
    keys and check constraints stay)."""

    def __init__(self, tables: Iterable[str]) -> None:
        self.tables = list(tables)
        self.constraints: list[tuple[str, str, str]] = []  # (table, name, definition)
        self.indexes: list[str] = []  # CREATE INDEX statements

    def drop(self) -> None:
        with connection.cursor() as cursor:
            # Foreign keys checked now, and as rows come until `restore`: an index cannot be
            # dropped or built on a table with checks still pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in self.tables:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
                    "AND c.conrelid = %s::regclass) ORDER BY i.indexname",
                    [table, table],
                )
                indexes = cursor.fetchall()
                for name, definition in constraints:
                    self.constraints.append((table, name, definition))
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                for name, definition in indexes:
                    self.indexes.append(definition)
                    cursor.execute(f'DROP INDEX "{name}"')

    def restore(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.constraints:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def foreign_keys(models: Iterable[type[Model]]) -> list[tuple[str, str, str, str]]:
    """(table, column, referenced table, referenced column) of every foreign key of `models`."""
    keys = []
    for model in models:
        for field_ in model._meta.concrete_fields:
            if isinstance(field_, ForeignKey) and field_.db_constraint:  # type: ignore[attr-defined]
                target = field_.target_field
                keys.append(
                    (
                        str(model._meta.db_table),
                        str(field_.column),
                        str(target.model._meta.db_table),
                        str(target.column),
                    )
                )
    return keys


def check_foreign_keys(models: Iterable[type[Model]]) -> list[str]:
    """Every foreign key of the tables written points at a row: the constraints skipped during
    the load, checked set by set (one anti-join per key). Returns the broken ones."""
    broken = []
    with connection.cursor() as cursor:
        for table, column, target, target_column in foreign_keys(models):
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" t WHERE t."{column}" IS NOT NULL '  # noqa: S608 - names from the models
                f'AND NOT EXISTS (SELECT 1 FROM "{target}" r WHERE r."{target_column}" = '
                f't."{column}")'
            )
            missing = int(cursor.fetchone()[0])
            if missing:
                broken.append(f"{table}.{column} → {target}: {missing} row(s)")
    return broken
