"""检查结果 (units/<unit>/results/<task-id>.yaml): what one unit found at each drawn object.

"谁检查、谁录入、谁公开": each participating unit enters its own results, within 10 working days of
the inspection (the county's rule). Corrections are appended as ``amendments`` with a reason and a
date; the original entry is never edited (CI's append-only check enforces this against main).
"""

from __future__ import annotations

from generator.records.common import DRAW_ID, DRAW_ID_HINT, UNIT_ID, UNIT_ID_HINT, item_ref_type, note
from generator.records.inspectors import INSPECTOR_ID, INSPECTOR_ID_HINT
from generator.records.tasks import TASK_ID, TASK_ID_HINT
from dataclasses import dataclass

from generator.schema.fields import INVALID, Boolean, Date, Field, FieldType, ListOf, Obj, Ref, Text
from generator.schema.kind import Kind

UNIT_REF = Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit")
# Fields an amendment may change: what was found and what followed, never who/where/when.
AMENDABLE = (
    "categories",
    "findings",
    "disposition",
    "referrals",
    "penalty",
    "dishonest_listed",
    "judicial_referral",
    "methods",
)



@dataclass(frozen=True)
class Changes(FieldType):
    """An amendment's new values, each checked exactly like the entry field it replaces.

    ``penalty: 也许`` is FIELD_TYPE, a bad date FIELD_DATE, a list where text is expected FIELD_TYPE,
    all at the line of the change. Names that are not amendable are kept as written so the results
    rule can report AMENDMENT_FIELD.
    """

    describe = "更正内容"

    def field_for(self, key: object) -> Field | None:
        return next((f for f in ENTRY.fields if key in (f.name, f.label)), None)

    def check(self, value, path, f, ctx):
        if not isinstance(value, dict):
            ctx.report("FIELD_TYPE", path, value, label=f.label, expected="“字段: 新值”的映射", hint=f.hint)
            return INVALID
        out: dict = {}
        for key, new in value.items():
            target = self.field_for(key)
            if target is None or target.name not in AMENDABLE:
                out[key] = new
                continue
            checked = target.type.check(new, path + (key,), target, ctx)
            if checked is not INVALID:
                out[target.name] = checked
        return out

    def json_schema(self):
        from generator.schema.fields import fields_json_schema

        amendable = tuple(f for f in ENTRY.fields if f.name in AMENDABLE)
        schema = fields_json_schema(amendable)
        schema.pop("required", None)
        return schema


REFERRAL = Obj(
    (
        Field("unit", "移交单位", "接收移交的单位代号。", UNIT_REF),
        Field("matter", "移交事项", "移交的违法线索或事项。", Text()),
        Field("date", "移交日期", "移交日期。", Date()),
    )
)

AMENDMENT = Obj(
    (
        Field("date", "更正日期", "更正录入的日期。", Date()),
        Field("reason", "更正原因", "为什么更正。", Text()),
        Field(
            "changes",
            "更正内容",
            "被更正字段的新值（只能更正检查结论和后续处置类字段）。",
            Changes(),
        ),
    )
)

ENTRY = Obj(
    (
        Field(
            "object",
            "检查对象",
            "抽中的检查对象编号。",
            Ref(max_length=64, target="object"),
            synonyms=("对象编号", "统一社会信用代码", "检查对象编号"),
        ),
        Field(
            "inspectors",
            "检查人员",
            "本单位参加检查的人员编号。",
            ListOf(
                Ref(pattern=INSPECTOR_ID, pattern_hint=INSPECTOR_ID_HINT, target="inspector"), min_items=1
            ),
            synonyms=("检查人员编号", "执法人员编号"),
        ),
        Field(
            "items",
            "检查事项",
            "本单位对该对象检查的事项编号，只能是本单位清单中、列入本任务的事项；不填为本单位在本任务中的全部事项。",
            ListOf(item_ref_type()),
            required=False,
            default=[],
        ),
        Field("inspected_on", "检查日期", "检查结束的日期。", Date()),
        Field("entered_on", "录入日期", "结果录入的日期（用于计算 10 个工作日时限）。", Date()),
        Field(
            "published_on",
            "公示日期",
            "结果在国家企业信用信息公示系统公示的日期，由 CI 在公示时记录。",
            Date(),
            required=False,
        ),
        Field(
            "methods",
            "检查方式",
            "实地检查、书面检查等（从检查方式字典中选择）。",
            ListOf(Text(), min_items=1),
        ),
        Field(
            "categories",
            "检查结果",
            "结果类别代码，可多选（见县级设置的结果类别字典）。",
            ListOf(Text(), min_items=1),
        ),
        Field("findings", "检查发现", "检查发现的情况；未发现问题时写“未发现问题”。", Text(multiline=True)),
        Field("disposition", "后续处置", "后续处置措施（从后续处置字典中选择）。", Text()),
        Field(
            "referrals",
            "移交",
            "对确属其他部门监管的违法行为的移交。",
            ListOf(REFERRAL),
            required=False,
            default=[],
        ),
        Field("penalty", "行政处罚", "是否立案查处。", Boolean(), default=False),
        Field("dishonest_listed", "纳入失信名单", "是否视情节纳入失信主体名单。", Boolean(), default=False),
        Field("judicial_referral", "移送司法机关", "涉嫌犯罪是否移送司法机关。", Boolean(), default=False),
        Field(
            "amendments",
            "更正记录",
            "按时间顺序追加的更正，原记录不修改。",
            ListOf(AMENDMENT),
            required=False,
            default=[],
        ),
        note(),
    )
)

KIND = Kind(
    name="results",
    label="检查结果",
    description="参与单位对抽中对象的检查结果，一个任务一个文件，按对象逐条录入。",
    pattern=r"units/(?P<unit>[^/]+)/results/(?P<id>[^/]+)\.yaml",
    id_field="task",
    example_path="units/market/results/T2026-market-01.yaml",
    fields=(
        Field(
            "task",
            "抽查任务",
            "任务编号，与文件名相同。",
            Ref(pattern=TASK_ID, pattern_hint=TASK_ID_HINT, target="task"),
            synonyms=("任务编号",),
        ),
        Field("unit", "录入单位", "录入结果的单位代号，须与所在目录一致。", UNIT_REF),
        Field(
            "draw",
            "抽取编号",
            "结果对应的抽取编号（随机抽查任务必填；投诉举报、转办等非随机任务不填）。",
            Ref(pattern=DRAW_ID, pattern_hint=DRAW_ID_HINT, target="draw"),
            required=False,
        ),
        Field("entries", "检查结果条目", "每个检查对象一条。", ListOf(ENTRY, min_items=1)),
        note(),
    ),
)
