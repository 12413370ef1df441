"""Files in, text or rows out: the first step of ingestion, where bad files are refused.

An empty file, a binary file, a PDF without a text layer and text in an encoding we cannot
read each raise :class:`IngestError` with a message that says what to do; nothing is written.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "brief.txt"
>>> _ = p.write_bytes("MERICS TOP 5\\n工业和信息化部".encode("utf-8"))
>>> read_text(p)
'MERICS TOP 5\\n工业和信息化部'
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from policygraph.errors import IngestError

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")


def _check_bytes(raw: bytes, path: Path) -> None:
    if not raw.strip():
        raise IngestError(f"{path}: the file is empty")
    sample = raw[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}: this is a binary file, not text (give a .txt, .pdf or .csv)")


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 and try again"
        ) from None


def read_text(path: Path | str) -> str:
    """The text of a brief: a text file, or a PDF's text layer (pages joined by a newline)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror})") from None
    if path.suffix.lower() == ".pdf" or raw.startswith(b"%PDF-"):
        return _pdf_text(raw, path)
    _check_bytes(raw, path)
    text = decode(raw, path).replace("\r\n", "\n").replace("\r", "\n")
    if sum(ch.isprintable() or ch in "\n\t" for ch in text[:4096]) < 0.9 * min(len(text), 4096):
        raise IngestError(f"{path}: this does not look like text (mostly control characters)")
    return text


def _pdf_text(raw: bytes, path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not raw.strip():
        raise IngestError(f"{path}: the file is empty")
    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise IngestError(f"{path}: not a readable PDF ({exc})") from None
    except Exception as exc:  # pypdf raises many kinds on a malformed file
        raise IngestError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(
            f"{path}: the PDF has no text layer (a scan?); run OCR on it first, or give the text"
        )
    return text


def read_rows(path: Path | str, sheet: str | None = None) -> list[dict[str, str]]:
    """The rows of a CSV, TSV or XLSX table as dictionaries keyed by the header row.

    A table with a header and no rows is refused: there is nothing to draft from it.
    """
    rows = _rows(Path(path), sheet)
    if not rows:
        raise IngestError(f"{path}: the table has a header but no rows")
    return rows


def _rows(path: Path, sheet: str | None) -> list[dict[str, str]]:
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise IngestError(f"{path}: give a .csv, .tsv or .xlsx table")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror})") from None
    if suffix == ".xlsx":
        return _xlsx_rows(raw, path, sheet)
    _check_bytes(raw, path)
    text = decode(raw, path)
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")
    if not reader.fieldnames:
        raise IngestError(f"{path}: no header row")
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader]


def _xlsx_rows(raw: bytes, path: Path, sheet: str | None) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    if not raw:
        raise IngestError(f"{path}: the file is empty")
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise IngestError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise IngestError(f"{path}: no sheet {sheet!r}; it has {', '.join(book.sheetnames)}")
    rows = list((book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True))
    if not rows or not any(rows[0]):
        raise IngestError(f"{path}: no header row")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return [
        {h: _cell(v) for h, v in zip(header, row, strict=False) if h}
        for row in rows[1:]
        if any(v not in (None, "") for v in row)
    ]


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value).strip()
