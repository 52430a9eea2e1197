"""抽取申请、随机源与抽取结果 (draws/<year>/<draw-id>/...): the append-only draw registry.

A draw folder is written in three steps, each a separate pull request or CI commit, and no file in
it is ever edited afterwards:

1. ``request.yaml`` (the initiating unit): task, pool digests and the randomness sources named
   *before* they exist, with frozen candidate pools beside it;
2. ``accepted.yaml`` (CI, on merge): the drand round current at acceptance;
3. ``entropy.yaml`` (CI or the ceremony's minutes): the drand beacon, ceremony digits, reveals;
4. ``result.yaml`` (CI, written by the draw engine, never by hand);
5. ``substitutions.yaml`` (the department of an officer who cannot serve, appended by pull request):
   the substitute is the next person of the published order (protocol §11), never a free choice.

The engine's own formats are specified in docs/draw-protocol.md; here we check the envelope.
"""

from __future__ import annotations

from generator.records.common import DRAW_ID, DRAW_ID_HINT, SHA256, SHA256_HINT, note
from generator.records.tasks import TASK_ID, TASK_ID_HINT
from generator.schema.fields import Date, Field, Integer, ListOf, Obj, Raw, Ref, Text
from generator.schema.kind import Kind

DRAW_REF = Ref(pattern=DRAW_ID, pattern_hint=DRAW_ID_HINT, target="draw")
# The id of an accepted/entropy/result file names its own folder's request (checked by rules/draws.py).
DRAW_OWN_ID = Text(pattern=DRAW_ID, pattern_hint=DRAW_ID_HINT)
FOLDER = r"draws/(?P<year>[0-9]{4})/(?P<id>D[0-9]{4}-[0-9]{4})"

REQUEST = Kind(
    name="draw_request",
    label="抽取申请",
    description="发起单位提交的抽取申请：冻结候选池并事先指定随机源。受理后不得修改。",
    pattern=FOLDER + r"/request\.yaml",
    example_path="draws/2026/D2026-0001/request.yaml",
    fields=(
        Field(
            "id",
            "抽取编号",
            "D + 年份 + 4 位顺序号，全县连续编号，与目录名相同。",
            Text(pattern=DRAW_ID, pattern_hint=DRAW_ID_HINT),
        ),
        Field("seq", "顺序号", "抽取登记簿中的顺序号，从 1 开始连续递增。", Integer(minimum=1)),
        Field(
            "task", "抽查任务", "任务编号。", Ref(pattern=TASK_ID, pattern_hint=TASK_ID_HINT, target="task")
        ),
        Field("requested_on", "申请日期", "提交申请的日期。", Date()),
        Field("algorithm", "算法版本", "抽取算法的版本号，见 docs/draw-protocol.md。", Text()),
        Field("pool_digests", "候选池摘要", "冻结候选池的 SHA-256 摘要（对象、人员）。", Raw()),
        Field(
            "parameters",
            "抽取参数",
            "分层、各层数量、排除规则、组队规则等（由 request 命令根据任务生成）。",
            Raw(),
        ),
        Field("sources", "随机源", "事先指定的随机源：drand 轮次、现场摇号、第三方承诺。", Raw("list")),
        Field(
            "supersedes", "更正的抽取", "本申请更正的前一次抽取编号（更正时填写）。", DRAW_REF, required=False
        ),
        Field("reason", "更正原因", "更正时填写原因。", Text(), required=False),
        note(),
    ),
)

ENTROPY = Kind(
    name="draw_entropy",
    label="随机源记录",
    description="抽取使用的随机值：drand 信标签名、现场摇号数字、第三方揭示值。",
    pattern=FOLDER + r"/entropy\.yaml",
    example_path="draws/2026/D2026-0001/entropy.yaml",
    fields=(
        Field("id", "抽取编号", "与申请相同。", DRAW_OWN_ID),
        Field("drand", "drand 信标", "轮次、签名与随机数。", Raw(), required=False),
        Field(
            "ceremony",
            "现场摇号",
            '协调会议现场摇号得到的数字，按随机源名称填写，如 meeting: "370215"。',
            Raw(),
            required=False,
        ),
        Field(
            "witnesses",
            "见证人",
            "现场摇号的见证人（单位和姓名）。",
            ListOf(Text()),
            required=False,
            default=[],
        ),
        Field(
            "reveals", "第三方揭示", "承诺—揭示各方公布的揭示值，按参与方名称填写。", Raw(), required=False
        ),
        Field("recorded_on", "记录日期", "随机值记录日期。", Date()),
    ),
)

