"""Readers for what older government systems save under a ``.xls`` name: HTML tables and
Excel 2003 XML (SpreadsheetML). Tab-separated text goes through the CSV reader.

HTML is read with the standard library's tolerant parser (pandas.read_html would need lxml or
BeautifulSoup as well, for the same grid); every ``<table>`` becomes a sheet named 表格1, 表格2…,
with colspan/rowspan filled like merged cells. SpreadsheetML is read with ElementTree after refusing
any DOCTYPE (no entity expansion from a file someone else wrote); numbers keep their exact text when
they are too long for a float.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from generator.intake.catalog import Problem, problem
from generator.intake.tables import Sheet, StoredNumber, fill

MAX_CELLS = 5_000_000  # a 100,000-row directory has ~1.2 million cells
MAX_SPAN = 1000
MAX_SPANNED = 1_000_000  # slots covered by merged (spanning) cells, per table
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's own


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []  # table -> row -> (text, colspan, rowspan)
        self.depth = 0
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.cells = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append([])
        elif self.depth == 1 and tag == "tr":
            self.tables[-1].append([])
        elif self.depth == 1 and tag in ("td", "th"):
            if not self.tables[-1]:
                self.tables[-1].append([])
            self.cell, self.span = [], (_span(a.get("colspan")), _span(a.get("rowspan")))
        elif self.cell is not None and tag == "br":
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth = max(0, self.depth - 1)
        elif tag in ("td", "th") and self.cell is not None and self.depth == 1:
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self.cell).replace("\n", "\x00")).replace("\x00", "\n")
            self.tables[-1][-1].append((text.strip(), *self.span))
            self.cell = None
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise ValueError("表格单元格过多")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int(value or 1)))
    except ValueError:
        return 1


def read_html(text: str, name: str) -> tuple[list[Sheet], list[Problem]]:
    parser = _Tables()
    parser.feed(text)
    parser.close()
    sheets = []
    for i, table in enumerate(t for t in parser.tables if t):
        grid: list[list[object]] = [[] for _ in table]
        taken: set[tuple[int, int]] = set()
        merges, slots = [], 0
        for r, row in enumerate(table):
            c = 0
            for text_, colspan, rowspan in row:
                # each cell spans up to 1000 x 1000 slots: fifty such cells made 50 million (5 GB);
                # real sheets merge a title row or a few group cells
                if colspan * rowspan > 1:
                    slots += colspan * rowspan
                if slots > MAX_SPANNED:
                    raise ValueError("表格单元格过多（合并单元格过大）")
                while (r, c) in taken:
                    c += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                cells = grid[r]
                cells.extend([None] * (c + 1 - len(cells)))
                cells[c] = text_ or None
                if colspan > 1 or rowspan > 1:
                    merges.append((r + 1, r + rowspan, c + 1, c + colspan))
                c += colspan
        for r0, r1, c0, c1 in merges:
            fill(grid, r0, r1, c0, c1)
        sheets.append(Sheet(f"表格{i + 1}", grid, active=i == 0))
    if not sheets:
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail="网页文件中没有表格")]
    return sheets, []


SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
X = "{urn:schemas-microsoft-com:office:excel}"


def _number(text: str) -> object:
    digits = re.sub(r"\D", "", text.split("E")[0].split("e")[0])
    if len(digits) >= 16 or re.search(r"[Ee]\+?(1[5-9]|[2-9]\d)", text):
        return StoredNumber(text)
    value = float(text)
    return int(value) if value.is_integer() else value


def _data(cell) -> object:
    data = cell.find(f"{SS}Data")
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(f"{SS}Type", "String")
    if not text:
        return None
    if kind == "Number":
        return _number(text.strip())
    if kind == "DateTime":
        return dt.datetime.fromisoformat(text.strip()[:19])
    if kind == "Boolean":
        return text.strip() == "1"
    return text


def read_spreadsheet_ml(text: str, name: str) -> tuple[list[Sheet], list[Problem]]:
    if re.search(r"<!(DOCTYPE|ENTITY)", text[:65536], re.I):
        return [], [problem("IMPORT_FILE_UNREADABLE", name, detail="XML 文件含有 DOCTYPE 声明")]
    root = ElementTree.fromstring(text.lstrip("\ufeff").encode("utf-8"))
    active_el = root.find(f"{X}ExcelWorkbook/{X}ActiveSheet")
    active = int(active_el.text or 0) if active_el is not None else 0
    sheets, count, slots = [], 0, 0
    for i, ws in enumerate(root.iter(f"{SS}Worksheet")):
        grid: list[list[object]] = []
        merges, hidden_rows, hidden_cols = [], set(), set()
        table = ws.find(f"{SS}Table")
        column = 0
        for col in table.iter(f"{SS}Column") if table is not None else ():
            column = int(col.get(f"{SS}Index", column + 1))
            span = min(int(col.get(f"{SS}Span", 0)), MAX_COLUMNS)
            if col.get(f"{SS}Hidden") == "1":
                hidden_cols.update(range(column - 1, min(column + span, MAX_COLUMNS)))
            column += span
        for row in table.iter(f"{SS}Row") if table is not None else ():
            r = int(row.get(f"{SS}Index", len(grid) + 1))
            # ss:Index places a row or cell anywhere: one at row 60,000,000 or column 16,000,000
            # made an 8 KB file take a minute and 2.8 GB. Bounded like Excel, and every slot counted.
            if not 0 < r <= MAX_ROWS:
                raise ValueError(f"行号 {r} 超出范围")
            slots += max(0, r - len(grid))
            while len(grid) < r:
                grid.append([])
            if row.get(f"{SS}Hidden") == "1":
                hidden_rows.add(r)
            cells, c = grid[r - 1], 0
            for cell in row.iter(f"{SS}Cell"):
                c = int(cell.get(f"{SS}Index", c + 1))
                if not 0 < c <= MAX_COLUMNS:
                    raise ValueError(f"列号 {c} 超出范围")
                slots += max(0, c - len(cells))
                if slots > MAX_CELLS:
                    raise ValueError("表格单元格过多")
                cells.extend([None] * (c - len(cells)))
                cells[c - 1] = _data(cell)
                across, down = int(cell.get(f"{SS}MergeAcross", 0)), int(cell.get(f"{SS}MergeDown", 0))
                if across or down:
                    merges.append((r, r + min(down, MAX_SPAN), c, c + min(across, MAX_SPAN)))
                c += across
                count += 1
                if count > MAX_CELLS:
                    raise ValueError("表格单元格过多")
        for r0, r1, c0, c1 in merges:
            fill(grid, r0, r1, c0, c1)
        options = ws.find(f"{X}WorksheetOptions/{X}Visible")
        hidden = options is not None and (options.text or "").startswith("Sheet")
        sheets.append(
            Sheet(
                ws.get(f"{SS}Name", f"Sheet{i + 1}"),
                grid,
                hidden=hidden,
                active=i == active,
                hidden_rows=frozenset(hidden_rows),
                hidden_cols=frozenset(hidden_cols),
            )
        )
    return sheets, []
