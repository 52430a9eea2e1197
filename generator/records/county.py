"""县级设置 (county.yaml): who the county is, its deadlines, draw policy and dictionaries.

One file per deployment. Another county adopts the platform by editing this file and the unit
folders; nothing in the code names 泗阳县.
"""

from __future__ import annotations

from generator.records.objects import CLASSIFIED_KINDS
from generator.schema.fields import Boolean, Choice, Field, Integer, ListOf, Obj, Text
from generator.schema.kind import Kind

MMDD = r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
MMDD_HINT = "月-日，如 01-31"
# an absolute http(s) address without spaces, quotes or angle brackets (see rules/base_url.py)
WEB_URL = r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]+"

DEADLINES = Obj(
    (
        Field(
            "unit_plan",
            "单位计划备案期限",
            "各单位年度抽查计划报县联席办备案的最后一天（月-日）。",
            Text(pattern=MMDD, pattern_hint=MMDD_HINT),
            default="01-31",
        ),
        Field(
            "joint_plan_target",
            "联合计划发布目标日",
            "县联席办汇总发布年度部门联合抽查计划的目标日（“3月初”）。",
            Text(pattern=MMDD, pattern_hint=MMDD_HINT),
            default="03-10",
        ),
        Field(
            "joint_plan_latest",
            "联合计划最迟发布日",
            "联合抽查计划最迟发布日（“3月底前”），逾期为错误。",
            Text(pattern=MMDD, pattern_hint=MMDD_HINT),
            default="03-31",
        ),
        Field(
            "inspection_from",
            "联合检查实施期开始",
            "联合检查实施期的第一天（“4月”）。",
            Text(pattern=MMDD, pattern_hint=MMDD_HINT),
            default="04-01",
        ),
        Field(
            "inspection_to",
            "联合检查实施期结束",
            "联合检查实施期的最后一天（“11月”）。",
            Text(pattern=MMDD, pattern_hint=MMDD_HINT),
            default="11-30",
        ),
        Field(
            "summary_month",
            "总结月份",
            "召开联席会议总结全年工作的月份。",
            Integer(minimum=1, maximum=12),
            default=12,
        ),
        Field(
            "result_entry_working_days",
            "结果录入时限（工作日）",
            "检查结束后录入检查结果的工作日数（本县要求 10 个工作日）。",
            Integer(minimum=1, maximum=60),
            default=10,
        ),
        Field(
            "publication_working_days",
            "结果公示时限（工作日）",
            "《企业信息公示暂行条例》规定的公示时限。",
            Integer(minimum=1, maximum=60),
            default=20,
        ),
        Field(
            "follow_up_days",
            "后续处理办结期限（日）",
            "结果为“发现问题待后续处理”的，应在检查后若干日内追加“已办结”更正；逾期列入合规报告。",
            Integer(minimum=1, maximum=365),
            default=90,
        ),
        Field(
            "referral_ack_working_days",
            "移交接收确认时限（工作日）",
            "接收移交的单位应在移交后若干个工作日内登记接收；逾期未确认的移交列入合规报告。",
            Integer(minimum=1, maximum=60),
            default=10,
        ),
    )
)

OBJECT_RULES = Obj(
    (
        Field(
            "recent_months",
            "同单位近期已查排除（月）",
            "同一单位在最近若干个月内已检查过的对象不再抽取（重点事项除外）。",
            Integer(minimum=0, maximum=36),
            default=6,
        ),
        Field(
            "recognise_months",
            "结果互认期（月）",
            "任一单位对同一事项的检查结果在该月数内互认，对象不再抽取。",
            Integer(minimum=0, maximum=36),
            default=12,
        ),
        Field(
            "annual_cap",
            "年度检查上限（次）",
            "同一对象每年被各单位抽查的总次数上限（防止执法扰民）。",
            Integer(minimum=1, maximum=52),
            default=4,
        ),
        Field(
            "min_team_size",
            "检查组最少人数",
            "每个检查组的最少执法检查人员数，不得少于 2。",
            Integer(minimum=2, maximum=10),
            default=2,
        ),
        Field(
            "min_per_department",
            "每个部门最少持证人数",
            "联合检查中每个参与部门对同一对象至少派出的持证执法检查人员数（各部门的检查各自须两人以上，"
            "如《特种设备安全监督检查办法》第十九条），默认 2。",
            Integer(minimum=1, maximum=10),
            default=2,
        ),
        Field(
            "officer_draw",
            "联合检查人员抽取组织方式",
            "本县联合检查的默认做法：central（发起单位统一抽取各部门人员）或 per_department（各参与部门分别"
            "抽取本部门人员）；任务可在 inspectors.officer_draw 中另行指定（docs/draw-protocol.md §11）。",
            Choice(("central", "per_department")),
            default="central",
        ),
    )
)

