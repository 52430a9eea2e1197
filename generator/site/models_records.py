"""Record pages (not in the nav): one per unit, task, check sheet, object, township list and draw."""

from __future__ import annotations

from generator.records.results import AMENDABLE, ENTRY
from generator.reports.summary import unit_year
from generator.rules.outcomes import states
from generator.site.page import PageModel
from generator.site.site_data import SiteData, _iso, effective_entry
from generator.site.slugs import object_slug, slug

__all__ = ["object_slug", "record_pages", "slug", "township_slug"]


def township_slug(site_data: SiteData, name: str) -> str:
    order = site_data.county.get("townships", [])
    return f"t{order.index(name) + 1:02d}" if name in order else "other"


def unit_pages(site_data: SiteData) -> list[PageModel]:
    pages = []
    for uid, unit in site_data.units.items():
        items = [i for i in site_data.items if i["unit"] == uid]
        plans = [p for p in site_data.plans if p["owner_unit"] == uid]
        tasks = [t for t in site_data.tasks.values() if uid in t.get("participants", [])]
        results = [r for r in site_data.results if r.get("unit") == uid]
        pages.append(
            PageModel(
                f"units/{slug(uid)}.md",
                unit["name"],
                "unit.html",
                "成员单位",
                data={
                    "unit": unit,
                    "items": items,
                    "plans": plans,
                    "tasks": tasks,
                    "results": results,
                    "years": _unit_years(site_data, uid),
                },
                filters={"单位": [unit["name"]]},
                source=unit["name"],
            )
        )
    return pages


def _unit_years(site_data: SiteData, uid: str) -> list[dict]:
    """The unit's figures per year, newest first, from the one definition the 年度总结 uses."""
    rows = [unit_year(site_data.figures, y, uid) for y in reversed(site_data.years)]
    return [
        r | {"year": y}
        for y, r in zip(reversed(site_data.years), rows, strict=True)
        if r["tasks_initiated"] or r["tasks_joined"] or r["results"]
    ]


def _task_results(site_data: SiteData, tid: str) -> list[dict]:
    rows = []
    for r in site_data.results_for_task(tid):
        for e in r.get("entries", []):
            eff = effective_entry(e)
            rows.append(
                {
                    "unit": r["unit"],
                    "draw": r.get("draw"),
                    "entry": e,
                    "effective": eff,
                    "problem": site_data.is_problem(eff.get("categories", [])),
                    "corrections": corrections(site_data, e),
                }
            )
    return sorted(rows, key=lambda x: (x["entry"]["object"], x["unit"]))


def corrections(site_data: SiteData, entry: dict) -> list[dict]:
    """Each appended amendment of a result entry as the pages show it: its date, its reason and
    what it changed, old → new (red team 7: the pages showed the corrected result and the reason
    only, so a correction could reverse a published 发现问题 without a trace on the page)."""
    out: list[dict] = []
    amendments = entry.get("amendments") or []
    if not all(isinstance(a, dict) and isinstance(a.get("changes") or {}, dict) for a in amendments):
        return out  # a malformed amendment is validate's finding; its file is not published
    previous = None
    for where, state, day in states(entry):
        if previous is not None:
            amendment = entry["amendments"][where[1]]
            changed = [
                f"{_LABELS[name]}：{_shown(site_data, name, previous.get(name))} → {_shown(site_data, name, state.get(name))}"
                for name in AMENDABLE
                if name in (amendment.get("changes") or {}) and previous.get(name) != state.get(name)
            ]
            out.append({"date": day, "reason": amendment.get("reason", ""), "changes": changed})
        previous = state
    return out


_LABELS = {f.name: f.label for f in ENTRY.fields}


def _shown(site_data: SiteData, name: str, value) -> str:
    if value is None or value == []:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "categories" and isinstance(value, list):
        return "、".join(site_data.category_label(str(c)) for c in value)
    if name == "referrals" and isinstance(value, list):
        return "、".join(
            site_data.unit_name(r.get("unit", "")) if isinstance(r, dict) else str(r) for r in value
        )
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def task_pages(site_data: SiteData, only: set | None = None) -> list[PageModel]:
    """``only``: the pages of these tasks alone (serve's preview, ``site.partial``)."""
    pages = []
    for tid, task in site_data.tasks.items():
        if only is not None and tid not in only:
            continue
        draws = [d for d in site_data.draws.values() if d.get("task") == tid]
        rows = _task_results(site_data, tid)
        cats = sorted(
            {site_data.category_label(c) for r in rows for c in r["effective"].get("categories", [])}
        )
        first_day = task.get("window", {}).get("from")
        items = [site_data.item_on(c, first_day) or {"code": c} for c in task.get("items", [])]
        kinds = sorted({i["category"] for i in items if i.get("category")})
        common = {
            "单位": [site_data.unit_name(u) for u in task.get("participants", [])],
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
                    "items": items,
                },
                filters=common
                | ({"检查结果": cats} if cats else {})
                | ({"事项类别": kinds} if kinds else {}),
                pub_date=_iso(task.get("created_on")),
                source=site_data.unit_name(task.get("initiator", "")),
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
                    "objects": [_sheet_object(site_data, o) for o in objects],
                    "items": items,
                    "signers": _signers(site_data, draws),
                },
                pub_date=_iso(task.get("created_on")),
                source=site_data.unit_name(task.get("initiator", "")),
                searchable=False,
            )
        )
    return pages


