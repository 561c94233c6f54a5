"""Evidence: documents attached to a case (issue #12, point 3) — a medical certificate, the
receipt of a complaint, a copy of an identity document, a photograph, a letter.

What reaches the storage is never the file as uploaded:

- its format is recognised from its content (PDF, PNG or JPEG; the web layer checks it first
  with opennrm.web.uploads, this module checks again whoever calls it);
- an image is decoded and re-encoded without any of its metadata (EXIF: where and when the
  photograph was taken, the camera, the phone's owner; comments, text chunks, colour profiles),
  turned upright first as its EXIF orientation said;
- the result is encrypted with the field keys (opennrm.crypto.cipher.encrypt_bytes: AES-256-GCM,
  the current key, bound to the random name it is stored under) and written to the evidence
  storage (`STORAGES["evidence"]`: a folder of the server, or object storage).

The original file name, the description and the document's date are encrypted columns of
`Evidence`. Adding and removing check the actor's right (the responsible organisation's field
staff) and write the case's timeline and the audit entry (ids and codes only) in one
transaction; a removed document's file is deleted from the storage once the transaction
commits, whatever deletes the row (removal, anonymisation). Reading goes through
opennrm.cases.access (the owner's staff) and opennrm.detection.access (the referred file).
"""

import datetime
import io
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases import hooks
from opennrm.cases.enums import EvidenceKind, FileFormat, FileItem
from opennrm.cases.models import Case, CaseEvent, Evidence, TransitionError
from opennrm.core.acting import Actor
from opennrm.crypto.cipher import DecryptionError, decrypt_bytes, encrypt_bytes, file_key_id
from opennrm.crypto.keys import field_keys
from opennrm.crypto.rotation import ColumnReport
from opennrm.profiles.capabilities import Capability

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "evidence"
# An image larger than this many pixels is refused before it is decoded (decompression bombs).
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 90
_PDF_SIGNATURE = b"%PDF-"
_IMAGE_FORMATS = {FileFormat.PNG: {"PNG"}, FileFormat.JPEG: {"JPEG", "MPO"}}
_SAVE_AS = {FileFormat.PNG: "PNG", FileFormat.JPEG: "JPEG"}
CONTENT_TYPES: dict[str, str] = {
    FileFormat.PDF: "application/pdf",
    FileFormat.PNG: "image/png",
    FileFormat.JPEG: "image/jpeg",
}
EXTENSIONS: dict[str, str] = {
    FileFormat.PDF: ".pdf",
    FileFormat.PNG: ".png",
    FileFormat.JPEG: ".jpg",
}


def storage() -> Storage:
    """The evidence storage (`STORAGES["evidence"]`)."""
    return storages[STORAGE_ALIAS]


def max_size() -> int:
    """The largest document accepted, in bytes (OPENNRM_EVIDENCE_MAX_MB)."""
    return int(getattr(settings, "OPENNRM_EVIDENCE_MAX_MB", 10)) * 1024 * 1024


def may_attach(actor: Actor, case: Case) -> bool:
    """The responsible organisation's field staff (who assess and report) add and remove
    documents."""
    membership = actor.membership
    return (
        membership is not None
        and membership.organisation_id == case.owner_id
        and membership.can(Capability.REPORT)
    )


# Content ------------------------------------------------------------------------------------


def _refuse_type() -> ValidationError:
    return ValidationError(
        _("This file cannot be read as the type it claims to be: PDF, PNG or JPEG only."),
        code="wrong_type",
    )


def strip_image(content: bytes, file_format: str) -> bytes:
    """The image decoded and encoded again without metadata, upright. Raises ValidationError
    when the content is not an image of that format, or too large to decode safely."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in _IMAGE_FORMATS[FileFormat(file_format)]:
                raise _refuse_type()
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is too large: at most %(pixels)s million pixels."),
                    code="too_large",
                    params={"pixels": MAX_PIXELS // 1_000_000},
                )
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            if file_format == FileFormat.JPEG and upright.mode not in {"L", "RGB", "CMYK"}:
                upright = upright.convert("RGB")
            if file_format == FileFormat.PNG and upright.mode == "P":
                upright = upright.convert("RGBA")  # its transparency lived in the metadata
            # A copy without any of the source's metadata (EXIF, comments, text chunks, ICC).
            clean = upright.copy()
            clean.info = {}
            output = io.BytesIO()
            options: dict[str, Any] = {"optimize": True}
            if file_format == FileFormat.JPEG:
                options["quality"] = JPEG_QUALITY
            clean.save(output, format=_SAVE_AS[FileFormat(file_format)], **options)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:  # not an image, a truncated or corrupt one
        raise _refuse_type() from exc
    return output.getvalue()


def prepare_content(content: bytes, file_format: str) -> bytes:
    """What will be stored of a document: checked by its content, images without metadata."""
    if file_format not in FileFormat.values:
        raise _refuse_type()
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(content) > max_size():
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB."),
            code="too_large",
            params={"limit": max_size() // (1024 * 1024)},
        )
    if file_format == FileFormat.PDF:
        if not content.startswith(_PDF_SIGNATURE):
            raise _refuse_type()
        return content
    return strip_image(content, file_format)


def _context(storage_name: str) -> bytes:
    """What a sealed file is bound to: the name it is stored under."""
    return f"evidence:{storage_name}".encode("ascii")


def _new_storage_name() -> str:
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"


def read_content(evidence: Evidence) -> bytes:
    """The document's bytes, decrypted. The caller checked the reader's right and audits the
    read (opennrm.cases.access, opennrm.detection.access, the subject access export)."""
    with storage().open(evidence.storage_name, "rb") as handle:
        sealed = handle.read()
    return decrypt_bytes(sealed, context=_context(evidence.storage_name))


def download_name(evidence: Evidence) -> str:
    """The name a download is saved under: the safe name given at upload."""
    return evidence.file_name or f"document-{evidence.pk}{EXTENSIONS.get(evidence.file_format)}"


def content_type(evidence: Evidence) -> str:
    return CONTENT_TYPES.get(evidence.file_format, "application/octet-stream")


def delete_stored_file(storage_name: str) -> None:
    """Delete a stored file once the current transaction commits (at once outside one). A
    failure is logged (the name only: it says nothing) and does not undo the deletion of the
    row; the file stays encrypted."""
    if not storage_name:
        return

    def delete() -> None:
        try:
            storage().delete(storage_name)
        except Exception:  # a storage that fails must not break what deleted the row
            logger.exception("The evidence file %s could not be deleted.", storage_name)

    transaction.on_commit(delete)


# Actions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A document as received: its bytes, the format found in its content (opennrm.web.uploads
    or the caller), the safe file name to give it back under."""

    content: bytes
    file_format: str
    file_name: str


