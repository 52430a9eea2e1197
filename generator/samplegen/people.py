"""执法检查人员 and 辅助人员: synthetic inspectors for every unit, experts and testing bodies for
market and health.

Inspectors hold the qualification tags of their own unit's items (each unit answers for the items
it brings to a joint task); market inspectors specialise in a few fields. A few miss one tag, a few certificates have expired or end mid-year, a few people
are 失效, and a few declare conflicts of interest, so the eligibility rules have material.
"""

from __future__ import annotations

import datetime as dt
import random

from generator.samplegen import words
from generator.samplegen.county import TOWNSHIPS
from generator.samplegen.items import ITEMS
from generator.samplegen.units import CHANGES, UNITS

ENDED = set(CHANGES)

D = dt.date
HEADCOUNT = {
    "market": 40,
    "health": 8,
    "fire-rescue": 8,
    "education": 7,
    "emergency": 7,
    "public-security": 7,
    "culture-tourism": 7,
    "admin-approval": 4,
}
DEFAULT_HEADCOUNT = 5
MARKET_CORE = "登记事项"
ASSURED_VALID = 4  # the first four of every unit are always drawable for the whole season
MARKET_OFFICES = (
    ("众兴分局", ("众兴街道", "城厢街道")),
    ("来安分局", ("来安街道", "爱园镇", "裴圩镇")),
    ("王集分局", ("王集镇", "穿城镇", "新袁镇")),
    ("李口分局", ("李口镇", "临河镇", "卢集镇")),
    ("张家圩分局", ("张家圩镇", "庄圩乡", "三庄镇")),
    ("开发区分局", ("泗阳经济开发区", "泗阳棉花原种场", "泗阳农场")),
)
ASSISTANT_INDUSTRIES = ("检验检测", "卫生检测")
ASSISTANTS = (
    ("market", "行业专家", ("食品检验",)),
    ("market", "行业专家", ("特种设备检验",)),
    ("market", "检测机构", ("食品检验", "产品质量检验")),
    ("market", "检测机构", ("特种设备检验",)),
    ("health", "检测机构", ("公共场所卫生检测",)),
    ("health", "检测机构", ("公共场所卫生检测", "生活饮用水检测")),
    ("health", "行业专家", ("公共场所卫生检测",)),
    ("health", "行业专家", ("医疗卫生",)),
)


def unit_qualifications() -> dict[str, list[str]]:
    """Qualification tags of each unit's items in force in 2026."""
    out: dict[str, set[str]] = {u.id: set() for u in UNITS}
    for item in ITEMS:
        if item.status == "有效" and item.qual and (item.end is None or item.end.year > 2026):
            out[item.unit].add(item.qual)
    return {u: sorted(q) for u, q in out.items()}


def _held(rng: random.Random, unit: str, quals: list[str], scenario: str) -> list[str]:
    """Market inspectors specialise (登记事项 plus two to four fields); elsewhere all, or one missing."""
    if unit == "market":
        core = [q for q in quals if q == MARKET_CORE]
        rest = [q for q in quals if q != MARKET_CORE]
        return sorted(core + rng.sample(rest, rng.randint(2, min(4, len(rest)))))
    held = list(quals)
    if scenario == "partial" and len(held) > 1:
        held.remove(rng.choice(held))
    return held


def _badge(rng: random.Random, scenario: str, years_back: int = 0) -> tuple[dt.date, dt.date]:
    """Badge validity; ``years_back`` moves issue dates earlier so a multi-year sample is staffed
    from its first year (the roster is today's: the people who inspected in every year)."""
    start = D(rng.randint(2021, 2025) - years_back, rng.randint(1, 12), rng.randint(1, 28))
    if scenario == "expired":
        return D(2020, start.month, start.day), D(2025, rng.randint(1, 12), 28)
    if scenario == "mid-year":
        return D(2021, 7, 1), D(2026, 6, 30)
    end = D(max(start.year + 5, 2027), start.month, start.day) - dt.timedelta(days=1)
    return start, end


def _scenario(rng: random.Random, index: int) -> str:
    if index < ASSURED_VALID:
        return "valid"
    return rng.choices(("valid", "expired", "mid-year", "inactive", "partial"), (70, 8, 7, 5, 10))[0]


def inspectors(
    rng: random.Random, scale: int, objects_by_dir: dict[str, list[dict]], first_year: int = 2026
) -> list[dict]:
    quals = unit_qualifications()
    names: set[str] = set()
    out = []
    for order, unit in enumerate(UNITS, start=1):
        count = HEADCOUNT.get(unit.id, DEFAULT_HEADCOUNT) * scale
        directory = [o["id"] for o in objects_by_dir.get(unit.id, [])]
        for i in range(count):
            scenario = _scenario(rng, i)
            name = words.person_name(rng)
            while name in names:
                name = words.person_name(rng)
            names.add(name)
            start, end = _badge(rng, scenario, 2026 - first_year)
            held = _held(rng, unit.id, quals[unit.id], scenario)
            if unit.id == "market":
                office, townships = MARKET_OFFICES[i % len(MARKET_OFFICES)]
            else:
                office = f"{unit.short_name}执法队"
                townships = tuple(sorted(rng.sample(TOWNSHIPS, rng.randint(3, 6)), key=TOWNSHIPS.index))
            conflicts = (
                sorted(rng.sample(directory, min(len(directory), rng.randint(1, 2))))
                if (directory and rng.random() < 0.04)
                else []
            )
            out.append(
                {
                    "id": f"{unit.letters}-{i + 1:03d}",
                    "name": name,
                    "unit": unit.id,
                    "badge_no": f"{unit.letters}{start.year}{order:02d}{i + 1:04d}",
                    "badge_valid_from": start,
                    "badge_valid_to": end,
                    "qualifications": held,
                    "expertise": held[:2],
                    "office": office,
                    "townships": list(townships),
                    # 人行泗阳县支行 was withdrawn (units.CHANGES): its officers are no longer on the roster.
                    "status": "失效" if scenario == "inactive" or unit.id in ENDED else "有效",
                    "phone": f"199{rng.randint(0, 99999999):08d}",
                    "conflicts": conflicts,
                }
            )
    return out


def assistants(rng: random.Random, scale: int) -> list[dict]:
    brands = words.brands()
    out, seq = [], {}
    for _ in range(scale):
        for unit, kind, expertise in ASSISTANTS:
            seq[unit] = seq.get(unit, 0) + 1
            letters = "SCJG" if unit == "market" else "WJJ"
            if kind == "行业专家":
                name = words.person_name(rng)
            else:
                name = f"{rng.choice(brands)}{rng.choice(ASSISTANT_INDUSTRIES)}有限公司"
            out.append(
                {
                    "id": f"AS-{letters}-{seq[unit]:03d}",
                    "name": name,
                    "kind": kind,
                    "unit": unit,
                    "expertise": list(expertise),
                    "status": "失效" if seq[unit] == 4 else "有效",
                    "phone": f"199{rng.randint(0, 99999999):08d}",
                    "conflicts": [],
                }
            )
    return out
