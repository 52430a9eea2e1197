"""Finding codes of the workflow checks (append-only registry, drand fetching).

Kept beside the checks rather than in generator/catalog/ so the workflow package can evolve on its
own; the codes are stable like every other code (CI annotations and docs quote them).
"""

from __future__ import annotations

from generator.catalog import ERROR, WARNING, Entry
from generator.catalog.registry import REGISTRY_CATALOG as REGISTRY_TEMPLATES

WORKFLOW_CATALOG: dict[str, Entry] = {
    "APPEND_SYMLINK": Entry(
        ERROR,
        "合并请求在记录目录中加入了{kind}“{file}”。记录目录中只能有普通文件（链接会让校验和网站读取任意文件），"
        "请改为提交真实文件。",
        "a pull request adding a symbolic link or submodule under records/",
    ),
    "APPEND_EDITED": Entry(
        ERROR,
        "已公开的记录“{file}”被修改（规则：{rule}）。已合并的抽取记录和检查结果只能追加，不能修改；"
        "如需更正检查结果，请在原条目下追加“更正记录”（amendments）；抽取有误请提交新的抽取申请并填写 supersedes。",
        "a published draw file or result file edited in a pull request",
    ),
    "APPEND_TASK_FROZEN": Entry(
        ERROR,
        "“{file}”中已抽取任务“{task}”的{label}由“{old}”改为“{new}”（抽取 {draw} 已登记）。"
        "{label}计入各单位每年牵头发起联合抽查的情况（合规页），抽取后改动会把别的单位发起的任务记在自己名下。"
        "请恢复为“{old}”；确需更正的，在合并请求说明中写明理由，由联席办核对后合并（联席办可越过本项检查合并）。",
        "a pull request changing the co-initiators of a task a merged draw result names",
    ),
    "APPEND_OBJECT_RENAMED": Entry(
        ERROR,
        "“{file}”中对象“{object}”的名称由“{old}”改为“{new}”，而该对象已被抽中或已有检查结果（见“{where}”）。"
        "抽取和检查结果按对象编号登记，网页显示名录中的名称：抽取后改名会让已公示的抽取和结果看起来属于另一家。"
        "请恢复原名称“{old}”；确属依法变更登记名称的，在合并请求说明中附变更登记信息，由联席办核对后合并"
        "（联席办可越过本项检查合并，检查记录留在合并请求中）。",
        "a pull request renaming an object that a merged draw or result names",
    ),
    "APPEND_OBJECTS_UNREADABLE": Entry(
        ERROR,
        "对象名录“{file}”无法读取（{detail}），而基准分支上该文件中有 {count} 个已被抽中或已有检查结果的对象"
        "（如“{object}”，见“{where}”）：读不出名录就无法核对这些对象是否被改名，本项检查不予通过。"
        "请把文件恢复为 UTF-8 编码的 CSV，表头第一行含“对象编号”和“名称”两列（或 id 和 name），再提交。",
        "a changed objects file that cannot be read while the base branch's file named drawn or inspected objects",
    ),
    "APPEND_DEMO_SWITCHED_ON": Entry(
        ERROR,
        "“{file}”把 demo 改成了“是”，而基准分支上本县已是真实数据（demo 不是“是”）。示例模式允许抽取使用演示随机信标，"
        "它的密钥是公开的，抽取结果可以事后挑选；真实部署不得切换回示例模式。请删除 demo 或改为 false；"
        "演示和培训请使用单独的示例仓库。",
        "a pull request switching a live county back to demonstration mode",
    ),
    "APPEND_DELETED": Entry(
        ERROR,
        "已公开的记录“{file}”被删除（规则：{rule}）。抽取登记簿和检查结果只能追加，不能删除或改名。",
        "a published draw file or result file deleted or renamed",
    ),
    "APPEND_ENTRY_CHANGED": Entry(
        ERROR,
        "检查结果“{file}”中对象“{object}”的已录入字段“{field}”被修改（规则：检查结果只追加更正）。"
        "原值保持不变，请在该条目的“更正记录”末尾追加一条（日期、原因、更正内容）。",
        "a field of an existing result entry changed",
    ),
    "APPEND_ENTRY_REMOVED": Entry(
        ERROR,
        "检查结果“{file}”中对象“{object}”的条目被删除（规则：检查结果只追加更正）。已录入的条目不能删除，请恢复该条目；如需更正，请在其“更正记录”末尾追加。",
        "an existing result entry removed",
    ),
    "APPEND_AMENDMENT_CHANGED": Entry(
        ERROR,
        "检查结果“{file}”中对象“{object}”的第 {index} 条更正记录被修改或删除（规则：更正记录只能在末尾追加）。",
        "an existing amendment edited, removed or reordered",
    ),
    "APPEND_AMENDMENT_INCOMPLETE": Entry(
        ERROR,
        "检查结果“{file}”中对象“{object}”新追加的第 {index} 条更正记录缺少{missing}（规则：每条更正须写明日期和原因）。",
        "an appended amendment without a date or a reason",
    ),
    "APPEND_AMENDMENT_BACKDATED": Entry(
        ERROR,
        "检查结果“{file}”中对象“{object}”新追加的第 {index} 条更正记录日期 {day} 早于该结果的公示日期 "
        "{published}（由 CI 在公示时记录）。公示后才追加的更正不可能早于公示，请填写实际更正的日期（不早于 {published}）。",
        "an amendment appended to a published entry, dated before CI published it",
    ),
    "APPEND_PLAN_FILED_BEFORE_ARRIVAL": Entry(
        WARNING,
        "计划“{file}”的备案日期 filed_on 为 {filed}，不晚于备案期限 {due}，但这份计划在 {today}（北京时间，"
        "CI 检查之日）才提交到平台。请县联席办核对：计划确已在 {filed} 报备（纸质或省平台）的，请在 note "
        "中写明备案方式和文号；否则请把 filed_on 改为实际备案日期（逾期备案会如实显示为逾期）。",
        "a plan whose filing date is on time but which reaches the platform after the deadline",
    ),
    "APPEND_RESULT_ENTERED_BEFORE_ARRIVAL": Entry(
        WARNING,
        "检查结果“{file}”中本次新增的 {count} 条结果（如对象“{object}”，录入日期 {entered}）的录入日期在"
        "检查后 {days} 个工作日的时限内，但这些结果在 {today}（北京时间，CI 检查之日）才提交到平台，"
        "已过时限。请县联席办核对：结果确已按时录入省平台的，请在 note 中写明；否则请把 entered_on "
        "改为实际录入日期（逾期录入会如实显示为逾期）。迁移往年历史记录时可忽略本提示。",
        "result entries whose entry date is on time but which reach the platform after the deadline",
    ),
    "APPEND_PUBLISHED_BY_PR": Entry(
        ERROR,
        "检查结果“{file}”中对象“{object}”填写了“公示日期”（published_on）。公示日期由 CI 在结果公示时自动记录，"
        "单位不能填写或修改；请删除这一行后重新提交。",
        "a pull request writing published_on, which only CI records when it publishes a result",
    ),
    "APPEND_FIELD_CHANGED": Entry(
        ERROR,
        "检查结果“{file}”的字段“{field}”被修改（规则：检查结果只追加更正）。任务、单位和抽取编号录入后不能修改。",
        "a top-level field of a result file changed",
    ),
    "DRAW_REQUEST_WITH_ENTROPY": Entry(
        ERROR,
        "同一个合并请求同时添加了抽取申请和“{file}”（规则：先受理申请，随机源只能在受理之后产生）。"
        "请先单独提交 request.yaml，合并后由 CI 记录随机源。",
        "a pull request that adds a draw request together with its entropy or result",
    ),
    "DRAW_REQUEST_LOCKED": Entry(
        ERROR,
        "抽取申请“{file}”的随机源已经记录，申请不能再修改（规则：随机源产生后申请锁定）。如需更正，请提交新的抽取申请并填写 supersedes。",
        "a draw request changed after its entropy exists",
    ),
    "DRAW_REQUEST_PREACCEPTED": Entry(
        ERROR,
        "合并请求提交了受理记录“{file}”（规则：受理记录 accepted.yaml 只能由 CI 在申请合并后写入）。请删除该文件或 accepted 字段。",
        "a new draw request that already carries CI's acceptance record",
    ),
    "DRAW_FOLDER_WITHOUT_REQUEST": Entry(
        ERROR,
        "新的抽取目录 {folder} 中没有抽取申请 request.yaml，却新增了“{file}”（规则：抽取目录只能由"
        "抽取申请开始，request.yaml 与 pool-internal.json 一起提交，由 python -m generator request 生成）。"
        "请从合并请求中删除该文件，或用 request 命令生成完整的抽取申请。",
        "a new draw folder with files but no request.yaml",
    ),
    "DRAW_FILE_ADDED": Entry(
        ERROR,
        "已公开的抽取目录中新增了文件“{file}”（规则：已登记的抽取目录只能新增一次 entropy.yaml 和 result.yaml）。请从合并请求中删除该文件。",
        "a file other than entropy.yaml/result.yaml added to a registered draw folder",
    ),
    "DRAW_SEQ_GAP": Entry(
        ERROR,
        "抽取申请“{file}”的顺序号为 {found}，应为 {expected}（规则：抽取登记簿全县连续编号，不得跳号或重号）。",
        "a new draw request that does not continue the registry sequence",
    ),
    "DRAW_CI_FILE_BY_PR": Entry(
        ERROR,
        "合并请求添加了只能由 CI 写入的文件“{file}”（规则：受理、拒绝、随机源受理、抽取结果和失败记录只由 CI 写入）。请删除该文件。",
        "a pull request adding result.yaml, accepted.yaml, refused.yaml, entropy-accepted.yaml or failed.yaml",
    ),
    "DRAW_ENTROPY_DRAND_BY_PR": Entry(
        ERROR,
        "合并请求在随机源记录“{file}”中写入了 drand 信标（规则：drand 信标只由 CI 获取并验证后写入）。请删除 drand 部分。",
        "a pull request writing entropy.drand",
    ),
    "DRAW_LOG_EDITED": Entry(
        ERROR,
        "合并请求修改了抽取登记簿日志“{file}”（规则：登记簿日志只由 CI 在末尾追加）。请撤销对该文件的修改。",
        "a pull request touching the registry log",
    ),
    "DRAW_REQUEST_UNREADABLE": Entry(
        ERROR,
        "抽取申请“{file}”无法读取顺序号（{detail}）（规则：抽取登记簿连续编号）。请先修正 YAML 语法并填写 seq。",
        "a new draw request whose seq cannot be read",
    ),
    # Trusted pull-request checks (python -m generator ci checks), run with the base branch's code.
    "CI_LINK_IN_TREE": Entry(
        ERROR,
        "“{file}”是符号链接或子模块（规则：合并请求中只能有普通文件，检查不跟随链接）。请删除链接，直接提交文件内容。",
        "a symlink or submodule in a pull request",
    ),
    "CI_CODEOWNERS_STALE": Entry(
        ERROR,
        "“{file}”与各单位 unit.yaml 的 reviewers 不一致（规则：审核人由 CODEOWNERS 强制）。"
        "请运行 python -m generator codeowners 重新生成并提交。",
        "CODEOWNERS differs from what the units' reviewers generate",
    ),
    "CI_DRAW_DRY_RUN": Entry(
        ERROR,
        "抽取“{file}”试运行失败（{detail}）。合并后 CI 将无法完成这次抽取，请按提示修正申请或候选池。",
        "a due draw that would fail when CI runs it",
    ),
    "CI_PROTECTED_PATH": Entry(
        WARNING,
        "合并请求修改了“{file}”（{area}）。这类修改须县联席办审核（CODEOWNERS）；"
        "本次检查用的是基准分支的代码，修改后的代码合并后才会生效。",
        "a pull request that changes code, CI, schemas or scripts",
    ),
}


