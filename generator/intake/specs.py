"""What each importable kind looks like as a sheet: its columns, row key, storage and example row.

Everything is derived from the record schemas in ``generator/records`` (labels, descriptions,
fixed lists), so templates, import and export cannot drift from the loader. The only hand-written
data here are the example rows, and a test imports each of them to prove they stay valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.intake.plan_sheet import relpath as plan_relpath
from generator.intake.plan_sheet import sheet_fields as plan_sheet_fields
from generator.records import BY_NAME
from generator.records import results as results_schema
from generator.schema.fields import Field, ListOf, Obj

CSV_STORE = "csv"
ITEMS_STORE = "items"
RESULTS_STORE = "results"
PLANS_STORE = "plans"

_TASK = results_schema.KIND.field_named("task")
_DRAW = results_schema.KIND.field_named("draw")
# Nested lists (referrals, amendments) do not fit one row; they are edited in YAML.
_ENTRY_FIELDS = tuple(f for f in results_schema.ENTRY.fields if f.name not in ("referrals", "amendments"))


@dataclass(frozen=True)
class Spec:
    kind: str
    sheet: str  # sheet name in templates and exports
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # fields that identify a row
    store: str
    example: dict[str, object]

    @property
    def label(self) -> str:
        return BY_NAME[self.kind].label

    def row_key(self, data: dict) -> tuple:
        return tuple(str(data.get(k, "")) for k in self.key)

    def relpath(self, unit: str, task: str = "") -> str:
        if self.store == RESULTS_STORE:
            return f"units/{unit}/results/{task}.yaml"
        if self.store == PLANS_STORE:
            return plan_relpath(unit, task)  # task: the plan's year
        return f"units/{unit}/{self.kind}.{'csv' if self.store == CSV_STORE else 'yaml'}"


def _kind_fields(name: str) -> tuple[Field, ...]:
    """The kind's fields that fit in one cell. A list of mappings (an item's 检查内容和方法) does not:
    written to a cell it became Python text that no import could read back; it is edited in YAML,
    and an import, which has no column for it, keeps it as it is."""
    return tuple(f for f in BY_NAME[name].fields if not _nested(f))


def _nested(f: Field) -> bool:
    return isinstance(f.type, Obj) or (isinstance(f.type, ListOf) and isinstance(f.type.item, Obj))


SPECS: dict[str, Spec] = {
    "objects": Spec(
        "objects",
        "检查对象名录",
        _kind_fields("objects"),
        ("id",),
        CSV_STORE,
        {
            "id": "91320214745555318W",
            "id_kind": "统一社会信用代码",
            "name": "泗阳县示例食品有限公司",
            "kind": "企业",
            "township": "众兴街道",
            "address": "众兴街道示例路 1 号",
            "tags": ["食品生产"],
            "status": "存续",
            "credit_risk": "B",
            "dishonest": False,
        },
    ),
    "inspectors": Spec(
        "inspectors",
        "执法检查人员名录",
        _kind_fields("inspectors"),
        ("id",),
        CSV_STORE,
        {
            "id": "SCJG-001",
            "name": "张三",
            "unit": "market",
            "badge_no": "32130000001",
            "badge_valid_from": "2024-01-01",
            "badge_valid_to": "2028-12-31",
            "qualifications": ["食品安全"],
            "expertise": ["食品生产"],
            "office": "众兴市场监管所",
            "townships": ["众兴街道"],
            "status": "有效",
            # No example phone number: the templates are published, and an internal field stays empty.
            "phone": "",
            "conflicts": [],
        },
    ),
    "assistants": Spec(
        "assistants",
        "辅助人员名录",
        _kind_fields("assistants"),
        ("id",),
        CSV_STORE,
        {
            "id": "AS-SCJG-001",
            "name": "宿迁市示例检测中心",
            "kind": "检测机构",
            "unit": "market",
            "expertise": ["食品检验"],
            "status": "有效",
            "phone": "0527-80000000",
            "conflicts": [],
        },
    ),
    "items": Spec(
        "items",
        "随机抽查事项清单",
        _kind_fields("items"),
        ("code", "effective_from"),
        ITEMS_STORE,
        {
            "code": "SCJG-01",
            "domain": "登记事项检查",
            "name": "营业执照（登记证）规范使用情况的检查",
            "objects": "企业、个体工商户、农民专业合作社",
            "category": "一般",
            "basis": "《市场主体登记管理条例》第三十六条",
            "methods": ["实地检查", "网络监测"],
            "authority": "县级以上市场监管部门",
            "joint_units": [],
            "ratio_cap": "5%",
            "qualifications": [],
            "effective_from": "2026-01-01",
            "status": "有效",
        },
    ),
    "results": Spec(
        "results",
        "检查结果",
        (_TASK, _DRAW, *_ENTRY_FIELDS),
        ("task", "object"),
        RESULTS_STORE,
        {
            "task": "T2026-market-01",
            "draw": "D2026-0001",
            "object": "91320214745555318W",
            "inspectors": ["SCJG-001", "SCJG-002"],
            "inspected_on": "2026-05-12",
            "entered_on": "2026-05-14",
            "methods": ["实地检查"],
            "categories": ["1"],
            "findings": "未发现问题",
            "disposition": "未发现问题或相关问题已规范、已改正，无需后续处置",
            "penalty": False,
            "dishonest_listed": False,
            "judicial_referral": False,
        },
    ),
    "plans": Spec(
        "plans",
        "年度抽查计划",
        plan_sheet_fields(),
        ("id",),
        PLANS_STORE,
        {
            "year": "2026",
            "filed_on": "2026-01-20",
            "id": "P2026-market-01",
            "name": "2026 年学校食堂食品安全部门联合抽查",
            "type": "部门联合",
            "initiator": "market",
            "participants": ["market", "education"],
            "items": ["SCJG-01"],
            "object_scope": "全县学校食堂",
            "ratio": "5%",
            "count": "",
            "frequency": "1",
            "from": "2026-04-01",
            "to": "2026-05-31",
        },
    ),
}

KINDS = tuple(SPECS)


def spec_for(kind: str) -> Spec:
    return SPECS[kind]


Normaliser = Callable[[object], object]