def attach_evidence(
    case: Case,
    upload: Upload,
    *,
    kind: str,
    actor: Actor,
    document_date: datetime.date | None = None,
    description: str = "",
) -> Evidence:
    """Attach a document to the case: checked, cleaned, encrypted and stored; the timeline and
    the audit trail say so (`evidence.upload`). Refused for anyone but the owner's field staff
    and on a closed case."""
    if not may_attach(actor, case):
        raise TransitionError(
            _("Only the responsible organisation's field staff add documents to the case.")
        )
    if case.is_closed:
        raise TransitionError(_("This case is closed: reopen it first."))
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Choose the type of document.")})
    content = prepare_content(upload.content, upload.file_format)
    evidence = Evidence(
        case=case,
        kind=kind,
        document_date=document_date,
        description=(description or "").strip(),
        file_name=upload.file_name[:100],
        file_format=upload.file_format,
        size=len(content),
        storage_name=_new_storage_name(),
        uploaded_by=actor.signed_in_user(),
        organisation=actor.organisation_acted_for(),
    )
    evidence.full_clean()
    sealed = encrypt_bytes(content, context=_context(evidence.storage_name))
    stored = storage().save(evidence.storage_name, ContentFile(sealed))
    if stored != evidence.storage_name:  # pragma: no cover - 128 random bits do not collide
        storage().delete(stored)
        raise RuntimeError("The evidence storage renamed a new file.")
    try:
        with transaction.atomic():
            evidence.save()
            CaseEvent.log(
                case, "evidence.added", actor=actor, details={"evidence": evidence.pk, "kind": kind}
            )
            record(
                "evidence.upload",
                target=evidence,
                actor=actor,
                details={
                    "case": case.pk,
                    "kind": kind,
                    "format": evidence.file_format,
                    "size": evidence.size,
                },
            )
            hooks.file_changed(case, FileItem.EVIDENCE, actor)
    except BaseException:
        storage().delete(evidence.storage_name)  # nothing points at it
        raise
    return evidence


def remove_evidence(evidence: Evidence, *, actor: Actor) -> None:
    """Remove a document from the case: the row now, its file once the transaction commits.
    The timeline and the audit trail keep that it existed (its id and type only)."""
    case = evidence.case
    if not may_attach(actor, case):
        raise TransitionError(
            _("Only the responsible organisation's field staff remove documents from the case.")
        )
    if case.is_closed:
        raise TransitionError(_("This case is closed: reopen it first."))
    with transaction.atomic():
        pk, kind = evidence.pk, evidence.kind
        record(
            "evidence.remove",
            target=evidence,
            actor=actor,
            details={"case": case.pk, "kind": kind},
        )
        deleted, _counts = Evidence.objects.filter(pk=pk).delete()  # the file: on commit
        if not deleted:
            raise TransitionError(_("This document was already removed."))
        CaseEvent.log(case, "evidence.removed", actor=actor, details={"evidence": pk, "kind": kind})


def erase_case_evidence(case: Case) -> int:
    """Delete every document of the case, rows and files (anonymisation). The caller audits."""
    deleted, _counts = Evidence.objects.filter(case_id=case.pk).delete()
    return deleted


# Key rotation -------------------------------------------------------------------------------


def rotate_files(*, dry_run: bool = False) -> ColumnReport:
    """Re-encrypt with the current field key every stored document sealed with another one
    (`rotate_field_keys` runs it after the columns). The new file is written under a new name,
    the row pointed at it only if it still names the old one, then the old file is deleted: a
    run stopped half-way loses nothing. A file that cannot be opened is listed by its row's id,
    never its content."""
    current = field_keys().current_id
    report = ColumnReport(f"{Evidence._meta.label} files")
    store = storage()
    for evidence in Evidence.objects.only("pk", "storage_name").order_by("pk").iterator():
        report.examined += 1
        old_name = evidence.storage_name
        try:
            with store.open(old_name, "rb") as handle:
                sealed = handle.read()
            if file_key_id(sealed[:80]) == current:
                continue
            content = decrypt_bytes(sealed, context=_context(old_name))
        except (OSError, DecryptionError):
            report.failed.append(str(evidence.pk))
            continue
        report.changed += 1
        if dry_run:
            continue
        new_name = _new_storage_name()
        store.save(new_name, ContentFile(encrypt_bytes(content, context=_context(new_name))))
        with transaction.atomic():
            moved = Evidence.objects.filter(pk=evidence.pk, storage_name=old_name).update(
                storage_name=new_name
            )
            delete_stored_file(old_name if moved else new_name)
    return report
