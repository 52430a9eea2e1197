"""抽查事项清单 of the sample county, modelled on published lists (domain.md §3).

One row per item: code, owner, 抽查类别, 抽查事项, 检查对象, 重点/一般, 依据, 检查方式, 联合部门,
一般事项的比例上限, 检查人员资质. Item SCJG-04 has two versions (a revision in 2026) and SCJG-10
is withdrawn (已废止) to show history. Legal bases name real laws; article numbers are indicative.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.samplegen import guidance
from generator.samplegen.emit import Note
from generator.samplegen.units import BY_ID

D = dt.date
SITE, DESK, NET, LAB = "实地检查", "书面检查", "网络监测", "检验检测"


@dataclass(frozen=True)
class ItemSpec:
    code: str
    unit: str
    domain: str
    name: str
    objects: str
    category: str
    basis: str
    methods: tuple[str, ...]
    joint: tuple[str, ...] = ()
    cap: str | None = None
    qual: str = ""
    start: dt.date = D(2022, 7, 1)
    end: dt.date | None = None
    status: str = "有效"
    change_note: str = ""


K, G = "重点", "一般"
# 人行泗阳县支行: the 2023 State Council reform of PBoC branches no longer keeps county branches;
# their duties moved up to the city branch. The date here is illustrative (check the county's notice).
PBOC_END = D(2024, 12, 31)
# fmt: off
ITEMS: tuple[ItemSpec, ...] = (
    # -- 县市场监管局 ------------------------------------------------------------------------
    ItemSpec("SCJG-01", "market", "登记事项检查", "营业执照（登记证）规范使用情况的检查", "企业、个体工商户、农民专业合作社", G,
             "《市场主体登记管理条例》第三十六条、第四十八条", (SITE, NET), ("tax", "statistics"), "5%", "登记事项"),
    ItemSpec("SCJG-02", "market", "登记事项检查", "名称规范使用情况的检查", "企业、个体工商户、农民专业合作社", G, "《企业名称登记管理规定》第二十六条",
             (SITE, NET), (), "5%", "登记事项"),
    ItemSpec("SCJG-03", "market", "登记事项检查", "年度报告公示信息的检查", "企业、农民专业合作社", G, "《企业信息公示暂行条例》第十四条", (DESK, NET),
             ("tax",), "5%", "登记事项"),
    ItemSpec("SCJG-04", "market", "学校办学情况抽查", "学校食堂食品安全情况的检查", "各类学校食堂", K, "《食品安全法》第五十七条；《学校食品安全与营养健康管理规定》",
             (SITE,), ("education", "health"), None, "食品安全", D(2021, 7, 1), D(2026, 2, 28)),
    ItemSpec("SCJG-04", "market", "学校办学情况抽查", "学校食堂食品安全情况的检查", "各类学校食堂（含托幼机构食堂）", K,
             "《食品安全法》第五十七条；《学校食品安全与营养健康管理规定》；《食品生产经营监督检查管理办法》第二十三条", (SITE, LAB), ("education", "health"),
             None, "食品安全", D(2026, 3, 1), None, "有效", "检查对象扩大到托幼机构食堂，增加检验检测方式，补充抽查依据。"),
    ItemSpec("SCJG-05", "market", "食品安全", "餐饮服务食品安全的检查", "餐饮服务经营者", K, "《食品安全法》第五十五条、第五十六条；《食品生产经营监督检查管理办法》",
             (SITE,), (), None, "食品安全"),
    ItemSpec("SCJG-06", "market", "食品安全", "食品销售者经营行为的检查", "食品销售者", G, "《食品安全法》第五十三条、第五十四条", (SITE,), (),
             "10%", "食品安全"),
    ItemSpec("SCJG-07", "market", "特种设备安全", "特种设备使用单位的检查", "特种设备使用单位", K,
             "《特种设备安全法》第三十二条至第四十五条；《特种设备安全监督检查办法》第八条", (SITE,), ("emergency",), None, "特种设备"),
    ItemSpec("SCJG-08", "market", "药品经营", "药品零售企业经营行为的检查", "药品零售企业", K,
             "《药品管理法》第五十一条至第五十九条；《药品经营和使用质量监督管理办法》", (SITE,), ("health", "medical-security"), None, "药品监管"),
    ItemSpec("SCJG-09", "market", "工业产品质量", "工业产品质量的监督抽查", "工业产品", K, "《产品质量法》第十五条；《产品质量监督抽查管理暂行办法》", (LAB,),
             (), None, "产品质量"),
    ItemSpec("SCJG-10", "market", "计量监督", "集贸市场计量器具的检查", "集贸市场经营者", G, "《计量法》第九条；《集贸市场计量监督管理办法》", (SITE,), (),
             "10%", "计量监督", D(2020, 1, 1), D(2025, 12, 31), "已废止", "并入 SCJG-11“计量器具使用的检查”，自 2026 年起不再单列。"),
    ItemSpec("SCJG-11", "market", "计量监督", "计量器具使用的检查", "使用计量器具的经营者", G, "《计量法》第九条", (SITE,), (), "5%", "计量监督",
             D(2026, 1, 1)),
    ItemSpec("SCJG-12", "market", "价格监督", "明码标价的检查", "经营者", G, "《价格法》第十三条；《明码标价和禁止价格欺诈规定》", (SITE, NET),
             ("development-reform",), "5%", "价格监督"),
    ItemSpec("SCJG-13", "market", "产品质量", "加油站成品油质量的检查", "加油站", K, "《产品质量法》第十五条", (SITE, LAB), ("commerce",),
             None, "产品质量"),
    # -- other units ---------------------------------------------------------------------------
    ItemSpec("JYJ-01", "education", "学校办学情况抽查", "学校食品安全管理责任落实情况的检查", "中小学、幼儿园", K, "《学校食品安全与营养健康管理规定》第七条",
             (SITE, DESK), ("market", "health"), None, "校园安全"),
    ItemSpec("JYJ-02", "education", "校外培训机构", "校外培训机构办学行为的检查", "校外培训机构", G, "《民办教育促进法》；《校外培训行政处罚暂行办法》",
             (SITE,), ("market", "fire-rescue"), "10%", "教育执法"),
    ItemSpec("GAJ-01", "public-security", "旅馆业治安管理", "旅馆业治安管理情况的检查", "旅馆", G, "《旅馆业治安管理办法》", (SITE,),
             ("health", "fire-rescue"), "10%", "治安管理"),
    ItemSpec("GAJ-02", "public-security", "娱乐场所", "娱乐场所治安管理情况的检查", "娱乐场所", G, "《娱乐场所管理条例》第二十九条", (SITE,),
             ("culture-tourism",), "10%", "治安管理"),
    ItemSpec("GAJ-03", "public-security", "危险化学品", "易制爆危险化学品购销的检查", "危险化学品经营企业", K, "《危险化学品安全管理条例》", (SITE,),
             ("emergency",), None, "治安管理"),
    ItemSpec("MZJ-01", "civil-affairs", "养老机构", "养老机构服务安全的检查", "养老机构", K, "《养老机构管理办法》", (SITE,),
             ("fire-rescue", "health"), None, "养老服务"),
    ItemSpec("MZJ-02", "civil-affairs", "社会组织", "社会组织遵守登记管理规定情况的检查", "社会团体、民办非企业单位", G, "《社会团体登记管理条例》",
             (DESK,), (), "5%", "社会组织管理"),
    ItemSpec("SFJ-01", "justice", "法律服务", "律师事务所执业活动的检查", "律师事务所", G, "《律师法》；《律师事务所管理办法》", (SITE, DESK), (),
             "10%", "法律服务"),
    ItemSpec("RSJ-01", "human-resources", "人力资源市场", "人力资源服务机构经营行为的检查", "人力资源服务机构", G, "《人力资源市场暂行条例》", (SITE,),
             ("market",), "10%", "劳动保障"),
    ItemSpec("RSJ-02", "human-resources", "劳动保障", "用人单位工资支付情况的检查", "建筑业企业", G, "《劳动保障监察条例》；《保障农民工工资支付条例》",
             (SITE, DESK), ("housing",), "5%", "劳动保障"),
    ItemSpec("CZJ-01", "finance", "会计监督", "代理记账机构的检查", "代理记账机构", G, "《会计法》；《代理记账管理办法》", (DESK,), ("tax",),
             "10%", "会计监督"),
    ItemSpec("ZGJ-01", "natural-resources", "测绘", "测绘资质单位的检查", "测绘单位", G, "《测绘法》", (SITE, DESK), (), "10%",
             "自然资源执法"),
    ItemSpec("KJJ-01", "science-tech", "科技", "高新技术企业研发活动的检查", "高新技术企业", G, "《科学技术进步法》", (DESK,),
             ("statistics",), "5%", "科技管理"),
    ItemSpec("ZJJ-01", "housing", "建筑工程施工现场", "建筑工程施工现场质量安全的检查", "在建房屋建筑和市政工程项目", K,
             "《建设工程质量管理条例》；《建设工程安全生产管理条例》", (SITE,), ("ecology", "urban-management"), None, "建设工程"),
    ItemSpec("ZJJ-02", "housing", "物业服务", "物业服务企业的检查", "物业服务企业", G, "《物业管理条例》", (SITE,), (), "10%", "建设工程"),
    ItemSpec("CGJ-01", "urban-management", "建筑工地扬尘", "建筑工地扬尘污染防治的检查", "在建工程项目", K, "《大气污染防治法》第六十九条", (SITE,),
             ("housing", "ecology"), None, "城市管理"),
    ItemSpec("CGJ-02", "urban-management", "户外广告", "户外广告设施设置的检查", "户外广告设置单位", G, "《城市市容和环境卫生管理条例》", (SITE,),
             (), "10%", "城市管理"),
    ItemSpec("JTJ-01", "transport", "道路运输", "道路运输企业经营行为的检查", "道路运输企业", G, "《道路运输条例》", (SITE, DESK),
             ("public-security",), "10%", "交通运输执法"),
    ItemSpec("JTJ-02", "transport", "机动车维修", "机动车维修经营的检查", "机动车维修经营者", G, "《机动车维修管理规定》", (SITE,),
             ("ecology",), "10%", "交通运输执法"),
    ItemSpec("SLJ-01", "water", "水资源", "取水单位取用水情况的检查", "取水单位", G, "《水法》；《取水许可和水资源费征收管理条例》", (SITE,), (),
             "10%", "水行政执法"),
    ItemSpec("SLJ-02", "water", "河道管理", "河道采砂的检查", "河道采砂单位", K, "《河道管理条例》", (SITE,), (), None, "水行政执法"),
    ItemSpec("NYJ-01", "agriculture", "农资质量", "农药经营的检查", "农药经营者", K, "《农药管理条例》", (SITE, LAB), ("market",),
             None, "农业综合执法"),
    ItemSpec("NYJ-02", "agriculture", "农资质量", "兽药经营的检查", "兽药经营者", K, "《兽药管理条例》", (SITE,), ("market",), None,
             "农业综合执法"),
    ItemSpec("NYJ-03", "agriculture", "农资质量", "种子经营的检查", "种子经营者", G, "《种子法》", (SITE,), (), "10%", "农业综合执法"),
    ItemSpec("MZZJ-01", "ethnic-religion", "清真食品", "清真食品经营的检查", "清真食品经营者", G, "《江苏省清真食品管理条例》", (SITE,),
             ("market",), "10%", "民族宗教"),
    ItemSpec("SWUJ-01", "commerce", "成品油流通", "成品油零售经营的检查", "加油站", G, "成品油流通管理相关规定", (SITE,),
             ("emergency", "market", "fire-rescue"), "10%", "商务执法"),
    ItemSpec("SWUJ-02", "commerce", "单用途预付卡", "单用途商业预付卡发卡企业的检查", "发卡企业", G, "《单用途商业预付卡管理办法（试行）》", (DESK,), (),
             "5%", "商务执法"),
    ItemSpec("WLJ-01", "culture-tourism", "旅行社", "旅行社经营行为的检查", "旅行社", G, "《旅游法》；《旅行社条例》", (SITE, NET),
             ("market",), "10%", "文化市场"),
    ItemSpec("WLJ-02", "culture-tourism", "娱乐场所", "娱乐场所经营行为的检查", "娱乐场所", G, "《娱乐场所管理条例》", (SITE,),
             ("public-security", "fire-rescue"), "10%", "文化市场"),
    ItemSpec("WLJ-03", "culture-tourism", "包装装潢印刷", "包装装潢、其他印刷品印刷单位经营情况的检查", "印刷单位", G, "《印刷业管理条例》", (SITE,),
             ("market",), "10%", "文化市场"),
    ItemSpec("WLJ-04", "culture-tourism", "互联网上网服务", "互联网上网服务营业场所的检查", "网吧", G, "《互联网上网服务营业场所管理条例》", (SITE,),
             ("public-security",), "10%", "文化市场"),
    ItemSpec("WJJ-01", "health", "游泳场（馆）抽查", "游泳场（馆）取得许可证及卫生管理情况等的检查", "游泳场（馆）", K,
             "《公共场所卫生管理条例》；《公共场所卫生管理条例实施细则》", (SITE, LAB), ("market",), None, "公共卫生"),
    ItemSpec("WJJ-02", "health", "公共场所卫生", "住宿、美容美发场所卫生的检查", "住宿、美容美发场所", G, "《公共场所卫生管理条例》", (SITE,), (),
             "10%", "公共卫生"),
    ItemSpec("WJJ-03", "health", "医疗机构", "医疗机构依法执业的检查", "医疗机构", K, "《医疗机构管理条例》", (SITE, DESK),
             ("medical-security",), None, "医疗卫生监督"),
    ItemSpec("WJJ-04", "health", "学校卫生", "学校传染病防控和饮用水卫生的检查", "学校", K, "《学校卫生工作条例》", (SITE,), ("education",),
             None, "公共卫生"),
    ItemSpec("STHJ-01", "ecology", "排污许可", "排污单位执行排污许可制度情况的检查", "排污单位", K, "《排污许可管理条例》", (SITE, NET),
             ("water",), None, "生态环境执法"),
    ItemSpec("STHJ-02", "ecology", "环境影响评价", "建设项目环境影响评价制度执行情况的检查", "建设项目", G, "《环境影响评价法》", (DESK, SITE), (),
             "5%", "生态环境执法"),
    ItemSpec("STHJ-03", "ecology", "机动车维修行业污染防治", "机动车维修企业危险废物管理的检查", "机动车维修经营者", G,
             "《固体废物污染环境防治法》第七十七条、第八十一条", (SITE,), ("transport",), "10%", "生态环境执法", D(2026, 1, 1)),
    ItemSpec("YJJ-01", "emergency", "危险化学品安全", "危险化学品经营企业安全生产的检查", "危险化学品经营企业", K, "《安全生产法》；《危险化学品安全管理条例》",
             (SITE,), ("fire-rescue", "public-security"), None, "安全生产"),
    ItemSpec("YJJ-02", "emergency", "工贸行业安全", "工贸企业安全生产的检查", "工贸企业", G, "《安全生产法》", (SITE,), (), "10%",
             "安全生产"),
    ItemSpec("YJJ-03", "emergency", "加油站安全", "加油站安全生产的检查", "加油站", K, "《安全生产法》；《危险化学品安全管理条例》", (SITE,),
             ("commerce",), None, "安全生产"),
    ItemSpec("SWJ-01", "tax", "发票管理", "发票使用情况的检查", "纳税人", G, "《发票管理办法》", (DESK,), (), "5%", "税务稽查"),
    ItemSpec("QXJ-01", "meteorology", "防雷安全", "防雷装置检测单位的检查", "防雷装置检测单位", G, "《气象灾害防御条例》", (SITE, DESK), (),
             "10%", "气象执法"),
    ItemSpec("QXJ-02", "meteorology", "施放气球", "升放气球活动的检查", "升放气球单位", G, "《施放气球管理办法》", (SITE,), (), "10%",
             "气象执法"),
    ItemSpec("YCJ-01", "tobacco", "烟草专卖零售", "烟草专卖零售许可证持证经营情况的检查", "卷烟零售户", G, "《烟草专卖法》；《烟草专卖法实施条例》", (SITE,),
             ("market",), "5%", "烟草专卖"),
    ItemSpec("TJJ-01", "statistics", "统计执法", "统计调查对象统计工作的检查", "规模以上企业", G, "《统计法》", (DESK, SITE), ("tax",),
             "5%", "统计执法"),
    ItemSpec("YBJ-01", "medical-security", "医疗保障基金使用", "定点医药机构医疗保障基金使用情况的检查", "定点医药机构", G, "《医疗保障基金使用监督管理条例》",
             (SITE, DESK), ("health", "market"), "10%", "医保基金监管"),
    ItemSpec("XFJY-01", "fire-rescue", "消防安全", "单位履行消防安全职责情况的检查", "人员密集场所等社会单位", K, "《消防法》第十六条", (SITE,),
             ("emergency", "market"), None, "消防监督"),
    ItemSpec("FGJ-01", "development-reform", "招标投标", "招标代理机构执业行为的检查", "招标代理机构", G, "《招标投标法》", (DESK,), (),
             "10%", "发改执法"),
    ItemSpec("GXJ-01", "industry-it", "民用爆炸物品安全", "民用爆炸物品生产、销售企业安全的检查", "民用爆炸物品企业", K, "《民用爆炸物品安全管理条例》",
             (SITE,), ("public-security", "emergency"), None, "工业和信息化执法"),
    ItemSpec("GXJ-02", "industry-it", "节能监察", "重点用能单位节能情况的检查", "重点用能单位", G, "《节约能源法》", (SITE, DESK),
             ("development-reform",), "10%", "节能监察"),
    ItemSpec("RMYH-01", "pboc", "人民币流通管理", "金融机构人民币收付业务的检查", "金融机构营业网点", G, "《中国人民银行法》；《人民币管理条例》", (SITE,),
             (), "10%", "金融管理", D(2022, 7, 1), PBOC_END, "已废止",
             "中国人民银行分支机构改革：不再保留县（市）支行，职能上收至市分行，本事项由市分行实施。"),
)
# fmt: on

BY_CODE: dict[str, ItemSpec] = {}
for _spec in ITEMS:  # the current (last) version wins
    BY_CODE[_spec.code] = _spec


def qualifications(codes) -> list[str]:
    return sorted({BY_CODE[c].qual for c in codes if BY_CODE[c].qual})


def item_doc(s: ItemSpec) -> dict:
    doc: dict = {
        "code": s.code,
        # 互联网+监管 catalogue codes are not public for the county: the sample marks its codes DEMO.
        "catalog_code": f"DEMO-{s.code}",
        "domain": s.domain,
        "name": s.name,
        "objects": s.objects,
        "category": s.category,
        "basis": s.basis,
        "methods": list(s.methods),
        "authority": BY_ID[s.unit].name,
        "joint_units": list(s.joint),
    }
    if s.cap:
        doc["ratio_cap"] = s.cap
    doc["qualifications"] = [s.qual] if s.qual else []
    doc["check_points"] = guidance.check_points(s.code)
    doc["effective_from"] = s.start
    if s.end:
        doc["effective_to"] = s.end
    doc["status"] = s.status
    if s.change_note:
        doc["change_note"] = s.change_note
    return doc


def items_files() -> dict[str, dict]:
    """unit id -> the items.yaml document."""
    out: dict[str, dict] = {}
    for s in ITEMS:
        doc = out.setdefault(s.unit, {"unit": s.unit, "updated_on": D(2026, 1, 5), "items": []})
        if s.end and s.status == "有效":
            doc["items"].append(
                {
                    Note(
                        f"{s.code} 的旧版本，{(s.end + dt.timedelta(days=1)).isoformat()} 起由下一版本替代。"
                    ): None,
                    **item_doc(s),
                }
            )
        else:
            doc["items"].append(item_doc(s))
        if s.start.year == 2026:
            doc["updated_on"] = max(doc["updated_on"], s.start - dt.timedelta(days=14))
    return out
