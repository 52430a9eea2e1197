"""Fixtures for issue 12, one or more per numbered problem (registered in make_fixtures.MAKERS).

Each imitates what the issue's 63 county files showed: a sheet listing only new firms, codes that
Excel stored as numbers, several sheets with a hidden one, sheet XML parts not numbered in tab order,
renamed headers, footers and the template's example row, thousands of identical mistakes, date-time
text, a password-protected workbook, HTML / Excel 2003 XML / tab text saved as .xls, Chinese list
separators and enumeration synonyms, and text that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl

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
]
NEW_FIRMS = [  # three firms the test tree does not have (valid codes)
    [
        "91321323MAL3T13R4L",
        "统一社会信用代码",
        "泗阳县新开一号超市",
        "企业",
        "众兴街道",
        "新街1号",
        "",
        "存续",
        "B",
    ],
    [
        "91321323MA2K44RYG1",
        "统一社会信用代码",
        "泗阳县新开二号餐馆",
        "个体工商户",
        "来安街道",
        "新街2号",
        "",
        "存续",
        "B",
    ],
    [
        "91321323MAH55HTWU5",
        "统一社会信用代码",
        "泗阳县新开三号药房",
        "企业",
        "来安街道",
        "新街3号",
        "",
        "存续",
        "C",
    ],
]
DAMAGED_PASSING = "913213290640765000"  # 15 significant digits + 000, and the check digit happens to fit
EXACT_DIGITS = "913213236810454513"  # an all-digit code with a valid check digit


def _book(rows: list[list[object]], title: str = "对象名录") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row)
    return wb


def _rewrite(path: Path, edit) -> None:
    """Rewrite members of a saved .xlsx (``edit(name, bytes) -> bytes``), keeping their order."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, edit(info.filename, src.read(info.filename)))
    path.write_bytes(out.getvalue())


def p01_new_firms(path: Path) -> None:
    """Problem 1: a sheet listing only three new firms (the directory has others)."""
    _book([OBJECT_HEADER, *NEW_FIRMS]).save(path)


def p01_branch_b(path: Path) -> None:
    """Problem 1: the other 分局's half, listing one firm of its own and one shared firm changed."""
    changed = [
        "913213233BJ1XG612E",
        "统一社会信用代码",
        "测试县第一中学食堂",
        "企业",
        "众兴街道",
        "示例路1号（新址）",
        "学校食堂",
        "存续",
        "A",
    ]
    _book([OBJECT_HEADER, changed]).save(path)


def p02_code_damaged(path: Path) -> None:
    """Problem 2: codes typed as numbers: Excel kept 15 significant digits (one passes the check)."""
    rows = [
        OBJECT_HEADER,
        [9.13213237601895e17, "统一社会信用代码", "数字编号甲", "企业", "众兴街道", "", "", "存续", "B"],
        [float(DAMAGED_PASSING), "统一社会信用代码", "数字编号乙", "企业", "众兴街道", "", "", "存续", "B"],
    ]
    _book(rows).save(path)


def p02_code_exact(path: Path) -> None:
    """Problem 2: a program stored the exact 18-digit integer (more digits than Excel keeps)."""
    rows = [
        OBJECT_HEADER,
        [float(EXACT_DIGITS), "统一社会信用代码", "精确数字编号", "企业", "众兴街道", "", "", "存续", "B"],
    ]
    _book(rows).save(path)
    stored = repr(float(EXACT_DIGITS)).encode()
    _rewrite(path, lambda n, b: b.replace(b"<v>" + stored + b"</v>", f"<v>{EXACT_DIGITS}</v>".encode()))


