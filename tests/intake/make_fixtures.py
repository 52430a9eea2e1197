"""Write the corpus of messy, real-world-shaped files under tests/intake/fixtures/.

Run ``python -m tests.intake.make_fixtures`` to regenerate; the tests also call :func:`make_all`
into a temporary directory, so the committed binaries can never drift from this script.
Each file imitates something officials actually send: a title row above the header, merged header
cells, blank rows, trailing and full-width spaces, full-width digits, dates as Excel serials or as
“2026年3月5日” text, GBK CSV from Chinese Excel, UTF-8 CSV with a BOM, and the old .xls format.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import xlwt

from tests.intake.messy12 import MAKERS as ISSUE_12

HERE = Path(__file__).parent / "fixtures"

OBJECT_HEADER = [
    "对象编号",
    "编号类型",
    "名称",
    "对象类型",
    "乡镇（街道）",
    "地址",
    "专项库标签",
    "状态",
    "信用风险分类",
    "列入严重失信主体名单",
]
# The three enterprises every objects fixture holds, as they must come out of the import (new rows
# are appended in id order).
OBJECTS_EXPECTED = (
    "对象编号,编号类型,名称,对象类型,乡镇（街道）,地址,专项库标签,状态,信用风险分类,列入严重失信主体名单\n"
    "91320214745555318W,统一社会信用代码,示例食品有限公司,企业,来安街道,,,停业,C,否\n"
    "913213233BJ1XG612E,统一社会信用代码,测试县第一中学食堂,企业,众兴街道,示例路1号,学校食堂,存续,A,否\n"
    "91321323J3Y7LLJY18,统一社会信用代码,测试县第二中学食堂,企业,众兴街道,示例路2号,学校食堂;食品销售,存续,D,是\n"
)
MESSY_OBJECT_ROWS = [
    [
        "９１３２１３２３３ＢＪ１ＸＧ６１２Ｅ ",
        "统一社会信用代码",
        "测试县第一中学食堂  ",
        "企业",
        "众兴街道",
        " 示例路1号",
        "学校食堂",
        "存续",
        "A",
        "否",
    ],
    [None] * 10,
    [
        "91321323J3Y7LLJY18",
        "统一社会信用代码",
        "测试县第二中学食堂",
        "企业",
        "众兴街道\u3000",
        "示例路2号",
        "学校食堂；食品销售",
        "存续",
        "Ｄ",  # 严重失信: always the highest-risk class (county policy, OBJECT_DISHONEST_CLASS)
        "是",
    ],
    ["91320214745555318w", None, "示例食品有限公司", "企业", "来安街道", "", None, "停业", "C", False],
]

INSPECTOR_HEADER = [
    "人员编号",
    "姓名",
    "所属单位",
    "执法证号",
    "执法证生效日期",
    "执法证失效日期",
    "人员状态",
]
INSPECTORS_EXPECTED = [
    ("SCJG-101", "2024-01-01", "2028-12-31"),
    ("SCJG-102", "2026-03-05", "2029-03-04"),
    ("SCJG-103", "2025-07-01", "2030-06-30"),
    ("SCJG-104", "2026-01-15", "2031-01-14"),
]


def _inspector_rows() -> list[list[object]]:
    # Four ways a date arrives: a real date cell, an Excel serial number, Chinese text, yyyymmdd.
    return [
        [
            "SCJG-101",
            "王一",
            "market",
            "32130101",
            dt.datetime(2024, 1, 1),
            dt.datetime(2028, 12, 31),
            "有效",
        ],
        ["ＳＣＪＧ－１０２", "王二", "market", "32130102", "2026年3月5日", "2029年3月4日", "有效"],
        ["SCJG-103", "王三", "market", 32130103, 45839, 47664, "有效"],
        ["SCJG-104 ", "王四", "market", "32130104", "20260115", "2031/1/14", "有效"],
    ]


def objects_title_merged(path: Path) -> None:
    """Title row, then a two-level header with merged cells, blank rows inside the data."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "对象名录"
    ws.append(["测试县市场监管局检查对象名录（2026年）"])
    ws.merge_cells("A1:K1")
    ws.append(
        [
            "序号",
            "对象编号",
            "基本信息",
            None,
            None,
            "乡镇（街道）",
            "地址",
            "专项库标签",
            "状态",
            "信用风险分类",
            "列入严重失信主体名单",
        ]
    )
    ws.append([None, None, "编号类型", "名称", "对象类型"])
    ws.merge_cells("C2:E2")
    for col in "ABFGHIJK":
        ws.merge_cells(f"{col}2:{col}3")
    for i, row in enumerate(MESSY_OBJECT_ROWS, start=1):
        ws.append([i if any(row) else None, *row])
    ws.append([])
    ws.append([])
    wb.save(path)