def _r(summary: str) -> Entry:
    """Registry decisions (accept, draw, verify): the message is built with the draw's own numbers."""
    return Entry(ERROR, "{file}：{detail}", summary)


# Codes of the registry's order, acceptance, re-derivation, failure and log checks: their templates live
# in generator/catalog/registry.py; the drand relay codes stay here.
REGISTRY_CATALOG: dict[str, Entry] = {
    **REGISTRY_TEMPLATES,
    "BEACON_STALE": Entry(
        ERROR,
        "信标过旧（BEACON_STALE）：中继返回第 {round} 轮，按时钟应约为第 {expected} 轮（最多允许相差 {skew} 轮）。"
        "中继可能停在旧轮次：请换一个中继（draw_policy.relays），或核对 CI 机器的时钟。",
        "a relay's latest beacon older than the clock allows",
    ),
    "BEACON_FUTURE": Entry(
        ERROR,
        "信标来自未来（BEACON_FUTURE）：中继返回第 {round} 轮，按时钟应约为第 {expected} 轮（最多允许相差 {skew} 轮）。"
        "请核对 CI 机器的时钟；时钟无误时请换一个中继（draw_policy.relays）。",
        "a relay's latest beacon newer than the clock allows",
    ),
    "BEACON_RELAY_NOT_HTTPS": Entry(
        ERROR,
        "drand 中继地址必须使用 https：{url}（BEACON_RELAY_NOT_HTTPS）。请把地址改为 https://…（本机测试可用 http://127.0.0.1）。",
        "a drand relay address that is not https",
    ),
}
WORKFLOW_CATALOG.update(REGISTRY_CATALOG)  # one table in docs/errors.md
