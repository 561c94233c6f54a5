"""Evidence (issue #12, point 3): documents attached to a case.

Checked by their content (a file disguised as another type is refused), within the size limit;
images re-encoded without their metadata (a photograph's GPS position is gone when it is
downloaded); encrypted at rest in the evidence storage; served as attachments, never cached,
only to the responsible organisation's field staff and coordinators (and, in the referred file,
to those who decide on the referral in force); every upload, read, download and removal
audited; deleted from the storage with their row.
"""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import ExifTags, Image, PngImagePlugin

from opennrm.audit.models import AuditEntry
from opennrm.cases import closure
from opennrm.cases.access import evidence_of_case, get_evidence_for_member
from opennrm.cases.evidence import (
    Upload,
    attach_evidence,
    read_content,
    remove_evidence,
    rotate_files,
    storage,
)
from opennrm.cases.models import CaseEvent, Evidence, TransitionError
from opennrm.crypto.cipher import DecryptionError, decrypt_bytes
from opennrm.demo.documents import fictional_pdf
from opennrm.privacy.anonymise import anonymise_case
from opennrm.privacy.rights import ARCHIVE_COPY, as_archive_bytes, as_json_bytes, subject_access
from tests.acting import actor_for
from tests.factories import CaseFactory

CAMERA = "FictionalPhone X9"
DESCRIPTION = "Fictional: certificate of the bruises on her arm, from the fictional clinic."
GPS = {1: "N", 2: (48.0, 56.0, 11.0), 3: "E", 4: (2.0, 21.0, 33.0)}


