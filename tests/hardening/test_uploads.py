"""Upload checks: type by content, size, safe names."""

import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from opennrm.web.uploads import (
    NAME_MAX,
    UploadValidator,
    check_upload,
    safe_file_name,
)

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "kind", "extension"),
    [(PDF_BYTES, "pdf", ".pdf"), (PNG_BYTES, "png", ".png"), (JPEG_BYTES, "jpeg", ".jpg")],
)
def test_accepted_types_are_recognised_by_content(content, kind, extension):
    checked = check_upload(upload("whatever.bin", content))
    assert checked.kind.code == kind
    assert checked.name == f"whatever{extension}"
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "claimed"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("photo.png", b"GIF89a\x01\x00\x01\x00", "image/png"),
        ("scan.jpg", b"MZ\x90\x00\x03\x00\x00\x00", "image/jpeg"),  # a Windows program
        ("doc.pdf", b"PK\x03\x04" + b"\x00" * 20, "application/pdf"),  # a zip / docx
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "image/svg+xml"),
        ("x.pdf", b" %PDF-1.7", "application/pdf"),  # not at the very start
    ],
)
def test_the_name_and_the_claimed_type_do_not_count(name, content, claimed):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content, claimed))
    assert error.value.code == "wrong_type"


def test_a_type_can_be_refused_even_if_known():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("a.png", PNG_BYTES), allowed=["pdf"])
    assert error.value.code == "wrong_type"
    assert "PDF" in error.value.messages[0]


def test_the_size_is_limited():
    check_upload(upload("a.pdf", PDF_BYTES), max_size=len(PDF_BYTES))
    with pytest.raises(ValidationError) as error:
        check_upload(upload("a.pdf", PDF_BYTES + b"x"), max_size=len(PDF_BYTES))
    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("a.pdf", b""))
    assert error.value.code == "empty"


def test_plain_file_objects_work_and_keep_their_position():
    handle = io.BytesIO(PNG_BYTES)
    handle.name = "../../etc/passwd.png"
    handle.seek(5)
    checked = check_upload(handle)
    assert checked.kind.code == "png"
    assert checked.name == "passwd.png"
    assert handle.tell() == 5


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("Rapport d'audition été 2025.PDF", "Rapport_d_audition_ete_2025.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.pdf"),
        ("C:\\Users\\x\\scan.jpeg", "scan.pdf"),
        ("evil.php.pdf", "evil.php.pdf"),
        ("invoice.pdf.exe", "invoice.pdf.pdf"),
        (".htaccess", "document.pdf"),
        ("...", "document.pdf"),
        ("", "document.pdf"),
        (None, "document.pdf"),
        ("CON", "document.pdf"),
        ("nul.txt", "document.pdf"),
        ("фото.pdf", "document.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ('na"me<>|?*.pdf', "na_me.pdf"),
        ("a" * 500 + ".pdf", "a" * (NAME_MAX - 4) + ".pdf"),
    ],
)
def test_safe_file_names(given, expected):
    assert safe_file_name(given, ".pdf") == expected


@given(st.text(max_size=300))
def test_safe_file_names_are_always_safe(name):
    safe = safe_file_name(name, ".png")
    assert safe.endswith(".png")
    assert 5 <= len(safe) <= NAME_MAX
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in safe)
    assert not safe.startswith(".")
    assert "/" not in safe
    assert "\\" not in safe
    assert ".." not in safe


class DocumentForm(forms.Form):
    document = forms.FileField(validators=[UploadValidator(allowed=["pdf"], max_size=1024)])


def test_the_validator_on_a_form_field():
    good = DocumentForm(files={"document": upload("a.pdf", PDF_BYTES)})
    assert good.is_valid(), good.errors
    bad = DocumentForm(files={"document": upload("a.pdf", PNG_BYTES)})
    assert not bad.is_valid()
    assert bad.errors.as_data()["document"][0].code == "wrong_type"
    big = DocumentForm(files={"document": upload("a.pdf", PDF_BYTES + b"0" * 2000)})
    assert big.errors.as_data()["document"][0].code == "too_large"


def test_the_validator_is_deconstructible_and_checks_its_kinds():
    validator = UploadValidator(allowed=["pdf", "png"], max_size=10)
    path, args, kwargs = validator.deconstruct()
    assert path == "opennrm.web.uploads.UploadValidator"
    assert UploadValidator(*args, **kwargs) == validator
    with pytest.raises(ValueError, match="exe"):
        UploadValidator(allowed=["exe"])