RISK = Obj(
    (
        Field(
            "order",
            "风险由低到高的顺序",
            "信用风险分类由低到高的顺序；各层抽查比例须随风险不降低。",
            ListOf(Choice(("A", "B", "C", "D")), min_items=2),
            default=["A", "B", "C", "D"],
        ),
        Field(
            "classified_kinds",
            "信用风险分类覆盖的对象类型",
            "信用风险分类只适用于这些对象类型；其他类型的对象不得填写分类，按乡镇分层或不分层抽取。",
            ListOf(Text(), min_items=1),
            default=list(CLASSIFIED_KINDS),
        ),
        Field(
            "dishonest",
            "严重失信主体的处理",
            "highest：列入严重失信主体名单的对象一律归入风险最高的一层；none：不作特别处理。",
            Choice(("highest", "none")),
            default="highest",
        ),
    )
)

DICT_ENTRY = Obj(
    (
        Field(
            "code",
            "代码",
            "稳定的代码，录入结果时填写。",
            Text(pattern=r"[0-9A-Z]{1,4}", pattern_hint="1–4 位数字或大写字母"),
        ),
        Field("label", "名称", "公开时显示的文字。", Text()),
        Field(
            "problem",
            "属于发现问题",
            "该类别是否表示发现了问题（用于统计问题发现率）。",
            Boolean(),
            default=False,
        ),
        Field("parent", "上级代码", "所属的上级类别代码，可不填。", Text(), required=False),
        Field(
            "closes",
            "办结（可互认）",
            "该类别表示事项已办结，结果可在互认期内被其他单位互认；不配合、无法联系、待后续处理等不可互认。",
            Boolean(),
            default=False,
        ),
        Field(
            "follow_up",
            "待后续处理",
            "该类别表示还有后续处理未完成，须以更正追加办结结果。",
            Boolean(),
            default=False,
        ),
        Field(
            "excludes",
            "不能同时选择的类别",
            "与本类别互相排斥的类别代码（如“未发现问题”排斥“无法联系”“不配合”）。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field(
            "no_action",
            "不得有处置",
            "选择本类别时不得有移交、行政处罚、纳入失信名单或移送司法机关（如“未发现问题”）。",
            Boolean(),
            default=False,
        ),
        Field(
            "dispositions",
            "可选的后续处置",
            "选择本类别时，后续处置只能是其中之一（从后续处置字典中选择；不填为不限）。"
            "如“未发现问题”只能是“无需后续处置”，“发现问题待后续处理”不能是“无需后续处置”。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
    )
)

DRAW_POLICY = Obj(
    (
        Field(
            "required_sources",
            "必需的随机源",
            "每次抽取必须使用的随机源：drand（公共随机信标）、ceremony（协调会现场摇号）、"
            "commit_reveal（纪检、公证等第三方承诺—揭示）。",
            ListOf(Choice(("drand", "ceremony", "commit_reveal")), min_items=1),
        ),
        Field(
            "drand_margin_rounds",
            "drand 轮次提前量",
            "抽取使用的 drand 轮次至少要比受理时的最新轮次晚多少轮（3 秒一轮）。",
            Integer(minimum=1),
            default=1200,
        ),
        Field(
            "missing_reveal",
            "第三方未揭示时的处理",
            "drop：忽略未揭示的一方；fail：抽取作废重新申请。",
            Choice(("drop", "fail")),
            default="drop",
        ),
        Field(
            "strata_disclosure",
            "分层公开方式",
            "sealed（默认）：公开数据包不显示分层名称、各层规模和抽取数，纪检凭审计数据包核对；"
            "public：只用于重点/一般、行业、乡镇等非敏感属性的分层，全部公开。按信用风险分类分层时必须用 sealed。",
            Choice(("sealed", "public")),
            default="sealed",
        ),
        Field(
            "demo_chain",
            "演示用 drand 链",
            "仅供示例数据和培训：演示链的名称、G2 公钥（192 位十六进制）、创世时间和周期，"
            "签名方式与 drand quicknet 相同；真实抽取一律使用 quicknet，不得使用演示链。",
            Obj(
                (
                    Field(
                        "name",
                        "链名称",
                        "演示链名称（小写字母、数字、-）。",
                        Text(pattern=r"[a-z0-9_-]{1,32}"),
                    ),
                    Field(
                        "public_key", "公钥", "G2 公钥，192 位小写十六进制。", Text(pattern=r"[0-9a-f]{192}")
                    ),
                    Field("genesis_time", "创世时间", "第 1 轮的 Unix 时间（秒）。", Integer(minimum=0)),
                    Field("period", "周期", "每轮秒数。", Integer(minimum=1)),
                )
            ),
            required=False,
        ),
    )
)

# Which objects get a page on the public site (site.object_pages); the first is the default.
OBJECT_PAGES = ("抽中或检查过的对象", "名录库全部对象")

SITE = Obj(
    (
        Field("name", "网站名称", "公开网站的名称。", Text()),
        Field("domain", "网站域名", "公开网站的域名，用于页面标签 SiteDomain。", Text(), required=False),
        Field("site_id_code", "网站标识码", "政府网站标识码（SiteIDCode），可不填。", Text(), required=False),
        Field("base_url", "网站地址", "公开网站的完整地址，用于 Atom 订阅。", Text(), required=False),
        Field(
            "object_pages",
            "对象页面",
            "哪些检查对象有自己的页面。默认“抽中或检查过的对象”：从未被抽中、也未被检查的对象不生成页面，"
            "名称不出现在网站上（个体工商户名称常含个人姓名），生成也更快；“名录库全部对象”为每个对象生成页面。"
            "无论哪种，按统一社会信用代码查询都有答复。",
            Choice(OBJECT_PAGES),
            default=OBJECT_PAGES[0],
        ),
        Field(
            "icp_number",
            "ICP 备案号",
            "网站的 ICP 备案号（如“苏ICP备12345678号”），显示在每页页脚并链接到工业和信息化部备案系统；可不填。",
            Text(max_length=60),
            required=False,
        ),
        Field(
            "contact",
            "联系方式",
            "联席办对外公开的联系方式（办公地址、工作时间咨询电话、电子邮箱），显示在页脚和“关于本站”页；"
            "只填单位的公开号码，不要填个人手机。可不填。",
            Text(max_length=300),
            required=False,
        ),
        Field(
            "objection",
            "异议申诉渠道",
            "检查对象对公示的检查结果有异议时如何提出（向哪个部门、通过什么方式、多长时间内答复），"
            "显示在“异议申诉”页。可不填（页面只列各检查单位和联席办）。",
            Text(max_length=2000, multiline=True),
            required=False,
        ),
        Field(
            "policies",
            "政策依据",
            "本平台依据的政策文件，按列出的顺序显示在“关于本站”页。",
            ListOf(
                Obj(
                    (
                        Field("title", "文件名称", "文件全称，如《关于……的意见》。", Text(max_length=200)),
                        Field("number", "文号", "发文字号，如 泗政办发〔2022〕31号。", Text(max_length=60)),
                        Field(
                            "url",
                            "原文链接",
                            "文件原文的网址（http:// 或 https://）；可不填。",
                            Text(
                                pattern=WEB_URL,
                                pattern_hint="以 http:// 或 https:// 开头的网址，不含空格和引号",
                            ),
                            required=False,
                        ),
                    )
                )
            ),
            required=False,
        ),
    )
)

KIND = Kind(
    name="county",
    label="县级设置",
    description="县名、联席办、时间节点、抽取规则和字典。每个部署一份。",
    pattern=r"county\.yaml",
    id_field="code",
    example_path="county.yaml",
    fields=(
        Field("name", "县名", "部署本平台的县（市、区）全称。", Text()),
        Field(
            "code",
            "行政区划代码",
            "GB/T 2260 六位行政区划代码。",
            Text(pattern=r"\d{6}", pattern_hint="6 位数字"),
        ),
        Field("joint_office", "联席办名称", "“双随机、一公开”监管联席会议办公室的全称。", Text()),
        Field(
            "demo",
            "示例数据",
            "为“是”时网站每页显示“示例数据”横幅，导出的公示表和计划表标题注明“示例数据”。示例中的事项编码"
            "（DEMO- 开头）、平台计划和任务编号（DEMO-）以及单位变更日期（如人行泗阳县支行撤销日期）均为示意值，"
            "不可报送平台。真实部署必须改为“否”，并换成本县核实的编码和日期。",
            Boolean(),
            default=False,
        ),
        Field(
            "townships",
            "乡镇（街道）",
            "本县的乡镇、街道、园区名单，检查对象的“乡镇/街道”从中选择。",
            ListOf(Text(), min_items=1),
        ),
        Field(
            "deadlines",
            "时间节点",
            "实施方案规定的时间节点，可按本县实际调整。",
            DEADLINES,
            required=False,
            default={},
        ),
        Field(
            "object_rules",
            "抽取排除规则",
            "抽取检查对象时的排除和限额规则。",
            OBJECT_RULES,
            required=False,
            default={},
        ),
        Field(
            "risk",
            "信用风险分类监管",
            "风险顺序、分类覆盖的对象类型和严重失信主体的处理。",
            RISK,
            required=False,
            default={},
        ),
        Field("draw_policy", "随机源政策", "抽取必须使用哪些随机源。", DRAW_POLICY),
        Field(
            "result_categories",
            "检查结果类别字典",
            "检查结果的类别（可多选），默认采用江苏省表述，可编辑。",
            ListOf(DICT_ENTRY, min_items=1),
        ),
        Field(
            "inspection_methods",
            "检查方式字典",
            "检查方式（实地检查、书面检查等）。",
            ListOf(Text(), min_items=1),
        ),
        Field("dispositions", "后续处置字典", "后续处置措施。", ListOf(Text(), min_items=1)),
        Field("site", "网站设置", "公开网站的名称和页面标签。", SITE),
    ),
)
