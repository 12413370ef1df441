"""Files in, text or rows out: the first step of ingestion, where bad files are refused.

An empty file, a binary file, a PDF without a text layer and text in an encoding we cannot
read each raise :class:`IngestError` with a message that says what to do; nothing is written.
So does anything past the :class:`Limits` (a file, a line, a table or a cell too large, a
workbook that unzips too large), something that is no regular file (a FIFO, ``/dev/zero``),
and text holding control characters or bidi overrides, which would reach the draft and break
the tools that later read it.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "brief.txt"
>>> _ = p.write_bytes("MERICS TOP 5\\n工业和信息化部".encode("utf-8"))
>>> read_text(p)
'MERICS TOP 5\\n工业和信息化部'
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import IngestError

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")
MB = 1_000_000
#: characters no text we ingest may hold: C0 controls but tab, line feed, carriage return and
#: form feed (a page break, read as a line break); DEL and C1 controls; bidi overrides
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Limits:
    """How much one input may hold; past a limit it is refused with one line saying which.

    The defaults fit real briefs and document lists many times over; each has a command-line
    option of the same name (``--max-rows`` for ``max_rows``; sizes in MB on the command line).
    """

    max_bytes: int = 50 * MB  # the file as given: text, PDF, CSV, TSV or XLSX
    max_line: int = 100_000  # characters in one line of a brief
    max_rows: int = 20_000  # rows of a table below its header
    max_columns: int = 500  # columns of a table
    max_cell: int = 100_000  # characters in one cell
    max_unzipped: int = 100 * MB  # an .xlsx workbook's parts, unzipped


DEFAULT = Limits()


def _read(path: Path, limits: Limits) -> bytes:
    """The file's bytes; a FIFO, device or directory is refused before anything is read, and a
    file larger than ``max_bytes`` after reading at most one byte past it."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise IngestError(f"{path}: cannot read it ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            raise IngestError(f"{path}: {what}; give a file")
        try:
            raw = f.read(limits.max_bytes + 1)
        except OSError as exc:
            raise IngestError(f"{path}: cannot read it ({exc.strerror})") from None
    if len(raw) > limits.max_bytes:
        raise IngestError(f"{path}: larger than {limits.max_bytes:,} bytes, the limit (--max-size)")
    return raw


def _clean(text: str, path: Path, where: str = "") -> None:
    """Refuse a control character or bidi override, saying where it is and which it is."""
    m = CONTROL.search(text)
    if m:
        if not where:
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            where = f"{line}:{column}"
        raise IngestError(
            f"{path}:{where}: holds the control character U+{ord(m[0]):04X}; remove it"
        )


def _long_line(text: str, limit: int) -> int | None:
    """The number of the first line longer than ``limit`` characters, if any."""
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        if (end if end >= 0 else len(text)) - start > limit:
            return number
        if end < 0:
            return None
        start, number = end + 1, number + 1


def _check_bytes(raw: bytes, path: Path) -> None:
    if not raw.strip():
        raise IngestError(f"{path}: the file is empty")
    sample = raw[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}: this is a binary file, not text (give a .txt, .pdf or .csv)")


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{path}: not UTF-16 as its byte-order mark says ({exc.reason})"
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 and try again"
        ) from None


def read_text(path: Path | str, *, limits: Limits = DEFAULT) -> str:
    """The text of a brief: a text file, or a PDF's text layer (pages joined by a newline)."""
    path = Path(path)
    raw = _read(path, limits)
    if path.suffix.lower() == ".pdf" or raw.startswith(b"%PDF-"):
        return _pdf_text(raw, path)
    _check_bytes(raw, path)
    text = decode(raw, path).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if sum(ch.isprintable() or ch in "\n\t" for ch in text[:4096]) < 0.9 * min(len(text), 4096):
        raise IngestError(f"{path}: this does not look like text (mostly control characters)")
    _clean(text, path)
    line = _long_line(text, limits.max_line)
    if line:
        raise IngestError(
            f"{path}:{line}: a line longer than {limits.max_line:,} characters, the limit "
            "(--max-line)"
        )
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
    # a glyph without a character in the text layer may come out as a control character
    text = CONTROL.sub(" ", "\n".join(pages))
    if not text.strip():
        raise IngestError(
            f"{path}: the PDF has no text layer (a scan?); run OCR on it first, or give the text"
        )
    return text


