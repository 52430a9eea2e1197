"""辅助人员库 (units/<unit>/assistants.csv): experts, testing and research institutions.

They support inspections (检验检测、专家咨询) but are never counted as law-enforcement inspectors
(国办发〔2024〕54号): teams still need two certified inspectors.
"""

from __future__ import annotations

from generator.records.common import UNIT_ID, UNIT_ID_HINT
from generator.schema.fields import Choice, Field, ListOf, Ref, Text
from generator.schema.kind import CSV_ROWS, Kind

KINDS = ("行业专家", "检测机构", "科研院所", "审计机构", "其他")
# A mobile (11 digits) or a landline with its area code and an optional extension; +86, spaces and
# dashes between the groups as people write them.
PHONE = r"(?:\+?86[ -]?)?(?:1\d{2}[ -]?\d{4}[ -]?\d{4}|0\d{2,3}[ -]?\d{7,8}(?:(?:转|-)\d{1,6})?)"

KIND = Kind(
    name="assistants",
    label="辅助人员",
    description="检测机构、科研院所、行业专家等辅助人员库，一行一个。联系电话和利害关系为内部字段。",
    pattern=r"units/(?P<unit>[^/]+)/assistants\.csv",
    shape=CSV_ROWS,
    example_path="units/market/assistants.csv",
    fields=(
        Field(
            "id",
            "编号",
            "全县唯一的编号。",
            Text(pattern=r"AS-[A-Z]{2,6}-\d{3,5}", pattern_hint="如 AS-SCJG-001"),
        ),
        Field("name", "名称或姓名", "专家姓名或机构名称。", Text()),
        Field("kind", "类型", "行业专家、检测机构等。", Choice(KINDS)),
        Field(
            "unit",
            "管理单位",
            "维护本条目的单位代号。",
            Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"),
        ),
        Field("expertise", "专业领域", "专业领域标签，多个用分号分隔。", ListOf(Text(), min_items=1)),
        Field("status", "状态", "有效或失效。", Choice(("有效", "失效"))),
        Field(
            "phone",
            "联系电话",
            "手机号或带区号的固定电话（内部字段，不公开）。",
            # a phone's shape: the build's final scan looks for this internal value in every page, and
            # free text (a phrase the site prints anyway) would stop every unit's publication
            Text(pattern=PHONE, pattern_hint="11 位手机号或带区号的固定电话，如 0527-85201234、0527-85201234转8001"),
            required=False,
            internal=True,
        ),
        Field(
            "conflicts",
            "申报的利害关系",
            "需回避的检查对象编号（内部字段，不公开）。",
            ListOf(Text()),
            required=False,
            default=[],
            internal=True,
        ),
    ),
)
