"""检查对象名录库: synthetic enterprises, schools, projects and products, spread over directories.

Each *population* is a kind of business with its own word lists, tags (专项库) and the units whose
directories list it; the same object keeps one identical row in every directory it appears in.
Credit-risk classes follow roughly A 30 % / B 50 % / C 15 % / D 5 %; a few objects are 注销/吊销/迁出
so the draw's exclusions have material.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from generator.samplegen import uscc, words
from generator.samplegen.county import CODE, TOWNSHIP_WEIGHTS, TOWNSHIPS

INDIVIDUAL, COMPANY, COOP, PUBLIC, SOCIAL, OTHER = (
    "个体工商户",
    "企业",
    "农民专业合作社",
    "事业单位",
    "社会组织",
    "其他",
)
PRODUCT, PROJECT = "产品", "项目"
# registry (登记管理部门) + category (机构类别) of the 统一社会信用代码 for each object kind
REGISTRY = {COMPANY: "91", INDIVIDUAL: "92", COOP: "93", PUBLIC: "12", SOCIAL: "52", OTHER: "31"}
EXCLUDED_STATUSES = ("注销", "吊销", "迁出")
STATUSES = (("存续", 940), ("停业", 12), ("注销", 25), ("吊销", 15), ("迁出", 8))
RISKS = (("A", 30), ("B", 50), ("C", 15), ("D", 5))
CLASSIFIED = (COMPANY, INDIVIDUAL, COOP)


@dataclass(frozen=True)
class Extra:
    """An optional tag some members of a population carry, adding directories."""

    tag: str
    share: float
    dirs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Population:
    key: str
    count: int
    dirs: tuple[str, ...]
    kinds: tuple[tuple[str, int], ...]
    industries: tuple[str, ...]
    tags: tuple[str, ...] = ()
    extras: tuple[Extra, ...] = ()


P = Population
# fmt: off
POPULATIONS: tuple[Population, ...] = (
    P("catering", 420, ("market",), ((INDIVIDUAL, 6), (COMPANY, 4)), ("餐饮", "小吃", "面馆", "快餐", "饭店", "烧烤"),
      ("餐饮服务",), (Extra("人员密集场所", 0.05, ("fire-rescue",)), Extra("清真食品", 0.03, ("ethnic-religion",)))),
    P("food-retail", 300, ("market",), ((INDIVIDUAL, 6), (COMPANY, 4)), ("食品", "副食品", "超市", "便利店", "粮油"),
      ("食品销售",), (Extra("人员密集场所", 0.04, ("fire-rescue",)), Extra("单用途预付卡", 0.05, ("commerce",)))),
    P("enterprise", 500, ("market",), ((COMPANY, 1),),
      ("商贸", "科技", "建材", "服装", "机械", "电子", "木业", "纺织", "家居", "包装", "物流", "信息技术"), (),
      (Extra("特种设备使用单位", 0.2), Extra("规模以上企业", 0.12, ("statistics", "tax")), Extra("重点用能单位", 0.03, ("industry-it",)))),
    P("school", 55, ("education", "market", "health"), ((PUBLIC, 1),),
      ("实验小学", "中心小学", "初级中学", "中学", "中心幼儿园"), ("学校食堂",)),
    P("kindergarten", 25, ("education", "market"), ((SOCIAL, 1),), ("幼儿园",), ("学校食堂", "民办学校")),
    P("training", 30, ("education",), ((COMPANY, 2), (SOCIAL, 1)), ("教育培训", "艺术培训", "体育培训"), ("校外培训",)),
    P("pharmacy", 60, ("market", "health"), ((COMPANY, 6), (INDIVIDUAL, 4)), ("大药房", "药店", "医药"), ("药品零售",),
      (Extra("定点医药机构", 0.6, ("medical-security",)),)),
    P("clinic", 45, ("health",), ((INDIVIDUAL, 6), (COMPANY, 4)), ("诊所", "口腔诊所", "中医诊所"), ("医疗机构",),
      (Extra("定点医药机构", 0.6, ("medical-security",)),)),
    P("swimming", 14, ("health", "market"), ((COMPANY, 1),), ("游泳馆", "水上乐园", "健身游泳"), ("游泳场馆", "公共场所")),
    P("hotel", 35, ("health", "public-security", "fire-rescue"), ((COMPANY, 5), (INDIVIDUAL, 5)),
      ("宾馆", "酒店", "旅馆"), ("公共场所", "旅馆业", "人员密集场所")),
    P("beauty", 45, ("health",), ((INDIVIDUAL, 1),), ("美发", "美容", "理发"), ("公共场所",)),
    P("travel", 12, ("culture-tourism", "market"), ((COMPANY, 1),), ("旅行社", "国际旅行社"), ("旅行社",)),
    P("entertainment", 28, ("culture-tourism", "public-security", "fire-rescue"),
      ((COMPANY, 6), (INDIVIDUAL, 4)), ("KTV", "歌舞厅", "娱乐城"), ("娱乐场所", "人员密集场所")),
    P("netcafe", 18, ("culture-tourism",), ((INDIVIDUAL, 6), (COMPANY, 4)), ("网咖", "网吧"), ("互联网上网服务营业场所",)),
    P("printing", 16, ("culture-tourism", "market"), ((COMPANY, 1),), ("印务", "包装印刷", "彩印"), ("包装装潢印刷",)),
    P("fuel", 26, ("commerce", "emergency", "market", "fire-rescue"), ((COMPANY, 1),),
      ("加油站", "石化加油站", "能源加油站"), ("加油站",)),
    P("chemicals", 30, ("emergency", "fire-rescue", "public-security"), ((COMPANY, 1),),
      ("化工", "化工贸易", "危化品经营"), ("危险化学品经营",)),
    P("industry", 60, ("emergency",), ((COMPANY, 1),), ("机械制造", "木制品加工", "金属制品", "粉尘涉爆加工"), ("工贸企业",)),
    P("site", 45, ("housing", "urban-management", "ecology"), ((PROJECT, 1),),
      ("花园住宅项目", "商业综合体项目", "标准厂房项目", "安置房项目", "道路改造工程"), ("建筑工地",)),
    P("property", 20, ("housing",), ((COMPANY, 1),), ("物业服务", "物业管理"), ("物业服务",)),
    P("builder", 30, ("housing", "human-resources"), ((COMPANY, 1),), ("建设工程", "建筑安装", "市政工程"), ("建筑业企业",)),
    P("emitter", 60, ("ecology",), ((COMPANY, 1),), ("化纤", "板材", "食品加工", "印染", "热电"), ("排污单位",)),
    P("agri-inputs", 55, ("agriculture", "market"), ((INDIVIDUAL, 6), (COMPANY, 4)), ("农资", "农药", "兽药", "种业"),
      ("农资经营",)),
    P("coop", 40, ("agriculture", "market"), ((COOP, 1),), ("稻麦种植", "果蔬种植", "畜禽养殖", "水产养殖"), ("农民专业合作社",)),
    P("transport", 35, ("transport",), ((COMPANY, 1),), ("运输", "物流运输", "客运"), ("道路运输",)),
    P("repair", 30, ("transport", "ecology"), ((INDIVIDUAL, 6), (COMPANY, 4)), ("汽车维修", "汽修"), ("机动车维修",)),
    P("tobacco", 160, ("tobacco", "market"), ((INDIVIDUAL, 1),), ("烟酒", "便民", "百货"), ("卷烟零售",)),
    P("elderly", 14, ("civil-affairs", "fire-rescue", "health"), ((SOCIAL, 7), (COMPANY, 3)),
      ("养老院", "颐养中心", "护理院"), ("养老机构", "人员密集场所")),
    P("associations", 12, ("civil-affairs",), ((SOCIAL, 1),), ("商会", "协会", "促进会"), ("社会组织",)),
    P("hr-agency", 14, ("human-resources", "market"), ((COMPANY, 1),), ("人力资源", "劳务派遣"), ("人力资源服务机构",)),
    P("lightning", 10, ("meteorology",), ((COMPANY, 1),), ("防雷检测", "气球庆典"), ("气象",)),
    P("water-users", 14, ("water", "ecology"), ((COMPANY, 1),), ("水务", "砂石", "水产"), ("取水单位",),
      (Extra("河道采砂", 0.3),)),
    P("billboards", 18, ("urban-management",), ((COMPANY, 1),), ("广告", "广告传媒"), ("户外广告设置",)),
    P("surveying", 8, ("natural-resources",), ((COMPANY, 1),), ("测绘", "地理信息"), ("测绘资质单位",)),
    P("law-firms", 8, ("justice",), ((OTHER, 1),), ("律师事务所",), ("律师事务所",)),
    P("bookkeeping", 10, ("finance", "tax"), ((COMPANY, 1),), ("代理记账", "财务咨询"), ("代理记账机构",)),
    P("tendering", 8, ("development-reform",), ((COMPANY, 1),), ("招标代理", "工程咨询"), ("招标代理机构",)),
    P("hi-tech", 20, ("science-tech", "statistics", "tax"), ((COMPANY, 1),), ("新材料", "智能装备", "生物科技"),
      ("高新技术企业",)),
    P("products", 40, ("market",), ((PRODUCT, 1),), ("电线电缆", "电动自行车充电器", "儿童服装", "塑料购物袋", "燃气灶具"), ("工业产品",)),
)
# fmt: on


def all_industries() -> list[str]:
    return sorted({w for p in POPULATIONS for w in p.industries})


# Industry words that already name a shop or an institution take no further shop suffix
# (no 药店店, 诊所坊, 旅馆馆).
SELF_NAMED = (
    "店",
    "所",
    "馆",
    "房",
    "院",
    "站",
    "社",
    "厅",
    "城",
    "园",
    "吧",
    "咖",
    "部",
    "中心",
    "KTV",
    "超市",
)


def _suffix(rng: random.Random, kind: str, industry: str) -> str:
    if kind == INDIVIDUAL:
        if industry.endswith(SELF_NAMED):
            return ""
        return rng.choice(words.PERSONAL_SUFFIXES)
    if kind == COMPANY:
        return rng.choice(words.COMPANY_SUFFIXES)
    return ""


def _name(rng: random.Random, brand: str, industry: str, kind: str) -> str:
    if kind == PRODUCT:
        return f"{brand}牌{industry}"
    return f"{words.COUNTY_PREFIX}{brand}{industry}{_suffix(rng, kind, industry)}"


# Plain names a population can draw are few (kindergartens: one industry word × 240 brands), so the
# redraw is bounded; past it a name takes its township, then a branch number (分部), which never runs out.
MAX_REDRAWS = 64


def unique_name(
    rng: random.Random, names: set[str], brands: list[str], pop: Population, kind: str, township: str
) -> str:
    """A name not yet in ``names`` (added to it). The first tries consume ``rng`` exactly as the
    original unbounded redraw did, so every scale that used to finish writes the same bytes."""
    name = _name(rng, rng.choice(brands), rng.choice(pop.industries), kind)
    if name in names:
        name = f"{name}（{township}）"
    for _ in range(MAX_REDRAWS):
        if name not in names:
            break
        name = _name(rng, rng.choice(brands), rng.choice(pop.industries), kind)
    if name in names:
        plain, branch = name, 2
        name = f"{plain}（{township}）"
        while name in names:
            name = f"{plain}（{township}第{branch}分部）"
            branch += 1
    names.add(name)
    return name


def generate(rng: random.Random, scale: int) -> list[dict]:
    """Objects as rows keyed by field name, plus ``dirs`` (the units whose directories list them)."""
    brands = words.brands()
    names: set[str] = set()
    ids: set[str] = set()
    out: list[dict] = []
    serial = {PRODUCT: 0, PROJECT: 0}
    for pop in POPULATIONS:
        kinds, weights = zip(*pop.kinds, strict=True)
        for _ in range(pop.count * scale):
            kind = rng.choices(kinds, weights)[0]
            township = rng.choices(TOWNSHIPS, TOWNSHIP_WEIGHTS)[0]
            name = unique_name(rng, names, brands, pop, kind, township)
            if kind in (PRODUCT, PROJECT):
                serial[kind] += 1
                id_kind = "产品编号" if kind == PRODUCT else "项目编号"
                object_id = f"{'CP' if kind == PRODUCT else 'XM'}-{CODE}-2026-{serial[kind]:05d}"
            else:
                id_kind = "统一社会信用代码"
                object_id = uscc.make(rng, *REGISTRY[kind], CODE)
                while object_id in ids:
                    object_id = uscc.make(rng, *REGISTRY[kind], CODE)
            ids.add(object_id)
            tags, dirs = list(pop.tags), list(pop.dirs)
            for extra in pop.extras:
                if rng.random() < extra.share:
                    tags.append(extra.tag)
                    dirs += [d for d in extra.dirs if d not in dirs]
            status = rng.choices(*zip(*STATUSES, strict=True))[0]
            risk = rng.choices(*zip(*RISKS, strict=True))[0]
            dishonest = risk == "D" and rng.random() < 0.25
            if kind not in CLASSIFIED:
                # 信用风险分类 covers market subjects only; schools, projects, products… carry none.
                risk, dishonest = "", False
            out.append(
                {
                    "id": object_id,
                    "id_kind": id_kind,
                    "name": name,
                    "kind": kind,
                    "township": township,
                    "address": words.address(rng, township),
                    "tags": tags,
                    "status": status,
                    "credit_risk": risk,
                    "dishonest": dishonest,
                    "dirs": dirs,
                }
            )
    return out


def by_directory(objects: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for obj in objects:
        for unit in obj["dirs"]:
            out.setdefault(unit, []).append(obj)
    return {unit: sorted(rows, key=lambda r: r["id"]) for unit, rows in sorted(out.items())}


# Over several years the directories grow: most subjects exist before the first year, the rest
# register year by year; those that end 注销/吊销/迁出 leave in a year of their own and trade as 存续 until then.
PRESENT_AT_START = 0.75


def add_history(rng: random.Random, objects: list[dict], years: tuple[int, ...]) -> None:
    """Give each object the year it entered the directories (``since``) and, for those that leave,
    the year they did (``until``). Not CSV fields: ``as_of`` turns them into a year's directory."""
    for obj in objects:
        since = years[0] if rng.random() < PRESENT_AT_START else rng.choice(years[1:] or years)
        obj["since"] = since
        left = obj["status"] in EXCLUDED_STATUSES
        obj["until"] = rng.choice([y for y in years if y >= since]) if left else None


def as_of(objects: list[dict], year: int) -> list[dict]:
    """The directories' rows as the units kept them in ``year``: registered subjects only, and a
    subject that leaves later still 存续."""
    out = []
    for obj in objects:
        if obj["since"] > year:
            continue
        if obj["until"] is not None and obj["until"] > year:
            obj = obj | {"status": "存续"}
        out.append(obj)
    return out
