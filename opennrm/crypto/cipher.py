"""Authenticated encryption of one value: AES-256-GCM, a random 96-bit nonce per value.

Stored format, version 1: ``v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``. The header
``v1:<key id>:`` is bound as associated data, so it cannot be altered without detection. The
UTF-8 plaintext is padded (ISO/IEC 7816-4) to a multiple of 16 bytes, so that the stored length
tells the length of a name or note only to within 16 bytes.
"""

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag

from opennrm.crypto.keys import FIELD_KEYS_VARIABLE, KEY_ID, KeyRing, field_keys

VERSION = "v1"
NONCE_BYTES = 12
TAG_BYTES = 16
PAD_BLOCK = 16


class DecryptionError(ValueError):
    """A stored value that cannot be opened: not in the format, unknown key, or altered."""


class UnknownKeyError(DecryptionError):
    """The value was encrypted with a key that is not (or no longer) configured."""


def _pad(data: bytes) -> bytes:
    data += b"\x80"
    return data + b"\x00" * (-len(data) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise DecryptionError("The decrypted value is not correctly padded.")
    return stripped[:-1]


def split(stored: str) -> tuple[str, str, bytes] | None:
    """(version, key id, nonce ‖ ciphertext) of a stored value, or None if it is not one."""
    version, sep1, rest = stored.partition(":")
    key_id, sep2, body = rest.partition(":")
    if version != VERSION or not sep1 or not sep2 or not KEY_ID.match(key_id):
        return None
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < NONCE_BYTES + TAG_BYTES + PAD_BLOCK:
        return None
    return version, key_id, raw


def is_encrypted(stored: str) -> bool:
    return split(stored) is not None


def key_id_of(stored: str) -> str | None:
    parts = split(stored)
    return parts[1] if parts else None


def encrypt(plaintext: str, ring: KeyRing | None = None) -> str:
    """Seal a text with the current key."""
    ring = ring or field_keys()
    header = f"{VERSION}:{ring.current_id}:"
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.current_cipher.encrypt(
        nonce, _pad(plaintext.encode("utf-8")), header.encode("ascii")
    )
    return header + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(stored: str, ring: KeyRing | None = None) -> str:
    """Open a stored value with whichever configured key sealed it."""
    parts = split(stored)
    if parts is None:
        raise DecryptionError(
            "A value read from an encrypted column is not in the encrypted format (was the "
            "data migration run?)."
        )
    version, key_id, raw = parts
    ring = ring or field_keys()
    cipher = ring.cipher(key_id)
    if cipher is None:
        raise UnknownKeyError(
            f"A value was encrypted with the key {key_id!r}, which is not in "
            f"{FIELD_KEYS_VARIABLE}: keep old keys after the current one until "
            "`manage.py rotate_field_keys` has re-encrypted everything."
        )
    header = f"{version}:{key_id}:".encode("ascii")
    try:
        padded = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], header)
    except InvalidTag as exc:
        raise DecryptionError(
            f"A value encrypted with the key {key_id!r} cannot be opened: the key is wrong or "
            "the stored value was altered."
        ) from exc
    return _unpad(padded).decode("utf-8")


# Files ------------------------------------------------------------------------------------
#
# The same construction for a file's bytes (a document attached to a case): AES-256-GCM with
# the current field key, a random 96-bit nonce, the header bound as associated data, together
# with a context the caller names (where the file belongs: a file moved to another record does
# not open). Stored format, version 1: ``OPENNRM-FILE-v1:<key id>:`` ‖ nonce ‖ ciphertext ‖ tag.
# The plaintext is padded like the values (to a multiple of 16 bytes).

FILE_VERSION = "OPENNRM-FILE-v1"


def _file_header(key_id: str) -> bytes:
    return f"{FILE_VERSION}:{key_id}:".encode("ascii")


def split_file(sealed: bytes) -> tuple[str, bytes] | None:
    """(key id, nonce ‖ ciphertext) of a sealed file, or None if it is not one."""
    prefix = f"{FILE_VERSION}:".encode("ascii")
    if not sealed.startswith(prefix):
        return None
    key_id_bytes, sep, raw = sealed[len(prefix) :].partition(b":")
    try:
        key_id = key_id_bytes.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not sep or not KEY_ID.match(key_id) or len(raw) < NONCE_BYTES + TAG_BYTES + PAD_BLOCK:
        return None
    return key_id, raw


def file_key_id(head: bytes) -> str | None:
    """The id of the key that sealed a file, from its first bytes (None if not sealed)."""
    prefix = f"{FILE_VERSION}:".encode("ascii")
    if not head.startswith(prefix):
        return None
    key_id, sep, _rest = head[len(prefix) :].partition(b":")
    text = key_id.decode("ascii", "replace")
    return text if sep and KEY_ID.match(text) else None


def encrypt_bytes(data: bytes, *, context: bytes = b"", ring: KeyRing | None = None) -> bytes:
    """Seal a file's bytes with the current key; `context` must be given again to open it."""
    ring = ring or field_keys()
    header = _file_header(ring.current_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.current_cipher.encrypt(nonce, _pad(data), header + context)
    return header + nonce + sealed


def decrypt_bytes(sealed: bytes, *, context: bytes = b"", ring: KeyRing | None = None) -> bytes:
    """Open a sealed file with whichever configured key sealed it, in the same context."""
    parts = split_file(sealed)
    if parts is None:
        raise DecryptionError("A stored file is not in the encrypted format.")
    key_id, raw = parts
    ring = ring or field_keys()
    cipher = ring.cipher(key_id)
    if cipher is None:
        raise UnknownKeyError(
            f"A file was encrypted with the key {key_id!r}, which is not in "
            f"{FIELD_KEYS_VARIABLE}: keep old keys after the current one until "
            "`manage.py rotate_field_keys` has re-encrypted everything."
        )
    try:
        padded = cipher.decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _file_header(key_id) + context
        )
    except InvalidTag as exc:
        raise DecryptionError(
            f"A file encrypted with the key {key_id!r} cannot be opened: the key is wrong, the "
            "file was altered or it belongs to another record."
        ) from exc
    return _unpad(padded)
