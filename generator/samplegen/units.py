"""The 30 member units of the seed plan's annex (泗政办发〔2022〕31号), in annex order.

``letters`` prefix inspector ids (SCJG-001). ``initiates`` lists the joint-inspection fields a unit
initiates under the provincial joint list; those units must start at least one joint task a year.
Liaison officers are synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from generator.samplegen import words


@dataclass(frozen=True)
class UnitSpec:
    id: str
    name: str
    short_name: str
    letters: str
    initiates: tuple[str, ...] = ()
    exempt_reason: str = ""  # for the sample year only (exemptions are per year)


# fmt: off
UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("market", "县市场监管局", "市场监管", "SCJG", ("登记事项检查", "食品安全", "特种设备安全", "药品经营")),
    UnitSpec("development-reform", "县发改局", "发改", "FGJ"),
    UnitSpec("industry-it", "县工信局", "工信", "GXJ", ("民用爆炸物品安全",), "县域内无民用爆炸物品生产、销售企业，2026 年度免于发起。"),
    UnitSpec("education", "县教育局", "教育", "JYJ", ("校外培训机构",)),
    UnitSpec("public-security", "县公安局", "公安", "GAJ", ("旅馆业治安管理",)),
    UnitSpec("civil-affairs", "县民政局", "民政", "MZJ", ("养老机构",)),
    UnitSpec("justice", "县司法局", "司法", "SFJ"),
    UnitSpec("human-resources", "县人社局", "人社", "RSJ", ("人力资源市场",)),
    UnitSpec("finance", "县财政局", "财政", "CZJ"),
    UnitSpec("natural-resources", "县资规局", "资规", "ZGJ"),
    UnitSpec("science-tech", "县科技局", "科技", "KJJ"),
    UnitSpec("housing", "县住建局", "住建", "ZJJ", ("建筑工程施工现场",)),
    UnitSpec("urban-management", "县城管局", "城管", "CGJ"),
    UnitSpec("transport", "县交运局", "交运", "JTJ", ("道路运输",)),
    UnitSpec("water", "县水利局", "水利", "SLJ"),
    UnitSpec("agriculture", "县农业农村局", "农业农村", "NYJ", ("农资质量",)),
    UnitSpec("ethnic-religion", "县统战部（民宗局）", "民宗", "MZZJ"),
    UnitSpec("commerce", "县商务局", "商务", "SWUJ", ("成品油流通",)),
    UnitSpec("culture-tourism", "县文旅局", "文旅", "WLJ", ("旅行社", "娱乐场所", "包装装潢印刷")),
    UnitSpec("health", "县卫健局", "卫健", "WJJ", ("公共场所卫生",)),
    UnitSpec("ecology", "县生态环境局", "生态环境", "STHJ", ("排污许可",)),
    UnitSpec("emergency", "县应急管理局", "应急管理", "YJJ", ("危险化学品安全",)),
    UnitSpec("tax", "县税务局", "税务", "SWJ"),
    UnitSpec("meteorology", "县气象局", "气象", "QXJ"),
    UnitSpec("tobacco", "县烟草局", "烟草", "YCJ", ("烟草专卖零售",)),
    UnitSpec("statistics", "县统计局", "统计", "TJJ"),
    UnitSpec("medical-security", "县医保局", "医保", "YBJ", ("医疗保障基金使用",)),
    UnitSpec("fire-rescue", "县消防救援大队", "消防救援", "XFJY", ("消防安全",)),
    UnitSpec("admin-approval", "县行政审批局", "行政审批", "XZSP"),
    UnitSpec("pboc", "人行", "人行", "RMYH"),
)
# fmt: on

BY_ID = {u.id: u for u in UNITS}

# The authorities' legal names, as the 公示系统 shows the inspecting authority.
LEGAL_NAMES = {
    "market": "泗阳县市场监督管理局",
    "development-reform": "泗阳县发展和改革局",
    "industry-it": "泗阳县工业和信息化局",
    "education": "泗阳县教育局",
    "public-security": "泗阳县公安局",
    "civil-affairs": "泗阳县民政局",
    "justice": "泗阳县司法局",
    "human-resources": "泗阳县人力资源和社会保障局",
    "finance": "泗阳县财政局",
    "natural-resources": "泗阳县自然资源和规划局",
    "science-tech": "泗阳县科学技术局",
    "housing": "泗阳县住房和城乡建设局",
    "urban-management": "泗阳县城市管理局",
    "transport": "泗阳县交通运输局",
    "water": "泗阳县水利局",
    "agriculture": "泗阳县农业农村局",
    "ethnic-religion": "泗阳县民族宗教事务局",
    "commerce": "泗阳县商务局",
    "culture-tourism": "泗阳县文化广电和旅游局",
    "health": "泗阳县卫生健康委员会",
    "ecology": "宿迁市泗阳生态环境局",
    "emergency": "泗阳县应急管理局",
    "tax": "国家税务总局泗阳县税务局",
    "meteorology": "泗阳县气象局",
    "tobacco": "泗阳县烟草专卖局",
    "statistics": "泗阳县统计局",
    "medical-security": "泗阳县医疗保障局",
    "fire-rescue": "泗阳县消防救援大队",
    "admin-approval": "泗阳县行政审批局",
    "pboc": "中国人民银行泗阳县支行",
}
# 机构改革: the 2023 State Council plan no longer keeps PBoC county branches (duties move to the city
# branch). The annex still lists 人行; the sample records the change (date illustrative).
CHANGES = {
    "pboc": [
        {
            "type": "撤销",
            "effective_on": dt.date(2024, 12, 31),
            "basis": "国务院机构改革方案（2023 年）：不再保留中国人民银行县（市）支行，相关职能上收至地（市）分行"
            "（示例日期，以本县公告为准）。",
        }
    ]
}


def unit_doc(
    spec: UnitSpec, order: int, rng: random.Random, used_names: set[str], years: tuple[int, ...] = (2026,)
) -> dict:
    name = words.person_name(rng)
    while name in used_names:
        name = words.person_name(rng)
    used_names.add(name)
    doc: dict = {
        "id": spec.id,
        "name": spec.name,
        "legal_name": LEGAL_NAMES[spec.id],
        "short_name": spec.short_name,
        "order": order,
        "liaison": {
            "name": name,
            "office_phone": f"0527-8{rng.randint(5, 6)}{rng.randint(0, 999999):06d}",
            "mobile": f"199{rng.randint(0, 99999999):08d}",
            "since": dt.date(2022, 5, 20)
            if order % 4
            else dt.date(2025, rng.randint(1, 9), rng.randint(1, 28)),
        },
        "initiates": list(spec.initiates),
    }
    if spec.exempt_reason:
        doc["exemptions"] = [{"year": y, "reason": spec.exempt_reason.replace("2026", str(y))} for y in years]
    if spec.id in CHANGES:
        doc["changes"] = CHANGES[spec.id]
    return doc


def unit_comments(spec: UnitSpec) -> tuple[str, ...]:
    out = ["示例数据：联络员姓名和电话均为虚构。手机号码为内部字段，不会公开。"]
    if spec.initiates:
        out.append("initiates：本单位牵头发起的联合抽查领域，每年至少发起 1 次部门联合抽查。")
    return tuple(out)
