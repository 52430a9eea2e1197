"""执法检查人员名录库 (units/<unit>/inspectors.csv): a unit's certified inspectors.

Only 有效 inspectors whose 执法证 is valid on the inspection date may be drawn. Phone numbers and
declared conflicts of interest are internal fields.
"""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT
from generator.schema.fields import Choice, Date, Field, ListOf, Ref, Text
from generator.schema.kind import CSV_ROWS, Kind

STATUSES = ("有效", "失效")
INSPECTOR_ID = r"[A-Z]{2,6}-\d{3,5}"
INSPECTOR_ID_HINT = "单位字母代码 + 连字符 + 数字，如 SCJG-001"

KIND = Kind(
    name="inspectors",
    label="执法检查人员",
    description="各单位的执法检查人员名录库，一行一人。手机号码和申报的利害关系为内部字段，不公开。",
    pattern=r"units/(?P<unit>[^/]+)/inspectors\.csv",
    shape=CSV_ROWS,
    example_path="units/market/inspectors.csv",
    fields=(
        Field(
            "id",
            "人员编号",
            "全县唯一的人员编号。",
            Text(pattern=INSPECTOR_ID, pattern_hint=INSPECTOR_ID_HINT),
            synonyms=("执法人员编号", "检查人员编号", "编号"),
        ),
        Field(
            "name", "姓名", "执法检查人员姓名。", Text(max_length=30), synonyms=("执法人员姓名", "人员姓名")
        ),
        Field(
            "unit",
            "所属单位",
            "所属单位代号，须与所在目录一致。",
            Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"),
            synonyms=("单位", "单位代号", "所在单位"),
        ),
        Field(
            "badge_no",
            "执法证号",
            "行政执法证件号码。",
            Text(max_length=40),
            synonyms=("执法证件号", "执法证号码", "执法证件号码", "执法证编号"),
        ),
        Field("badge_valid_from", "执法证生效日期", "执法证有效期开始日期。", Date()),
        Field("badge_valid_to", "执法证失效日期", "执法证有效期最后一天。", Date()),
        Field(
            "qualifications",
            "执法资质",
            "资质标签，多个用分号分隔；与抽查事项的资质要求对应。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field(
            "expertise",
            "业务专长",
            "业务专长标签，多个用分号分隔。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field("office", "所属科室（分局、所）", "所在科室或派出机构。", Text(), required=False),
        Field(
            "townships",
            "负责乡镇（街道）",
            "按片区抽取人员时，本人负责的乡镇、街道，多个用分号分隔。",
            ListOf(Text()),
            required=False,
            default=[],
            synonyms=("负责乡镇", "所属乡镇", "负责片区", "乡镇（街道）"),
        ),
        Field(
            "status",
            "人员状态",
            "有效或失效；失效人员不纳入抽取范围。",
            Choice(STATUSES),
            synonyms=("状态",),
            value_synonyms=(("在岗", "有效"), ("正常", "有效")),
        ),
        Field(
            "phone",
            "手机号码",
            "登录平台用的手机号（内部字段，不公开）。",
            Text(pattern=r"1\d{10}", pattern_hint="11 位手机号"),
            required=False,
            internal=True,
        ),
        Field(
            "conflicts",
            "申报的利害关系",
            "本人申报需回避的检查对象编号，多个用分号分隔（内部字段，不公开）。",
            ListOf(Text()),
            required=False,
            default=[],
            internal=True,
        ),
    ),
)
