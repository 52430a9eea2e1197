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
    exempt_reason: str = ""


# fmt: off
UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("market", "县市场监管局", "市场监管", "SCJG", ("登记事项检查", "食品安全", "特种设备安全", "药品经营")),
    UnitSpec("development-reform", "县发改局", "发改", "FGJ"),
    UnitSpec("industry-it", "县工信局", "工信", "GXJ", ("民用爆炸物品安全",), "县域内无民用爆炸物品生产、销售企业，本年度免于发起。"),
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


def unit_doc(spec: UnitSpec, order: int, rng: random.Random, used_names: set[str]) -> dict:
    name = words.person_name(rng)
    while name in used_names:
        name = words.person_name(rng)
    used_names.add(name)
    doc: dict = {
        "id": spec.id,
        "name": spec.name,
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
        doc["exempt_reason"] = spec.exempt_reason
    return doc


def unit_comments(spec: UnitSpec) -> tuple[str, ...]:
    out = ["示例数据：联络员姓名和电话均为虚构。手机号码为内部字段，不会公开。"]
    if spec.initiates:
        out.append("initiates：本单位牵头发起的联合抽查领域，每年至少发起 1 次部门联合抽查。")
    return tuple(out)
