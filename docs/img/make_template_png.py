"""Render the import templates to PNG for docs/import.md and docs/submit.md (run again after changing a schema).

    python docs/img/make_template_png.py

The template is written by ``python -m generator templates``; each sheet is drawn as an HTML grid
with Excel's column letters, row numbers and the template's own fills (required yellow, optional
blue, internal grey), then photographed by headless Chromium. Needs a Chinese font
(apt-get install fonts-wqy-microhei) and the Chromium that the site tests use.
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator.intake.templates import template_name, write_templates  # noqa: E402

STYLE = """
body { margin: 0; font: 13px 'WenQuanYi Micro Hei', sans-serif; background: #fff; }
.tabs { padding: 4px 8px; background: #f3f3f3; border-top: 1px solid #ccc; }
.tabs span { padding: 2px 10px; margin-right: 4px; border: 1px solid #ccc; background: #e8e8e8; }
.tabs span.on { background: #fff; border-top: 2px solid #217346; font-weight: bold; }
table { border-collapse: collapse; }
td, th { border: 1px solid #d4d4d4; padding: 3px 6px; white-space: nowrap; max-width: 260px;
         overflow: hidden; text-overflow: ellipsis; }
th { background: #f3f3f3; color: #555; font-weight: normal; }
td.b { font-weight: bold; }
"""


def sheet_html(ws, rows: int, cols: int, tabs: list[str]) -> str:
    out = ["<table><tr><th></th>"]
    out += [f"<th>{get_column_letter(c)}</th>" for c in range(1, cols + 1)]
    out.append("</tr>")
    for r in range(1, rows + 1):
        out.append(f"<tr><th>{r}</th>")
        for c in range(1, cols + 1):
            cell = ws.cell(r, c)
            fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
            style = f' style="background:#{str(fill)[-6:]}"' if fill and isinstance(fill, str) else ""
            bold = ' class="b"' if cell.font and cell.font.b else ""
            value = "" if cell.value is None else html.escape(str(cell.value))
            out.append(f"<td{style}{bold}>{value}</td>")
        out.append("</tr>")
    out.append("</table>")
    tab_html = "".join(f'<span class="{"on" if t == ws.title else ""}">{html.escape(t)}</span>' for t in tabs)
    return f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{''.join(out)}<div class='tabs'>{tab_html}</div></body></html>"


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        write_templates(Path(tmp))
        wb = openpyxl.load_workbook(Path(tmp) / template_name("objects"))
        visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
        data = wb["检查对象名录"]
        example = wb["示例"]
        for c in range(1, data.max_column + 1):  # show the example values under the header
            data.cell(2, c, example.cell(2, c).value)
        shots = {
            "import-template-data.png": sheet_html(data, 6, data.max_column, visible),
            "import-template-help.png": sheet_html(wb["说明"], 14, 7, visible),
        }
        # docs/submit.md: the results template, the sheet clerks fill most often
        results = openpyxl.load_workbook(Path(tmp) / template_name("results"))
        sheet, example = results["检查结果"], results["示例"]
        for c in range(1, sheet.max_column + 1):
            sheet.cell(2, c, example.cell(2, c).value)
        tabs = [ws.title for ws in results.worksheets if ws.sheet_state == "visible"]
        shots["submit-results-template.png"] = sheet_html(sheet, 4, 12, tabs)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1100, "height": 300}, device_scale_factor=1)
            for name, text in shots.items():
                page.set_content(text)
                out = Path(__file__).parent / name
                page.screenshot(path=str(out), full_page=True)
                print(f"{out} {out.stat().st_size // 1024} KB")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
