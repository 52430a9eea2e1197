"""抽查任务 (units/<initiator>/tasks/<task-id>.yaml): a joint (or single-unit) inspection task.

Created by the initiating unit after the coordination meeting (专题协调会议). It fixes everything a
draw needs before any randomness exists: items, object filters, the sampling rule per stratum, how
many inspectors each unit sends per team and how they are drawn, and the inspection window.
"""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT, item_ref_type, note, window
from generator.records.plans import ENTRY_ID, ENTRY_ID_HINT, PLATFORM_NO, PLATFORM_NO_HINT
from generator.schema.fields import Choice, Date, Field, Integer, ListOf, MapOf, Obj, Ratio, Ref, Text
from generator.schema.kind import Kind

TASK_ID = r"T\d{4}-[a-z0-9-]+-\d{2,3}"
TASK_ID_HINT = "T + 年份 + 连字符 + 发起单位代号 + 连字符 + 序号，如 T2026-market-01"
TASK_TYPES = ("计划内", "临时", "专项整治", "投诉举报", "转办")
NON_RANDOM_TYPES = ("投诉举报", "转办")  # not drawn by nature: results need no draw, pages say so
STRATIFY = ("credit_risk", "township", "none")
INSPECTOR_MODES = ("unit", "township")
OFFICER_DRAWS = ("central", "per_department")  # docs/draw-protocol.md §11
CHECK_TYPES = ("定向", "不定向")
UNIT_REF = Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit")

