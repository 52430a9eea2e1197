"""随机抽查事项清单 (units/<unit>/items.yaml): a unit's list of random-inspection items.

Columns follow the SAMR/provincial list format (抽查类别, 抽查事项, 检查对象, 事项类别, 检查方式,
检查主体, 检查依据) plus the joint-list columns (联合部门). History is kept by *versions*: an item that
changes gets a new entry with the same code and a later ``effective_from``; the old entry gets an
``effective_to``. A withdrawn item keeps its entries with ``status: 已废止``. Nothing is deleted.
"""

from __future__ import annotations

from generator.records.common import CODE, CODE_HINT, UNIT_ID, UNIT_ID_HINT, note
from generator.schema.fields import Choice, Date, Field, ListOf, Obj, Ratio, Ref, Text
from generator.schema.kind import YAML_LIST, Kind

CATEGORIES = ("重点", "一般")
STATUSES = ("有效", "已废止")

CHECK_POINT = Obj(
    (
        Field("content", "检查内容", "检查什么，如“是否公示食品经营许可证”。", Text()),
        Field("method", "检查方法", "怎么查，如“现场查看经营场所醒目位置”。", Text()),
        Field("basis", "依据", "对应的法律、法规、规章条款。", Text(), required=False),
    )
)

KIND = Kind(
    name="items",
    label="随机抽查事项",
    description="各单位的随机抽查事项清单。重点事项抽查比例不设上限，一般事项必须设定比例上限。",
    pattern=r"units/(?P<unit>[^/]+)/items\.yaml",
    shape=YAML_LIST,
    list_key="items",
    id_field="code",
    example_path="units/market/items.yaml",
    header_fields=(
        Field(
            "unit",
            "单位代号",
            "清单所属单位，须与所在目录一致。",
            Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"),
        ),
        Field("updated_on", "清单更新日期", "最近一次调整清单的日期。", Date()),
    ),
    fields=(
        Field(
            "code",
            "事项编号",
            "全县唯一的事项编号；同一事项修订后沿用原编号。",
            Text(pattern=CODE, pattern_hint=CODE_HINT),
        ),
        Field(
            "catalog_code",
            "事项编码",
            "“互联网+监管”系统监管事项目录清单中的事项编码，用于与省平台对接。",
            Text(pattern=r"[0-9A-Za-z-]{4,40}", pattern_hint="4–40 位数字、字母或连字符"),
            required=False,
            synonyms=("监管事项编码", "互联网+监管事项编码"),
        ),
        Field(
            "domain",
            "抽查类别",
            "抽查类别或抽查领域，如“登记事项检查”。",
            Text(),
            synonyms=("抽查项目", "抽查领域"),
        ),
        Field("name", "抽查事项", "抽查事项名称。", Text(), synonyms=("事项名称", "抽查事项名称")),
        Field("objects", "检查对象", "检查对象的类型描述，如“企业、个体工商户”。", Text()),
        Field(
            "category",
            "事项类别",
            "重点检查事项或一般检查事项。",
            Choice(CATEGORIES),
            value_synonyms=(("重点检查事项", "重点"), ("一般检查事项", "一般")),
        ),
        Field(
            "basis", "抽查依据", "法律、法规、规章条款。", Text(multiline=True), synonyms=("检查依据", "依据")
        ),
        Field(
            "methods",
            "检查方式",
            "现场检查、书面检查、网络监测等（从检查方式字典中选择）。",
            ListOf(Text(), min_items=1),
        ),
        Field(
            "authority",
            "实施主体",
            "实施检查的主体，如“县级以上市场监管部门”。",
            Text(),
            synonyms=("检查主体",),
        ),
        Field(
            "joint_units",
            "联合部门",
            "可与本单位联合抽查的单位代号。",
            ListOf(Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit")),
            required=False,
            default=[],
        ),
        Field(
            "ratio_cap",
            "比例上限",
            "一般事项的抽查比例上限（如 5%）。重点事项不填。",
            Ratio(),
            required=False,
        ),
        Field(
            "qualifications",
            "检查人员资质要求",
            "检查人员须具备的资质标签（与执法检查人员名录库的资质一致）。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field(
            "check_points",
            "检查内容和方法",
            "随机抽查工作指引：逐条列出检查内容、检查方法和依据，显示在事项页面和检查表上。",
            ListOf(CHECK_POINT),
            required=False,
            default=[],
        ),
        Field("effective_from", "生效日期", "本版本开始生效的日期。", Date()),
        Field(
            "effective_to",
            "失效日期",
            "本版本停止适用的日期（含当日）；现行版本不填。",
            Date(),
            required=False,
        ),
        Field("status", "状态", "有效或已废止。废止的事项保留在清单中。", Choice(STATUSES), default="有效"),
        Field(
            "change_note",
            "调整说明",
            "修订或废止的原因（法律法规立改废释、工作实际等）。",
            Text(),
            required=False,
        ),
        note(),
    ),
)