ACCEPTED = Kind(
    name="draw_accepted",
    label="受理记录",
    description="CI 在申请合并时记录的 drand 最新轮次：申请指定的轮次必须晚于它，保证申请在随机值产生之前登记。",
    pattern=FOLDER + r"/accepted\.yaml",
    example_path="draws/2026/D2026-0001/accepted.yaml",
    fields=(
        Field("id", "抽取编号", "与申请相同。", DRAW_OWN_ID),
        Field("accepted_on", "受理日期", "CI 受理申请的日期。", Date()),
        Field(
            "latest_round",
            "受理时最新轮次",
            "受理时 drand quicknet 的最新轮次（无 drand 随机源时不填）。",
            Integer(minimum=1),
            required=False,
        ),
        Field(
            "margin_rounds",
            "提前量",
            "受理时本县规定的提前量（轮）：申请的轮次须晚于“最新轮次 + 提前量”。",
            Integer(minimum=0),
            required=False,
        ),
        Field("accepted_at", "受理时间", "CI 受理的时刻（UTC，ISO 8601）。", Text(), required=False),
        Field("commit", "受理提交", "受理时 main 分支的提交号（CI 写入）。", Text(), required=False),
        Field("log_head", "登记簿日志头", "写入本次受理后登记簿日志的哈希头。", Text(), required=False),
    ),
)

REFUSED = Kind(
    name="draw_refused",
    label="拒绝受理记录",
    description="CI 拒绝受理抽取申请或其随机源的记录（公开原因）。被拒绝的抽取不会进行；如需重新抽取，请提交新申请并填写 supersedes 和 reason。",
    pattern=FOLDER + r"/refused\.yaml",
    example_path="draws/2026/D2026-0001/refused.yaml",
    fields=(
        Field("id", "抽取编号", "与申请相同。", DRAW_OWN_ID),
        Field("refused_on", "拒绝日期", "CI 拒绝的日期。", Date()),
        Field("stage", "环节", "被拒绝的环节：request（申请）、entropy（现场摇号和揭示值）、order（抽取时发现受理顺序不符）或 superseded（被同一任务的新申请取代）。", Text()),
        Field("code", "原因代码", "稳定的原因代码（见 docs/errors.md）。", Text()),
        Field("reason", "原因", "拒绝原因（中文）。", Text(multiline=True)),
        Field(
            "latest_round", "当时最新轮次", "拒绝时 drand 的最新轮次。", Integer(minimum=1), required=False
        ),
        Field("refused_at", "拒绝时间", "CI 拒绝的时刻（UTC，ISO 8601）。", Text(), required=False),
        Field("log_head", "登记簿日志头", "写入本次拒绝后登记簿日志的哈希头。", Text(), required=False),
    ),
)

ENTROPY_ACCEPTED = Kind(
    name="draw_entropy_accepted",
    label="随机源受理记录",
    description="CI 受理现场摇号数字和第三方揭示值的记录：须在 drand 指定轮次产生之前受理，否则不能使用。",
    pattern=FOLDER + r"/entropy-accepted\.yaml",
    example_path="draws/2026/D2026-0001/entropy-accepted.yaml",
    fields=(
        Field("id", "抽取编号", "与申请相同。", DRAW_OWN_ID),
        Field("accepted_on", "受理日期", "CI 受理的日期。", Date()),
        Field("accepted_at", "受理时间", "CI 受理的时刻（UTC，ISO 8601）。", Text()),
        Field(
            "latest_round",
            "受理时最新轮次",
            "受理时 drand 的最新轮次（申请无 drand 随机源时不填）。",
            Integer(minimum=1),
            required=False,
        ),
        Field(
            "entropy_digest",
            "随机源摘要",
            "受理的现场摇号数字和揭示值（规范化 JSON）的 SHA-256。",
            Text(pattern=SHA256, pattern_hint=SHA256_HINT),
        ),
        Field("log_head", "登记簿日志头", "写入本次受理后登记簿日志的哈希头。", Text(), required=False),
    ),
)

