"""年度抽查计划: a unit's annual plan (units/<unit>/plans/<year>.yaml) or the county joint plan
(joint/plans/<year>.yaml).

Units file by the end of January; the joint office (县联席办) publishes the county joint plan in early
March by listing the unit plan entries it includes. Entries set the time windows, the object scope
and the planned counts or ratios per batch and per credit-risk class.
"""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT, item_ref_type, note, window
from generator.schema.fields import Choice, Date, Field, Integer, ListOf, MapOf, Obj, Ratio, Ref, Text
from generator.schema.kind import Kind

ENTRY_ID = r"P\d{4}-[a-z0-9-]+-\d{2,3}"
ENTRY_ID_HINT = "P + 年份 + 连字符 + 单位代号 + 连字符 + 序号，如 P2026-market-01"
ENTRY_TYPES = ("部门联合", "本部门")
PLATFORM_NO = r"[0-9A-Za-z-]{4,40}"
PLATFORM_NO_HINT = "4–40 位数字、字母或连字符"
RISK_KEYS = Choice(("A", "B", "C", "D"))

BATCH = Obj(
    (
        Field("name", "批次名称", "如“第一批”。", Text()),
        Field("from", "开始日期", "本批次开始日期。", Date()),
        Field("to", "结束日期", "本批次结束日期。", Date()),
        Field("count", "计划抽查数量", "本批次计划抽查的对象数。", Integer(minimum=0), required=False),
    )
)

ENTRY = Obj(
    (
        Field(
            "id",
            "计划条目编号",
            "全县唯一，任务用它关联计划。",
            Text(pattern=ENTRY_ID, pattern_hint=ENTRY_ID_HINT),
        ),
        Field("name", "任务名称", "如“学校食堂食品安全部门联合抽查”。", Text()),
        Field(
            "platform_no",
            "平台计划编号",
            "江苏省市场监管信息平台中的抽查计划编号，录入平台后填写。",
            Text(pattern=PLATFORM_NO, pattern_hint=PLATFORM_NO_HINT),
            required=False,
        ),
        Field("type", "抽查类型", "部门联合抽查或本部门抽查。", Choice(ENTRY_TYPES)),
        Field(
            "initiator",
            "发起单位",
            "牵头发起的单位代号。",
            Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"),
        ),
        Field(
            "co_initiators",
            "共同发起单位",
            "由多个部门共同发起时，除发起单位外的其他发起单位代号。",
            ListOf(Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit")),
            required=False,
            default=[],
        ),
        Field(
            "participants",
            "参与单位",
            "参与的单位代号（含发起单位）。",
            ListOf(Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"), min_items=1),
        ),
        Field("items", "抽查事项", "抽查事项编号。", ListOf(item_ref_type(), min_items=1)),
        Field("object_scope", "抽查对象范围", "对象范围的文字描述，如“全县学校食堂”。", Text()),
        Field("ratio", "抽查比例", "计划抽查比例（如 5%），与计划数量至少填一项。", Ratio(), required=False),
        Field("count", "计划抽查数量", "计划抽查的对象总数。", Integer(minimum=0), required=False),
        Field(
            "risk_ratios",
            "按信用风险分类的比例",
            "按 A/B/C/D 分类设定的差异化比例（内部测算依据）。",
            MapOf(RISK_KEYS, Ratio()),
            required=False,
            default={},
        ),
        Field("frequency", "抽查频次", "每年抽查次数，如 1。", Integer(minimum=1, maximum=12), default=1),
        Field("batches", "批次安排", "各批次的时间和数量。", ListOf(BATCH), required=False, default=[]),
        window(),
        note(),
    )
)

KIND = Kind(
    name="plans",
    label="年度抽查计划",
    description="单位年度抽查计划（1 月底前报县联席办备案）和全县部门联合抽查计划（县联席办 3 月初汇总发布）。",
    pattern=r"(?:units/(?P<unit>[^/]+)|joint)/plans/(?P<year>\d{4})\.yaml",
    example_path="units/market/plans/2026.yaml",
    fields=(
        Field(
            "id",
            "计划编号",
            "如 PLAN-2026-market；全县联合计划为 PLAN-2026-joint。",
            Text(pattern=r"PLAN-\d{4}-[a-z0-9-]+", pattern_hint="PLAN-年份-单位代号"),
        ),
        Field("year", "年度", "计划年度。", Integer(minimum=2000, maximum=2100)),
        Field(
            "unit",
            "制定单位",
            "单位代号；全县联合计划填 joint。",
            Text(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT),
        ),
        Field("filed_on", "备案（发布）日期", "单位计划报县联席办备案的日期；联合计划的发布日期。", Date()),
        Field("entries", "计划条目", "本计划的抽查安排。", ListOf(ENTRY), required=False, default=[]),
        Field(
            "includes",
            "汇总的单位计划条目",
            "全县联合计划汇总的各单位计划条目编号（仅联合计划填写）。",
            ListOf(Ref(pattern=ENTRY_ID, pattern_hint=ENTRY_ID_HINT, target="plan_entry")),
            required=False,
            default=[],
        ),
        note(),
    ),
)