OBJECT_FILTER = Obj(
    (
        Field(
            "source_units",
            "对象名录来源单位",
            "从哪些单位的检查对象名录库中抽取，默认发起单位。",
            ListOf(UNIT_REF),
            required=False,
            default=[],
        ),
        Field(
            "kinds",
            "对象类型",
            "只抽取这些类型的对象，不填为全部。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field(
            "townships",
            "乡镇（街道）",
            "只抽取这些乡镇、街道的对象，不填为全部。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field(
            "tags",
            "专项库标签",
            "只抽取带有任一标签的对象，不填为全部。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
    )
)

SAMPLING = Obj(
    (
        Field(
            "stratify",
            "分层方式",
            "credit_risk：按信用风险分类分层；township：按乡镇分层；none：不分层。",
            Choice(STRATIFY),
            default="credit_risk",
        ),
        Field(
            "ratios",
            "各层抽查比例",
            "每层的抽查比例，如 A: 2%、D: 20%；不分层时用键 all。",
            MapOf(Text(), Ratio()),
            required=False,
            default={},
        ),
        Field(
            "counts",
            "各层抽查数量",
            "每层的固定抽查数量（与比例二选一）。",
            MapOf(Text(), Integer(minimum=0)),
            required=False,
            default={},
        ),
        Field(
            "batches",
            "批次数",
            "重点事项抽查比例高时，随机确定检查批次顺序的批次数；1 表示不分批。",
            Integer(minimum=1, maximum=12),
            default=1,
        ),
    )
)

INSPECTORS = Obj(
    (
        Field(
            "mode",
            "人员抽取方式",
            "unit：从单位全部人员中抽取；township：从负责对象所在乡镇的人员中抽取。",
            Choice(INSPECTOR_MODES),
            default="unit",
        ),
        Field(
            "team_size",
            "每组人数",
            "每个检查组的执法检查人员总数，不少于 2；不足部分由发起单位补足。",
            Integer(minimum=2, maximum=10),
        ),
        Field(
            "per_unit",
            "每单位每组最少人数",
            "每个参与单位在每个检查组中至少派出的执法检查人员数。",
            Integer(minimum=1, maximum=5),
            default=1,
        ),
        Field(
            "officer_draw",
            "人员抽取组织方式",
            "central：由发起（牵头）单位统一抽取各参与部门的执法检查人员；per_department：各参与部门从本部门"
            "人员名录分别抽取本部门人员（每个部门至少“每单位每组最少人数”名，联合检查时不少于县级设置"
            " object_rules.min_per_department），一次联合检查。两种方式均可公开核验（docs/draw-protocol.md §11）。"
            "不填时按县级设置 object_rules.officer_draw。",
            Choice(OFFICER_DRAWS),
            required=False,
        ),
        Field(
            "max_objects",
            "每人最多检查对象数",
            "一名人员在本任务中最多分配的检查对象数。",
            Integer(minimum=1, maximum=100),
            default=5,
        ),
        Field(
            "assistants",
            "每组辅助人员数",
            "从辅助人员库抽取的专家或检测机构数，0 为不抽取。",
            Integer(minimum=0, maximum=3),
            default=0,
        ),
        Field(
            "assistant_expertise",
            "辅助人员专业领域",
            "抽取辅助人员时要求的专业领域。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
    )
)

MEETING = Obj(
    (
        Field("date", "会议日期", "专题协调会议日期。", Date()),
        Field("units_present", "出席单位", "出席会议的单位代号。", ListOf(UNIT_REF, min_items=1)),
        Field(
            "summary",
            "会议商定事项",
            "会商确定的抽查范围、事项、人员和时间等。",
            Text(multiline=True),
            required=False,
        ),
    )
)

KIND = Kind(
    name="tasks",
    label="抽查任务",
    description="发起单位在专题协调会议后建立的部门联合（或本部门）抽查任务。",
    pattern=r"units/(?P<unit>[^/]+)/tasks/(?P<id>[^/]+)\.yaml",
    example_path="units/market/tasks/T2026-market-01.yaml",
    fields=(
        Field("id", "任务编号", "全县唯一，与文件名相同。", Text(pattern=TASK_ID, pattern_hint=TASK_ID_HINT)),
        Field("name", "任务名称", "如“2026 年学校食堂食品安全部门联合抽查”。", Text()),
        Field("year", "年度", "任务所属年度。", Integer(minimum=2000, maximum=2100)),
        Field("type", "任务类型", "计划内；或未列入年度计划的临时抽查、专项整治；或非随机的投诉举报核查、上级转办（须写明原因，页面标明“非随机”）。", Choice(TASK_TYPES)),
        Field(
            "plan_entry",
            "计划条目",
            "计划内任务对应的年度计划条目编号。",
            Ref(pattern=ENTRY_ID, pattern_hint=ENTRY_ID_HINT, target="plan_entry"),
            required=False,
        ),
        Field("reason", "原因", "临时抽查或专项整治的原因（突发风险、上级交办等）。", Text(), required=False),
        Field(
            "platform_no",
            "平台任务编号",
            "江苏省市场监管信息平台中的抽查任务编号，录入平台后填写，公示导出以它为准。",
            Text(pattern=PLATFORM_NO, pattern_hint=PLATFORM_NO_HINT),
            required=False,
        ),
        Field(
            "check_type",
            "抽查类型",
            "定向抽查（按行业、领域、专项库等条件筛选对象）或不定向抽查；不填时按是否设置了对象筛选条件确定。",
            Choice(CHECK_TYPES),
            required=False,
        ),
        Field("initiator", "发起单位", "发起单位代号（检查组组长所在单位），须与所在目录一致。", UNIT_REF),
        Field(
            "co_initiators",
            "共同发起单位",
            "多个部门共同发起时（实施方案 二（五）），除发起单位外的其他发起单位代号，须同为参与单位。",
            ListOf(UNIT_REF),
            required=False,
            default=[],
        ),
        Field(
            "participants", "参与单位", "参与联合检查的单位代号，含发起单位。", ListOf(UNIT_REF, min_items=1)
        ),
        Field(
            "items",
            "抽查事项",
            "本任务检查的事项编号。联合抽查中每个参与单位至少带来一项本单位清单中的现行事项，"
            "各单位只检查、录入和公示本单位的事项。",
            ListOf(item_ref_type(), min_items=1),
        ),
        Field(
            "objects",
            "抽查对象范围",
            "从名录库中筛选候选对象的条件。",
            OBJECT_FILTER,
            required=False,
            default={},
        ),
        Field("sampling", "抽样规则", "分层方式和各层比例或数量。", SAMPLING),
        Field("inspectors", "检查人员安排", "检查组的组成和人员抽取方式。", INSPECTORS),
        window(),
        Field("meeting", "专题协调会议", "发起部门提请召开的专题协调会议。", MEETING),
        Field("created_on", "建立日期", "任务建立日期。", Date()),
        note(),
    ),
)
