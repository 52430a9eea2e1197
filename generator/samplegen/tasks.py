"""2026 joint tasks of the sample county: one table row per task, plus the helpers that size them.

Every initiating unit (units.UNITS ``initiates``) starts at least one joint task; all but one are
linked to an entry of the initiator's annual plan, and T2026-market-05 is a 临时 task with a reason.
Ratios per credit-risk class rise from A to D; tasks that include a 一般 item stay at or below the
item's ratio cap in every class.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from generator.samplegen.items import BY_CODE
from generator.samplegen.objects import EXCLUDED_STATUSES

D = dt.date
KEY_RATIOS = {"A": "10%", "B": "20%", "C": "30%", "D": "50%"}  # 重点 items: no upper limit
SHARES = {"A": Fraction(2, 5), "B": Fraction(3, 5), "C": Fraction(4, 5), "D": Fraction(1)}  # of a 一般 cap
MAX_OBJECTS_LADDER = (5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100)


@dataclass(frozen=True)
class TaskSpec:
    initiator: str
    seq: int
    name: str
    participants: tuple[str, ...]
    items: tuple[str, ...]
    tags: tuple[str, ...]
    start: dt.date
    end: dt.date
    scope: str
    source: tuple[str, ...] = ()  # directories to draw from; default: the initiator's
    kinds: tuple[str, ...] = ()
    townships: tuple[str, ...] = ()
    ratios: dict[str, str] = field(default_factory=dict)  # override; default from the items
    batches: int = 1
    lead_extra: int = 0  # extra inspectors of the initiating unit per team
    assistants: int = 0
    assistant_expertise: tuple[str, ...] = ()
    reason: str = ""  # set for 临时 tasks (no plan entry)

    @property
    def id(self) -> str:
        return f"T2026-{self.initiator}-{self.seq:02d}"


T = TaskSpec
# fmt: off
TASKS: tuple[TaskSpec, ...] = (
    T("market", 1, "2026 年学校食堂食品安全部门联合抽查", ("market", "education", "health"), ("SCJG-04", "JYJ-01", "WJJ-04"),
      ("学校食堂",), D(2026, 4, 13), D(2026, 5, 29), "全县中小学、幼儿园食堂", source=("education",),
      ratios={"A": "20%", "B": "30%", "C": "40%", "D": "50%"}, batches=2),
    T("market", 2, "2026 年特种设备使用单位部门联合抽查", ("market", "emergency"), ("SCJG-07",), ("特种设备使用单位",),
      D(2026, 5, 11), D(2026, 6, 30), "全县特种设备使用单位", lead_extra=1),
    T("market", 3, "2026 年登记事项和年度报告公示信息部门联合抽查", ("market", "tax", "statistics"), ("SCJG-01", "SCJG-03"), (),
      D(2026, 6, 1), D(2026, 7, 31), "全县企业", kinds=("企业",)),
    T("market", 4, "2026 年药品零售企业部门联合抽查", ("market", "health", "medical-security"), ("SCJG-08", "YBJ-01"),
      ("药品零售",), D(2026, 9, 1), D(2026, 10, 30), "全县药品零售企业"),
    T("market", 5, "2026 年秋季开学校园周边食品安全联合抽查", ("market", "education"), ("SCJG-05", "SCJG-06"),
      ("餐饮服务", "食品销售"), D(2026, 8, 17), D(2026, 9, 11), "城区校园周边餐饮服务和食品销售经营者",
      townships=("众兴街道", "来安街道", "城厢街道"), reason="上级交办：秋季开学前开展校园周边食品安全风险隐患排查（示例），未列入年度计划。"),
    T("education", 1, "2026 年校外培训机构部门联合抽查", ("education", "market", "fire-rescue"), ("JYJ-02",), ("校外培训",),
      D(2026, 7, 6), D(2026, 8, 28), "全县校外培训机构"),
    T("public-security", 1, "2026 年旅馆业部门联合抽查", ("public-security", "health", "fire-rescue"),
      ("GAJ-01", "WJJ-02"), ("旅馆业",), D(2026, 5, 6), D(2026, 6, 19), "全县旅馆"),
    T("civil-affairs", 1, "2026 年养老机构服务安全部门联合抽查", ("civil-affairs", "fire-rescue", "health"), ("MZJ-01",),
      ("养老机构",), D(2026, 10, 12), D(2026, 11, 20), "全县养老机构",
      ratios={"A": "30%", "B": "40%", "C": "50%", "D": "60%"}),
    T("human-resources", 1, "2026 年人力资源服务机构部门联合抽查", ("human-resources", "market"), ("RSJ-01",), ("人力资源服务机构",),
      D(2026, 9, 7), D(2026, 10, 16), "全县人力资源服务机构"),
    T("housing", 1, "2026 年建筑工地质量安全和扬尘防治部门联合抽查", ("housing", "urban-management", "ecology"),
      ("ZJJ-01", "CGJ-01"), ("建筑工地",), D(2026, 4, 20), D(2026, 6, 12), "全县在建房屋建筑和市政工程项目"),
    T("transport", 1, "2026 年道路运输企业部门联合抽查", ("transport", "public-security"), ("JTJ-01",), ("道路运输",),
      D(2026, 9, 7), D(2026, 10, 30), "全县道路运输企业"),
    T("agriculture", 1, "2026 年春季农资部门联合抽查", ("agriculture", "market"), ("NYJ-01", "NYJ-02"), ("农资经营",),
      D(2026, 4, 7), D(2026, 5, 15), "全县农药、兽药经营者"),
    T("commerce", 1, "2026 年加油站部门联合抽查", ("commerce", "emergency", "market", "fire-rescue"),
      ("SWUJ-01", "YJJ-03", "SCJG-13"), ("加油站",), D(2026, 6, 15), D(2026, 7, 31), "全县加油站"),
    T("culture-tourism", 1, "2026 年旅行社部门联合抽查", ("culture-tourism", "market"), ("WLJ-01",), ("旅行社",),
      D(2026, 7, 13), D(2026, 8, 21), "全县旅行社"),
    T("culture-tourism", 2, "2026 年娱乐场所部门联合抽查", ("culture-tourism", "public-security", "fire-rescue"),
      ("WLJ-02", "GAJ-02"), ("娱乐场所",), D(2026, 10, 8), D(2026, 11, 27), "全县娱乐场所"),
    T("culture-tourism", 3, "2026 年包装装潢印刷单位部门联合抽查", ("culture-tourism", "market"), ("WLJ-03",), ("包装装潢印刷",),
      D(2026, 9, 14), D(2026, 10, 23), "全县包装装潢、其他印刷品印刷单位"),
    T("health", 1, "2026 年游泳场（馆）部门联合抽查", ("health", "market"), ("WJJ-01",), ("游泳场馆",), D(2026, 6, 15),
      D(2026, 8, 14), "全县游泳场（馆）", ratios={"A": "40%", "B": "50%", "C": "60%", "D": "80%"}, assistants=1,
      assistant_expertise=("公共场所卫生检测",)),
    T("ecology", 1, "2026 年排污单位部门联合抽查", ("ecology", "water"), ("STHJ-01",), ("排污单位",), D(2026, 5, 18),
      D(2026, 7, 10), "全县排污单位"),
    T("emergency", 1, "2026 年危险化学品经营企业部门联合抽查", ("emergency", "fire-rescue", "public-security"),
      ("YJJ-01", "GAJ-03"), ("危险化学品经营",), D(2026, 4, 15), D(2026, 6, 5), "全县危险化学品经营企业"),
    T("tobacco", 1, "2026 年卷烟零售户部门联合抽查", ("tobacco", "market"), ("YCJ-01",), ("卷烟零售",), D(2026, 8, 3),
      D(2026, 9, 25), "全县卷烟零售户"),
    T("medical-security", 1, "2026 年定点医药机构医保基金使用部门联合抽查", ("medical-security", "health", "market"),
      ("YBJ-01",), ("定点医药机构",), D(2026, 7, 1), D(2026, 8, 31), "全县定点医药机构"),
    T("fire-rescue", 1, "2026 年人员密集场所消防安全部门联合抽查", ("fire-rescue", "emergency", "market"), ("XFJY-01",),
      ("人员密集场所",), D(2026, 10, 9), D(2026, 11, 27), "全县人员密集场所"),
)
# fmt: on


def ratios(spec: TaskSpec) -> dict[str, str]:
    """Per-class ratios: the override, else D at the lowest 一般 cap and A at two fifths of it."""
    caps = [_pct(BY_CODE[c].cap) for c in spec.items if BY_CODE[c].category == "一般"]
    if spec.ratios:
        if caps:
            assert all(_pct(r) <= min(caps) for r in spec.ratios.values()), spec.id
        return dict(spec.ratios)
    if not caps:
        return dict(KEY_RATIOS)
    return {k: f"{_fmt(min(caps) * share)}" for k, share in SHARES.items()}


def _pct(text: str) -> Fraction:
    return Fraction(text.rstrip("%")) / 100


def _fmt(r: Fraction) -> str:
    pct = r * 100
    return f"{pct.numerator}%" if pct.denominator == 1 else f"{float(pct):g}%"


def pool(spec: TaskSpec, objects_by_dir: dict[str, list[dict]]) -> list[dict]:
    """Candidate objects as the draw would see them (before recency and annual-cap exclusions)."""
    seen: dict[str, dict] = {}
    for unit in spec.source or (spec.initiator,):
        for obj in objects_by_dir.get(unit, []):
            if obj["status"] in EXCLUDED_STATUSES:
                continue
            if spec.kinds and obj["kind"] not in spec.kinds:
                continue
            if spec.townships and obj["township"] not in spec.townships:
                continue
            if spec.tags and not set(spec.tags) & set(obj["tags"]):
                continue
            seen.setdefault(obj["id"], obj)
    return [seen[k] for k in sorted(seen)]


def expected_draw(spec: TaskSpec, candidates: list[dict]) -> dict[str, int]:
    """Objects drawn per class: ceil(N × ratio), at least 1 when the class is not empty."""
    counts = {k: 0 for k in "ABCD"}
    for obj in candidates:
        counts[obj["credit_risk"]] += 1
    out = {}
    for cls, ratio in ratios(spec).items():
        n = counts[cls]
        out[cls] = 0 if n == 0 else min(n, max(1, math.ceil(n * _pct(ratio))))
    return out


def per_unit(spec: TaskSpec) -> dict[str, int]:
    """People each unit sends per team: one each, the initiator tops the team up (as the engine does)."""
    return {u: 1 + (spec.lead_extra if u == spec.initiator else 0) for u in spec.participants}


def required_qualifications(spec: TaskSpec, unit: str) -> set[str]:
    """Each unit answers for its own items: its inspectors need the tags of the items it brings."""
    return {BY_CODE[c].qual for c in spec.items if BY_CODE[c].qual and BY_CODE[c].unit == unit}


def eligible(inspectors: list[dict], unit: str, spec: TaskSpec) -> int:
    need = required_qualifications(spec, unit)
    return sum(
        1
        for p in inspectors
        if p["unit"] == unit
        and p["status"] == "有效"
        and p["badge_valid_from"] <= spec.start
        and p["badge_valid_to"] >= spec.end
        and need <= set(p["qualifications"])
    )


def max_objects(spec: TaskSpec, drawn: int, inspectors: list[dict]) -> int:
    """Smallest per-inspector load that every unit can staff, keeping one spare person for 回避."""
    demand = per_unit(spec)
    for cap in MAX_OBJECTS_LADDER:
        if all(eligible(inspectors, u, spec) >= math.ceil(n * drawn / cap) + 1 for u, n in demand.items()):
            return cap
    raise ValueError(f"sample task {spec.id} cannot be staffed: add inspectors")