def _sheet_object(site_data: SiteData, oid: str) -> dict:
    """The directory row of a drawn object, or its id alone: a row deleted after the draw is a
    validation error (DRAW_OBJECT_MISSING), but a page must not fail on it if that is bypassed."""
    return site_data.objects.get(oid) or {"id": oid, "name": None, "address": None, "township": None}


def _signers(site_data: SiteData, draws: list[dict]) -> dict[str, dict]:
    """object id -> the draw, its group and its team (name, unit, 执法证号: public fields) for the sheet.

    Every member gets a signature line and a 执法证号 line. A later draw (one that supersedes an
    earlier one) replaces the earlier team for the objects it covers."""
    out: dict[str, dict] = {}
    for draw in sorted(draws, key=lambda d: d.get("id", "")):
        for team in draw.get("teams", []):
            people = [site_data.inspectors.get(m, {"id": m}) for m in team.get("member_ids", [])]
            rows = [
                {"name": p.get("name", p["id"]), "unit": p.get("unit", ""), "badge_no": p.get("badge_no", "")}
                for p in people
            ]
            for obj in team.get("objects", []):
                out[obj] = {"draw": draw.get("id", ""), "group": team.get("name", ""), "members": rows}
    return out


def object_pages(site_data: SiteData, only: set | None = None) -> list[PageModel]:
    """``only``: the pages of these objects alone, no township list (serve's preview,
    ``site.partial``)."""
    pages = []
    by_township: dict[str, list[dict]] = {}
    if only is not None:
        site_data.index_entries_of(set(only))
    for oid, obj in site_data.objects.items():
        if oid not in site_data.with_page or (only is not None and oid not in only):
            continue
        by_township.setdefault(obj.get("township", "其他"), []).append(obj)
        inspections = []
        for r, e in site_data.entries_for_object(oid):
            eff = effective_entry(e)
            task = site_data.tasks.get(r.get("task"), {})
            inspections.append(
                {
                    "unit": r["unit"],
                    "task": task,
                    "task_id": r.get("task"),
                    "entry": e,
                    "effective": eff,
                    "problem": site_data.is_problem(eff.get("categories", [])),
                    "corrections": corrections(site_data, e),
                }
            )
        cats = sorted(
            {site_data.category_label(c) for i in inspections for c in i["effective"].get("categories", [])}
        )
        years = sorted({str(i["task"].get("year")) for i in inspections if i["task"].get("year")})
        units = sorted(
            {site_data.unit_name(u) for u in obj.get("units", [])}
            | {site_data.unit_name(i["unit"]) for i in inspections}
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
    for name, objs in by_township.items() if only is None else ():
        pages.append(
            PageModel(
                f"objects/{township_slug(site_data, name)}.md",
                f"检查对象：{name}",
                "township.html",
                "检查对象",
                data={"township": name, "objects": objs},  # indexed by its title only (the table is
                # data-pagefind-ignore: the names belong to the objects' own pages)
            )
        )
    return pages


def draw_pages(site_data: SiteData) -> list[PageModel]:
    pages = []
    for did, draw in sorted(site_data.draws.items()):
        task = site_data.tasks.get(draw.get("task"), {})
        pages.append(
            PageModel(
                f"draws/{slug(did)}.md",
                f"抽取记录 {did}",
                "draw.html",
                "抽取记录",
                data={"draw": draw, "task": task},
                filters={"年度": [str(task.get("year"))]} if task.get("year") else {},
                pub_date=draw.get("drawn_on", ""),
                source=site_data.unit_name(task.get("initiator", "")),
            )
        )
    return pages


def record_pages(site_data: SiteData) -> list[PageModel]:
    return unit_pages(site_data) + task_pages(site_data) + object_pages(site_data) + draw_pages(site_data)
