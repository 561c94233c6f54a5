"""The least of the Office Open XML spreadsheet format that HTCDS exchange needs, with the
standard library only: write one sheet of text cells, read the first sheet's cells as text.

Cells are written as inline strings (no shared-string table); numbers and dates are written as
text, the template's cells being text. Reading accepts shared strings, inline strings and
numbers (a number reads as its text). XML with a document type declaration is refused before it
is parsed (a spreadsheet's parts never have one: no entity can be declared, so none expanded or
fetched); the archive's members are size-checked before they are read.
"""

import io
import re
import zipfile
import zlib
from xml.etree import ElementTree
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"m": MAIN}
MAX_MEMBER = 20 * 1024 * 1024  # bytes uncompressed, per member read
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class SpreadsheetError(ValueError):
    """Not a spreadsheet we can read."""


def column_index(letters: str) -> int:
    """A=0, B=1, …, Z=25, AA=26."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell(ref: str, text: str) -> str:
    if not text:
        return ""
    value = escape(_ILLEGAL.sub("", text))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def write(rows: list[list[str]], *, hidden_rows: tuple[int, ...] = ()) -> bytes:
    """One sheet ("Sheet1") holding `rows` from A1; `hidden_rows` are 1-based row numbers."""
    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_letters(i)}{number}", text) for i, text in enumerate(row))
        hidden = ' hidden="1"' if number in hidden_rows else ""
        body.append(f'<row r="{number}"{hidden}>{cells}</row>')
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def _parse(data: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise SpreadsheetError("document type declarations are refused")
    return ElementTree.fromstring(data)  # noqa: S314 (no DTD, hence no entity: checked above)


def _member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MEMBER:
        raise SpreadsheetError("member too large")
    return archive.read(name)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    workbook = _member(archive, "xl/workbook.xml")
    rels = _member(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        raise SpreadsheetError("no workbook")
    sheet = _parse(workbook).find("m:sheets/m:sheet", NS)
    if sheet is None:
        raise SpreadsheetError("no sheet")
    rel_id = sheet.get(f"{{{REL}}}id")
    for rel in _parse(rels):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise SpreadsheetError("no sheet")


def read(content: bytes) -> dict[int, dict[int, str]]:
    """The first sheet's non-empty cells: {row number (1-based): {column index: text}}."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            shared: list[str] = []
            strings = _member(archive, "xl/sharedStrings.xml")
            if strings is not None:
                for item in _parse(strings).findall("m:si", NS):
                    shared.append("".join(t.text or "" for t in item.iter(f"{{{MAIN}}}t")))
            data = _member(archive, _first_sheet(archive))
            if data is None:
                raise SpreadsheetError("no sheet")
            sheet = _parse(data)
    except (
        zipfile.BadZipFile,
        zlib.error,
        ElementTree.ParseError,
        KeyError,
        IndexError,
        ValueError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted member
        EOFError,
    ) as error:
        raise SpreadsheetError(str(error)) from error
    rows: dict[int, dict[int, str]] = {}
    number = 0
    for row in sheet.iterfind("m:sheetData/m:row", NS):
        # References are optional in the format: without one, the next row or column.
        given = row.get("r", "")
        number = int(given) if given.isdigit() else number + 1
        column = -1
        for cell in row.findall("m:c", NS):
            match = _CELL_REF.match(cell.get("r", ""))
            column = column_index(match.group(1)) if match else column + 1
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{{{MAIN}}}t"))
            else:
                value = cell.find("m:v", NS)
                raw = value.text or "" if value is not None else ""
                if kind == "s" and raw:
                    try:
                        text = shared[int(raw)]
                    except (ValueError, IndexError) as error:
                        raise SpreadsheetError("bad shared string") from error
                else:
                    text = raw
            if text.strip():
                rows.setdefault(number, {})[column] = text.strip()
    return rows