def objects_csv(path: Path, encoding: str) -> None:
    lines = [",".join(OBJECT_HEADER)]
    for row in MESSY_OBJECT_ROWS:
        lines.append(",".join("" if v is None else ("否" if v is False else str(v)) for v in row))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def inspectors_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "执法人员"
    ws.append(INSPECTOR_HEADER)
    for row in _inspector_rows():
        ws.append(row)
    for cell in ws["E"][1:] + ws["F"][1:]:
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy-mm-dd"
    wb.save(path)


def inspectors_xls(path: Path) -> None:
    """Old .xls with a merged title row and real date cells (read back as dates)."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("执法人员")
    ws.write_merge(0, 0, 0, 6, "测试县执法检查人员名录")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(INSPECTOR_HEADER):
        ws.write(1, c, h)
    for r, row in enumerate(_inspector_rows(), start=2):
        for c, v in enumerate(row):
            if isinstance(v, dt.datetime):
                ws.write(r, c, v, date_style)
            elif v is not None:
                ws.write(r, c, v)
    wb.save(str(path))


def objects_errors(path: Path) -> None:
    """Mistakes the importer must name by cell (see test_errors_name_the_cell)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "对象名录"
    ws.append(["测试县检查对象名录"])
    ws.append(OBJECT_HEADER + ["联系人"])
    ws.append(
        ["913213233BJ1XG612E", "统一社会信用代码", "正常一行", "企业", "众兴街道", "", "", "存续", "A", "否"]
    )
    ws.append(
        [
            "913213233BJ1XG612X",
            "统一社会信用代码",
            "校验码错误",
            "企业",
            "众兴街道",
            "",
            "",
            "存续",
            "A",
            "否",
        ]
    )
    ws.append(
        ["91321323J3Y7LLJY18", "统一社会信用代码", "类型错误", "公司", "城关镇", "", "", "存续", "E", "也许"]
    )
    ws.append(
        ["913213233BJ1XG612E", "统一社会信用代码", "重复编号", "企业", "众兴街道", "", "", "", "A", "否"]
    )
    wb.save(path)


def items_percent(path: Path) -> None:
    """Ratio typed as a percentage cell (Excel stores 0.05) and methods separated by 、."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "事项编号",
            "抽查类别",
            "抽查事项",
            "检查对象",
            "事项类别",
            "抽查依据",
            "检查方式",
            "实施主体",
            "比例上限",
            "生效日期",
        ]
    )
    ws.append(
        [
            "SCJG-09",
            "登记事项检查",
            "名称规范使用情况的检查",
            "企业",
            "一般",
            "《企业名称登记管理规定》第二十六条",
            "实地检查、网络监测",
            "县级以上市场监管部门",
            0.05,
            dt.datetime(2026, 1, 1),
        ]
    )
    ws["I2"].number_format = "0%"
    wb.save(path)


MAKERS = {
    "objects_title_merged.xlsx": objects_title_merged,
    "objects_gbk.csv": lambda p: objects_csv(p, "gbk"),
    "objects_bom.csv": lambda p: objects_csv(p, "utf-8-sig"),
    "inspectors_dates.xlsx": inspectors_xlsx,
    "inspectors_old.xls": inspectors_xls,
    "objects_errors.xlsx": objects_errors,
    "items_percent.xlsx": items_percent,
    **ISSUE_12,
}


def make_all(out: Path = HERE) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, maker in MAKERS.items():
        paths[name] = out / name
        maker(paths[name])
    return paths


if __name__ == "__main__":
    for p in make_all().values():
        print(p)
