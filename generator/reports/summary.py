"""The December annual summary (总结, 实施方案 四(三)): per-unit figures, static SVG charts, printable HTML.

``annual_summary(corpus, year)`` is the page model (plain data, charts as SVG text) the site can render;
``render_html(model)`` is a self-contained printable document (A4, no scripts, no external files).
Only public figures: counts and rates from ``generator.reports.figures``, never internal fields.
"""

from __future__ import annotations

from html import escape

from generator.reports.charts import bar_chart
from generator.reports.figures import Figures, rate


def unit_year(f: Figures, year: int, unit_id: str) -> dict:
    """One unit's year: the 年度总结 table's row and the unit page's figures (one definition)."""
    return {
        "unit": unit_id,
        "name": f.unit_label(unit_id),
        "tasks_initiated": f.tasks_initiated(year, unit_id),
        "tasks_joined": f.tasks_joined(year, unit_id),
        "objects_inspected": f.objects_inspected(year, unit_id),
        "results": f.results(year, unit_id),
        "problems_found": f.problems(year, unit_id),
        "problem_rate": f.problem_rate(year, unit_id),
        "on_time": f.on_time(year, unit_id),
    }


def annual_summary(corpus, year: int, figures: Figures | None = None) -> dict:
    f = figures or Figures(corpus)
    rows = [unit_year(f, year, unit_id) for unit_id in f.unit_labels]
    totals = {
        "tasks": len(f.tasks_of(year)),
        "joint_tasks": f.joint_tasks(year),
        "objects_inspected": f.objects_inspected(year),
        "inspections": f.inspections(year),
        "results": f.results(year),
        "problems_found": f.problems(year),
        "on_time": f.on_time(year),
    }
    return {
        "year": year,
        "county": f.county,
        "limit_working_days": f.limit,
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


def _charts(rows: list[dict], year: int) -> dict:
    def values(key):
        return {r["name"]: r[key] for r in rows}

    on_time = {r["name"]: rate(r["on_time"]["num"], r["on_time"]["den"]) for r in rows}
    return {
        "tasks_initiated": bar_chart(values("tasks_initiated"), f"{year} 年各单位牵头发起的抽查任务数", "个"),
        "objects_inspected": bar_chart(values("objects_inspected"), f"{year} 年各单位检查对象数（户）", "户"),
        "problems_found": bar_chart(values("problems_found"), f"{year} 年各单位发现问题的检查结果数", "条"),
        "on_time": bar_chart(on_time, f"{year} 年各单位结果按时录入率", "", percent=True),
    }


CSS = """
@page { size: A4; margin: 18mm; }
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; color: #1a1a1a; line-height: 1.6; }
h1 { text-align: center; font-size: 22pt; } h2 { font-size: 15pt; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; } th, td { border: 1px solid #666; padding: 4px 6px; }
td.n { text-align: right; } figure { break-inside: avoid; margin: 1em 0; } svg.chart { max-width: 100%; height: auto; }
"""

HEADINGS = ("单位", "牵头发起任务", "参与任务", "检查对象（户）", "检查结果（条）", "发现问题（条）")


def totals_sentence(m: dict) -> str:
    """The summary's opening sentence (the site's 年度总结 page and the printable document)."""
    t = m["totals"]
    return (
        f"全年共开展抽查任务 {t['tasks']} 个，其中部门联合抽查 {t['joint_tasks']} 个；"
        f"检查对象 {t['objects_inspected']} 户（{t['inspections']} 户次），录入检查结果 {t['results']} 条，"
        f"其中发现问题 {t['problems_found']} 条；检查结果按时录入率 {t['on_time']['percent'] or '—'}。"
    )


def render_html(m: dict) -> str:
    head = [*HEADINGS, f"按时录入率（{m['limit_working_days']} 个工作日）"]
    body = "".join(
        f"<tr><td>{escape(r['name'])}</td><td class=n>{r['tasks_initiated']}</td><td class=n>{r['tasks_joined']}</td>"
        f"<td class=n>{r['objects_inspected']}</td><td class=n>{r['results']}</td><td class=n>{r['problems_found']}</td>"
        f"<td class=n>{r['on_time']['percent'] or '—'}</td></tr>"
        for r in m["units"]
    )
    figures = "".join(f"<figure>{svg}</figure>" for svg in m["charts"].values())
    title = f"{m['county']}{m['year']} 年“双随机、一公开”部门联合抽查工作总结"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>{escape(totals_sentence(m))}</p>"
        "<h2>一、各单位情况</h2>"
        f"<table><thead><tr>{''.join(f'<th>{escape(h)}</th>' for h in head)}</tr></thead><tbody>{body}</tbody></table>"
        f"<h2>二、图表</h2>{figures}</body></html>\n"
    )
