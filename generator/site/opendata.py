"""公开数据: CSV, JSON and XLSX of every public record kind, their JSON Schemas and the verifier.

Rows come from SiteData, i.e. public fields only. Output is byte-stable: sorted rows, fixed column
order (the schema's), and XLSX with pinned document dates and zip timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from fractions import Fraction
from pathlib import Path

from generator.json_text import dumps_indented
from generator.records import BY_NAME
from generator.schema.fields import format_ratio
from generator.site.public import public_field_names
from generator.site.site_data import SiteData
from generator.spreadsheet_text import CSV_QUOTING, csv_text, text_worksheet_class, write_xlsxwriter_row

ROOT = Path(__file__).resolve().parents[2]
# (file stem, kind, Chinese title) in the order shown on the 公开数据 page.
DATASETS = (
    ("units", "unit", "成员单位"),
    ("items", "items", "随机抽查事项清单（含历史版本）"),
    ("objects", "objects", "检查对象名录"),
    ("inspectors", "inspectors", "执法检查人员名录"),
    ("plans", "plans", "年度抽查计划"),
    ("tasks", "tasks", "抽查任务"),
    ("results", "results", "检查结果"),
)
EPOCH_DEFAULT = 315532800  # 1980-01-01, the earliest time a zip entry can carry


def plain(value):
    """JSON-ready value: dates as ISO text, ratios as the percentage an official writes."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return format_ratio(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def rows_of(site_data: SiteData, kind: str) -> list[dict]:
    if kind == "unit":
        rows = list(site_data.units.values())
    elif kind == "items":
        rows = site_data.items
    elif kind == "objects":  # as on the site: objects with a page only (county.yaml site.object_pages)
        rows = [o for o in site_data.objects.values() if o["id"] in site_data.with_page]
    elif kind == "inspectors":
        rows = list(site_data.inspectors.values())
    elif kind == "plans":
        rows = site_data.plans
    elif kind == "tasks":
        rows = list(site_data.tasks.values())
    else:
        rows = site_data.results
    names = public_field_names(kind)
    extra = {"items": ("unit",), "objects": ("units",)}.get(kind, ())
    return [{n: plain(r[n]) for n in names + extra if n in r} for r in rows]


def columns(kind: str) -> list[tuple[str, str]]:
    k = BY_NAME[kind]
    cols = [(f.name, f.label) for f in k.fields if not f.internal]
    if kind == "items":
        cols.insert(0, ("unit", "单位代号"))
    if kind == "objects":
        cols.append(("units", "名录所属单位"))
    return cols


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def to_csv(rows: list[dict], cols: list[tuple[str, str]]) -> bytes:
    """Record text may start with ``=``/``+``/``-``/``@``: defused (``csv_text``), so the open data
    never opens as a formula on a reader's computer; every field is quoted, so a ``;`` or tab inside
    a value cannot start a new cell for a reader that splits on it."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n", quoting=CSV_QUOTING)
    w.writerow([csv_text(label) for _, label in cols])
    for r in rows:
        w.writerow([csv_text(_cell(r.get(name))) for name, _ in cols])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly


def to_json(rows: list[dict]) -> bytes:
    return (dumps_indented(rows) + "\n").encode("utf-8")


def to_xlsx(rows: list[dict], cols: list[tuple[str, str]], title: str, epoch: int | None) -> bytes:
    """One sheet of text cells, written by XlsxWriter (fast, and byte-stable given a creation date)."""
    import xlsxwriter

    when = dt.datetime.fromtimestamp(max(epoch or EPOCH_DEFAULT, EPOCH_DEFAULT), dt.UTC).replace(tzinfo=None)
    buf = io.BytesIO()
    # Text stays text: no number, formula or URL guessing (an id such as 9132... must not become 9.1E+17).
    options = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    book = xlsxwriter.Workbook(buf, options | {"strings_to_urls": False})
    book.set_properties({"created": when, "author": "shuangsuiji-generator"})
    # cell text reaches the sheet's XML as text, never as XML or an _xHHHH_ escape (spreadsheet_text)
    sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet1", text_worksheet_class())
    quoted = book.add_format({"quote_prefix": True})
    write_xlsxwriter_row(sheet, 0, [label for _, label in cols], quoted)
    for i, r in enumerate(rows, start=1):
        write_xlsxwriter_row(sheet, i, [_cell(r.get(name)) for name, _ in cols], quoted)
    book.close()
    return buf.getvalue()


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip with sorted entries and one fixed timestamp (openpyxl stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():  # keep openpyxl's order: [Content_Types].xml must come first
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            body = src.read(name)
            if name == "docProps/core.xml":  # openpyxl stamps the current time unless told otherwise
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*", rb"\g<1>" + stamp, body)
            dst.writestr(info, body)
    return out.getvalue()


def schema_files() -> dict[str, bytes]:
    """The JSON Schemas the lead generates into schemas/; generated here if that folder is empty."""
    out = {}
    folder = ROOT / "schemas"
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        out[f"data/schemas/{path.name}"] = path.read_bytes()
    if not out:
        from generator.schema.kind import kind_json_schema

        for _, kind, _ in DATASETS:
            schema = kind_json_schema(BY_NAME[kind])
            text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            out[f"data/schemas/{kind}.schema.json"] = text.encode("utf-8")
    return out


def export_all(site_data: SiteData, epoch: int | None) -> dict[str, bytes]:
    out = {}
    for stem, kind, title in DATASETS:
        rows, cols = rows_of(site_data, kind), columns(kind)
        out[f"data/{stem}.csv"] = to_csv(rows, cols)
        out[f"data/{stem}.json"] = to_json(rows)
        out[f"data/{stem}.xlsx"] = to_xlsx(rows, cols, title, epoch)
    out.update(schema_files())
    return out


def template_files(epoch: int | None) -> list[tuple[str, str, bytes]]:
    """The intake Excel templates (``generator templates``) for download: (site path, label, bytes).

    ASCII file names keep the links plain; the label names the kind in Chinese."""
    import tempfile

    from generator.intake.templates import SPECS, write_templates

    when = dt.datetime.fromtimestamp(max(epoch or EPOCH_DEFAULT, EPOCH_DEFAULT), dt.UTC).replace(tzinfo=None)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, path in zip(SPECS, write_templates(tmp), strict=True):
            body = normalise_zip(path.read_bytes(), when)
            out.append((f"downloads/templates/{kind}.xlsx", f"{SPECS[kind].label}导入模板", body))
    return out


def verifier_files() -> dict[str, bytes]:
    path = ROOT / "site_templates" / "verify" / "verify_draw.py"
    return {"verify/verify_draw.py": path.read_bytes()} if path.is_file() else {}


# record kind -> the part of SiteData made from its records (serve's preview re-walks a part only
# when that kind's files changed)
PUBLIC_PARTS = {
    "county": "county",
    "unit": "units",
    "items": "items",
    "objects": "objects",
    "inspectors": "inspectors",
    "plans": "plans",
    "tasks": "tasks",
    "results": "results",
}


def public_value_set(site_data: SiteData, parts=None) -> set[str]:
    """Every text value the site publishes on purpose (so the scan does not flag public ids);
    ``parts``: those SiteData attributes only."""
    return public_value_set_of(
        [getattr(site_data, part) for part in (PUBLIC_PARTS.values() if parts is None else parts)]
    )


def public_value_set_of(value) -> set[str]:
    """Every text value in ``value`` (dicts, lists and tuples walked)."""
    out: set[str] = set()

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list | tuple):
            for x in v:
                walk(x)
        elif v is not None:
            out.add(str(v))

    walk(value)
    return out