FAILED = Kind(
    name="draw_failed",
    label="抽取失败记录",
    description="随机值已知后抽取失败的公开记录（如某对象无法配齐检查组）。失败的抽取不得悄悄重抽；更正须提交新申请并填写 supersedes 和 reason。",
    pattern=FOLDER + r"/failed\.yaml",
    example_path="draws/2026/D2026-0001/failed.yaml",
    fields=(
        Field("id", "抽取编号", "与申请相同。", DRAW_OWN_ID),
        Field(
            "task", "抽查任务", "任务编号。", Ref(pattern=TASK_ID, pattern_hint=TASK_ID_HINT, target="task")
        ),
        Field("failed_on", "失败日期", "运行抽取的日期。", Date()),
        Field("code", "错误代码", "抽取引擎的错误代码。", Text()),
        Field("reason", "原因", "抽取失败的原因（中文）。", Text(multiline=True)),
        Field("log_head", "登记簿日志头", "写入本次失败后登记簿日志的哈希头。", Text(), required=False),
    ),
)

RESULT = Kind(
    name="draw_result",
    label="抽取结果",
    description="抽取引擎生成的结果：种子、各层抽中对象、备选名单、检查组。由 CI 写入，不得手工编辑。",
    pattern=FOLDER + r"/result\.yaml",
    example_path="draws/2026/D2026-0001/result.yaml",
    fields=(
        Field("id", "抽取编号", "与申请相同。", DRAW_OWN_ID),
        Field(
            "task", "抽查任务", "任务编号。", Ref(pattern=TASK_ID, pattern_hint=TASK_ID_HINT, target="task")
        ),
        Field("algorithm", "算法版本", "与申请相同。", Text()),
        Field("seed", "种子", "由随机源按协议组合成的种子字符串。", Text(max_length=100000)),
        Field("drawn_on", "抽取日期", "运行抽取的日期。", Date()),
        Field(
            "request_digest",
            "申请摘要",
            "抽取申请规范化后的 SHA-256。",
            Text(pattern=SHA256, pattern_hint=SHA256_HINT),
        ),
        Field(
            "output",
            "抽取输出",
            "各层抽中对象、备选名单、批次和检查组（格式见 docs/draw-protocol.md）。",
            Raw(),
        ),
    ),
)

SUBSTITUTION = Obj(
    (
        Field("object", "检查对象", "抽中的检查对象编号（须在本次抽取结果中）。", Text(max_length=64)),
        Field("replaced", "被替换人员", "不能到场的执法检查人员编号（须在该对象的检查组中）。", Text(max_length=64)),
        Field(
            "substitute",
            "替补人员",
            "接替的执法检查人员编号：必须是公布顺序（docs/draw-protocol.md §11）中该部门的下一名合格人员，"
            "不能自行指定；网页“抽取结果”和 verify_draw.py 可核对。",
            Text(max_length=64),
        ),
        Field(
            "reason",
            "不能到场的原因",
            "不能到场的原因（如病假、回避、离岗）。内部字段，不公开：它说的是一名具名人员的健康状况或申报的"
            "利害关系，只供县联席办和审计核对。",
            Text(),
            internal=True,
        ),
        Field("date", "替补日期", "登记替补的日期（不早于抽取日期）。", Date()),
    )
)

SUBSTITUTIONS = Kind(
    name="draw_substitutions",
    label="替补记录",
    description="抽中的执法检查人员不能到场时，由其所在部门按公布顺序的下一名合格人员接替的记录。"
    "由该部门通过合并请求追加，只追加、不修改；抽取结果本身永不改动。",
    pattern=FOLDER + r"/substitutions\.yaml",
    example_path="draws/2026/D2026-0001/substitutions.yaml",
    fields=(
        Field("id", "抽取编号", "与申请相同。", DRAW_OWN_ID),
        Field("substitutions", "替补", "按时间顺序追加的替补，每条一名人员。", ListOf(SUBSTITUTION)),
    ),
)

KINDS = (REQUEST, ACCEPTED, REFUSED, ENTROPY, ENTROPY_ACCEPTED, RESULT, FAILED, SUBSTITUTIONS)
