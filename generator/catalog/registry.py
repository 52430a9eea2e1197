"""Message templates of the registry's decisions (accept, draw, verify, the public log).

Every registry problem is rendered from here (``render``), so the wording a county officer reads in
CI, in ``refused.yaml`` and in the public log is the one docs/errors.md documents. Parameters are
the draw's own numbers and names; each template says what to do. ``generator/workflow/catalog.py``
merges this table into the workflow catalog (one table in docs/errors.md).
"""

from __future__ import annotations

from .entry import Entry, error, warning

REGISTRY_CATALOG: dict[str, Entry] = {
    "REGISTRY_ROUND_INVALID": error(
        "drand 轮次“{round}”无效：必须是小于 2^63 的正整数。请在 request.yaml 的 sources 中填写未来的 drand 轮次，"
        "或用 request --drand-at 指定时刻。",
        "a drand round that is not a positive integer below 2^63",
    ),
    "REGISTRY_ROUND_NOT_FUTURE": error(
        "drand 第 {round} 轮（{round_time}）不在未来：{basis}加提前量 {margin} 轮后最早可用第 {earliest} 轮。"
        "请改用更晚的轮次重新申请。",
        "a drand round not later than now (or the acceptance round) plus the margin",
    ),
    "REGISTRY_ROUND_TOO_FAR": error(
        "drand 第 {round} 轮在 {days} 天之后（最晚可用第 {latest} 轮）。请改用近期的轮次重新申请。",
        "a drand round more than 400 days ahead",
    ),
    "REGISTRY_CLOCK_MISMATCH": error(
        "记录的 drand 最新轮次 {latest} 与按时钟推算的第 {clock} 轮相差超过 {margin} 轮，不能作为受理依据。"
        "请核对 CI 的系统时钟和 drand 中继（beacon latest），下次运行时重新受理。",
        "the recorded latest drand round disagrees with the clock by more than the margin",
    ),
    "REGISTRY_NOT_ACCEPTED": error(
        "申请尚未经 CI 受理（缺 accepted.yaml），不能抽取。请等待 CI 的受理步骤（accept）运行后再抽取。",
        "a draw without CI's acceptance record",
    ),
    "REGISTRY_ACCEPTANCE_NO_ROUND": error(
        "受理记录 accepted.yaml 没有记录受理时的 drand 最新轮次 latest_round，无法证明申请早于随机值。"
        "受理记录只能由 CI 写入：请核对该文件的改动历史，必要时提交新申请（supersedes）。",
        "a drand draw whose acceptance did not record the latest round",
    ),
    "REGISTRY_ACCEPTANCE_LATE": error(
        "受理时 drand 最新轮次 {latest} 加提前量 {margin} 不早于申请指定的第 {round} 轮：申请登记时随机值可能已公开。"
        "这次抽取不能使用，请提交新申请（supersedes）并指定更晚的轮次。",
        "acceptance round plus margin not earlier than the requested round",
    ),
    "REGISTRY_ENTROPY_NOT_ACCEPTED": error(
        "现场摇号数字或第三方揭示值尚未经 CI 受理（{detail}），不能用于抽取。"
        "请在{deadline}之前合并 entropy.yaml，由 CI 受理；受理记录只能由 CI 写入。",
        "ceremony digits or reveals that CI has not accepted",
    ),
    "REGISTRY_ENTROPY_LATE": error(
        "drand 第 {round} 轮（{round_time}）产生时，现场摇号数字或揭示值{state}：它们可能是在已知信标后选定的，不能使用。"
        "请提交新申请（supersedes），在新轮次之前登记数字。",
        "ceremony digits or reveals accepted (or still missing) when round R existed",
    ),
    "REGISTRY_ENTROPY_CHANGED": error(
        "现场摇号数字或揭示值与 CI 受理时记录的摘要不符：受理后被改动。请恢复 entropy.yaml 中受理时的数字。",
        "ceremony digits or reveals that differ from what CI accepted",
    ),
    "REGISTRY_LOG_REQUEST_CHANGED": error(
        "抽取申请的摘要 {found} 与受理时登记簿日志记录的 {logged} 不符：申请在受理后被改动。"
        "请恢复受理时的 request.yaml；如需更正，请提交新申请（supersedes）。",
        "a request whose digest differs from the one logged at acceptance",
    ),
    "REGISTRY_REFUSED": error(
        "申请已被拒绝：{reason}。被拒绝的申请不再抽取，请改正后提交新申请（填写 supersedes 和 reason）。",
        "a draw CI refused (refused.yaml)",
    ),
    "REGISTRY_REQUESTED_ON_INVALID": error(
        "request.yaml 的申请日期 requested_on 为“{value}”，不在允许的范围（{allowed}）内。申请日期是排除规则"
        "（结果互认、近期已检查、年度检查次数上限、上次检查组）的基准日，只能是 CI 受理当天或之前 {days} 天内，"
        "不能由申请人另选日期。请不带 --date 运行 python -m generator request 重新生成申请（冻结当天的候选池）后再提交。",
        "a request dated after its acceptance (or today) or long before it: its date decides the exclusions",
    ),
    "REGISTRY_REQUEST_INVALID": error(
        "抽取申请无法处理：{detail}。请用 python -m generator request 重新生成申请，不要手工编辑 request.yaml。",
        "a request that cannot be parsed or rebuilt from the records",
    ),
    "REGISTRY_POLICY": error(
        "随机源不符合本县政策（county.yaml 的 draw_policy）：{detail}。请按政策重新申请。",
        "a request whose sources break the county's policy",
    ),
    "REGISTRY_PARAMETERS_MISMATCH": error(
        "抽取参数与任务、计划和本县政策不符：{detail}。请用 python -m generator request 按记录重新生成申请。",
        "request parameters or sources other than the task/plan/policy give",
    ),
    "REGISTRY_POOL_MISSING_ROWS": error(
        "冻结的{pool}缺少按记录应有的 {count} 行：{ids}。请用 python -m generator request 按记录重新生成候选池。",
        "a frozen pool without rows the records give",
    ),
    "REGISTRY_POOL_EXTRA_ROWS": error(
        "冻结的{pool}多出记录中没有的 {count} 行：{ids}。请用 python -m generator request 按记录重新生成候选池。",
        "a frozen pool with rows the records do not give",
    ),
    "REGISTRY_POOL_ROW_CHANGED": error(
        "冻结的{pool}有 {count} 行与记录不符：{ids}。请用 python -m generator request 按记录重新生成候选池。",
        "a frozen pool row whose facts differ from the records",
    ),
    "REGISTRY_INFEASIBLE": error(
        "{township}的候选对象可能被抽中，但{unit}覆盖该乡镇的合格执法检查人员不够最多 {teams} 个检查组"
        "（共需 {need} 名）：抽中后无法组队。请补充该乡镇的执法检查人员，或调整任务范围后再申请。",
        "a candidate that could be drawn but could not be staffed (township mode; unit mode and the "
        "experts and testing bodies state their own roster)",
    ),
    "REGISTRY_SUPERSEDES_MISSING": error(
        "任务 {task} 已有抽取申请 {earlier}：再次申请须填写 supersedes（被更正的抽取编号）和 reason（原因）。",
        "a second request for a task without supersedes and reason",
    ),
    "REGISTRY_SUPERSEDES_INVALID": error(
        "supersedes“{value}”不是任务 {task} 更早的抽取（可选：{earlier}）。请填写本任务更早的抽取编号。",
        "supersedes naming no earlier draw of the same task",
    ),
    "REGISTRY_SUPERSEDES_DRAWN": error(
        "任务 {task} 的抽取 {drawn} 的随机信标已经产生（或已有抽取结果），不能再被新的申请取代："
        "否则可以在看到抽中对象后重新抽取。请按已抽取的结果检查（检查人员不能到位的按替补顺序登记替补）；"
        "只有被拒绝或失败的抽取才能重新申请。",
        "a request superseding (or racing) a draw whose beacon round has come or whose result exists",
    ),
    "REGISTRY_ENTROPY_INVALID": error(
        "随机源记录 entropy.yaml 的格式不对：{detail}。现场摇号数字和揭示值须写成“名称: 值”，值为文字或整数"
        "（如 meeting: '370215'）。不予受理：请提交新申请（supersedes），在新的随机轮次之前登记随机源。",
        "ceremony digits or reveals CI cannot read (not a name: value mapping of text or integers)",
    ),
    "REGISTRY_ENTROPY_IGNORED": warning(
        "揭示值在 drand 第 {round} 轮产生后才提交，不予采用：按申请中各揭示值的缺失规则处理（drop 记为缺失，抽取照常进行；"
        "fail 的揭示值在该轮产生时未经受理的，本抽取不予受理），不会因迟交而重新抽取。揭示值须在随机轮次产生之前提交并由 CI 受理。",
        "reveals sent after round R for a request naming no ceremony: not used, the draw goes on",
    ),
    "REGISTRY_SUPERSEDED": error(
        "本抽取已被任务 {task} 的新申请 {later} 取代（在本抽取的随机轮次产生之前受理），不再抽取，以 {later} 为准。"
        "被取代的抽取即使随机源齐备也不会抽取：否则可以在看到它的结果后再决定新申请是否进行。",
        "an open draw closed when a later request for its task is accepted (it is never drawn)",
    ),
    "REGISTRY_UNREADABLE": error(
        "抽取目录无法读取（{detail}）。请修正该目录中的文件（YAML/JSON 语法、普通文件而非链接）。",
        "a draw folder whose files cannot be read",
    ),
    "REGISTRY_INPUT_INVALID": error(
        "抽取输入无法处理（{detail}），已记录为失败。请核对该抽取目录中的文件是否被手工改动。",
        "draw inputs the engine cannot process (recorded as a failed draw)",
    ),
    "REGISTRY_DUPLICATE_FILE": error(
        "同一抽取既有结果（result.yaml）又有失败记录（failed.yaml）。两者只能由 CI 写入其一：请核对改动历史，删除后加的文件。",
        "a draw with both a result and a failure record",
    ),
    "REGISTRY_MISMATCH": error(
        "字段 {field} 不一致：应为 {expected}，实为 {found}。抽取结果不得手工编辑：请恢复 CI 写入的 result.yaml。",
        "a published result that differs from the recomputation",
    ),
    "REGISTRY_FAILURE_MISMATCH": error(
        "失败记录不实：{detail}。请核对 failed.yaml 的改动历史。",
        "a published failure that the recomputation does not reproduce",
    ),
    "REGISTRY_LOG_BROKEN": error(
        "登记簿日志第 {line} 行无效：{detail}。登记簿日志只由 CI 追加：请恢复原文件。",
        "a registry log line that is not canonical or breaks the hash chain",
    ),
    "REGISTRY_LOG_MISSING": error(
        "{detail}。登记簿日志与抽取目录必须一一对应：请恢复被删除的日志行或文件。",
        "a registry decision without its log entry, or a log entry without its file",
    ),
    "REGISTRY_FOLDER_MISPLACED": error(
        "抽取目录不在其编号所示年份的目录下（或编号含非 ASCII 数字），不计入核验。请把目录移到 draws/<编号中的年份>/ 下。",
        "a draw folder outside the year its id names (or with non-ASCII digits)",
    ),
}


def render(code: str, **params: object) -> str:
    """The Chinese message of registry code ``code`` with the draw's own values."""
    return REGISTRY_CATALOG[code].template.format(**params)
