"""关于本站 and 异议申诉: what the site is, on what basis, who answers, and how to object to a result.

Everything here comes from county.yaml (``site.policies``, ``site.contact``, ``site.objection``,
``site.site_id_code``, ``site.icp_number``) and the unit list. Links from county.yaml go through
``web_url`` again, so a value that slipped past validation never becomes a ``javascript:`` link.
"""

from __future__ import annotations

from generator.rules.base_url import web_url
from generator.site.page import PageModel
from generator.site.site_data import SiteData

# The register whose records carry legal effect (企业信息公示暂行条例); national, not per county.
GSXT_URL = "https://www.gsxt.gov.cn/"
MIIT_BEIAN_URL = "https://beian.miit.gov.cn/"


def policies(site_data: SiteData) -> list[dict]:
    out = []
    for p in site_data.county.get("site", {}).get("policies", []) or []:
        out.append({"title": p.get("title", ""), "number": p.get("number", ""), "url": web_url(p.get("url"))})
    return out


def paragraphs(text: object) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def about_pages(site_data: SiteData) -> list[PageModel]:
    site = site_data.county.get("site", {})
    common = {
        "joint_office": site_data.county.get("joint_office", ""),
        "contact": site.get("contact", ""),
        "gsxt_url": GSXT_URL,
        "units": list(site_data.units.values()),
    }
    return [
        PageModel(
            "about.md",
            "关于本站",
            "about.html",
            "关于本站",
            column_type="机构信息",
            data=common
            | {
                "policies": policies(site_data),
                "site_id_code": site.get("site_id_code", ""),
                "icp_number": site.get("icp_number", ""),
                "beian_url": MIIT_BEIAN_URL,
                "demo": bool(site_data.county.get("demo")),
            },
        ),
        PageModel(
            "objection.md",
            "对检查结果有异议",
            "objection.html",
            "异议申诉",
            column_type="互动交流",
            data=common | {"channel": paragraphs(site.get("objection"))},
        ),
    ]
