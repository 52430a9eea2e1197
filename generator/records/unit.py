"""成员单位 (units/<unit>/unit.yaml): a member unit of the joint meeting and its liaison officer."""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT, note
from generator.schema.fields import Date, Field, Integer, ListOf, Obj, Text
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
            "县级部门无监管权或县域内无相应检查对象时填写，可免于当年发起联合抽查。",
            Text(),
            required=False,
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
