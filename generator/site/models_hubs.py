"""Hub pages (the only pages in MkDocs' nav): home, units, items, plans, tasks, objects, stats, data,
verification, search (合规 and 年度总结 come from ``models_reports``). Pure functions of SiteData."""

from __future__ import annotations

import datetime as dt
import heapq

from generator.reports import charts
from generator.reports.stats import home_figures, year_stats
from generator.site import opendata
from generator.site.page import PageModel
from generator.site.site_data import SiteData, _iso, effective_entry

NAV = (
    ("首页", "index.md"),
    ("成员单位", "units/index.md"),
    ("抽查事项清单", "items/index.md"),
    ("年度计划", "plans/index.md"),
    ("抽查任务", "tasks/index.md"),
    ("检查对象", "objects/index.md"),
    ("统计", "stats.md"),
    ("合规", "compliance.md"),
    ("年度总结", "summary.md"),
    ("公开数据", "data/index.md"),
    ("如何核验", "verify.md"),
    ("搜索", "search.md"),
)


def milestones(site_data: SiteData, year: int) -> list[dict]:
    """The year's calendar: the county's deadlines, the joint plan's windows and the tasks' windows."""
    d = site_data.county.get("deadlines", {})
    out = []

    def add(day, text, kind="节点"):
        if day:
            out.append({"date": _iso(day), "text": text, "kind": kind})

    def md(key):
        value = d.get(key)
        try:
            return dt.date(year, int(value[:2]), int(value[3:]))
        except (TypeError, ValueError):
            return None

    add(md("unit_plan"), "各成员单位年度抽查计划报县联席办备案截止")
    add(md("joint_plan_target"), "县联席办汇总发布全县部门联合抽查计划（目标日）")
    add(md("joint_plan_latest"), "部门联合抽查计划最迟发布日")
    add(md("inspection_from"), "联合检查实施期开始")
    add(md("inspection_to"), "联合检查实施期结束")
    if d.get("summary_month"):
        add(
            dt.date(year, int(d["summary_month"]), 1), f"{int(d['summary_month'])} 月召开联席会议总结全年工作"
        )
    for plan in site_data.plans:
        if plan.get("year") == year and plan["owner_unit"] == "joint":
            add(plan.get("filed_on"), "全县部门联合抽查计划发布", "计划")
    for task in site_data.tasks.values():
        if task.get("year") == year and task.get("window"):
            add(task["window"]["from"], f"{task['name']} 开始", "任务")
            add(task["window"]["to"], f"{task['name']} 结束", "任务")
    return sorted(out, key=lambda m: (m["date"], m["kind"], m["text"]))


def latest_results(site_data: SiteData, limit: int = 10) -> list[dict]:
    # nlargest is sorted(..., reverse=True)[:limit] (ties kept in input order), without a row
    # for each of the county's entries
    newest = heapq.nlargest(
        limit,
        ((r, e) for r in site_data.results for e in r.get("entries", [])),
        key=lambda p: (_iso(p[1].get("entered_on")), p[0].get("task"), p[0].get("unit"), p[1].get("object")),
    )
    rows = []
    for r, e in newest:
        task = site_data.tasks.get(r.get("task"), {})
        obj = site_data.objects.get(e.get("object"), {})
        rows.append(
            {
                "entered_on": _iso(e.get("entered_on")),
                "task": r.get("task"),
                "task_name": task.get("name", r.get("task")),
                "unit": r.get("unit"),
                "object": e.get("object"),
                "object_name": obj.get("name", e.get("object")),
                # as amended, like the task and object pages (red team 7)
                "categories": [site_data.category_label(c) for c in effective_entry(e).get("categories", [])],
            }
        )
    return rows


