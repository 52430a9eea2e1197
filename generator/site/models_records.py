"""Record pages (not in the nav): one per unit, task, check sheet, object, township list and draw."""

from __future__ import annotations

from generator.site.page import PageModel
from generator.site.site_data import SiteData, _iso, effective_entry
from generator.site.slugs import object_slug, slug

__all__ = ["object_slug", "record_pages", "slug", "township_slug"]


def township_slug(sd: SiteData, name: str) -> str:
    order = sd.county.get("townships", [])
    return f"t{order.index(name) + 1:02d}" if name in order else "other"


def unit_pages(sd: SiteData) -> list[PageModel]:
    pages = []
    for uid, unit in sd.units.items():
        items = [i for i in sd.items if i["unit"] == uid]
        plans = [p for p in sd.plans if p["owner_unit"] == uid]
        tasks = [t for t in sd.tasks.values() if uid in t.get("participants", [])]
        results = [r for r in sd.results if r.get("unit") == uid]
        pages.append(
            PageModel(
                f"units/{slug(uid)}.md",
                unit["name"],
                "unit.html",
                "成员单位",
                data={"unit": unit, "items": items, "plans": plans, "tasks": tasks, "results": results},
                filters={"单位": [unit["name"]]},
                source=unit["name"],
            )
        )
    return pages


def _task_results(sd: SiteData, tid: str) -> list[dict]:
    rows = []
    for r in sd.results_for_task(tid):
        for e in r.get("entries", []):
            eff = effective_entry(e)
            rows.append(
                {
                    "unit": r["unit"],
                    "draw": r.get("draw"),
                    "entry": e,
                    "effective": eff,
                    "problem": sd.is_problem(eff.get("categories", [])),
                }
            )
    return sorted(rows, key=lambda x: (x["entry"]["object"], x["unit"]))


def task_pages(sd: SiteData) -> list[PageModel]:
    pages = []
    for tid, task in sd.tasks.items():
        draws = [d for d in sd.draws.values() if d.get("task") == tid]
        rows = _task_results(sd, tid)
        cats = sorted({sd.category_label(c) for r in rows for c in r["effective"].get("categories", [])})
        kinds = sorted({i["category"] for code in task.get("items", []) if (i := sd.current_item(code))})
        common = {
            "单位": [sd.unit_name(u) for u in task.get("participants", [])],
            "年度": [str(task.get("year"))],
        }
        pages.append(
            PageModel(
                f"tasks/{slug(tid)}.md",
                task["name"],
                "task.html",
                "抽查任务",
                data={
                    "task": task,
                    "draws": draws,
                    "results": rows,
                    "items": [sd.current_item(c) or {"code": c} for c in task.get("items", [])],
                },
                filters=common
                | ({"检查结果": cats} if cats else {})
                | ({"事项类别": kinds} if kinds else {}),
                pub_date=_iso(task.get("created_on")),
                source=sd.unit_name(task.get("initiator", "")),
            )
        )
        objects = sorted(
            {r["entry"]["object"] for r in rows} | {o for d in draws for o in d.get("objects", [])}
        )
        pages.append(
            PageModel(
                f"tasks/{slug(tid)}-sheet.md",
                f"检查表：{task['name']}",
                "check_sheet.html",
                "抽查任务",
                data={
                    "task": task,
                    "objects": [sd.objects.get(o, {"id": o}) for o in objects],
                    "items": [sd.current_item(c) or {"code": c} for c in task.get("items", [])],
                    "signers": _signers(sd, draws),
                },
                pub_date=_iso(task.get("created_on")),
                source=sd.unit_name(task.get("initiator", "")),
                searchable=False,
            )
        )
    return pages


def _signers(sd: SiteData, draws: list[dict]) -> dict[str, list[dict]]:
    """object id -> its drawn team (name, unit, 执法证号: public fields) for the sheet's signature lines."""
    out: dict[str, list[dict]] = {}
    for draw in draws:
        for team in draw.get("teams", []):
            people = [sd.inspectors.get(m, {"id": m}) for m in team.get("member_ids", [])]
            rows = [
                {"name": p.get("name", p["id"]), "unit": p.get("unit", ""), "badge_no": p.get("badge_no", "")}
                for p in people
            ]
            for obj in team.get("objects", []):
                out[obj] = rows
    return out


def object_pages(sd: SiteData) -> list[PageModel]:
    pages = []
    by_township: dict[str, list[dict]] = {}
    for oid, obj in sd.objects.items():
        by_township.setdefault(obj.get("township", "其他"), []).append(obj)
        inspections = []
        for r, e in sd.entries_for_object(oid):
            eff = effective_entry(e)
            task = sd.tasks.get(r.get("task"), {})
            inspections.append(
                {
                    "unit": r["unit"],
                    "task": task,
                    "task_id": r.get("task"),
                    "entry": e,
                    "effective": eff,
                    "problem": sd.is_problem(eff.get("categories", [])),
                }
            )
        cats = sorted(
            {sd.category_label(c) for i in inspections for c in i["effective"].get("categories", [])}
        )
        years = sorted({str(i["task"].get("year")) for i in inspections if i["task"].get("year")})
        units = sorted(
            {sd.unit_name(u) for u in obj.get("units", [])} | {sd.unit_name(i["unit"]) for i in inspections}
        )
        pages.append(
            PageModel(
                f"objects/{object_slug(oid)}.md",
                obj["name"],
                "object.html",
                "检查对象",
                data={"object": obj, "inspections": inspections},
                filters={"单位": units}
                | ({"年度": years} if years else {})
                | ({"检查结果": cats} if cats else {}),
            )
        )
    for name, objs in by_township.items():
        pages.append(
            PageModel(
                f"objects/{township_slug(sd, name)}.md",
                f"检查对象：{name}",
                "township.html",
                "检查对象",
                data={"township": name, "objects": objs},
                searchable=False,
            )
        )
    return pages


def draw_pages(sd: SiteData) -> list[PageModel]:
    pages = []
    for did, draw in sorted(sd.draws.items()):
        task = sd.tasks.get(draw.get("task"), {})
        pages.append(
            PageModel(
                f"draws/{slug(did)}.md",
                f"抽取记录 {did}",
                "draw.html",
                "抽取记录",
                data={"draw": draw, "task": task},
                filters={"年度": [str(task.get("year"))]} if task.get("year") else {},
                pub_date=draw.get("drawn_on", ""),
                source=sd.unit_name(task.get("initiator", "")),
            )
        )
    return pages


def record_pages(sd: SiteData) -> list[PageModel]:
    return unit_pages(sd) + task_pages(sd) + object_pages(sd) + draw_pages(sd)
