"""Inputs past a limit, or no regular file at all, are refused with one line naming the file
(and the row and column), never a hang, a MemoryError or a traceback."""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pytest
import yaml
from conftest import cli

from policygraph.errors import IngestError
from policygraph.ingest.intake import Limits, read_rows, read_text

HEADER = "标题,发布日期\n"
ROW = "工业和信息化部关于印发《工业领域数据安全能力提升实施方案》的通知,2024-02-26\n"


def refused(reader, *args, **kwargs) -> str:
    with pytest.raises(IngestError) as caught:
        reader(*args, **kwargs)
    return str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_before_it_is_read(tmp_path):
    for name in ("brief.txt", "table.csv"):
        fifo = tmp_path / name
        os.mkfifo(fifo)  # no writer: reading it would wait for ever
        reader = read_text if name.endswith(".txt") else read_rows
        assert refused(reader, fifo) == f"{fifo}: not a regular file; give a file"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_an_endless_device_is_refused():
    assert "not a regular file" in refused(read_text, "/dev/zero")
    result = cli("ingest", "/dev/zero", "-o", "never.yaml")
    assert result.returncode == 1 and "/dev/zero: not a regular file" in result.stderr


def test_a_file_past_the_size_limit_is_refused(tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text("MERICS TOP 5\n" * 100, "utf-8")
    assert "larger than 1,299 bytes" in refused(read_text, brief, limits=Limits(max_bytes=1299))
    assert read_text(brief, limits=Limits(max_bytes=1300)).count("\n") == 100  # 1,300 bytes
    table = tmp_path / "docs.csv"
    table.write_text(HEADER + ROW * 20, "utf-8")
    result = cli("ingest-table", table, "-o", tmp_path / "d.yaml", "--max-size", "0")
    assert result.returncode == 2  # below the option's range: click refuses it


def test_a_line_past_the_limit_is_refused_naming_it(tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text("MERICS TOP 5\nshort\n" + "x" * 5000 + "\n", "utf-8")
    message = refused(read_text, brief, limits=Limits(max_line=4999))
    assert message.startswith(f"{brief}:3: a line longer than 4,999 characters")
    assert read_text(brief, limits=Limits(max_line=5000)).endswith("x\n")
    result = cli("ingest", brief, "-o", tmp_path / "d.yaml", "--max-line", "100")
    assert result.returncode == 1 and "brief.txt:3: a line longer than 100" in result.stderr


def test_a_csv_field_past_the_csv_module_limit_is_an_error_or_read_when_allowed(tmp_path):
    table = tmp_path / "docs.csv"
    big = "关" * 140_000  # past csv's own 131,072, which used to end in a traceback
    table.write_text(HEADER + ROW + f'"{big}",2024-01-01\n', "utf-8")
    before = csv.field_size_limit()
    result = cli("ingest-table", table, "-o", tmp_path / "d.yaml")
    assert result.returncode == 1
    assert f"{table}: line 3: a cell longer than 100,000 characters" in result.stderr
    assert not (tmp_path / "d.yaml").exists()
    rows = read_rows(table, limits=Limits(max_cell=150_000))
    assert rows[1]["标题"] == big
    assert csv.field_size_limit() == before  # the module's global limit is put back


def test_rows_past_the_limit_are_refused(tmp_path):
    table = tmp_path / "docs.csv"
    table.write_text(HEADER + ROW * 6 + "\n\n", "utf-8")
    result = cli("ingest-table", table, "-o", tmp_path / "d.yaml", "--max-rows", "5")
    assert result.returncode == 1 and f"{table}: more than 5 rows" in result.stderr
    assert len(read_rows(table, limits=Limits(max_rows=6))) == 6  # blank lines are no rows


def _workbook(rows: list[list], padding: int = 0, far_cell: bool = False) -> bytes:
    """An .xlsx of ``rows``; ``padding`` spaces inside its sheet (they compress to nothing);
    ``far_cell``: one cell in the last column, and the sheet claiming a million rows."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    if far_cell:
        book.active.cell(row=3, column=16_384, value="far")
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * padding)
                if far_cell:
                    data = data.replace(
                        b'<dimension ref="A1:XFD3"', b'<dimension ref="A1:XFD1048576"'
                    )
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_central_directory(tmp_path):
    rows = [["标题", "发布日期"], ["关于某事的通知", "2024-01-01"]]
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(_workbook(rows, padding=3_000_000))
    assert bomb.stat().st_size < 100_000
    result = cli("ingest-table", bomb, "-o", tmp_path / "d.yaml", "--max-unzipped", "2")
    assert result.returncode == 1
    assert f"{bomb}: the workbook unzips to 3,0" in result.stderr
    assert "the limit is 2,000,000 (--max-unzipped)" in result.stderr
    assert read_rows(bomb) == [{"标题": "关于某事的通知", "发布日期": "2024-01-01"}]


def test_a_far_cell_and_a_huge_stated_size_do_not_blow_up_a_sheet(tmp_path):
    rows = [
        ["标题", "发布日期"],
        ["关于某事的通知", "2024-01-01"],
        ["关于另一事的通知", "2024-01-02"],
    ]
    sheet = tmp_path / "docs.xlsx"
    sheet.write_bytes(_workbook(rows, far_cell=True))
    assert read_rows(sheet) == [
        {"标题": "关于某事的通知", "发布日期": "2024-01-01"},
        {"标题": "关于另一事的通知", "发布日期": "2024-01-02"},
    ]


def test_xlsx_rows_and_cells_past_the_limits_are_refused_naming_row_and_column(tmp_path):
    rows = [["标题", "发布日期"], *[["关于某事的通知", "2024-01-01"]] * 4, ["x" * 50, "2024"]]
    sheet = tmp_path / "docs.xlsx"
    sheet.write_bytes(_workbook(rows))
    assert f"{sheet}: more than 3 rows" in refused(read_rows, sheet, limits=Limits(max_rows=3))
    message = refused(read_rows, sheet, limits=Limits(max_cell=49))
    assert message == (
        f"{sheet}: row 6, column '标题': a cell of 50 characters; the limit is 49 (--max-cell)"
    )


def test_control_characters_in_a_table_or_a_brief_are_refused_naming_where(tmp_path):
    table = tmp_path / "docs.csv"
    table.write_text(HEADER + ROW + "关于\x1b[2J某事的通知,2024-01-01\n", "utf-8")
    assert refused(read_rows, table) == (
        f"{table}: line 3, column '标题': holds the control character U+001B; remove it"
    )
    brief = tmp_path / "brief.txt"
    brief.write_text("MERICS TOP 5\n\tIssuing body: MIIT \u202eTIIM\n", "utf-8")
    assert refused(read_text, brief) == (
        f"{brief}:2:21: holds the control character U+202E; remove it"
    )
    brief.write_text("MERICS TOP 5\r\n\tpage one\fpage two\n", "utf-8")  # tab, CR, FF: fine
    assert read_text(brief) == "MERICS TOP 5\n\tpage one\npage two\n"


def test_truncated_utf16_is_an_error_not_a_traceback(tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_bytes("MERICS TOP 5".encode("utf-16") + b"\x00")
    assert "not UTF-16" in refused(read_text, brief)


@pytest.mark.parametrize("depth", [900, 100_000])
def test_deeply_nested_json_is_an_error_not_a_traceback(data_copy, depth):
    (data_copy / "sources" / "deep.yaml").write_text(
        '{"source": ' + "[" * depth + "]" * depth + "}", "utf-8"
    )
    result = cli("validate", "--data", data_copy, "--no-shacl")
    assert result.returncode == 1
    assert "sources/deep.yaml" in result.stderr and "error:" in result.stderr


def test_a_control_character_in_a_url_is_an_error_naming_the_field(data_copy):
    path = data_copy / "sources" / "merics-top5-2024-02.yaml"
    doc = yaml.safe_load(path.read_text("utf-8"))
    doc["policies"][0]["official_url"] += "\x7f"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    result = cli("validate", "--data", data_copy, "--no-shacl")
    assert result.returncode == 1
    assert "field 'official_url': URL holds U+007F" in result.stderr
    result = cli("build", "--data", data_copy, "--out", data_copy.parent / "out")
    assert result.returncode == 1 and "official_url" in result.stderr
