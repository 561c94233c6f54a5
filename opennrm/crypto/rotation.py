"""Re-encryption at the level of stored text: used by key rotation and by data migrations.

Both work on raw column values (the cursor, not the model), so that they do not depend on the
field's Python type and can run on historical models. Rows are read in primary-key order by
batches; each batch is written in its own transaction, and a row is rewritten only if it still
holds the value read (a concurrent edit wins).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from opennrm.crypto.cipher import DecryptionError, decrypt, encrypt, is_encrypted
from opennrm.crypto.keys import field_keys

DEFAULT_BATCH = 500


@dataclass
class ColumnReport:
    """What happened to one column."""

    label: str
    examined: int = 0
    changed: int = 0
    failed: list[str] = field(default_factory=list)  # primary keys, never values


def _pk_column(model: type[Model]) -> str:
    column = model._meta.pk.column if model._meta.pk is not None else None
    if not column:
        raise ValueError(f"{model._meta.label} has no primary key column.")
    return column


def _rows(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    column: str,
    condition: str,
    params: list[Any],
    batch_size: int,
) -> Iterator[list[tuple[Any, str]]]:
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(_pk_column(model))
    last: Any = None
    while True:
        after = f" AND {pk} > %s" if last is not None else ""
        sql = (
            f"SELECT {pk}, {quote(column)} FROM {table} "  # noqa: S608 — quoted identifiers
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''{condition}{after} "
            f"ORDER BY {pk} LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *([last] if last is not None else []), batch_size])
            batch = [(row[0], str(row[1])) for row in cursor.fetchall()]
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _rewrite(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    column: str,
    report: ColumnReport,
    *,
    condition: str,
    params: list[Any],
    transform: Callable[[str], str | None],
    batch_size: int,
    dry_run: bool,
) -> ColumnReport:
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(_pk_column(model))
    update = (
        f"UPDATE {table} SET {quote(column)} = %s "  # noqa: S608 — quoted identifiers
        f"WHERE {pk} = %s AND {quote(column)} = %s"
    )
    for batch in _rows(connection, model, column, condition, params, batch_size):
        with transaction.atomic(using=connection.alias):
            for pk_value, stored in batch:
                report.examined += 1
                try:
                    new = transform(stored)
                except (DecryptionError, ValueError):
                    report.failed.append(str(pk_value))
                    continue
                if new is None:
                    continue
                report.changed += 1
                if not dry_run:
                    with connection.cursor() as cursor:
                        cursor.execute(update, [new, pk_value, stored])
    return report


def rotate_column(
    model: type[Model],
    column: str,
    *,
    using: str = "default",
    batch_size: int = DEFAULT_BATCH,
    dry_run: bool = False,
) -> ColumnReport:
    """Re-encrypt with the current key every value of the column sealed with another key."""
    connection = connections[using]
    current = f"v1:{field_keys().current_id}:"
    report = ColumnReport(f"{model._meta.label}.{column}")

    def reseal(stored: str) -> str:
        return encrypt(decrypt(stored))

    # SUBSTR rather than LIKE: key ids may contain "_", a LIKE wildcard.
    condition = f" AND SUBSTR({connection.ops.quote_name(column)}, 1, %s) <> %s"
    return _rewrite(
        connection,
        model,
        column,
        report,
        condition=condition,
        params=[len(current), current],
        transform=reseal,
        batch_size=batch_size,
        dry_run=dry_run,
    )


def encrypt_column(
    model: type[Model],
    column: str,
    *,
    connection: BaseDatabaseWrapper,
    check: Callable[[str], object] | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> ColumnReport:
    """Encrypt the plaintext values of a column that has just become encrypted (a data
    migration). Values already encrypted are left alone, so it can run twice. `check` parses
    the plaintext (a date, JSON) and raises ValueError on anything unexpected: the migration
    then stops, inside its transaction, and nothing is lost."""
    report = ColumnReport(f"{model._meta.label}.{column}")

    def seal(stored: str) -> str | None:
        if is_encrypted(stored):
            return None
        if check is not None:
            check(stored)
        return encrypt(stored)

    _rewrite(
        connection,
        model,
        column,
        report,
        condition="",
        params=[],
        transform=seal,
        batch_size=batch_size,
        dry_run=False,
    )
    if report.failed:
        raise ValueError(
            f"{report.label}: {len(report.failed)} value(s) could not be encrypted "
            f"(primary keys {', '.join(report.failed[:20])}); nothing was changed."
        )
    return report


def decrypt_column(
    model: type[Model],
    column: str,
    *,
    connection: BaseDatabaseWrapper,
    batch_size: int = DEFAULT_BATCH,
) -> ColumnReport:
    """The reverse of `encrypt_column`, for a migration rolled back: plaintext again."""
    report = ColumnReport(f"{model._meta.label}.{column}")

    def open_(stored: str) -> str | None:
        return decrypt(stored) if is_encrypted(stored) else None

    _rewrite(
        connection,
        model,
        column,
        report,
        condition="",
        params=[],
        transform=open_,
        batch_size=batch_size,
        dry_run=False,
    )
    if report.failed:
        raise ValueError(f"{report.label}: {len(report.failed)} value(s) could not be decrypted.")
    return report


# Files sealed with the field keys (opennrm.cases.evidence): the package that stores them
# registers how to re-encrypt them, and `rotate_field_keys` runs it after the columns.
FileRotation = Callable[..., ColumnReport]  # (*, dry_run: bool) -> report
_file_rotations: dict[str, FileRotation] = {}


def register_file_rotation(name: str, rotate: FileRotation) -> None:
    _file_rotations[name] = rotate


def file_rotations() -> list[FileRotation]:
    return list(_file_rotations.values())
