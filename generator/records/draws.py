"""抽取申请、随机源与抽取结果 (draws/<year>/<draw-id>/...): the append-only draw registry.

A draw folder is written in three steps, each a separate pull request or CI commit, and no file in
it is ever edited afterwards:

1. ``request.yaml`` (the initiating unit): task, pool digests and the randomness sources named
   *before* they exist, with frozen candidate pools beside it;
2. ``accepted.yaml`` (CI, on merge): the drand round current at acceptance;
3. ``entropy.yaml`` (CI or the ceremony's minutes): the drand beacon, ceremony digits, reveals;
4. ``result.yaml`` (CI, written by the draw engine, never by hand).

The engine's own formats are specified in docs/draw-protocol.md; here we check the envelope.
"""

from __future__ import annotations

from generator.records.common import DRAW_ID, DRAW_ID_HINT, SHA256, SHA256_HINT, note
from generator.records.tasks import TASK_ID, TASK_ID_HINT
from generator.schema.fields import Date, Field, Integer, ListOf, Raw, Ref, Text
from generator.schema.kind import Kind

DRAW_REF = Ref(pattern=DRAW_ID, pattern_hint=DRAW_ID_HINT, target="draw")
# The id of an accepted/entropy/result file names its own folder's request (checked by rules/draws.py).
DRAW_OWN_ID = Text(pattern=DRAW_ID, pattern_hint=DRAW_ID_HINT)
FOLDER = r"draws/(?P<year>\d{4})/(?P<id>D\d{4}-\d{4})"

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
        Field("commit", "受理提交", "受理时 main 分支的提交号（CI 写入）。", Text(), required=False),
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

KINDS = (REQUEST, ACCEPTED, ENTROPY, RESULT)
