"""Atom feed of new inspection results (one entry per unit's result file for a task)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from generator.site.models_records import slug
from generator.site.site_data import SiteData, _iso


def atom(sd: SiteData, limit: int = 50) -> str:
    site = sd.county.get("site", {})
    base = (site.get("base_url") or "").rstrip("/") + "/"
    entries = []
    for r in sd.results:
        dates = sorted(_iso(e.get("entered_on")) for e in r.get("entries", []))
        if not dates:
            continue
        task = sd.tasks.get(r.get("task"), {})
        entries.append((dates[-1], r, task))
    entries.sort(key=lambda x: (x[0], x[1].get("task", ""), x[1].get("unit", "")), reverse=True)
    entries = entries[:limit]
    updated = entries[0][0] if entries else "1970-01-01"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"<title>{escape(site.get('name', ''))}：检查结果</title>",
        f'<link rel="self" href="{escape(base)}feed.xml"/>',
        f'<link href="{escape(base)}"/>',
        f"<id>{escape(base)}feed.xml</id>",
        f"<updated>{updated}T00:00:00Z</updated>",
    ]
    head = sd.registry_log.get("head")
    if head:  # archive it: a later log that does not extend this head was rewritten
        out.append(f"<subtitle>抽取登记簿日志头 {escape(head)}</subtitle>")
    for day, r, task in entries:
        url = f"{base}tasks/{slug(r['task'])}/"
        n = len(r.get("entries", []))
        problems = sum(1 for e in r.get("entries", []) if sd.is_problem(e.get("categories", [])))
        title = f"{sd.unit_name(r['unit'])}公示{task.get('name', r['task'])}检查结果"
        out += [
            "<entry>",
            f"<title>{escape(title)}</title>",
            f'<link href="{escape(url)}"/>',
            f"<id>{escape(url)}#{escape(r['unit'])}</id>",
            f"<updated>{day}T00:00:00Z</updated>",
            f"<author><name>{escape(sd.unit_name(r['unit']))}</name></author>",
            f"<summary>检查对象 {n} 户，发现问题 {problems} 户。</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
