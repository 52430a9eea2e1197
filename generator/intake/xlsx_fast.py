"""A streaming .xlsx reader on the C expat parser: values, dates and merged ranges, nothing else.

openpyxl without lxml parses with pure-Python ElementTree and needs ~100 s for a 100,000-row
directory on a loaded 2-core machine; this reader needs a few seconds. It reads exactly what the
importer needs: sheet names, cell values (shared, inline and formula strings, numbers, booleans),
dates (by the cell's number format, as Excel decides it) and merged ranges. Anything unexpected
raises, and tables.py falls back to openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.utils.cell import column_index_from_string, range_boundaries

# Built-in number formats that are dates or times (ECMA-376 §18.8.30, plus the CJK ids Excel uses).
DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_REF = re.compile(r"([A-Z]+)(\d+)")


class FormulaWithoutValue(str):
    """A formula cell saved without its computed value (written by a program, never opened in Excel)."""


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _parse(data: bytes, start, end=None, text=None) -> None:
    p = expat.ParserCreate()
    p.buffer_text = True
    p.StartElementHandler = start
    if end:
        p.EndElementHandler = end
    if text:
        p.CharacterDataHandler = text
    p.Parse(data, True)


def _shared_strings(zf: zipfile.ZipFile, path: str | None) -> list[str]:
    if not path or path not in zf.namelist():
        return []
    out: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "skip": 0}

    def start(name, attrs):
        name = _local(name)
        if name == "si":
            parts.clear()
        elif name in ("rPh", "phoneticPr"):
            state["skip"] += 1  # furigana-style phonetic runs are not part of the value
        elif name == "t" and not state["skip"]:
            state["in_t"] = True

    def end(name):
        name = _local(name)
        if name == "si":
            out.append("".join(parts))
        elif name == "rPh":
            state["skip"] -= 1
        elif name == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            parts.append(data)

    _parse(zf.read(path), start, end, text)
    return out


def _date_styles(zf: zipfile.ZipFile, path: str | None) -> list[bool]:
    if not path or path not in zf.namelist():
        return []
    custom: dict[int, str] = {}
    xfs: list[bool] = []
    state = {"cellXfs": False}

    def start(name, attrs):
        name = _local(name)
        if name == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            state["cellXfs"] = True
        elif name == "xf" and state["cellXfs"]:
            fid = int(attrs.get("numFmtId", "0"))
            if fid in custom:
                code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", custom[fid]).lower()
                xfs.append(bool(re.search(r"[yd]", code)) or code.strip() in ("m/d", "mm-dd"))
            else:
                xfs.append(fid in DATE_FORMAT_IDS)

    def end(name):
        if _local(name) == "cellXfs":
            state["cellXfs"] = False

    _parse(zf.read(path), start, end)
    return xfs


def _rels(zf: zipfile.ZipFile, base: str) -> dict[str, tuple[str, str]]:
    rels_path = posixpath.join(posixpath.dirname(base), "_rels", posixpath.basename(base) + ".rels")
    out: dict[str, tuple[str, str]] = {}

    def start(name, attrs):
        if _local(name) == "Relationship":
            target = attrs.get("Target", "")
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(base), target))
            )
            out[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], target)

    if rels_path in zf.namelist():
        _parse(zf.read(rels_path), start)
    return out


def read_xlsx(data: zipfile.ZipFile) -> list[tuple[str, list[list[object]]]]:
    zf = data
    names = set(zf.namelist())
    workbook = "xl/workbook.xml"
    if workbook not in names:
        raise ValueError("missing xl/workbook.xml")
    rels = _rels(zf, workbook)
    sheets: list[tuple[str, str]] = []
    flags = {"date1904": False}

    def start(name, attrs):
        name = _local(name)
        if name == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            if rid in rels:
                sheets.append((attrs.get("name", ""), rels[rid][1]))
        elif name == "workbookPr":
            flags["date1904"] = attrs.get("date1904") in ("1", "true")

    _parse(zf.read(workbook), start)
    by_type = {kind: target for kind, target in rels.values()}
    shared = _shared_strings(zf, by_type.get("sharedStrings"))
    dates = _date_styles(zf, by_type.get("styles"))
    epoch = dt.datetime(1904, 1, 1) if flags["date1904"] else dt.datetime(1899, 12, 30)
    return [(name, _sheet(zf.read(path), shared, dates, epoch)) for name, path in sheets if path in names]


def _sheet(data: bytes, shared: list[str], dates: list[bool], epoch: dt.datetime) -> list[list[object]]:
    # ElementTree's C iterparse is about twice as fast here as Python expat callbacks per event.
    rows: list[list[object]] = []
    merges: list[str] = []
    row_number = 0
    col = 0
    for _, el in ElementTree.iterparse(io.BytesIO(data), events=("end",)):
        name = el.tag.rsplit("}", 1)[-1]
        if name == "c":
            ref = el.get("r")
            if ref:
                m = _REF.fullmatch(ref)
                col, r = column_index_from_string(m[1]), int(m[2])
            else:
                col, r = col + 1, max(row_number, 1)
            cur = {"t": el.get("t", "n"), "s": int(el.get("s", "0")), "text": [], "f": None}
            for child in el:
                tag = child.tag.rsplit("}", 1)[-1]
                if tag == "v":
                    cur["text"].append(child.text or "")
                elif tag == "f":
                    cur["f"] = [child.text or ""]
                elif tag == "is":
                    cur["text"].extend(
                        t.text or "" for t in child.iter() if t.tag.endswith("}t") or t.tag == "t"
                    )
            value = _value(cur, shared, dates, epoch)
            if value is None:
                continue
            while len(rows) < r:
                rows.append([])
            row = rows[r - 1]
            if len(row) < col:
                row.extend([None] * (col - len(row)))
            row[col - 1] = value
        elif name == "row":
            row_number = int(el.get("r", row_number + 1))
            col = 0
            el.clear()
        elif name == "mergeCell":
            merges.append(el.get("ref", ""))
    for ref in merges:
        c0, r0, c1, r1 = range_boundaries(ref)
        _fill(rows, r0, r1, c0, c1)
    return rows


def _fill(rows: list[list[object]], r0: int, r1: int, c0: int, c1: int) -> None:
    from generator.intake.tables import _fill as fill

    fill(rows, r0, r1, c0, c1)


def _value(cur: dict, shared: list[str], dates: list[bool], epoch: dt.datetime) -> object:
    raw = "".join(cur["text"])
    t = cur["t"]
    if cur["f"] is not None and not raw:
        return FormulaWithoutValue("=" + "".join(cur["f"]))
    if t == "s":
        return shared[int(raw)] if raw else None
    if t in ("inlineStr", "str"):
        return raw
    if t == "b":
        return raw in ("1", "true")
    if t == "e":
        return raw or None  # "#N/A", "#REF!": the importer names the cell
    if raw == "":
        return None
    if t == "d":
        return dt.datetime.fromisoformat(raw)
    number = int(raw) if raw.lstrip("-").isdigit() else float(raw)
    if cur["s"] < len(dates) and dates[cur["s"]]:
        try:
            return epoch + dt.timedelta(days=number)
        except OverflowError:
            return number
    return number
