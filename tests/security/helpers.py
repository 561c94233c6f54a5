"""Shared by the security tests: raw reads that bypass the ORM's decryption, and keys."""

import base64
import os

from django.db import connection
from django.db.models import Model


def new_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def raw_value(instance: Model, field_name: str) -> object:
    """What the database holds in the column, read with a cursor (no from_db_value)."""
    field = instance._meta.get_field(field_name)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(field.column)} FROM {quote(instance._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(instance._meta.pk.column)} = %s",
            [instance.pk],
        )
        return cursor.fetchone()[0]