def hub_pages(site_data: SiteData, templates: list[tuple[str, str, bytes]] = ()) -> list[PageModel]:
    """``templates``: the downloadable intake templates (opendata.template_files) the data page links."""
    year = site_data.current_year
    figures = home_figures(site_data.figures, year) if year else {}
    joint_plan = next(
        (p for p in site_data.plans if p["owner_unit"] == "joint" and p.get("year") == year), None
    )
    pages = [
        PageModel(
            "index.md",
            site_data.county.get("site", {}).get("name", "双随机、一公开"),
            "home.html",
            "首页",
            column_type="首页",
            data={
                "year": year,
                "figures": figures,
                "latest": latest_results(site_data),
                "milestones": milestones(site_data, year) if year else [],
                "joint_plan": joint_plan,
            },
        ),
        PageModel(
            "units/index.md",
            "成员单位",
            "units.html",
            "成员单位",
            data={"units": list(site_data.units.values())},
        ),
        PageModel(
            "items/index.md", "抽查事项清单", "items.html", "抽查事项清单", data=items_table(site_data)
        ),
        PageModel(
            "plans/index.md",
            "年度抽查计划",
            "plans.html",
            "年度计划",
            data={"years": plans_by_year(site_data)},
        ),
        PageModel(
            "tasks/index.md",
            "抽查任务",
            "tasks.html",
            "抽查任务",
            data={"tasks": list(site_data.tasks.values())},
        ),
        PageModel("objects/index.md", "检查对象", "objects.html", "检查对象", data=objects_hub(site_data)),
        PageModel(
            "stats.md", "统计", "stats.html", "统计", column_type="数据统计", data=stats_page(site_data)
        ),
        PageModel(
            "data/index.md",
            "公开数据",
            "data.html",
            "公开数据",
            column_type="数据开放",
            data={
                "datasets": opendata.DATASETS,
                "schemas": [k.rsplit("/", 1)[1] for k in opendata.schema_files()],
                "templates": [(path, label) for path, label, _ in templates],
            },
        ),
        PageModel(
            "verify.md",
            "如何核验抽取结果",
            "verify.html",
            "如何核验",
            column_type="政策解读",
            data={
                "draws": [site_data.draws[k] for k in sorted(site_data.draws)],
                "log": site_data.registry_log,
            },
        ),
        PageModel(
            "search.md",
            "搜索",
            "search.html",
            "搜索",
            column_type="搜索",
            searchable=False,
            data={"units": list(site_data.units.values()), "years": site_data.years},
        ),
    ]
    for p in pages:
        p.in_nav = True
    return pages


def items_table(site_data: SiteData) -> dict:
    """Current versions in the table; every version (the history of changes) underneath."""
    current = {}
    for item in site_data.items:  # sorted oldest first per code
        current[item["code"]] = item
    return {
        "current": sorted(
            current.values(), key=lambda i: (site_data.units.get(i["unit"], {}).get("order", 999), i["code"])
        ),
        "history": [
            i
            for i in site_data.items
            if i.get("effective_to") or i.get("change_note") or i["status"] != "有效"
        ],
        "domains": sorted({i["domain"] for i in current.values()}),
    }


def plans_by_year(site_data: SiteData) -> list[dict]:
    years: dict[int, dict] = {}
    for plan in site_data.plans:
        y = years.setdefault(plan["year"], {"year": plan["year"], "joint": None, "units": []})
        if plan["owner_unit"] == "joint":
            y["joint"] = plan
        else:
            y["units"].append(plan)
    entries = {}
    for plan in site_data.plans:
        for e in plan.get("entries", []):
            entries[e["id"]] = e
    for y in years.values():
        if y["joint"]:
            y["joint_entries"] = [entries[i] for i in y["joint"].get("includes", []) if i in entries]
        y["units"].sort(key=lambda p: site_data.units.get(p["owner_unit"], {}).get("order", 999))
    return sorted(years.values(), key=lambda y: -y["year"])


def objects_hub(site_data: SiteData) -> dict:
    by_township: dict[str, list[dict]] = {}
    for obj in site_data.objects.values():
        if obj["id"] not in site_data.with_page:
            continue
        by_township.setdefault(obj.get("township", "其他"), []).append(obj)
    order = site_data.county.get("townships", [])
    keys = sorted(by_township, key=lambda t: (order.index(t) if t in order else len(order), t))
    return {
        "townships": [{"name": t, "count": len(by_township[t])} for t in keys],
        "all_objects": len(site_data.with_page) == len(site_data.objects),
    }


def stats_page(site_data: SiteData) -> dict:
    per_year = []
    for year in reversed(site_data.years):
        s = year_stats(site_data.figures, year)
        per_year.append(
            {
                "year": year,
                "stats": s,
                "charts": {
                    "by_unit": charts.bar_chart(
                        s["tasks_by_unit"], f"{year} 年各单位发起和参与的抽查任务数", "项"
                    ),
                    "joint_share": charts.share_bar(s["joint_share"], f"{year} 年部门联合抽查占比"),
                    "problem_rate": charts.bar_chart(
                        s["problem_rate"], f"{year} 年各单位问题发现率", "%", percent=True
                    ),
                    "on_time": charts.bar_chart(
                        s["on_time"], f"{year} 年各单位检查结果按时录入率", "%", percent=True
                    ),
                    "coverage": charts.bar_chart(
                        s["coverage"], f"{year} 年各乡镇（街道）检查对象覆盖率", "%", percent=True
                    ),
                },
            }
        )
    return {"years": per_year}
