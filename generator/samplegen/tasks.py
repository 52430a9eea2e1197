"""2026 tasks of the sample county: joint tasks (one table row each) and single-department tasks.

Real counties run mostly single-department tasks with some joint ones (here about a fifth). In a
joint task every participant brings at least one item of its own list and inspects, enters and
publishes only those; each department sends two certified officers per team (county minimum).
Every initiating unit (units.UNITS ``initiates``) starts or co-starts at least one joint task, unless
exempt for 2026. Ratios per credit-risk class rise from A to D; a task that includes a 一般 item
stays at or below the item's cap over its whole pool. Objects outside the credit-risk
classification (schools, projects, products, social organisations) are drawn without class strata.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
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
    co_initiators: tuple[str, ...] = ()
    stratify: str = "credit_risk"  # "none" for pools the credit-risk classification does not cover
    year: int = 2026

    @property
    def id(self) -> str:
        return f"T{self.year}-{self.initiator}-{self.seq:02d}"


T = TaskSpec
CR = ("企业", "个体工商户", "农民专业合作社")
# fmt: off
JOINT: tuple[TaskSpec, ...] = (
    T("market", 1, "2026 年学校食堂食品安全部门联合抽查", ("market", "education", "health"), ("SCJG-04", "JYJ-01", "WJJ-04"),
      ("学校食堂",), D(2026, 4, 13), D(2026, 5, 29), "全县中小学、幼儿园食堂", source=("education",),
      ratios={"all": "30%"}, batches=2, stratify="none"),
    T("market", 3, "2026 年登记事项和发票使用部门联合抽查", ("market", "tax"), ("SCJG-01", "SCJG-03", "SWJ-01"), ("规模以上企业",),
      D(2026, 6, 1), D(2026, 7, 31), "全县规模以上企业", kinds=("企业",)),
    T("market", 4, "2026 年定点零售药店部门联合抽查", ("market", "medical-security"), ("SCJG-08", "YBJ-01"),
      ("定点医药机构",), D(2026, 9, 1), D(2026, 10, 30), "全县医保定点零售药店"),
    T("education", 1, "2026 年校外培训机构部门联合抽查", ("education", "fire-rescue"), ("JYJ-02", "XFJY-01"), ("校外培训",),
      D(2026, 7, 6), D(2026, 8, 28), "全县校外培训机构", stratify="none", ratios={"all": "10%"}),
    T("public-security", 1, "2026 年旅馆业部门联合抽查", ("public-security", "health", "fire-rescue"),
      ("GAJ-01", "WJJ-02", "XFJY-01"), ("旅馆业",), D(2026, 5, 6), D(2026, 6, 19), "全县旅馆"),
    T("civil-affairs", 1, "2026 年养老机构服务和消防安全部门联合抽查", ("civil-affairs", "fire-rescue"), ("MZJ-01", "XFJY-01"),
      ("养老机构",), D(2026, 10, 12), D(2026, 11, 20), "全县养老机构", ratios={"all": "50%"}, stratify="none",
      co_initiators=("fire-rescue",)),
    T("human-resources", 1, "2026 年人力资源服务机构部门联合抽查", ("human-resources", "market"), ("RSJ-01", "SCJG-01"),
      ("人力资源服务机构",), D(2026, 9, 7), D(2026, 10, 16), "全县人力资源服务机构"),
    T("housing", 1, "2026 年建筑工地质量安全和扬尘防治部门联合抽查", ("housing", "urban-management"),
      ("ZJJ-01", "CGJ-01"), ("建筑工地",), D(2026, 4, 20), D(2026, 6, 12), "全县在建房屋建筑和市政工程项目",
      ratios={"all": "30%"}, stratify="none"),
    T("transport", 2, "2026 年机动车维修行业部门联合抽查", ("transport", "ecology"), ("JTJ-02", "STHJ-03"), ("机动车维修",),
      D(2026, 9, 7), D(2026, 10, 30), "全县机动车维修经营者"),
    T("agriculture", 1, "2026 年春季农资部门联合抽查", ("agriculture", "market"), ("NYJ-01", "NYJ-02", "SCJG-12"), ("农资经营",),
      D(2026, 4, 7), D(2026, 5, 15), "全县农药、兽药经营者"),
    T("commerce", 1, "2026 年加油站部门联合抽查", ("commerce", "emergency", "market", "fire-rescue"),
      ("SWUJ-01", "YJJ-03", "SCJG-13", "XFJY-01"), ("加油站",), D(2026, 6, 15), D(2026, 7, 31), "全县加油站"),
    T("culture-tourism", 2, "2026 年娱乐场所部门联合抽查", ("culture-tourism", "public-security", "fire-rescue"),
      ("WLJ-02", "GAJ-02", "XFJY-01"), ("娱乐场所",), D(2026, 10, 8), D(2026, 11, 27), "全县娱乐场所"),
    T("health", 1, "2026 年游泳场（馆）部门联合抽查", ("health", "fire-rescue"), ("WJJ-01", "XFJY-01"), ("游泳场馆",), D(2026, 6, 15),
      D(2026, 8, 14), "全县游泳场（馆）", ratios={"A": "40%", "B": "50%", "C": "60%", "D": "80%"}, assistants=1,
      assistant_expertise=("公共场所卫生检测",)),
    T("ecology", 1, "2026 年排污单位部门联合抽查", ("ecology", "water"), ("STHJ-01", "SLJ-01"), ("排污单位",), D(2026, 5, 18),
      D(2026, 7, 10), "全县排污单位（取用水）"),
    T("emergency", 1, "2026 年危险化学品经营企业部门联合抽查", ("emergency", "fire-rescue", "public-security"),
      ("YJJ-01", "GAJ-03", "XFJY-01"), ("危险化学品经营",), D(2026, 4, 15), D(2026, 6, 5), "全县危险化学品经营企业"),
    T("tobacco", 1, "2026 年卷烟零售户部门联合抽查", ("tobacco", "market"), ("YCJ-01", "SCJG-01"), ("卷烟零售",), D(2026, 8, 3),
      D(2026, 9, 25), "全县卷烟零售户"),
    T("medical-security", 1, "2026 年定点医疗机构医保基金使用部门联合抽查", ("medical-security", "health"),
      ("YBJ-01", "WJJ-03"), ("医疗机构",), D(2026, 7, 1), D(2026, 8, 31), "全县定点医疗机构", source=("health",)),
)

# Single-department tasks: (initiator, name, items, tags, start, end, scope, options)
_S = (
    ("market", "2026 年特种设备使用单位抽查", ("SCJG-07",), ("特种设备使用单位",), D(2026, 5, 11), D(2026, 6, 30), "全县特种设备使用单位", {}),
    ("market", "2026 年秋季开学校园周边食品安全抽查", ("SCJG-05", "SCJG-06"), ("餐饮服务", "食品销售"), D(2026, 8, 17), D(2026, 9, 11),
     "城区校园周边餐饮服务和食品销售经营者", {"townships": ("众兴街道", "来安街道", "城厢街道"),
     "reason": "上级交办：秋季开学前开展校园周边食品安全风险隐患排查（示例），未列入年度计划。"}),
    ("market", "2026 年餐饮服务食品安全抽查（上半年）", ("SCJG-05",), ("餐饮服务",), D(2026, 4, 20), D(2026, 6, 30), "全县餐饮服务经营者", {}),
    ("market", "2026 年餐饮服务食品安全抽查（下半年）", ("SCJG-05",), ("餐饮服务",), D(2026, 9, 14), D(2026, 11, 20), "全县餐饮服务经营者", {}),
    ("market", "2026 年食品销售者抽查（上半年）", ("SCJG-06",), ("食品销售",), D(2026, 5, 6), D(2026, 7, 10), "全县食品销售者", {}),
    ("market", "2026 年食品销售者抽查（下半年）", ("SCJG-06",), ("食品销售",), D(2026, 10, 12), D(2026, 11, 27), "全县食品销售者", {}),
    ("market", "2026 年营业执照和名称规范使用抽查", ("SCJG-01", "SCJG-02"), (), D(2026, 7, 1), D(2026, 8, 31), "全县市场主体", {"kinds": CR}),
    ("market", "2026 年企业年度报告公示信息抽查", ("SCJG-03",), (), D(2026, 7, 13), D(2026, 9, 30), "全县企业和农民专业合作社",
     {"kinds": ("企业", "农民专业合作社")}),
    ("market", "2026 年工业产品质量监督抽查", ("SCJG-09",), ("工业产品",), D(2026, 5, 18), D(2026, 7, 31), "全县生产销售的工业产品",
     {"stratify": "none", "ratios": {"all": "20%"}}),
    ("market", "2026 年计量器具使用抽查", ("SCJG-11",), ("食品销售",), D(2026, 6, 8), D(2026, 8, 14), "使用计量器具的食品销售者", {}),
    ("market", "2026 年明码标价抽查", ("SCJG-12",), ("餐饮服务",), D(2026, 10, 12), D(2026, 11, 20), "全县餐饮服务经营者", {}),
    ("market", "2026 年加油站成品油质量抽查", ("SCJG-13",), ("加油站",), D(2026, 9, 1), D(2026, 10, 16), "全县加油站", {}),
    ("market", "2026 年农民专业合作社登记事项抽查", ("SCJG-01",), ("农民专业合作社",), D(2026, 8, 3), D(2026, 9, 30), "全县农民专业合作社", {}),
    ("education", "2026 年学校食品安全管理责任落实情况抽查", ("JYJ-01",), ("学校食堂",), D(2026, 9, 14), D(2026, 11, 13), "全县中小学、幼儿园",
     {"stratify": "none", "ratios": {"all": "20%"}}),
    ("public-security", "2026 年娱乐场所治安管理抽查", ("GAJ-02",), ("娱乐场所",), D(2026, 5, 11), D(2026, 6, 30), "全县娱乐场所", {}),
    ("public-security", "2026 年旅馆业治安管理抽查（下半年）", ("GAJ-01",), ("旅馆业",), D(2026, 9, 7), D(2026, 10, 30), "全县旅馆", {}),
    ("civil-affairs", "2026 年社会组织登记管理抽查", ("MZJ-02",), ("社会组织",), D(2026, 6, 1), D(2026, 7, 31), "全县社会组织",
     {"stratify": "none", "ratios": {"all": "5%"}}),
    ("justice", "2026 年律师事务所执业活动抽查", ("SFJ-01",), ("律师事务所",), D(2026, 6, 8), D(2026, 7, 31), "全县律师事务所",
     {"stratify": "none", "ratios": {"all": "10%"}}),
    ("human-resources", "2026 年建筑业企业工资支付抽查", ("RSJ-02",), ("建筑业企业",), D(2026, 4, 20), D(2026, 6, 30), "全县建筑业企业", {}),
    ("finance", "2026 年代理记账机构抽查", ("CZJ-01",), ("代理记账机构",), D(2026, 5, 11), D(2026, 6, 30), "全县代理记账机构", {}),
    ("natural-resources", "2026 年测绘资质单位抽查", ("ZGJ-01",), ("测绘资质单位",), D(2026, 6, 1), D(2026, 7, 31), "全县测绘资质单位", {}),
    ("science-tech", "2026 年高新技术企业抽查", ("KJJ-01",), ("高新技术企业",), D(2026, 8, 3), D(2026, 9, 30), "全县高新技术企业", {}),
    ("housing", "2026 年物业服务企业抽查", ("ZJJ-02",), ("物业服务",), D(2026, 9, 1), D(2026, 10, 30), "全县物业服务企业", {}),
    ("housing", "2026 年建筑工地质量安全抽查（下半年）", ("ZJJ-01",), ("建筑工地",), D(2026, 9, 14), D(2026, 11, 13), "全县在建工程项目",
     {"stratify": "none", "ratios": {"all": "20%"}}),
    ("urban-management", "2026 年户外广告设施抽查", ("CGJ-02",), ("户外广告设置",), D(2026, 5, 6), D(2026, 6, 30), "全县户外广告设置单位", {}),
    ("urban-management", "2026 年建筑工地扬尘防治抽查（秋冬季）", ("CGJ-01",), ("建筑工地",), D(2026, 10, 8), D(2026, 11, 27), "全县在建工程项目",
     {"stratify": "none", "ratios": {"all": "20%"}}),
    ("transport", "2026 年道路运输企业抽查", ("JTJ-01",), ("道路运输",), D(2026, 5, 6), D(2026, 6, 30), "全县道路运输企业", {}),
    ("transport", "2026 年机动车维修经营抽查", ("JTJ-02",), ("机动车维修",), D(2026, 4, 13), D(2026, 5, 29), "全县机动车维修经营者", {}),
    ("water", "2026 年取水单位抽查", ("SLJ-01",), ("取水单位",), D(2026, 6, 1), D(2026, 7, 31), "全县取水单位", {}),
    ("water", "2026 年河道采砂抽查", ("SLJ-02",), ("河道采砂",), D(2026, 9, 1), D(2026, 10, 30), "全县河道采砂单位", {}),
    ("agriculture", "2026 年种子经营抽查", ("NYJ-03",), ("农资经营",), D(2026, 9, 7), D(2026, 10, 30), "全县种子经营者", {}),
    ("ethnic-religion", "2026 年清真食品经营抽查", ("MZZJ-01",), ("清真食品",), D(2026, 6, 1), D(2026, 7, 31), "全县清真食品经营者", {}),
    ("commerce", "2026 年单用途商业预付卡发卡企业抽查", ("SWUJ-02",), ("单用途预付卡",), D(2026, 8, 3), D(2026, 9, 30), "全县发卡企业", {}),
    ("culture-tourism", "2026 年旅行社抽查", ("WLJ-01",), ("旅行社",), D(2026, 7, 13), D(2026, 8, 21), "全县旅行社", {}),
    ("culture-tourism", "2026 年包装装潢印刷单位抽查", ("WLJ-03",), ("包装装潢印刷",), D(2026, 9, 14), D(2026, 10, 23), "全县印刷单位", {}),
    ("culture-tourism", "2026 年互联网上网服务营业场所抽查", ("WLJ-04",), ("互联网上网服务营业场所",), D(2026, 5, 6), D(2026, 6, 30), "全县网吧", {}),
    ("health", "2026 年住宿和美容美发场所卫生抽查", ("WJJ-02",), ("公共场所",), D(2026, 4, 13), D(2026, 5, 29), "全县住宿、美容美发场所", {}),
    ("health", "2026 年住宿和美容美发场所卫生抽查（下半年）", ("WJJ-02",), ("公共场所",), D(2026, 9, 7), D(2026, 10, 30),
     "全县住宿、美容美发场所", {}),
    ("health", "2026 年医疗机构依法执业抽查", ("WJJ-03",), ("医疗机构",), D(2026, 9, 14), D(2026, 11, 13), "全县医疗机构", {}),
    ("ecology", "2026 年建设项目环境影响评价抽查", ("STHJ-02",), ("建筑工地",), D(2026, 8, 3), D(2026, 9, 30), "全县在建项目",
     {"stratify": "none", "ratios": {"all": "5%"}}),
    ("ecology", "2026 年排污单位抽查（下半年）", ("STHJ-01",), ("排污单位",), D(2026, 10, 8), D(2026, 11, 27), "全县排污单位", {}),
    ("emergency", "2026 年工贸企业安全生产抽查", ("YJJ-02",), ("工贸企业",), D(2026, 5, 11), D(2026, 6, 30), "全县工贸企业", {}),
    ("emergency", "2026 年加油站安全生产抽查（下半年）", ("YJJ-03",), ("加油站",), D(2026, 10, 12), D(2026, 11, 20), "全县加油站", {}),
    ("tax", "2026 年发票使用情况抽查", ("SWJ-01",), ("代理记账机构",), D(2026, 6, 1), D(2026, 7, 31), "全县代理记账机构", {}),
    ("meteorology", "2026 年防雷装置检测单位和升放气球活动抽查", ("QXJ-01", "QXJ-02"), ("气象",), D(2026, 4, 20), D(2026, 6, 12),
     "全县防雷检测和升放气球单位", {}),
    ("tobacco", "2026 年卷烟零售户持证经营抽查（上半年）", ("YCJ-01",), ("卷烟零售",), D(2026, 4, 13), D(2026, 5, 29), "全县卷烟零售户", {}),
    ("tobacco", "2026 年卷烟零售户持证经营抽查（下半年）", ("YCJ-01",), ("卷烟零售",), D(2026, 10, 12), D(2026, 11, 20), "全县卷烟零售户", {}),
    ("statistics", "2026 年统计调查对象抽查", ("TJJ-01",), ("规模以上企业",), D(2026, 5, 11), D(2026, 6, 30), "全县规模以上企业", {}),
    ("medical-security", "2026 年定点零售药店医保基金使用抽查", ("YBJ-01",), ("定点医药机构",), D(2026, 4, 13), D(2026, 5, 29), "全县定点零售药店", {}),
    ("fire-rescue", "2026 年人员密集场所消防安全抽查", ("XFJY-01",), ("人员密集场所",), D(2026, 10, 9), D(2026, 11, 27), "全县人员密集场所（市场主体）",
     {"kinds": CR}),
    ("development-reform", "2026 年招标代理机构抽查", ("FGJ-01",), ("招标代理机构",), D(2026, 6, 8), D(2026, 7, 31), "全县招标代理机构", {}),
    ("industry-it", "2026 年重点用能单位节能监察", ("GXJ-02",), ("重点用能单位",), D(2026, 8, 3), D(2026, 9, 30), "全县重点用能单位", {}),
)


def _singles() -> tuple[TaskSpec, ...]:
    seq = {t.initiator: t.seq for t in JOINT}
    out = []
    for unit, name, items, tags, start, end, scope, opts in _S:
        seq[unit] = seq.get(unit, 0) + 1
        while any(t.initiator == unit and t.seq == seq[unit] for t in JOINT):
            seq[unit] += 1
        out.append(T(unit, seq[unit], name, (unit,), items, tags, start, end, scope, **opts))
    return tuple(out)


TASKS: tuple[TaskSpec, ...] = tuple(sorted(JOINT + _singles(), key=lambda t: (t.initiator, t.seq)))
# fmt: on


SEASON = (D(2026, 4, 1), D(2026, 11, 30))  # county.yaml deadlines inspection_from / inspection_to


def for_year(year: int) -> tuple[TaskSpec, ...]:
    """The year's tasks: the 2026 programme moved by whole weeks (same weekdays, so meetings and
    windows stay on working days), kept inside the April–November season, and only the tasks whose
    items are all in force over the window (the first year starts with the plan, 2022-07-01)."""
    if year == 2026:
        return TASKS
    weeks = round((year - 2026) * 365.2425 / 7)
    season = (SEASON[0].replace(year=year), SEASON[1].replace(year=year))
    out = []
    for t in TASKS:
        start, end = t.start + dt.timedelta(weeks=weeks), t.end + dt.timedelta(weeks=weeks)
        while start < season[0]:
            start, end = start + dt.timedelta(weeks=1), end + dt.timedelta(weeks=1)
        while end > season[1]:
            start, end = start - dt.timedelta(weeks=1), end - dt.timedelta(weeks=1)
        if all(_in_force(code, start, end) for code in t.items):
            name, scope = t.name.replace("2026", str(year)), t.scope
            out.append(replace(t, year=year, name=name, start=start, end=end, scope=scope))
    return tuple(out)


def _in_force(code: str, start: dt.date, end: dt.date) -> bool:
    from generator.samplegen.items import ITEMS

    return any(
        i.code == code and i.status == "有效" and i.start <= start and (i.end is None or i.end >= end)
        for i in ITEMS
    )


def ratios(spec: TaskSpec) -> dict[str, str]:
    """Per-class ratios: the override, else D at the lowest 一般 cap and A at two fifths of it."""
    caps = [_pct(BY_CODE[c].cap) for c in spec.items if BY_CODE[c].category == "一般"]
    if spec.ratios:
        if caps:
            assert all(_pct(r) <= min(caps) for r in spec.ratios.values()), spec.id
        return dict(spec.ratios)
    if spec.stratify == "none":
        return {"all": _fmt(min(caps)) if caps else "20%"}
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
    if spec.stratify == "none":
        counts = {"all": len(candidates)}
    else:
        counts = {k: 0 for k in "ABCD"}
        for obj in candidates:
            counts[obj["credit_risk"]] += 1
    out = {}
    for cls, ratio in ratios(spec).items():
        n = counts[cls]
        out[cls] = 0 if n == 0 else min(n, max(1, math.ceil(n * _pct(ratio))))
    return out


PER_DEPARTMENT = 2  # county.yaml object_rules.min_per_department


def per_unit(spec: TaskSpec) -> dict[str, int]:
    """People each unit sends per team: two certified officers each (the county minimum per department)."""
    return {u: PER_DEPARTMENT + (spec.lead_extra if u == spec.initiator else 0) for u in spec.participants}


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
