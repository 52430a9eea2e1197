"""Exports: record directories in template layout (for editing and re-import), check results in the
column layout of 国家企业信用信息公示系统, and the annual plan as an official-style table.

The template layout is the import layout, so export-then-import gives identical records. The
publication layout never carries internal fields; the directory export carries them only when the
caller asks (a unit editing its own directory needs them; ``public=True`` drops them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from generator.intake.specs import SPECS, Spec
from generator.intake.store import cell_text
from generator.intake.templates import build_template
from generator.intake.workbook import HEADER_FONT, WRAP, save, set_widths
from generator.paths import write_file
from generator.rules.drawn import non_random_task_ids
from generator.rules.items import version_on
from generator.rules.joint import entry_items
from generator.rules.outcomes import effective
from generator.spreadsheet_text import neutralise_workbook, set_text, sheet_title


def _xlsx_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value
    return cell_text(value) if value not in (None, [], {}) else None


def _put(cell, value: object) -> None:
    """Text as text (never a formula, spreadsheet_text); dates and numbers as themselves."""
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def record_rows(spec: Spec, corpus, unit: str | None) -> list[dict]:
    """Rows of ``spec.kind`` for ``unit`` (all units when None), in file order."""
    rows = []
    for rec in corpus.of(spec.kind):
        if unit and rec.owner.get("unit") != unit:
            continue
        if spec.kind == "results":
            for entry in rec.data.get("entries", []):
                rows.append({"task": rec.data.get("task"), "draw": rec.data.get("draw"), **entry})
        else:
            rows.append(rec.data)
    return rows


def export_records(kind: str, corpus, unit: str | None, out: Path, public: bool = False) -> int:
    """The kind's records in template layout (data sheet + 说明); returns the number of rows."""
    spec = SPECS[kind]
    wb = build_template(spec)
    ws = wb[spec.sheet]
    rows = record_rows(spec, corpus, unit)
    fields = [f for f in spec.fields if not (public and f.internal)]
    if public:
        ws.delete_cols(1, ws.max_column)
        for col, f in enumerate(fields, start=1):
            ws.cell(1, col, f.label).font = HEADER_FONT
    for r, data in enumerate(rows, start=2):
        for c, f in enumerate(fields, start=1):
            value = _xlsx_value(data.get(f.name))
            if value is not None:
                _put(ws.cell(r, c), value)
    neutralise_workbook(wb)
    save(wb, out)
    return len(rows)


PUBLICATION_COLUMNS = (
    "序号",
    "统一社会信用代码/注册号",
    "企业名称",
    "检查实施机关",
    "检查类型",
    "检查日期",
    "检查结果",
    "抽查类型",
    "抽查事项",
    "事项编码",
    "任务编号",
    "公示日期",
)
ENTITY_ID_KIND = "统一社会信用代码"
# 国家企业信用信息公示系统 covers market subjects only; other subjects go to a separate export.
PUBLIC_SYSTEM_KINDS = ("企业", "个体工商户", "农民专业合作社")


@dataclass
class Publication:
    rows: list[list[object]]  # 公示系统 rows: 企业, 个体工商户, 农民专业合作社
    skipped: int  # entries about products, projects or behaviours: no registered subject at all
    others: list[list[object]] = field(default_factory=list)  # 事业单位, 社会组织…: same columns
    non_random: int = 0  # entries of 投诉举报/转办 tasks (objects picked by hand): not 双随机 results


def _items_as_inspected(corpus, task: dict, unit: str, entry: dict, day: dt.date) -> list[dict]:
    """The items this department inspected (those the entry lists, else its own items of the task:
    ``rules.joint.entry_items``, the definition validate holds the entry to), each as the version in
    force on the inspection day (else on the window's first day, else the latest): a version from
    September renamed the item and changed its 事项编码 for every inspection of April (red team 7)."""
    out = []
    for code in entry_items(corpus, task, unit, entry):
        version = (
            version_on(corpus, code, day)
            or version_on(corpus, code, task.get("window", {}).get("from"))
            or version_on(corpus, code, None)
        )
        out.append(version.data if version is not None else {"code": code})
    return out


