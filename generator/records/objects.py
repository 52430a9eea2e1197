"""检查对象名录库 (units/<unit>/objects.csv): the inspection objects a unit supervises.

Bulk data, so CSV. Enterprises are identified by their 统一社会信用代码 (checked against GB 32100);
products, projects and behaviours use other ids. The credit-risk class (A–D) is internal: it drives
stratified draws but never reaches the public site.
"""

from __future__ import annotations

from generator.schema.fields import Boolean, Choice, Field, ListOf, Text
from generator.schema.kind import CSV_ROWS, Kind

ID_KINDS = ("统一社会信用代码", "产品编号", "项目编号", "行为编号", "其他编号")
OBJECT_KINDS = (
    "企业",
    "个体工商户",
    "农民专业合作社",
    "社会组织",
    "事业单位",
    "产品",
    "项目",
    "行为",
    "其他",
)
STATUSES = ("存续", "停业", "注销", "吊销", "迁出")
RISK_CLASSES = ("A", "B", "C", "D")
# Subjects the credit-risk classification covers by default (county.yaml risk.classified_kinds).
CLASSIFIED_KINDS = ("企业", "个体工商户", "农民专业合作社")

KIND = Kind(
    name="objects",
    label="检查对象",
    description="各单位的检查对象名录库，一行一个对象。信用风险分类为内部字段，不公开。",
    pattern=r"units/(?P<unit>[^/]+)/objects\.csv",
    shape=CSV_ROWS,
    example_path="units/market/objects.csv",
    fields=(
        Field(
            "id",
            "对象编号",
            "市场主体填统一社会信用代码（18 位）；产品、项目、行为填本单位编号。",
            Text(max_length=64),
            synonyms=("统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "注册号"),
        ),
        Field(
            "id_kind",
            "编号类型",
            "对象编号的类型。",
            Choice(ID_KINDS),
            default="统一社会信用代码",
            value_synonyms=(("信用代码", "统一社会信用代码"), ("统一代码", "统一社会信用代码")),
        ),
        Field(
            "name",
            "名称",
            "对象名称。",
            Text(),
            synonyms=("单位名称", "企业名称", "市场主体名称", "主体名称", "对象名称", "名称（字号）"),
        ),
        Field(
            "kind",
            "对象类型",
            "企业、个体工商户、产品、项目等。",
            Choice(OBJECT_KINDS),
            synonyms=("主体类型", "市场主体类型", "类型"),
            value_synonyms=(("个体户", "个体工商户"), ("个体", "个体工商户"), ("合作社", "农民专业合作社")),
        ),
        Field(
            "township",
            "乡镇（街道）",
            "对象所在的乡镇、街道或园区（从县级设置的名单中选择）。",
            Text(),
            synonyms=("所属乡镇", "所属乡镇（街道）", "乡镇", "街道", "乡镇街道", "所在乡镇", "属地"),
        ),
        Field(
            "address",
            "地址",
            "经营场所或项目地址。",
            Text(),
            required=False,
            synonyms=("住所", "经营场所", "经营地址", "住所（经营场所）", "详细地址"),
        ),
        Field(
            "tags",
            "专项库标签",
            "所属专项检查对象库，如“学校食堂”“加油站”，多个用分号分隔。",
            ListOf(Text()),
            required=False,
            default=[],
            synonyms=("标签", "专项库", "专项检查对象库"),
        ),
        Field(
            "status",
            "状态",
            "存续、停业、注销、吊销或迁出。注销、吊销、迁出的对象不参与抽取。",
            Choice(STATUSES),
            synonyms=("登记状态", "经营状态", "企业状态", "对象状态"),
            value_synonyms=(
                ("存续（在营、开业、在册）", "存续"),
                ("在营", "存续"),
                ("开业", "存续"),
                ("在册", "存续"),
                ("在业", "存续"),
                ("吊销，未注销", "吊销"),
                ("吊销未注销", "吊销"),
                ("注销企业", "注销"),
            ),
        ),
        Field(
            "credit_risk",
            "信用风险分类",
            "A 低、B 一般、C 较高、D 高（内部字段，不公开）。只适用于信用风险分类覆盖的对象类型"
            "（默认企业、个体工商户、农民专业合作社），其他类型不填。",
            Choice(RISK_CLASSES),
            required=False,
            internal=True,
            synonyms=("风险等级", "信用风险等级", "风险分类", "信用等级", "信用风险分类结果"),
            value_synonyms=(
                *((f"{c}类", c) for c in RISK_CLASSES),
                ("低风险", "A"),
                ("一般风险", "B"),
                ("较高风险", "C"),
                ("高风险", "D"),
            ),
        ),
        Field(
            "dishonest",
            "列入严重失信主体名单",
            "是或否。",
            Boolean(),
            default=False,
            synonyms=("严重失信", "是否严重失信", "严重失信主体名单", "失信"),
        ),
    ),
)
