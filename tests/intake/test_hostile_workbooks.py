"""Workbooks made to hurt the reader (red team): a cell far away, a merged range across a whole row.

One cell at XFD1048576 in a 5 KB file made calamine ask for 512 GB and the Rust allocator abort
the process (exit 134, a Rust backtrace, in CI too). The import must answer with a finding.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import openpyxl

from generator.intake import plan_import
from generator.intake.sheet_limits import used_area

HEADER = "对象编号,编号类型,名称,对象类型,乡镇（街道）,地址,专项库标签,状态,信用风险分类,列入严重失信主体名单".split(
    ","
)
ROW = (
    "913213233BJ1XG612E,统一社会信用代码,测试县第一中学食堂,企业,众兴街道,示例路1号,学校食堂,存续,A,否".split(
        ","
    )
)


def _book(path, far=None, merge=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名录"
    ws.append(HEADER)
    ws.append(ROW)
    if far:
        ws[far] = "x"
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def _limit_memory():  # without the bound, the child fails fast instead of eating the machine
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def test_a_cell_at_the_end_of_the_sheet_is_a_finding_not_an_abort(tmp_path, county_only):
    path = _book(tmp_path / "名录.xlsx", far="XFD1048576")
    assert path.stat().st_size < 10_000
    run = subprocess.run(
        [sys.executable, "-m", "generator", "import", str(path), "--kind", "objects", "--unit", "market"]
        + ["--records", str(county_only), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert run.returncode == 1, run.stderr[-2000:]
    assert "IMPORT_SHEET_TOO_LARGE" in run.stdout and "XFD1048576" in run.stdout
    assert "panicked" not in run.stderr and "backtrace" not in run.stderr


def test_a_merged_range_across_a_whole_row_is_read_quickly(tmp_path, county_only):
    path = _book(tmp_path / "名录.xlsx", merge="A5:XFD5")
    start = time.monotonic()
    result = plan_import(path, "objects", "market", county_only)
    assert time.monotonic() - start < 20
    assert result.errors == []


def test_the_used_area_counts_cells_placed_below_their_row_and_rows_without_references():
    assert used_area(b'<row r="1"><c r="A1"/><c t="s" r="C1048576"/></row>')[:2] == (1048576, 3)
    assert used_area(b"<row><c/><c/><c/></row><row><c/></row>")[:2] == (2, 3)


SPREADSHEET_ML = (
    '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="名录"><Table>{rows}'
    "</Table></Worksheet></Workbook>"
)


def _ml_row(values, extra=""):
    cells = "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in values)
    return f"<Row{extra}>{cells}</Row>"


def test_a_spreadsheet_ml_index_far_away_is_refused_quickly(tmp_path, county_only):
    """XML 2003 saved as .xls (what older government systems export): ``ss:Index`` places a row or a
    cell anywhere; one at row 60,000,000 or column 16,000,000 took a minute and 2.8 GB."""
    head = _ml_row(HEADER) + _ml_row(ROW)
    far_row = head + '<Row ss:Index="60000000"><Cell><Data ss:Type="String">x</Data></Cell></Row>'
    far_cells = head + '<Row><Cell ss:Index="16000000"><Data ss:Type="String">x</Data></Cell></Row>' * 20
    for name, rows, shown in (("rows", far_row, "60000000"), ("cols", far_cells, "16000000")):
        path = tmp_path / f"{name}.xls"
        path.write_text(SPREADSHEET_ML.format(rows=rows), encoding="utf-8")
        start = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "generator", "import", str(path), "--kind", "objects", "--unit", "market"]
            + ["--records", str(county_only), "--dry-run"],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_limit_memory,
        )
        assert time.monotonic() - start < 30, name
        assert run.returncode == 1 and "IMPORT_FILE_UNREADABLE" in run.stdout and shown in run.stdout, (
            run.stdout
        )


def test_an_html_table_of_huge_spans_is_refused_quickly(tmp_path, county_only):
    """HTML saved as .xls: each cell may span 1000 x 1000; fifty of them were 50 million slots."""
    cells = "".join(f"<td>{v}</td>" for v in HEADER)
    huge = '<td colspan="1000" rowspan="1000">x</td>' * 50
    path = tmp_path / "名录.xls"
    path.write_text(
        f"<html><body><table><tr>{cells}</tr><tr>{huge}</tr></table></body></html>", encoding="utf-8"
    )
    start = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "generator", "import", str(path), "--kind", "objects", "--unit", "market"]
        + ["--records", str(county_only), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    assert time.monotonic() - start < 30
    assert run.returncode == 1 and "IMPORT_FILE_UNREADABLE" in run.stdout and "合并单元格过大" in run.stdout