def jpeg_with_location(*, orientation: int = 1, size: tuple[int, int] = (64, 32)) -> bytes:
    """A photograph as a phone takes it: camera, orientation and GPS position in its EXIF."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(GPS)
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif, comment=b"Fictional comment")
    return output.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "Fictional: 12 rue Imaginaire, Fictionville")
    output = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 0, 145)).save(output, format="PNG", pnginfo=info)
    return output.getvalue()


PDF = fictional_pdf(["FICTIONAL - test certificate", "Nothing here is real."])


def attach(case, user, content=PDF, file_format="pdf", name="certificate.pdf", **values):
    values = {"kind": "medical_certificate", "description": DESCRIPTION, **values}
    return attach_evidence(
        case, Upload(content, file_format, name), actor=actor_for(user), **values
    )


def _client(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _stored(evidence) -> bytes:
    with storage().open(evidence.storage_name, "rb") as handle:
        return handle.read()


# Content ------------------------------------------------------------------------------------


def test_a_photo_comes_back_without_its_location_or_camera(cast, case):
    original = jpeg_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    evidence = attach(case, cast.hugo, original, "jpeg", "photo.jpg", kind="photo")

    content = read_content(evidence)
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG" and image.size == (64, 32)
    exif = image.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in exif
    assert b"Exif" not in content and CAMERA.encode() not in content
    assert b"Fictional comment" not in content
    assert evidence.size == len(content)


def test_a_photo_is_turned_upright_before_its_orientation_goes(cast, case):
    evidence = attach(
        case, cast.hugo, jpeg_with_location(orientation=6), "jpeg", "photo.jpg", kind="photo"
    )
    image = Image.open(io.BytesIO(read_content(evidence)))
    assert image.size == (32, 64)  # rotated as the EXIF said, then the EXIF dropped
    assert ExifTags.Base.Orientation not in image.getexif()


def test_a_png_loses_its_text_chunks(cast, case):
    evidence = attach(case, cast.hugo, png_with_text(), "png", "scan.png", kind="letter")
    content = read_content(evidence)
    assert b"Imaginaire" not in content
    assert Image.open(io.BytesIO(content)).info.get("Location") is None


def test_a_pdf_comes_back_as_it_was_and_is_encrypted_at_rest(cast, case):
    evidence = attach(case, cast.hugo, PDF, "pdf", "certificate.pdf")
    assert read_content(evidence) == PDF
    stored = _stored(evidence)
    assert stored.startswith(b"OPENNRM-FILE-v1:test:")
    assert b"%PDF" not in stored and b"FICTIONAL" not in stored
    # The name in the storage says nothing; the file name and description are encrypted.
    assert "certificate" not in evidence.storage_name
    row = Evidence.objects.values("file_name", "description").get(pk=evidence.pk)
    from tests.security.helpers import raw_value

    assert raw_value(evidence, "file_name").startswith("v1:test:")
    assert raw_value(evidence, "description").startswith("v1:test:")
    assert row["file_name"] == "certificate.pdf"


def test_a_sealed_file_opens_only_under_its_own_name(cast, case):
    first = attach(case, cast.hugo)
    second = attach(case, cast.hugo)
    with pytest.raises(DecryptionError):
        decrypt_bytes(_stored(first), context=f"evidence:{second.storage_name}".encode())
    tampered = bytearray(_stored(first))
    tampered[-1] ^= 1
    with pytest.raises(DecryptionError):
        decrypt_bytes(bytes(tampered), context=f"evidence:{first.storage_name}".encode())


@pytest.mark.parametrize(
    ("content", "file_format"),
    [
        (b"<html><script>alert(1)</script></html>", "pdf"),  # HTML called a PDF
        (b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10, "png"),  # a PNG header only
        (PDF, "jpeg"),  # a PDF called a photograph
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "jpeg"),  # a truncated JPEG
    ],
)
def test_a_disguised_file_is_refused(cast, case, content, file_format):
    with pytest.raises(ValidationError) as refused:
        attach(case, cast.hugo, content, file_format, "x.bin")
    assert refused.value.code == "wrong_type"
    assert not Evidence.objects.exists()


def test_only_the_owners_field_staff_attach_and_not_on_a_closed_case(cast, case):
    for outsider in (cast.louis, cast.paul, cast.yasmine):
        with pytest.raises(TransitionError):
            attach(case, outsider)
    closure.close_case(
        case, actor=actor_for(cast.amina), reason="withdrew", closed_on=case.detected_on
    )
    with pytest.raises(TransitionError):
        attach(case, cast.hugo)
    assert not Evidence.objects.exists()


# Pages --------------------------------------------------------------------------------------


def _upload(client, case, content, name, content_type, **values):
    data = {
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "kind": "photo",
        "document_date": "2024-03-02",
        "description": DESCRIPTION,
        **values,
    }
    return client.post(reverse("web:evidence", args=[case.reference]), data)


def test_the_field_worker_uploads_lists_downloads_and_removes(
    cast, case, django_capture_on_commit_callbacks
):
    client = _client(cast, cast.hugo)
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert reverse("web:evidence", args=[case.reference]) in page

    response = _upload(client, case, jpeg_with_location(), "IMG_0001.JPG", "image/jpeg")
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case)
    assert (evidence.kind, evidence.file_format, evidence.file_name) == (
        "photo",
        "jpeg",
        "IMG_0001.jpg",
    )
    assert str(evidence.document_date) == "2024-03-02"
    assert evidence.description == DESCRIPTION
    assert CaseEvent.objects.filter(case=case, kind="evidence.added").exists()

    listing = client.get(reverse("web:evidence", args=[case.reference])).content.decode()
    assert "IMG_0001.jpg" in listing and DESCRIPTION in listing

    url = reverse("web:evidence_download", args=[case.reference, evidence.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"] == 'attachment; filename="IMG_0001.jpg"'
    assert "no-store" in download["Cache-Control"]
    assert download["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(download.content))
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    remove_url = reverse("web:evidence_remove", args=[case.reference, evidence.pk])
    confirm = client.get(remove_url)
    assert confirm.status_code == 200 and b"IMG_0001.jpg" in confirm.content
    # Without the confirmation box, nothing goes.
    assert client.post(remove_url, {}).status_code == 200
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    name = evidence.storage_name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url, {"confirm": "on"})
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not storage().exists(name)
    assert CaseEvent.objects.filter(case=case, kind="evidence.removed").exists()
    assert client.get(url).status_code == 404

    actions = list(
        AuditEntry.objects.filter(action__startswith="evidence.").values_list("action", flat=True)
    )
    for action in ("evidence.upload", "evidence.read", "evidence.download", "evidence.remove"):
        assert action in actions, action
    upload = AuditEntry.objects.get(action="evidence.upload")
    assert upload.details == {
        "case": case.pk,
        "kind": "photo",
        "format": "jpeg",
        "size": evidence.size,
    }
    assert DESCRIPTION not in str(list(AuditEntry.objects.values_list("details", flat=True)))


def test_the_form_refuses_a_disguised_file_and_a_file_too_large(cast, case):
    client = _client(cast, cast.hugo)
    # An HTML page named like a PDF and sent as one.
    response = _upload(client, case, b"<html>fictional</html>", "receipt.pdf", "application/pdf")
    assert response.status_code == 200
    assert b"This type of file is not accepted" in response.content
    # A PNG header in front of something else: the type is right, the content is not.
    response = _upload(client, case, b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "scan.png", "image/png")
    assert response.status_code == 200
    assert b"cannot be read as the type it claims" in response.content
    with override_settings(OPENNRM_EVIDENCE_MAX_MB=1):
        big = PDF + b"%" + b"0" * (1024 * 1024)
        response = _upload(client, case, big, "big.pdf", "application/pdf")
    assert response.status_code == 200
    assert b"The file is too large: at most 1 MB." in response.content
    assert not Evidence.objects.exists()


def test_outsiders_get_404_on_every_page_and_download(cast, case):
    evidence = attach(case, cast.hugo)
    urls = [
        reverse("web:evidence", args=[case.reference]),
        reverse("web:evidence_download", args=[case.reference, evidence.pk]),
        reverse("web:evidence_remove", args=[case.reference, evidence.pk]),
        reverse("web:referred_evidence_download", args=[evidence.pk]),
    ]
    # louis coordinates (the case is shared with his organisation), paul sits on the platform
    # for the owner, yasmine is in another département.
    for user in (cast.louis, cast.paul, cast.yasmine, cast.claire):
        client = _client(cast, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    assert not AuditEntry.objects.filter(action="evidence.download").exists()
    # Another case's document under this case's reference: 404 too.
    other = CaseFactory(owner=cast.association)
    client = _client(cast, cast.hugo)
    assert (
        client.get(
            reverse("web:evidence_download", args=[other.reference, evidence.pk])
        ).status_code
        == 404
    )


def test_the_owners_administrator_reads_but_removal_is_for_field_staff(cast, case):
    evidence = attach(case, cast.hugo)
    amina = actor_for(cast.amina)  # the administrator is a field worker too
    assert [item.pk for item in evidence_of_case(amina, case)] == [evidence.pk]
    assert get_evidence_for_member(amina, case.reference, evidence.pk) == evidence
    for user in (cast.louis, cast.paul):
        with pytest.raises(TransitionError):
            remove_evidence(evidence, actor=actor_for(user))


# Privacy ------------------------------------------------------------------------------------


def test_anonymisation_deletes_the_rows_and_the_stored_files(
    cast, case, django_capture_on_commit_callbacks
):
    first = attach(case, cast.hugo)
    second = attach(case, cast.hugo, jpeg_with_location(), "jpeg", "photo.jpg", kind="photo")
    names = [first.storage_name, second.storage_name]
    assert all(storage().exists(name) for name in names)
    from opennrm.core.acting import Actor

    with django_capture_on_commit_callbacks(execute=True):
        anonymise_case(case, actor=Actor.system("retention"))
    assert not Evidence.objects.filter(case=case).exists()
    assert not any(storage().exists(name) for name in names)


def test_retention_archives_then_anonymises_and_the_files_go(
    cast, case, django_capture_on_commit_callbacks
):
    """The nightly retention run: an archived case keeps its documents (read only under an
    exceptional access); once anonymised, rows and files are gone."""
    import datetime

    from django.utils import timezone

    from opennrm.privacy.retention import add_months, mark_closed, run_retention
    from opennrm.profiles.loader import active_profile

    evidence = attach(case, cast.hugo, jpeg_with_location(), "jpeg", "photo.jpg", kind="photo")
    name = evidence.storage_name
    retention = active_profile().retention
    closed_on = datetime.date(2030, 1, 10)
    mark_closed(case, timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(10))))
    archived_on = add_months(closed_on, retention.active_months)
    with django_capture_on_commit_callbacks(execute=True):
        run_retention(archived_on)
    assert Evidence.objects.filter(pk=evidence.pk).exists() and storage().exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        report = run_retention(add_months(archived_on, retention.archive_months))
    assert report.counts["anonymise"] == 1
    assert not Evidence.objects.filter(case=case).exists()
    assert not storage().exists(name)


def test_the_subject_access_export_holds_the_documents(cast, case):
    evidence = attach(case, cast.hugo, name="receipt.pdf", kind="complaint_receipt")
    copy = subject_access(case.person, [case], cast.association)
    assert [item.pk for item in copy.documents] == [evidence.pk]
    exported = as_json_bytes(copy).decode()
    assert "receipt.pdf" in exported and DESCRIPTION in exported
    with zipfile.ZipFile(io.BytesIO(as_archive_bytes(copy))) as archive:
        names = archive.namelist()
        assert ARCHIVE_COPY in names
        path = f"documents/{case.reference}/{evidence.pk}-receipt.pdf"
        assert archive.read(path) == PDF


def test_the_owners_administrator_downloads_the_archive(cast, case):
    evidence = attach(case, cast.hugo, name="receipt.pdf", kind="complaint_receipt")
    url = reverse("web:privacy_subject_access_archive", args=[case.reference])
    response = _client(cast, cast.amina).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read(f"documents/{case.reference}/{evidence.pk}-receipt.pdf") == PDF
    entry = AuditEntry.objects.filter(action="person.subject_access").latest("pk")
    assert entry.details["format"] == "archive" and entry.details["evidence"] == [evidence.pk]
    assert _client(cast, cast.hugo).get(url).status_code == 404  # not an administrator


def test_rotation_reseals_the_files_with_the_new_key(
    cast, case, django_capture_on_commit_callbacks
):
    evidence = attach(case, cast.hugo)
    old_name = evidence.storage_name
    new_key = "k2:" + "A" * 43 + "="
    with override_settings(OPENNRM_FIELD_KEYS=f"{new_key},{settings.OPENNRM_FIELD_KEYS}"):
        assert rotate_files(dry_run=True).changed == 1
        with django_capture_on_commit_callbacks(execute=True):
            report = rotate_files()
        assert (report.examined, report.changed, report.failed) == (1, 1, [])
        evidence.refresh_from_db()
        assert evidence.storage_name != old_name and not storage().exists(old_name)
        assert _stored(evidence).startswith(b"OPENNRM-FILE-v1:k2:")
        assert read_content(evidence) == PDF
        assert rotate_files().changed == 0
