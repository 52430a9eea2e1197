"""成员单位 (units/<unit>/unit.yaml): a member unit of the joint meeting and its liaison officer."""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT, note
from generator.schema.fields import Choice, Date, Field, Integer, ListOf, Obj, Ref, Text
from generator.schema.kind import Kind

LIAISON = Obj(
    (
        Field("name", "联络员姓名", "本单位选派的监管联络员。", Text()),
        Field(
            "office_phone",
            "办公电话",
            "联络员办公电话（公开）。",
            Text(pattern=r"[0-9-]{7,20}", pattern_hint="数字和连字符"),
        ),
        Field(
            "mobile",
            "手机号码",
            "联络员手机号码（内部字段，不公开）。",
            Text(pattern=r"1\d{10}", pattern_hint="11 位手机号"),
            required=False,
            internal=True,
        ),
        Field(
            "since",
            "任职日期",
            "担任联络员的起始日期；联络员调整需及时向县联席办报备。",
            Date(),
            required=False,
        ),
    )
)

EXEMPTION = Obj(
    (
        Field("year", "年度", "免于发起的年度。", Integer(minimum=2000, maximum=2100)),
        Field("reason", "原因", "县级部门无监管权或县域内无相应检查对象等。", Text()),
    )
)

CHANGE_TYPES = ("更名", "合并", "撤销")
CHANGE = Obj(
    (
        Field("type", "变更类型", "更名、合并（并入其他单位）或撤销。", Choice(CHANGE_TYPES)),
        Field("effective_on", "生效日期", "变更生效的日期。", Date()),
        Field("new_name", "新名称", "更名后的单位名称。", Text(), required=False),
        Field(
            "successor",
            "承接单位",
            "合并或撤销后承接其职责的单位代号。",
            Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"),
            required=False,
        ),
        Field("basis", "依据", "机构改革文件或公告。", Text(), required=False),
    )
)


KIND = Kind(
    name="unit",
    label="成员单位",
    description="县“双随机、一公开”监管联席会议的成员单位、联络员及其牵头发起的联合抽查领域。",
    pattern=r"units/(?P<unit>[^/]+)/unit\.yaml",
    example_path="units/market/unit.yaml",
    fields=(
        Field(
            "id",
            "单位代号",
            "单位目录名，也是其他记录引用本单位时使用的代号。",
            Text(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT),
        ),
        Field("name", "单位名称", "单位全称，如“县市场监管局”。", Text()),
        Field(
            "legal_name",
            "机关法定名称",
            "检查实施机关的法定全称，公示系统中显示，如“泗阳县农业农村局”。",
            Text(),
            required=False,
        ),
        Field("short_name", "单位简称", "图表和表格中使用的简称，如“市场监管”。", Text()),
        Field("order", "排序", "在成员单位名单（实施方案附件）中的顺序。", Integer(minimum=1, maximum=999)),
        Field("liaison", "监管联络员", "本单位的监管联络员。", LIAISON),
        Field(
            "initiates",
            "牵头发起的联合抽查领域",
            "按《江苏省市场监管领域部门联合抽查事项清单》本单位作为发起部门的领域；"
            "列出的单位每年至少发起 1 次部门联合抽查。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field(
            "exempt_reason",
            "免于发起的原因",
            "旧字段，不再按年度区分；请改用“按年度免于发起”（exemptions）逐年填写。",
            Text(),
            required=False,
        ),
        Field(
            "exemptions",
            "按年度免于发起",
            "某一年度免于发起联合抽查的原因（县级部门无监管权或县域内无相应检查对象），每年单独填写。",
            ListOf(EXEMPTION),
            required=False,
            default=[],
        ),
        Field(
            "changes",
            "机构变更",
            "机构改革中的更名、合并、撤销，写明生效日期；生效后本单位不再发起任务。",
            ListOf(CHANGE),
            required=False,
            default=[],
        ),
        Field(
            "reviewers",
            "代码审核人",
            "有权审核本单位目录变更的 Git 账号（用于生成 CODEOWNERS），如 @market-reviewer。",
            ListOf(Text(pattern=r"@[A-Za-z0-9][A-Za-z0-9-/]*", pattern_hint="以 @ 开头的账号或团队")),
            required=False,
            default=[],
        ),
        note(),
    ),
)
