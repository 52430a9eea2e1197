"""county.yaml of the sample tree: 泗阳县 (321323) with demo: true and the Jiangsu dictionaries."""

from __future__ import annotations

from generator.demo_chain import demo_chain
from generator.samplegen.emit import Note

DEMO_CHAIN = "demo-siyang"  # the sample county's demonstration drand chain (protocol §3.1)

NAME = "泗阳县"
CODE = "321323"
YEAR = 2026
# 泗阳县 after the 2020 adjustment of its townships (《2020年泗阳县部分乡镇行政区划调整方案》, approved by
# the provincial government, published 2020-08-07): 众兴镇 split into 众兴街道 and 城厢街道; 八集乡 became
# 来安街道; 三庄乡 became 三庄镇; 卢集镇 + 高渡镇 → 卢集镇; 王集镇 + 南刘集乡 → 王集镇; 爱园镇 + 里仁乡 →
# 爱园镇. 屠园镇 belongs to 宿城区 and is not listed. The plan also addresses 县各园区（场）: the
# development zone and the two farms are listed as areas (objects there are not in a township).
TOWNSHIPS_SOURCE = "《2020年泗阳县部分乡镇行政区划调整方案》（2020-08-07 公布）"
TOWNSHIPS = (
    "众兴街道",
    "来安街道",
    "城厢街道",
    "穿城镇",
    "王集镇",
    "裴圩镇",
    "新袁镇",
    "李口镇",
    "临河镇",
    "卢集镇",
    "张家圩镇",
    "三庄镇",
    "爱园镇",
    "庄圩乡",
    "泗阳经济开发区",
    "泗阳棉花原种场",
    "泗阳农场",
)
AREAS = ("泗阳经济开发区", "泗阳棉花原种场", "泗阳农场")
# Relative weights: the county seat's streets and the development zone hold most businesses.
TOWNSHIP_WEIGHTS = (14, 10, 9, 4, 5, 3, 3, 3, 3, 4, 3, 3, 4, 2, 6, 1, 1)

# code, label, problem, parent
RESULT_CATEGORIES = (
    ("1", "未发现问题", False, None),
    ("A", "发现问题待后续处理", True, None),
    ("B", "未按规定公示应当公示的信息", True, "A"),
    ("C", "公示信息隐瞒真实情况弄虚作假", True, "A"),
    ("D", "违反市场监管其他相关规定", True, "A"),
    ("3", "违反食品药品管理相关规定", True, "A"),
    ("4", "违反质量技术监督相关规定", True, "A"),
    ("5", "违反其他部门相关规定", True, "A"),
    ("G", "违反公安部门相关规定", True, "A"),
    ("6", "通过登记的住所（经营场所）无法联系", True, None),
    ("E", "发现问题已责令改正", True, None),
    ("F", "未发现开展本次抽查涉及的经营活动", False, None),
    ("7", "已关闭停业或正在组织清算", False, None),
    ("8", "不配合检查情节严重", True, None),
    ("9", "注销", False, None),
    ("10", "被吊销", False, None),
    ("11", "被撤销", False, None),
    ("12", "迁出", False, None),
)
# The consistency table: which categories close the matter (结果互认), which leave a follow-up open,
# which exclude each other and which allow no action at all.
CLOSES = ("1", "E", "F")
FOLLOW_UP = ("A",)
PROBLEMS = ("A", "B", "C", "D", "3", "4", "5", "G", "6", "E", "8")
EXCLUDES = {
    "1": [c for c in PROBLEMS] + ["F", "7"],
    "F": ["A", "B", "C", "D", "3", "4", "5", "G", "E"],
    "E": ["A", "6", "8"],
}
NO_ACTION = ("1", "F")
METHODS = ("实地检查", "书面检查", "网络监测", "检验检测", "行政部门检查结果或专业意见", "委托专业机构辅助")
DISPOSITIONS = (
    "未发现问题或相关问题已规范、已改正，无需后续处置",
    "停止检查，反馈至日常监管部门依法依规处理",
    "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责",
    "发现案件线索，移送办案机构",
    "违反其他部门相关规定，抄告相关部门",
    "其他",
)
# The dispositions a category allows (none listed: any): 未发现问题 and 未发现经营活动 need no
# further action; a follow-up still open is never "无需后续处置".
CATEGORY_DISPOSITIONS = {
    "1": [DISPOSITIONS[0]],
    "F": [DISPOSITIONS[0]],
    "A": list(DISPOSITIONS[1:]),
}

