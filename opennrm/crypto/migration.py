"""The data-migration step that follows a field becoming encrypted.

In a migration, after the `AlterField` operations that turn the columns into text::

    from opennrm.crypto.migration import EncryptFields

    operations = [
        migrations.AlterField(...),  # to an Encrypted…Field
        EncryptFields("cases", "Person", ["given_names", "date_of_birth"]),
    ]

Existing plaintext is encrypted with the current key (`OPENNRM_FIELD_KEYS`); values already
encrypted are left alone. Reversed, it decrypts, so that the reversed `AlterField` finds
plaintext again: nothing is lost either way.
"""

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from opennrm.crypto.fields import EncryptedDateField, EncryptedJSONField
from opennrm.crypto.rotation import decrypt_column, encrypt_column


def _check_for(field: Any) -> Any:
    if isinstance(field, EncryptedDateField):
        return datetime.date.fromisoformat
    if isinstance(field, EncryptedJSONField):
        return json.loads
    return None


class EncryptFields(migrations.RunPython):
    """RunPython that encrypts (forwards) or decrypts (backwards) the named columns."""

    def __init__(self, app_label: str, model_name: str, field_names: list[str]) -> None:
        self.target = (app_label, model_name, tuple(field_names))
        super().__init__(self._forwards, self._backwards, elidable=False)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        app_label, model_name, field_names = self.target
        return (self.__class__.__name__, [app_label, model_name, list(field_names)], {})

    def describe(self) -> str:
        app_label, model_name, field_names = self.target
        return f"Encrypt {app_label}.{model_name}: {', '.join(field_names)}"

    def _forwards(self, apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        app_label, model_name, field_names = self.target
        model = apps.get_model(app_label, model_name)
        with _checked_at_once(schema_editor):
            for name in field_names:
                field = model._meta.get_field(name)
                encrypt_column(
                    model,
                    field.column,
                    connection=schema_editor.connection,
                    check=_check_for(field),
                )

    def _backwards(self, apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        app_label, model_name, field_names = self.target
        model = apps.get_model(app_label, model_name)
        with _checked_at_once(schema_editor):
            for name in field_names:
                field = model._meta.get_field(name)
                decrypt_column(model, field.column, connection=schema_editor.connection)


@contextmanager
def _checked_at_once(schema_editor: BaseDatabaseSchemaEditor) -> Iterator[None]:
    """On PostgreSQL, check deferred constraints at each statement while rows are rewritten:
    otherwise the checks wait for the commit, and an ALTER TABLE in the same migration (the
    reversed AlterField runs right after the decryption) fails with "pending trigger events"."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        if postgresql:
            schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
