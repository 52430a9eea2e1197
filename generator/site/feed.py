"""Atom feed of new inspection results (one entry per unit's result file for a task).

Every value goes through ``_x``: markup characters escaped (quotes too, for attributes), and the
characters XML 1.0 cannot hold at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF) shown
as U+FFFD. Record text may carry them (a YAML ``"\\x0b"`` escape, a pasted CSV cell) and one such
character made the whole feed ill-formed: feed readers drop it.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from generator.rules.base_url import web_url
from generator.site.models_records import slug
from generator.site.site_data import SiteData, _iso, effective_entry

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(value: object) -> str:
    """``value`` as XML character data or attribute text.

    >>> _x('甲\\x0b<"乙">&')
    '甲\ufffd&lt;&quot;乙&quot;&gt;&amp;'
    """
    return escape(_NOT_XML.sub("\ufffd", str(value)), {'"': "&quot;"})


_DNS_NAME = re.compile(r"(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")


def id_prefix(site: dict, county_code: object) -> str:
    """What every Atom ``<id>`` starts with: the site's address, or a tag: URI (RFC 4151) without one.

    An id must be an absolute IRI that never changes; a relative path (``/feed.xml``) is neither.

    >>> id_prefix({"base_url": "https://x.example"}, "321323")
    'https://x.example/'
    >>> id_prefix({"domain": "ssj.siyang.example"}, "321323"), id_prefix({}, "321323")
    ('tag:ssj.siyang.example,2019:', 'tag:county-321323.invalid,2019:')
    """
    base = web_url(site.get("base_url"))
    if base:
        return base.rstrip("/") + "/"
    domain = str(site.get("domain") or "")
    authority = (
        domain
        if _DNS_NAME.fullmatch(domain)
        else f"county-{re.sub(r'[^0-9A-Za-z]', '', str(county_code))}.invalid"
    )
    return f"tag:{authority},2019:"  # the year of 国发〔2019〕5号; fixed so the ids never change


def atom(site_data: SiteData, limit: int = 50) -> str:
    site = site_data.county.get("site", {})
    # Only an http(s) address (validate: SITE_BASE_URL); otherwise the feed's links stay relative.
    base = web_url(site.get("base_url")).rstrip("/") + "/"
    ids = id_prefix(site, site_data.county.get("code", ""))
    entries = []
    for r in site_data.results:
        dates = sorted(_iso(e.get("entered_on")) for e in r.get("entries", []))
        if not dates:
            continue
        task = site_data.tasks.get(r.get("task"), {})
        entries.append((dates[-1], r, task))
    entries.sort(key=lambda x: (x[0], x[1].get("task", ""), x[1].get("unit", "")), reverse=True)
    entries = entries[:limit]
    updated = entries[0][0] if entries else "1970-01-01"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"<title>{_x(site.get('name', ''))}：检查结果</title>",
        f'<link rel="self" href="{_x(base)}feed.xml"/>',
        f'<link href="{_x(base)}"/>',
        f"<id>{_x(ids)}feed.xml</id>",
        f"<updated>{updated}T00:00:00Z</updated>",
    ]
    head = site_data.registry_log.get("head")
    if head:  # archive it: a later log that does not extend this head was rewritten
        out.append(f"<subtitle>抽取登记簿日志头 {escape(head)}</subtitle>")
    for day, r, task in entries:
        url = f"{base}tasks/{slug(r['task'])}/"
        n = len(r.get("entries", []))
        # as amended, like every figure (red team 7: an entry corrected to 发现问题 was counted as none)
        problems = sum(
            1 for e in r.get("entries", []) if site_data.is_problem(effective_entry(e).get("categories", []))
        )
        title = f"{site_data.unit_name(r['unit'])}公示{task.get('name', r['task'])}检查结果"
        out += [
            "<entry>",
            f"<title>{_x(title)}</title>",
            f'<link href="{_x(url)}"/>',
            f"<id>{_x(ids)}tasks/{_x(slug(r['task']))}/#{_x(r['unit'])}</id>",
            f"<updated>{day}T00:00:00Z</updated>",
            f"<author><name>{_x(site_data.unit_name(r['unit']))}</name></author>",
            f"<summary>检查结果 {n} 条，其中发现问题 {problems} 条。</summary>",
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
