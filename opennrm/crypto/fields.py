"""Model fields whose values are encrypted before they reach the database (ADR 0008).

Python code sees plain values; the column holds `v1:<key id>:<base64>` text (see `cipher`).
NULL stays NULL and an empty string stays empty: that a field is blank is not hidden. The
database cannot compare what it cannot read, so no lookup works except `isnull`; any other
raises a FieldError that says so. Search people through the blind index instead
(`opennrm.crypto.blind`, `opennrm.cases.duplicates`).
"""

import datetime
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.expressions import Expression
from django.db.models.lookups import Exact
from django.utils.dateparse import parse_date

from opennrm.crypto.cipher import decrypt, encrypt

ALLOWED_LOOKUPS = frozenset({"isnull"})

if TYPE_CHECKING:  # (value set, value read), as django-stubs types the plain fields
    from django.db.models.expressions import Combinable

    _Text = models.TextField[str | Combinable, str]
    _Char = models.CharField[str | int | Combinable, str]
    _Date = models.DateField[str | datetime.date | Combinable | None, datetime.date | None]
    _JSON = models.TextField[Any, Any]
else:  # the stubs' generic fields are not subscriptable at run time
    _Text = _JSON = models.TextField
    _Char, _Date = models.CharField, models.DateField


class EncryptedMixin:
    """Encrypts in `get_prep_value`, decrypts in `from_db_value`; the column is text.

    Subclasses say how a Python value becomes text and back (`to_plaintext`, `from_plaintext`).
    """

    encrypted = True
    name: str
    model: type[Model]

    def get_internal_type(self) -> str:
        return "TextField"

    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def from_plaintext(self, text: str) -> Any:
        return text

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None:
            return None
        if value == "":
            return self.from_plaintext("")
        return self.from_plaintext(decrypt(value))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # type: ignore[misc]
        if value is None:
            return None
        text = self.to_plaintext(value)
        return encrypt(text) if text != "" else ""

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        # No backend adaptation (a date field's would expect a date): the value is text.
        return value if prepared else self.get_prep_value(value)

    def _refuse(self, lookup_name: str) -> FieldError:
        owner = f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else self.name
        return FieldError(
            f"{owner} is encrypted: the database cannot compare or search it, so the lookup "
            f"{lookup_name!r} is not available (only 'isnull' is). Search persons through the "
            "blind index (opennrm.cases.duplicates)."
        )

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            # `field=None` is built as an exact lookup, then turned into `isnull`.
            return _NoneOnlyExact
        if lookup_name not in ALLOWED_LOOKUPS:
            raise self._refuse(lookup_name)
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def get_transform(self, lookup_name: str) -> Any:
        raise self._refuse(lookup_name)


class _NoneOnlyExact(Exact):
    """`field=None` (which Django turns into `field__isnull=True`); any other value refused."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs is not None:
            raise lhs.output_field._refuse("exact")
        super().__init__(lhs, rhs)


class EncryptedTextField(EncryptedMixin, _Text):
    """A long text (narrative, notes), encrypted."""


class EncryptedCharField(EncryptedMixin, _Char):
    """A short text, encrypted. `max_length` limits the plaintext (forms and validation); the
    column is text, since the ciphertext is longer."""


class EncryptedDateField(EncryptedMixin, _Date):
    """A date, encrypted as its ISO text (YYYY-MM-DD)."""

    def to_plaintext(self, value: Any) -> str:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    def from_plaintext(self, text: str) -> datetime.date | None:
        return parse_date(text) if text else None


class EncryptedJSONField(EncryptedMixin, _JSON):
    """A JSON document (lists, dicts, strings, numbers), encrypted as a whole."""

    encoder = DjangoJSONEncoder

    def to_python(self, value: Any) -> Any:
        return value  # any JSON-serialisable value; nothing to convert

    def to_plaintext(self, value: Any) -> str:
        return json.dumps(value, cls=self.encoder, ensure_ascii=False, separators=(",", ":"))

    def from_plaintext(self, text: str) -> Any:
        return json.loads(text) if text else None

    def value_to_string(self, obj: Model) -> Any:
        return self.value_from_object(obj)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(
            **{"form_class": forms.JSONField, "encoder": self.encoder, **kwargs}
        )


def encrypted_fields() -> Iterator[tuple[type[Model], models.Field[Any, Any]]]:
    """Every concrete encrypted field of every installed model."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedMixin):
                yield model, field
