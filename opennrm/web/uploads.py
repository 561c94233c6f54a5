"""Checks for uploaded files, for the features that will take documents.

An upload is accepted only when its content is one of the allowed types, recognised by its first
bytes (never by the name or the Content-Type the browser sent), when it is not empty and not
larger than the limit; it is stored under a safe name derived from the given one, with the
extension of the type found. Use `UploadValidator` on a form's FileField, or `check_upload`
directly; both raise ValidationError with a code per problem.

Serve uploaded files back as attachments (`Content-Disposition: attachment`) with the content
type found here; `X-Content-Type-Options: nosniff` is already sent on every response.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    code: str
    content_type: str
    extension: str
    signatures: tuple[bytes, ...]

    def matches(self, head: bytes) -> bool:
        return any(head.startswith(signature) for signature in self.signatures)


PDF = FileKind("pdf", "application/pdf", ".pdf", (b"%PDF-",))
PNG = FileKind("png", "image/png", ".png", (b"\x89PNG\r\n\x1a\n",))
JPEG = FileKind("jpeg", "image/jpeg", ".jpg", (b"\xff\xd8\xff",))
KINDS: dict[str, FileKind] = {kind.code: kind for kind in (PDF, PNG, JPEG)}

DEFAULT_MAX_SIZE = 10 * 1024 * 1024  # as nginx's client_max_body_size in docs/deployment.md
NAME_MAX = 100
FALLBACK_STEM = "document"
_HEAD_SIZE = 16
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Names Windows refuses whatever the extension.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    size: int
    name: str  # the safe name to store it under

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def safe_file_name(name: str | None, extension: str) -> str:
    """A file name safe on any file system and in any header: ASCII letters, digits, `.`, `_`
    and `-` only, no directory part, no leading dot, at most NAME_MAX characters, ending with
    `extension` (the type found in the content, whatever the name claimed)."""
    base = str(name or "")
    # No directory part, whichever separator the sender's system uses.
    base = PureWindowsPath(PurePosixPath(base.replace("\x00", "")).name).name
    # Accented letters → their ASCII letter; what cannot be written in ASCII goes.
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE.sub("_", stem).strip("._-")
    stem = re.sub(r"[._-]{2,}", "_", stem)
    if not stem or _RESERVED.match(stem):
        stem = FALLBACK_STEM
    stem = stem[: NAME_MAX - len(extension)].rstrip("._-") or FALLBACK_STEM
    return f"{stem}{extension}"


def _read_head(file: Any) -> bytes:
    """The first bytes of an uploaded file, leaving its position where it was."""
    handle: IO[bytes] = file
    position = handle.tell() if hasattr(handle, "tell") else None
    try:
        if hasattr(handle, "seek"):
            handle.seek(0)
        head = handle.read(_HEAD_SIZE)
    finally:
        if position is not None:
            handle.seek(position)
    return head if isinstance(head, bytes) else bytes(head or b"")


def _size_of(file: Any) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    handle: IO[bytes] = file
    position = handle.tell()
    handle.seek(0, 2)
    end = handle.tell()
    handle.seek(position)
    return end


def check_upload(
    file: Any,
    *,
    allowed: Iterable[str] = tuple(KINDS),
    max_size: int = DEFAULT_MAX_SIZE,
) -> CheckedUpload:
    """Check an uploaded file (a Django UploadedFile or any binary file object with a name).

    Raises ValidationError with code `empty`, `too_large` or `wrong_type`.
    """
    kinds = [KINDS[code] for code in allowed]
    size = _size_of(file)
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_size:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB."),
            code="too_large",
            params={"limit": f"{max_size / (1024 * 1024):g}"},
        )
    head = _read_head(file)
    kind = next((kind for kind in kinds if kind.matches(head)), None)
    if kind is None:
        raise ValidationError(
            _("This type of file is not accepted. Accepted: %(types)s."),
            code="wrong_type",
            params={"types": ", ".join(k.code.upper() for k in kinds)},
        )
    return CheckedUpload(
        kind=kind, size=size, name=safe_file_name(getattr(file, "name", ""), kind.extension)
    )


@deconstructible
class UploadValidator:
    """A validator for FileField: type by content, size limit. Safe names: `safe_file_name`."""

    def __init__(
        self, allowed: Iterable[str] = tuple(KINDS), max_size: int = DEFAULT_MAX_SIZE
    ) -> None:
        self.allowed = tuple(allowed)
        unknown = set(self.allowed) - set(KINDS)
        if unknown:
            raise ValueError(f"Unknown file kinds: {sorted(unknown)}")
        self.max_size = max_size

    def __call__(self, file: Any) -> None:
        check_upload(file, allowed=self.allowed, max_size=self.max_size)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.allowed == other.allowed
            and self.max_size == other.max_size
        )

    def __hash__(self) -> int:
        return hash((self.allowed, self.max_size))