def _check_type(task: dict) -> str:
    if task.get("check_type"):
        return task["check_type"]
    return "定向" if any(task.get("objects", {}).get(k) for k in ("kinds", "townships", "tags")) else "不定向"


def publication_rows(corpus, year: int, unit: str | None) -> Publication:
    """One row per department, object and task, with that department's own items only.

    The authority is the unit's legal name (``legal_name``, else its name); the task is keyed by its
    platform number when it has one.
    """
    county = corpus.county.data if corpus.county else {}
    labels = {str(c.get("code")): c.get("label") for c in county.get("result_categories", [])}
    rows, others, skipped, non_random = [], [], 0, 0
    hand_picked = non_random_task_ids(corpus)
    results = sorted(corpus.of("results"), key=lambda r: (str(r.data.get("task")), str(r.owner.get("unit"))))
    for rec in results:
        owner = rec.owner.get("unit") or rec.data.get("unit")
        if unit and owner != unit:
            continue
        task = corpus.tasks.get(rec.data.get("task"))
        tdata = task.data if task else {}
        if rec.data.get("task") in hand_picked:
            # a 投诉举报 or 转办 task's objects were picked, not drawn: not a 双随机 result (red team 7)
            non_random += sum(
                1
                for e in rec.data.get("entries", [])
                if isinstance(e.get("inspected_on"), dt.date) and e["inspected_on"].year == year
            )
            continue
        unit_rec = corpus.units.get(owner)
        authority = (
            (unit_rec.data.get("legal_name") or unit_rec.data.get("name", owner)) if unit_rec else owner
        )
        joint = len(tdata.get("participants", [])) > 1
        for raw in rec.data.get("entries", []):
            entry = effective(raw)  # the public sees the corrected result
            day = entry.get("inspected_on")
            if not isinstance(day, dt.date) or day.year != year:
                continue
            objs = corpus.objects_by_id.get(entry.get("object"), [])
            obj = objs[0].data if objs else {}
            if obj.get("id_kind", ENTITY_ID_KIND) != ENTITY_ID_KIND:
                skipped += 1
                continue
            result = "；".join(str(labels.get(str(c), c)) for c in entry.get("categories", []))
            items = _items_as_inspected(corpus, tdata, owner, entry, day)
            row = [
                entry.get("object"),
                obj.get("name", ""),
                authority,
                "部门联合抽查" if joint else "双随机抽查",
                day,
                result,
                _check_type(tdata),
                "、".join(str(i.get("name") or i.get("code")) for i in items),
                "、".join(str(i["catalog_code"]) for i in items if i.get("catalog_code")),
                tdata.get("platform_no") or rec.data.get("task"),
                entry.get("published_on"),
            ]
            (rows if obj.get("kind") in PUBLIC_SYSTEM_KINDS else others).append(row)

    def numbered(found):
        found.sort(key=lambda r: (r[4], str(r[0]), str(r[9]), str(r[2])))
        return [[i, *row] for i, row in enumerate(found, start=1)]

    return Publication(numbered(rows), skipped, numbered(others), non_random)


DEMO_NOTE = "（示例数据：事项编码、平台编号和单位变更日期为示意值，不可报送）"


def demo_note(corpus) -> str:
    """What an export's title adds for the bundled sample (county.yaml ``demo: true``)."""
    county = corpus.county.data if corpus.county else {}
    return DEMO_NOTE if county.get("demo") else ""


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def write_table(
    title: str, columns: tuple[str, ...], rows: list[list[object]], out: Path, widths: list[int]
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(columns))
    for cell in ws[2]:
        cell.font, cell.border, cell.alignment = (
            HEADER_FONT,
            BOX,
            Alignment(horizontal="center", wrap_text=True),
        )
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row, start=1):
            value = _xlsx_value(v) if not isinstance(v, int) else v
            if value is not None:
                _put(ws.cell(r, c), value)
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.border, cell.alignment = BOX, WRAP
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.freeze_panes = "A3"
    set_widths(ws, widths)
    neutralise_workbook(wb)
    save(wb, out)


