"""Property tests: no input makes the importer crash (random bytes, random cells)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from generator.intake.parse import Context, parse_book
from generator.intake.specs import SPECS
from generator.intake.tables import Sheet, read_bytes

CELLS = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.sampled_from(
        ["对象编号", "名称", "状态", "存续", "企业", "2026年2月30日", "46086", "１２３", "5%", "是"]
    ),
)
GRIDS = st.lists(st.lists(CELLS, max_size=8), max_size=8)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_random_bytes_never_crash(data, suffix):
    sheets, problems = read_bytes(data, suffix, "随机")
    codes = [p.code for p in problems]
    # The format is decided by the content, not the name, so a .txt may be read as tab text.
    if not sheets:  # unreadable: exactly one finding that says why
        assert codes in (["IMPORT_FILE_UNREADABLE"], ["IMPORT_ENCODING"], ["IMPORT_FILE_TYPE"]), codes
    elif suffix == ".csv":  # readable text: one sheet, nothing to report
        assert len(sheets) == 1 and codes == []
    for spec in SPECS.values():
        parsed = parse_book(sheets, spec, Context("market"), "随机")
        assert parsed.problems or parsed.rows


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid=GRIDS, kind=st.sampled_from(sorted(SPECS)), header=st.booleans())
def test_random_cells_never_crash(grid, kind, header):
    spec = SPECS[kind]
    rows = ([[f.label for f in spec.fields]] if header else []) + grid
    parsed = parse_book(
        [Sheet("表", rows)],
        spec,
        Context("market", ("众兴街道",), ({"code": "1", "label": "未发现问题"},)),
        "f",
    )
    for p in parsed.problems:
        assert p.message and p.code


@settings(max_examples=40, deadline=None)
@given(grid=GRIDS)
@example(grid=[["=0", "x"], ["甲", "=SUM(1)"]])
def test_random_cells_through_a_real_xlsx(grid):
    wb = openpyxl.Workbook()
    wb.active.append([f.label for f in SPECS["objects"].fields])
    for row in grid:
        wb.active.append(
            [c if not isinstance(c, str) else "".join(ch for ch in c if ch.isprintable()) for c in row]
        )
    buf = io.BytesIO()
    wb.save(buf)
    sheets, problems = read_bytes(buf.getvalue(), ".xlsx", "f.xlsx")
    # openpyxl stores text starting with "=" as a formula without a value: the reader must say so,
    # naming the cell; nothing else may be reported for a file Excel can open.
    formulas = {
        f"Sheet!{get_column_letter(c + 1)}{r + 2}"
        for r, row in enumerate(grid)
        for c, v in enumerate(row)
        if isinstance(v, str) and "".join(ch for ch in v if ch.isprintable()).startswith("=")
    }
    assert {p.where for p in problems} <= formulas
    assert all(p.code == "IMPORT_FORMULA" for p in problems)
    parse_book(sheets, SPECS["objects"], Context("market"), "f.xlsx")