def read_rows(
    path: Path | str, sheet: str | None = None, *, limits: Limits = DEFAULT
) -> list[dict[str, str]]:
    """The rows of a CSV, TSV or XLSX table as dictionaries keyed by the header row.

    A table with a header and no rows is refused: there is nothing to draft from it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise IngestError(f"{path}: give a .csv, .tsv or .xlsx table")
    raw = _read(path, limits)
    if suffix == ".xlsx":
        header, rows = _xlsx_rows(raw, path, sheet, limits)
    else:
        header, rows = _csv_rows(raw, path, suffix, limits)
    if len(rows) > limits.max_rows:
        raise IngestError(f"{path}: more than {limits.max_rows:,} rows, the limit (--max-rows)")
    table = []
    for where, row in rows:
        for h, v in zip(header, row, strict=False):
            if len(v) > limits.max_cell:
                raise IngestError(
                    f"{path}: {where}, column {h!r}: a cell of {len(v):,} characters; the "
                    f"limit is {limits.max_cell:,} (--max-cell)"
                )
            _clean(v, path, f" {where}, column {h!r}")
        table.append({h: v for h, v in zip(header, row, strict=False) if h})
    if not table:
        raise IngestError(f"{path}: the table has a header but no rows")
    return table


def _checked_header(header: list[str], path: Path, limits: Limits) -> list[str]:
    while header and not header[-1]:
        header.pop()
    if not header:
        raise IngestError(f"{path}: no header row")
    if len(header) > limits.max_columns:
        raise IngestError(f"{path}: {len(header):,} columns; the limit is {limits.max_columns:,}")
    for h in header:
        _clean(h, path, " row 1 (the header)")
    return header


@contextlib.contextmanager
def _field_limit(limit: int):
    """``csv``'s field size limit, for one read: it is global, so it is put back after."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _csv_rows(raw: bytes, path: Path, suffix: str, limits: Limits):
    _check_bytes(raw, path)
    text = decode(raw, path)
    reader = csv.reader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")
    rows = []
    with _field_limit(limits.max_cell):
        try:
            for row in reader:
                values = [v.strip() for v in row]
                if any(values) or not rows:
                    rows.append((f"line {reader.line_num}", values))
                if len(rows) > limits.max_rows + 1:
                    break  # the header and one row too many: enough to refuse it
        except csv.Error as exc:
            what = str(exc)
            if "field larger than field limit" in what:
                what = f"a cell longer than {limits.max_cell:,} characters, the limit (--max-cell)"
            raise IngestError(f"{path}: line {reader.line_num}: {what}") from None
    if not rows:
        raise IngestError(f"{path}: no header row")
    header = _checked_header(rows[0][1], path, limits)
    return header, [(n, row + [""] * (len(header) - len(row))) for n, row in rows[1:]]


def _unzipped_size(raw: bytes, path: Path) -> int:
    """What an .xlsx's parts take unzipped, from the zip's central directory: read before
    openpyxl opens it, so a zip bomb is refused unopened (zipfile never inflates a part past
    the size the directory gives)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IngestError(f"{path}: not a readable .xlsx workbook ({exc})") from None


def _xlsx_rows(raw: bytes, path: Path, sheet: str | None, limits: Limits):
    from openpyxl import load_workbook

    if not raw:
        raise IngestError(f"{path}: the file is empty")
    unzipped = _unzipped_size(raw, path)
    if unzipped > limits.max_unzipped:
        raise IngestError(
            f"{path}: the workbook unzips to {unzipped:,} bytes; the limit is "
            f"{limits.max_unzipped:,} (--max-unzipped)"
        )
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        if sheet is not None and sheet not in book.sheetnames:
            raise IngestError(f"{path}: no sheet {sheet!r}; it has {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet else book.worksheets[0]
        ws.reset_dimensions()  # a sheet's stated size may be huge: read only what it holds
        first = next(ws.iter_rows(max_row=1, values_only=True), ())
        header = _checked_header([_cell(h) for h in first], path, limits)
        rows = []
        # no wider than the header: a far-right cell would pad every row to its width
        for n, row in enumerate(ws.iter_rows(min_row=2, max_col=len(header), values_only=True), 2):
            if any(v not in (None, "") for v in row):
                rows.append((f"row {n}", [_cell(v) for v in row]))
            if len(rows) > limits.max_rows:
                break  # one row too many: enough to refuse it
    except IngestError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise IngestError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    return header, rows


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value).strip()