PLAN_COLUMNS = (
    "序号",
    "计划条目编号",
    "任务名称",
    "抽查类型",
    "发起部门",
    "参与部门",
    "抽查事项",
    "抽查对象",
    "抽查比例（数量）",
    "抽查频次",
    "实施时间",
    "备注",
)


def plan_rows(corpus, year: int, unit: str | None) -> tuple[str, list[list[object]]]:
    """(plan title, rows). Without ``unit`` the county joint plan, expanded with its included entries."""
    plans = [p for p in corpus.of("plans") if p.data.get("year") == year]
    if unit:
        plans = [p for p in plans if p.data.get("unit") == unit]
        entries = [e for p in plans for e in p.data.get("entries", [])]
    else:
        plans = [p for p in plans if p.data.get("unit") == "joint"]
        entries = [e for p in plans for e in p.data.get("entries", [])]
        for entry_id in (i for p in plans for i in p.data.get("includes", [])):
            found = corpus.plan_entries.get(entry_id)
            if found:
                entries.append(found[1])
    county = corpus.county.data if corpus.county else {}
    owner = corpus.units[unit].data.get("name", unit) if unit and unit in corpus.units else ""
    title = f"{county.get('name', '')}{owner or ''}{year}年度“双随机、一公开”{'部门联合' if not unit else ''}抽查工作计划"

    def unit_name(u):
        rec = corpus.units.get(u)
        return rec.data.get("short_name") or rec.data.get("name") if rec else u

    def item_name(code):
        versions = corpus.items_by_code.get(code)
        return versions[-1].data.get("name", code) if versions else code

    rows = []
    for i, e in enumerate(entries, start=1):
        amount = "；".join(
            x
            for x in (cell_text(e.get("ratio")), f"{e['count']}户" if e.get("count") is not None else "")
            if x
        )
        window = e.get("window") or {}
        when = f"{cell_text(window.get('from'))} 至 {cell_text(window.get('to'))}" if window else ""
        batches = "；".join(
            f"{b.get('name')}：{cell_text(b.get('from'))} 至 {cell_text(b.get('to'))}"
            for b in e.get("batches", [])
        )
        rows.append(
            [
                i,
                e.get("id"),
                e.get("name"),
                e.get("type"),
                unit_name(e.get("initiator")),
                "、".join(unit_name(u) for u in e.get("participants", [])),
                "；".join(item_name(c) for c in e.get("items", [])),
                e.get("object_scope"),
                amount,
                f"{e.get('frequency', 1)} 次/年",
                when + (f"（{batches}）" if batches else ""),
                e.get("note", ""),
            ]
        )
    return title, rows


def write_plan_html(title: str, rows: list[list[object]], out: Path) -> None:
    import jinja2

    env = jinja2.Environment(autoescape=True)
    page = env.from_string(PLAN_HTML).render(
        title=title, columns=PLAN_COLUMNS, rows=rows, cell_text=cell_text
    )
    write_file(out, page)


PLAN_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
@page { size: A4 landscape; margin: 15mm; }
body { font-family: "FangSong", "仿宋", "STFangsong", serif; font-size: 12pt; }
h1 { font-family: "SimHei", "黑体", sans-serif; text-align: center; font-size: 18pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 4px 6px; vertical-align: top; }
th { font-family: "SimHei", "黑体", sans-serif; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
</style></head>
<body><h1>{{ title }}</h1>
<table><thead><tr>{% for c in columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr>{% for v in row %}<td>{{ cell_text(v) }}</td>{% endfor %}</tr>{% endfor %}</tbody>
</table></body></html>
"""