def p02_code_scientific(path: Path) -> None:
    """Problem 2: a CSV saved by Excel from a number cell: 9.13213E+17."""
    lines = [",".join(OBJECT_HEADER), "9.13213E+17,统一社会信用代码,科学计数编号,企业,众兴街道,,,存续,B"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def _sheets(active: str) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.active.title = "旧表"
    wb.active.sheet_state = "hidden"
    for row in [OBJECT_HEADER, NEW_FIRMS[2]]:
        wb.active.append(row)
    wb.create_sheet("说明").append(["本表为检查对象名录。"])
    for name, firm in (("2025", NEW_FIRMS[0]), ("2026", NEW_FIRMS[1])):
        ws = wb.create_sheet(name)
        ws.append(["泗阳县检查对象名录"])
        ws.append(OBJECT_HEADER)
        ws.append(firm)
    wb.active = wb.sheetnames.index(active)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == active
    return wb


def p03_sheets(path: Path) -> None:
    """Problem 3: hidden 旧表 first, then 说明 / 2025 (old) / 2026 (active)."""
    _sheets("2026").save(path)


def p03_sheets_no_active(path: Path) -> None:
    """Problem 3: the same, saved with 说明 open: 2025 and 2026 both qualify."""
    _sheets("说明").save(path)


INSPECTOR_TOWNSHIP_HEADER = [
    "人员编号",
    "姓名",
    "所属单位",
    "执法证号",
    "执法证生效日期",
    "执法证失效日期",
    "负责乡镇（街道）",
    "人员状态",
]


def p04_inspectors(path: Path) -> None:
    """Problem 4: a health inspector reusing market's 人员编号 SCJG-001 (only the whole tree shows it)."""
    rows = [
        INSPECTOR_TOWNSHIP_HEADER,
        ["SCJG-001", "重号人员", "health", "32139001", "2026-01-01", "2028-12-31", "众兴街道", "有效"],
    ]
    _book(rows, "执法人员").save(path)


def p04_inspector_township(path: Path) -> None:
    """Problem 4: an inspector's 负责乡镇 not in county.yaml."""
    rows = [
        INSPECTOR_TOWNSHIP_HEADER,
        ["WJ-009", "乡镇写错", "health", "32139009", "2026-01-01", "2028-12-31", "众兴街道、众兴镇", "有效"],
    ]
    _book(rows, "执法人员").save(path)


def p04_results(path: Path) -> None:
    """Problem 4: results for an object that was not drawn and by an unknown inspector."""
    header = [
        "抽查任务",
        "抽取编号",
        "检查对象",
        "检查人员",
        "检查日期",
        "录入日期",
        "检查方式",
        "检查结果",
        "检查发现",
        "后续处置",
    ]
    row = [
        "T2026-market-01",
        "D2026-0001",
        "91321323J3Y7LLJY18",
        "SCJG-001;SCJG-999",
        "2026-05-11",
        "2026-05-12",
        "实地检查",
        "1",
        "未发现问题",
        "未发现问题或相关问题已规范、已改正，无需后续处置",
    ]
    _book([header, row], "检查结果").save(path)


def p04_items(path: Path) -> None:
    """Problem 4: an item whose 检查方式 is not in the county dictionary."""
    header = [
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
    row = [
        "SCJG-77",
        "登记事项检查",
        "年报公示信息的检查",
        "企业",
        "一般",
        "《企业信息公示暂行条例》",
        "实地检查、电话核查",
        "县级以上市场监管部门",
        "5%",
        "2026-01-01",
    ]
    _book([header, row], "事项").save(path)


def p05_formula_errors(path: Path) -> None:
    """Problem 5: sheet XML parts not numbered in tab order; #REF! on 说明, #N/A on the data sheet."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["C3"] = "#REF!"
    ws = wb.create_sheet("对象名录")
    for row in [OBJECT_HEADER, NEW_FIRMS[0], [*NEW_FIRMS[1][:2], "#N/A", *NEW_FIRMS[1][3:]]]:
        ws.append(row)
    wb.active = 1
    wb.save(path)
    swap = {
        b"xl/worksheets/sheet1.xml": b"xl/worksheets/sheet2.xml",
        b"xl/worksheets/sheet2.xml": b"xl/worksheets/sheet1.xml",
    }

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":  # tab 1 now lives in sheet2.xml and tab 2 in sheet1.xml
            return re.sub(rb"xl/worksheets/sheet[12]\.xml", lambda m: swap[m[0]], data)
        return data

    _rewrite(path, edit)
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = swap.get(info.filename.encode(), info.filename.encode()).decode()
            dst.writestr(name, src.read(info.filename))
    path.write_bytes(out.getvalue())


def p06_headers(path: Path) -> None:
    """Problem 6: synonyms, half-width brackets, trailing colons, notes, line breaks, extra columns."""
    header = [
        "统一社会信用代码",
        "企业名称\n(必填)",
        "市场主体类型",
        "所属乡镇：",
        "住所(经营场所)",
        "登记状态",
        "风险等级（内部）",
        "法定代表人",
        "备注",
        "联系电话",
    ]
    rows = [header] + [
        [f[0], f[2], f[3], f[4], f[5], f[7], f[8], "王某", "无", "13900000000"] for f in NEW_FIRMS
    ]
    _book(rows).save(path)


def p06_header_near_miss(path: Path) -> None:
    """Problem 6: a misspelt required column (对象类形) gets 是否指“对象类型”."""
    header = ["对象编号", "名称", "对象类形", "乡镇（街道）", "状态", "信用风险分类"]
    _book([header, [NEW_FIRMS[0][0], "某公司", "企业", "众兴街道", "存续", "B"]]).save(path)


def p07_footer_example(path: Path) -> None:
    """Problem 7: the template's example row copied in, then a blank row, 合计 and 填表人 footers."""
    from generator.intake.specs import SPECS
    from generator.intake.store import cell_text

    spec = SPECS["objects"]
    example = [cell_text(spec.example.get(f.name)) for f in spec.fields]
    rows = [[f.label for f in spec.fields], example]
    rows += [[*f, "否"] for f in NEW_FIRMS]
    rows += [[], ["合计：3 户"], ["填表人：张三", None, "联系电话：13900000000"], ["审核人：李四"]]
    _book(rows).save(path)


def p08_many_errors(path: Path) -> None:
    """Problem 8: 3,000 rows with the same mistake (对象类型 公司)."""
    lines = [",".join(OBJECT_HEADER)]
    for i in range(3000):
        lines.append(f"91321323MA{i:07d}X,其他编号,第{i}号公司,公司,众兴街道,,,存续,B")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


INSPECTOR_HEADER = [
    "人员编号",
    "姓名",
    "所属单位",
    "执法证号",
    "执法证生效日期",
    "执法证失效日期",
    "人员状态",
]


def p09_datetime(path: Path) -> None:
    """Problem 9: dates as date-time text, as other systems export them."""
    lines = [
        ",".join(INSPECTOR_HEADER),
        "SCJG-301,赵一,market,32130301,2026-03-05 00:00:00,2029-03-04 00:00:00,有效",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def p09_encrypted(path: Path) -> None:
    """Problem 9: protected with 用密码进行加密 (password 1234)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    _book([OBJECT_HEADER, NEW_FIRMS[0]]).save(plain)
    plain.seek(0)
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt("1234", out)


def p09_html(path: Path) -> None:
    """Problem 9: an HTML table saved as .xls (a title row spanning the table, codes as text)."""
    cells = "".join(f"<th>{h}</th>" for h in OBJECT_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in f) + "</tr>" for f in NEW_FIRMS)
    html = (
        '<html><head><meta charset="utf-8"></head><body><table border="1">'
        f'<tr><td colspan="{len(OBJECT_HEADER)}">检查对象名录 &amp; 导出</td></tr><tr>{cells}</tr>{body}</table></body></html>'
    )
    path.write_text(html, encoding="utf-8")


def p09_xml2003(path: Path) -> None:
    """Problem 9: Excel 2003 XML (SpreadsheetML) saved as .xls."""

    def cell(v: str) -> str:
        return f'<Cell><Data ss:Type="String">{v}</Data></Cell>'

    rows = "".join("<Row>" + "".join(cell(v) for v in r) + "</Row>" for r in [OBJECT_HEADER, *NEW_FIRMS])
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        f'<Worksheet ss:Name="对象名录"><Table>{rows}</Table></Worksheet></Workbook>'
    )
    path.write_text(xml, encoding="utf-8")


def p09_tab(path: Path) -> None:
    """Problem 9: tab-separated GBK text saved as .xls."""
    lines = ["\t".join(OBJECT_HEADER), *("\t".join(f) for f in NEW_FIRMS)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def p10_lists_synonyms(path: Path) -> None:
    """Problem 10: list cells with ，and 、, enumeration synonyms (个体户, 存续（在营、开业、在册）, a)."""
    rows = [
        OBJECT_HEADER,
        [
            NEW_FIRMS[0][0],
            "统一社会信用代码",
            "列表甲",
            "个体户",
            "众兴街道",
            "",
            "学校食堂，食品销售",
            "存续（在营、开业、在册）",
            "a",
        ],
        [
            NEW_FIRMS[1][0],
            "统一社会信用代码",
            "列表乙",
            "企业",
            "来安街道",
            "",
            "加油站、危化品",
            "在营",
            "c",
        ],
    ]
    _book(rows).save(path)


def p10_formula_text(path: Path) -> None:
    """Problem 10: cells that a spreadsheet would run as formulas (CSV keeps them as text)."""
    lines = [
        ",".join(OBJECT_HEADER),
        f'{NEW_FIRMS[0][0]},统一社会信用代码,"=HYPERLINK(""http://x"",""点我"")",企业,众兴街道,,,存续,B',
        f"{NEW_FIRMS[1][0]},统一社会信用代码,正常名称,企业,众兴街道,@SUM(1+1),,存续,B",
        f"{NEW_FIRMS[2][0]},统一社会信用代码,正常名称二,企业,众兴街道,-2+3,+cmd,存续,B",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


MAKERS = {
    "p01_new_firms.xlsx": p01_new_firms,
    "p01_branch_b.xlsx": p01_branch_b,
    "p02_code_damaged.xlsx": p02_code_damaged,
    "p02_code_exact.xlsx": p02_code_exact,
    "p02_code_scientific.csv": p02_code_scientific,
    "p03_sheets.xlsx": p03_sheets,
    "p03_sheets_no_active.xlsx": p03_sheets_no_active,
    "p04_inspectors.xlsx": p04_inspectors,
    "p04_inspector_township.xlsx": p04_inspector_township,
    "p04_results.xlsx": p04_results,
    "p04_items.xlsx": p04_items,
    "p05_formula_errors.xlsx": p05_formula_errors,
    "p06_headers.xlsx": p06_headers,
    "p06_header_near_miss.xlsx": p06_header_near_miss,
    "p07_footer_example.xlsx": p07_footer_example,
    "p08_many_errors.csv": p08_many_errors,
    "p09_datetime.csv": p09_datetime,
    "p09_encrypted.xlsx": p09_encrypted,
    "p09_html.xls": p09_html,
    "p09_xml2003.xls": p09_xml2003,
    "p09_tab.xls": p09_tab,
    "p10_lists_synonyms.xlsx": p10_lists_synonyms,
    "p10_formula_text.csv": p10_formula_text,
}
