"""The keys: read from settings, which read them from the environment; never from the database.

`OPENNRM_FIELD_KEYS` is a comma-separated list of `key-id:base64-key` (AES-256, 32 bytes). The
first key encrypts every new value; the others are kept only to read values written before a
rotation. `OPENNRM_INDEX_KEY` (base64, at least 32 bytes) keys the blind-index HMACs; it is a
separate key so that the index can be recomputed or handed to no one without touching the
encrypted data.

Errors name the variable and never repeat a key.
"""

import base64
import binascii
import re
from functools import cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

FIELD_KEYS_VARIABLE = "OPENNRM_FIELD_KEYS"
INDEX_KEY_VARIABLE = "OPENNRM_INDEX_KEY"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
FIELD_KEY_BYTES = 32
INDEX_KEY_MIN_BYTES = 32


class KeyRing:
    """Field-encryption keys by id; the first is the current one. Its repr shows ids only."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise ImproperlyConfigured(f"{FIELD_KEYS_VARIABLE} must name at least one key.")
        self._order = tuple(key_id for key_id, _key in keys)
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys}

    def __repr__(self) -> str:
        return f"KeyRing(ids={list(self._order)!r})"

    @property
    def current_id(self) -> str:
        return self._order[0]

    @property
    def ids(self) -> tuple[str, ...]:
        return self._order

    def cipher(self, key_id: str) -> AESGCM | None:
        return self._ciphers.get(key_id)

    @property
    def current_cipher(self) -> AESGCM:
        return self._ciphers[self._order[0]]


def _decode(raw: str, variable: str, what: str) -> bytes:
    text = raw.strip().replace("-", "+").replace("_", "/")  # standard or URL-safe alphabet
    text += "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{variable}: {what} is not valid base64.") from exc


def parse_field_keys(raw: str) -> KeyRing:
    """`id:base64,id:base64,…` → a key ring. Raises ImproperlyConfigured naming the variable."""
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    if not entries:
        raise ImproperlyConfigured(
            f"{FIELD_KEYS_VARIABLE} must be set: a comma-separated list of key-id:base64-key, "
            "the current key first. Generate one with: python3 -c 'import base64, secrets; "
            'print("k1:" + base64.b64encode(secrets.token_bytes(32)).decode())\' and keep it '
            "outside the database (docs/adr/0008-encryption-at-rest.md)."
        )
    keys: list[tuple[str, bytes]] = []
    for position, entry in enumerate(entries, start=1):
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{FIELD_KEYS_VARIABLE}: entry {position} must be written key-id:base64-key, "
                "the id made of letters, digits, - and _ (at most 32)."
            )
        key = _decode(encoded, FIELD_KEYS_VARIABLE, f"the key {key_id!r}")
        if len(key) != FIELD_KEY_BYTES:
            raise ImproperlyConfigured(
                f"{FIELD_KEYS_VARIABLE}: the key {key_id!r} must be {FIELD_KEY_BYTES} bytes "
                f"(AES-256), not {len(key)}."
            )
        if any(existing == key_id for existing, _key in keys):
            raise ImproperlyConfigured(f"{FIELD_KEYS_VARIABLE}: the id {key_id!r} is repeated.")
        keys.append((key_id, key))
    return KeyRing(keys)


def parse_index_key(raw: str) -> bytes:
    if not raw.strip():
        raise ImproperlyConfigured(
            f"{INDEX_KEY_VARIABLE} must be set: a base64 key of at least {INDEX_KEY_MIN_BYTES} "
            "bytes for the blind indexes, different from the field keys. Generate one with: "
            "python3 -c 'import base64, secrets; "
            "print(base64.b64encode(secrets.token_bytes(32)).decode())' "
            "(docs/adr/0008-encryption-at-rest.md)."
        )
    key = _decode(raw, INDEX_KEY_VARIABLE, "the key")
    if len(key) < INDEX_KEY_MIN_BYTES:
        raise ImproperlyConfigured(
            f"{INDEX_KEY_VARIABLE} must be at least {INDEX_KEY_MIN_BYTES} bytes, not {len(key)}."
        )
    return key


@cache
def field_keys() -> KeyRing:
    return parse_field_keys(getattr(settings, FIELD_KEYS_VARIABLE, ""))


@cache
def index_key() -> bytes:
    key = parse_index_key(getattr(settings, INDEX_KEY_VARIABLE, ""))
    raw_field_keys = getattr(settings, FIELD_KEYS_VARIABLE, "")
    if raw_field_keys and any(
        _decode(entry.partition(":")[2], FIELD_KEYS_VARIABLE, "a key") == key
        for entry in raw_field_keys.split(",")
        if entry.strip()
    ):
        raise ImproperlyConfigured(
            f"{INDEX_KEY_VARIABLE} must differ from every key of {FIELD_KEYS_VARIABLE}."
        )
    return key


def check_configuration() -> None:
    """Both keys present and well-formed, or ImproperlyConfigured naming the variable."""
    field_keys()
    index_key()


def _forget(*, setting: str, **_kwargs: Any) -> None:
    if setting in {FIELD_KEYS_VARIABLE, INDEX_KEY_VARIABLE}:
        field_keys.cache_clear()
        index_key.cache_clear()


setting_changed.connect(_forget, dispatch_uid="opennrm.crypto.keys.forget")
