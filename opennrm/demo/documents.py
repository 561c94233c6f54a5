"""Fictional documents for the demo's evidence (and the tests'): a small PDF and a PNG, each
saying in its content that it is fictional. Made here, in code: no file is shipped."""

import io
import zlib


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def fictional_pdf(lines: list[str]) -> bytes:
    """A one-page PDF 1.4 writing `lines` (Windows-1252) in Helvetica, with a correct
    cross-reference table: opened by any reader."""
    text = [b"BT", b"/F1 12 Tf", b"72 770 Td", b"16 TL"]
    for line in lines:
        text.append(b"(" + _escape(line).encode("cp1252", "replace") + b") Tj T*")
    text.append(b"ET")
    stream = zlib.compress(b"\n".join(text))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return output.getvalue()


def fictional_png(lines: list[str], *, size: tuple[int, int] = (480, 320)) -> bytes:
    """A PNG image writing `lines` on a light background (Pillow's default font)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (246, 246, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, size[0] - 9, size[1] - 9), outline=(0, 0, 145), width=3)
    for number, line in enumerate(lines):
        draw.text((24, 24 + 22 * number), line, fill=(22, 22, 22))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