COMMENTS = (
    "示例数据（demo: true）：由 python -m generator sample 生成，用于演示和测试。",
    "单位联络员、检查对象、执法检查人员的名称和号码均为虚构，不对应任何真实的单位或个人。",
    "乡镇（街道）名单按 2020 年行政区划调整后的现状编写，正式部署前请再与县民政局核对。",
)


def county_doc() -> dict:
    cats = []
    for code, label, problem, parent in RESULT_CATEGORIES:
        entry = {"code": code, "label": label, "problem": problem}
        if parent:
            entry["parent"] = parent
        if code in CLOSES:
            entry["closes"] = True
        if code in FOLLOW_UP:
            entry["follow_up"] = True
        if code in EXCLUDES:
            entry["excludes"] = EXCLUDES[code]
        if code in NO_ACTION:
            entry["no_action"] = True
        if code in CATEGORY_DISPOSITIONS:
            entry["dispositions"] = CATEGORY_DISPOSITIONS[code]
        cats.append(entry)
    return {
        "name": NAME,
        "code": CODE,
        "joint_office": "泗阳县“双随机、一公开”监管联席会议办公室",
        "demo": True,
        Note(f"乡镇（街道）按{TOWNSHIPS_SOURCE}；园区（场）列在最后。"): None,
        "townships": list(TOWNSHIPS),
        Note("时间节点取自实施方案（泗政办发〔2022〕31号）。"): None,
        "deadlines": {
            "unit_plan": "01-31",
            "joint_plan_target": "03-10",
            "joint_plan_latest": "03-31",
            "inspection_from": "04-01",
            "inspection_to": "11-30",
            "summary_month": 12,
            "result_entry_working_days": 10,
            "publication_working_days": 20,
            "follow_up_days": 60,
            "referral_ack_working_days": 10,
        },
        "object_rules": {
            "recent_months": 6,
            "recognise_months": 12,
            "annual_cap": 4,
            "min_team_size": 2,
            "min_per_department": 2,
            "officer_draw": "per_department",
        },
        Note("信用风险分类只适用于市场主体；列入严重失信主体名单的一律归入 D 类（风险最高）。"): None,
        "risk": {
            "order": ["A", "B", "C", "D"],
            "classified_kinds": ["企业", "个体工商户", "农民专业合作社"],
            "dishonest": "highest",
        },
        # The sample is made offline, so its drand source is a demonstration chain declared here (same
        # BLS scheme and verifier as quicknet, key public by design); a real county deletes
        # demo_chain and draws on quicknet with the same required_sources.
        Note(
            "随机源：现场摇号 + 纪检承诺—揭示 + drand 随机信标（最后一个）。示例数据离线生成，drand 使用下面的演示链；"
            "真实部署删除 demo_chain，即使用 drand quicknet。"
        ): None,
        "draw_policy": {
            "required_sources": ["drand", "ceremony", "commit_reveal"],
            "drand_margin_rounds": 1200,
            "missing_reveal": "drop",
            "strata_disclosure": "sealed",
            Note("演示链：密钥由链名公开推导，签名不证明任何事，只用于示例数据和培训。"): None,
            "demo_chain": {k: v for k, v in demo_chain(DEMO_CHAIN).items() if k != "demo"},
        },
        Note("检查结果类别默认采用江苏省表述，可按需编辑；代码一经使用不要更改。"): None,
        "result_categories": cats,
        "inspection_methods": list(METHODS),
        "dispositions": list(DISPOSITIONS),
        Note("网站标识码和 ICP 备案号在正式上线时填写（site_id_code、icp_number）；示例不虚构。"): None,
        "site": {
            "name": "泗阳县“双随机、一公开”联合监管公示平台（示例）",
            "contact": "泗阳县市场监督管理局（县联席办）　电子邮箱：ssj@example.invalid（示例）",
            "objection": (
                "检查对象对公示的检查结果有异议的，可以自公示之日起 15 个工作日内，"
                "向作出检查的部门书面提出，并附相关证明材料（示例，以本县正式规定为准）。\n"
                "作出检查的部门应当核查并答复；确有错误的，予以更正，更正记录与原结果一并公示。"
            ),
            "policies": [
                {
                    "title": "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见",
                    "number": "国发〔2019〕5号",
                    "url": "https://www.gov.cn/zhengce/content/2019-02/15/content_5365900.htm",
                },
                {
                    "title": "全面推行“双随机、一公开”跨部门联合监管工作机制实施方案",
                    "number": "泗政办发〔2022〕31号",
                },
            ],
        },
    }
