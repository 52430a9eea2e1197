"""The 合规 (compliance) and 年度总结 (annual summary) hub pages.

Both models come from ``generator.reports`` (``compliance.compliance`` and ``summary.annual_summary``,
the same figures the ``report`` and ``summary`` commands print, counted by the build's one
``Figures``). Before they reach
a page they are reduced to what may be published: no internal field name or value, and the
validator's conflict-of-interest findings (which name who declared a conflict with which object,
an internal fact) are shown as a count and the task file only.
"""

from __future__ import annotations

import datetime as dt

from generator.calendar import CHINA
from generator.reports.compliance import compliance
from generator.reports.figures import Figures
from generator.reports.summary import annual_summary, totals_sentence
from generator.site.page import PageModel

# Findings whose message names internal facts: published without the message.
PRIVATE_FINDINGS = {
    "TEAM_CONFLICT": "检查组成员中有人申报了与检查对象的利害关系，应当回避（人员与对象不公开）。"
}


def build_date(epoch: int | None) -> dt.date:
    """The build's "today": SOURCE_DATE_EPOCH, so the same records give the same pages, read as a
    Beijing date like the rules' "today" (results_context.reference_date): 00:00-08:00 in the county
    is still the day before in UTC."""
    return dt.datetime.fromtimestamp(epoch or 0, CHINA).date()


def public_compliance(model: dict) -> dict:
    """The compliance model with private finding messages replaced (a copy; the input is unchanged)."""
    rules = {}
    for key, section in model["rules"].items():
        codes = {}
        for code, hits in section["codes"].items():
            if code in PRIVATE_FINDINGS:
                hits = [{**h, "message": PRIVATE_FINDINGS[code]} for h in hits]
            codes[code] = hits
        rules[key] = {**section, "codes": codes}
    return {**model, "rules": rules}


def report_pages(corpus, years: list[int], today: dt.date, findings, figures: Figures) -> list[PageModel]:
    newest_first = sorted(years, reverse=True)
    checks = [public_compliance(compliance(corpus, y, today, findings, figures)) for y in newest_first]
    summaries = [annual_summary(corpus, y, figures) for y in newest_first]
    for s in summaries:
        s["sentence"] = totals_sentence(s)
    pages = [
        PageModel(
            "compliance.md",
            "合规情况",
            "compliance.html",
            "合规",
            column_type="数据统计",
            data={"years": checks, "today": today.isoformat()},
            pub_date=today.isoformat(),
        ),
        PageModel(
            "summary.md",
            "年度总结",
            "summary.html",
            "年度总结",
            column_type="数据统计",
            data={"years": summaries},
            pub_date=today.isoformat(),
        ),
    ]
    for p in pages:
        p.in_nav = True
    return pages
