"""The December annual summary (总结, 实施方案 四(三)): per-unit figures, static SVG charts, printable HTML.

``annual_summary(corpus, year)`` is the page model (plain data, charts as SVG text) the site can render;
``render_html(model)`` is a self-contained printable document (A4, no scripts, no external files).
Only public figures: counts and rates, never internal fields.
"""

from __future__ import annotations

from html import escape

from generator.calendar.workdays import WorkCalendar
from generator.rules.results import entry_delay
from generator.rules.settings import settings
from generator.site.charts import bar_chart
from generator.workflow.compliance import share, unit_label


def annual_summary(corpus, year: int) -> dict:
    conf = settings(corpus)
    limit = conf["deadlines"]["result_entry_working_days"]
    problem_codes = {c["code"] for c in conf.get("result_categories", []) if c.get("problem")}
    calendar = WorkCalendar.from_corpus(corpus)
    tasks = [t for t in corpus.tasks.values() if t.data.get("year") == year]
    rows = []
    for unit_id in sorted(corpus.units, key=lambda u: (corpus.units[u].data.get("order", 999), u)):
        initiated = sorted(t.data["id"] for t in tasks if t.data.get("initiator") == unit_id)
        joined = sorted(
            t.data["id"]
            for t in tasks
            if unit_id in t.data.get("participants", []) and t.data.get("initiator") != unit_id
        )
        objects, problems, timed, on_time = set(), 0, 0, 0
        for r in corpus.of("results"):
            if r.data.get("unit") != unit_id:
                continue
            for e in r.data.get("entries", []):
                if not e.get("inspected_on") or e["inspected_on"].year != year:
                    continue
                objects.add(e.get("object"))
                problems += bool(problem_codes & set(_final_categories(e)))
                if e.get("entered_on") and e["entered_on"] >= e["inspected_on"]:
                    delay = entry_delay(calendar, e)
                    if delay is not None:
                        timed += 1
                        on_time += delay <= limit
        rows.append(
            {
                "unit": unit_id,
                "name": unit_label(corpus, unit_id),
                "tasks_initiated": len(initiated),
                "tasks_joined": len(joined),
                "objects_inspected": len(objects),
                "problems_found": problems,
                "on_time": share(on_time, timed),
            }
        )
    joint = sum(1 for t in tasks if len(t.data.get("participants", [])) > 1)
    totals = {
        "tasks": len(tasks),
        "joint_tasks": joint,
        "objects_inspected": sum(r["objects_inspected"] for r in rows),
        "problems_found": sum(r["problems_found"] for r in rows),
        "on_time": share(sum(r["on_time"]["num"] for r in rows), sum(r["on_time"]["den"] for r in rows)),
    }
    return {
        "year": year,
        "county": corpus.county.data.get("name", "") if corpus.county else "",
        "limit_working_days": limit,
        "units": rows,
        "totals": totals,
        "charts": _charts(rows, year),
        "meetings": meetings_of(corpus, year),  # issue 13: the December 联席会议 record
    }


def meetings_of(corpus, year: int) -> list[dict]:
    """The joint conference's meetings summing up ``year`` (joint/meetings/), oldest first."""
    out = []
    for m in sorted(corpus.of("meetings"), key=lambda m: str(m.data.get("date"))):
        d = m.data
        if d.get("year") != year:
            continue
        names = [
            (u.data.get("short_name") or u.data.get("name")) if (u := corpus.units.get(a)) else a
            for a in d.get("attendees", [])
        ]
        out.append(
            {
                "date": d.get("date").isoformat() if d.get("date") else "",
                "kind": d.get("kind"),
                "title": d.get("title"),
                "attendees": names,
                "decisions": list(d.get("decisions", [])),
            }
        )
    return out


def _final_categories(entry: dict) -> list:
    """Categories after the last amendment that changed them (corrections count, originals stay)."""
    categories = entry.get("categories", [])
    for amendment in entry.get("amendments", []):
        categories = amendment.get("changes", {}).get("categories", categories)
    return [str(c) for c in categories] if isinstance(categories, list) else []


def _charts(rows: list[dict], year: int) -> dict:
    def values(key):
        return {r["name"]: r[key] for r in rows}

    rate = {
        r["name"]: (None if not r["on_time"]["den"] else r["on_time"]["num"] / r["on_time"]["den"])
        for r in rows
    }
    return {
        "tasks_initiated": bar_chart(values("tasks_initiated"), f"{year} 年各单位牵头发起的抽查任务数", "个"),
        "objects_inspected": bar_chart(values("objects_inspected"), f"{year} 年各单位检查对象数", "个"),
        "problems_found": bar_chart(values("problems_found"), f"{year} 年各单位发现问题数", "个"),
        "on_time": bar_chart(rate, f"{year} 年各单位结果按时录入率", "", percent=True),
    }


CSS = """
@page { size: A4; margin: 18mm; }
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; color: #1a1a1a; line-height: 1.6; }
h1 { text-align: center; font-size: 22pt; } h2 { font-size: 15pt; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; } th, td { border: 1px solid #666; padding: 4px 6px; }
td.n { text-align: right; } figure { break-inside: avoid; margin: 1em 0; } svg.chart { max-width: 100%; height: auto; }
"""


def render_html(m: dict) -> str:
    t = m["totals"]
    head = [
        "单位",
        "牵头发起任务",
        "参与任务",
        "检查对象",
        "发现问题",
        f"按时录入率（{m['limit_working_days']} 个工作日）",
    ]
    body = "".join(
        f"<tr><td>{escape(r['name'])}</td><td class=n>{r['tasks_initiated']}</td><td class=n>{r['tasks_joined']}</td>"
        f"<td class=n>{r['objects_inspected']}</td><td class=n>{r['problems_found']}</td>"
        f"<td class=n>{r['on_time']['percent'] or '—'}</td></tr>"
        for r in m["units"]
    )
    figures = "".join(f"<figure>{svg}</figure>" for svg in m["charts"].values())
    title = f"{m['county']}{m['year']} 年“双随机、一公开”部门联合抽查工作总结"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>全年共开展抽查任务 {t['tasks']} 个，其中部门联合抽查 {t['joint_tasks']} 个；检查对象 {t['objects_inspected']} 户次，"
        f"发现问题 {t['problems_found']} 户次；检查结果按时录入率 {t['on_time']['percent'] or '—'}。</p>"
        "<h2>一、各单位情况</h2>"
        f"<table><thead><tr>{''.join(f'<th>{escape(h)}</th>' for h in head)}</tr></thead><tbody>{body}</tbody></table>"
        f"<h2>二、图表</h2>{figures}</body></html>\n"
    )
