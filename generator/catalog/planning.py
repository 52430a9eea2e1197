"""The record finding codes of planning: items and plans, teams, the draw registry, the calendar.

Part of ``records.CATALOG`` (split out only to keep each module short); the same rules hold: every
template says what was found, what was expected and how to fix it, and codes are never renamed.
"""

from __future__ import annotations

from .entry import Entry, error, warning

PLANNING_CODES: dict[str, Entry] = {
    # -- items and plans --------------------------------------------------------------------
    "ITEM_VERSION_OVERLAP": error(
        "抽查事项“{value}”的两个版本有效期重叠（另一版本在第 {other_line} 行）。"
        "修订事项时请给旧版本填写“失效日期”，新版本从次日起生效。",
        "two versions of one item valid at the same time",
    ),
    "ITEM_CODE_OTHER_UNIT": error(
        "事项编号“{value}”也登记在其他单位的清单中：{other}。一个事项编号只属于一个单位，它的各个版本都写在该单位"
        "自己的 items.yaml 中；写进别的单位清单，事项会从该版本生效之日起“划归”那个单位，原单位的联合任务和已录入的"
        "结果随之失效。请从不属于本单位（{unit}）的清单中删除这一版本；职能确已划转的，由接手单位用本单位的新编号登记事项，"
        "原单位给旧版本填写失效日期。",
        "one item code in two units' lists",
    ),
    "ITEM_RATIO_CAP_MISSING": error(
        "一般检查事项“{value}”没有填写抽查比例上限。一般事项的抽查比例应严格限制，请填写“比例上限”。",
        "a 一般 item without a ratio cap",
    ),
    "ITEM_RATIO_CAP_EXCEEDED": error(
        "“{label}”为 {value}，超过一般检查事项“{item}”的比例上限 {expected}。"
        "请降低比例，或由发起部门调整事项清单。",
        "a plan or task above a 一般 item's ratio cap",
    ),
    "ITEM_NOT_EFFECTIVE": error(
        "抽查事项“{value}”在 {date} 不在有效期内（有效期 {expected}）。请选用当时有效的事项。",
        "an item used outside its validity",
    ),
    "TASK_REASON_MISSING": error(
        "任务类型为“{value}”但没有填写原因。临时抽查和专项整治必须说明原因（如突发风险、上级交办）。",
        "a task outside the annual plan without a reason",
    ),
    "TASK_PLAN_MISSING": error(
        "任务类型为“计划内”但没有填写“计划条目”。请填写年度计划中的条目编号，或把类型改为临时/专项整治。",
        "a planned task that names no plan entry",
    ),
    "TASK_YEAR_MISMATCH": error(
        "任务的年度“{value}”与任务编号中的年度 {expected} 不一致。任务按编号中的年度计入计划执行、"
        "发起联合抽查的年度要求和统计；请把 year 改为 {expected}（其他年度的任务请另立该年度编号的任务）。",
        "a task whose year is not the year in its id (it would count in another year's figures)",
    ),
    "TASK_PLAN_ENTRY_FOREIGN": error(
        "计划条目“{value}”{detail}：任务只能执行本年度（{year} 年）参与单位（{units}）年度计划中的条目，"
        "否则该条目所属单位的计划会显示为已实施。请填写本任务所执行的条目编号。",
        "a task carrying out a plan entry of another year or of a unit that does not take part",
    ),
    "TASK_MEETING_MISSING_UNIT": error(
        "参与单位“{value}”未出席协调会议。联合任务应经发起部门提请召开的专题协调会议会商，请补记出席单位。",
        "a participating unit absent from the coordination meeting",
    ),
    "TASK_MEETING_AFTER_DRAW": error(
        "协调会议日期 {value} 晚于抽取申请日期 {expected}。应先开协调会议、后申请抽取。",
        "a coordination meeting after the draw request",
    ),
    "TASK_INITIATOR_NOT_PARTICIPANT": error(
        "发起单位“{value}”应列在参与单位中。请把发起单位加入“参与单位”。",
        "an initiating unit missing from its own task",
    ),
    "TASK_TEAM_TOO_SMALL": error(
        "“每组人数”为 {found}，至少应为 {expected}（不少于县级设置的最少人数，且够每个参与单位各派“每单位每组最少人数”）。",
        "a task whose teams are too small for the minimum or for its participating units",
    ),
    "TASK_CHANGED_AFTER_DRAW": error(
        "任务的“{path}”现为“{value}”，而抽取 {draw} 申请时登记的是“{expected}”。抽取按申请时的任务进行，"
        "已抽取的对象、检查组和结果都以它为准，抽取后不得修改。请恢复为“{expected}”；任务确需调整而抽取的随机轮次"
        "尚未到来的，提交新的抽取申请，用 supersedes 写明被替代的抽取并说明原因（随机信标产生后不能再重新抽取）。",
        "a task's initiator, participants, items or window changed after its draw request",
    ),
    "TASK_STRATUM_RULE": error(
        "分层方式为“{stratify}”时，{detail}。请修改任务的抽取设置（sampling）中的比例或数量。",
        "sampling ratios or counts that do not fit the stratification",
    ),
    # -- teams ------------------------------------------------------------------------------
    "TEAM_TOO_SMALL": error(
        "检查对象“{value}”的检查组只有 {found} 名执法检查人员，至少需要 {expected} 名（《行政处罚法》第四十二条）。",
        "a team of fewer than two inspectors",
    ),
    "TEAM_UNIT_MISSING": error(
        "检查对象“{value}”的检查组没有参与单位“{unit}”的人员。联合检查每个参与单位至少派 1 名，"
        "请核对任务的检查人员设置（inspectors）。",
        "a team without a member of a participating unit",
    ),
    "TEAM_LEADER_UNIT": error(
        "检查对象“{value}”的组长应由发起单位“{expected}”的人员担任，实际为“{found}”。",
        "a team led by someone outside the initiating unit",
    ),
    "TEAM_INSPECTOR_INACTIVE": error(
        "执法检查人员“{value}”的状态为“失效”，不能参加检查。请换用状态为“有效”的人员。",
        "an inactive inspector on a team",
    ),
    "TEAM_CERT_INVALID": error(
        "执法检查人员“{value}”的执法证有效期为 {expected}，检查日期 {date} 不在有效期内。"
        "请核对执法证有效期（执法检查人员名录），证件失效的人员不能参加检查。",
        "an inspector whose certificate is not valid on the inspection date",
    ),
    "TEAM_NOT_QUALIFIED": error(
        "执法检查人员“{value}”不具备抽查事项“{item}”要求的资质“{expected}”。"
        "请在执法检查人员名录中核对其资质，或由具备该资质的人员参加。",
        "an inspector without a qualification an item requires",
    ),
    "TEAM_CONFLICT": error(
        "执法检查人员“{value}”申报了与检查对象“{object}”的利害关系，应当回避（《行政处罚法》第四十三条）。",
        "an inspector with a declared conflict on the object",
    ),
    # -- the draw registry ---------------------------------------------------------------------
    "DRAW_POLICY": error(
        "抽取申请的随机源不符合本县的随机源政策：{detail}。请按 county.yaml 的 draw_policy 重新申请。",
        "a draw request whose randomness sources break the county's policy",
    ),
    "DRAW_ENTROPY_VALUE_INVALID": error(
        "随机源记录中 {field} 的值“{value}”不能用于抽取：{why}。等随机信标公布后再发现，抽取只能公开记为失败："
        "请按现场记录改正（摇号数字用半角数字，揭示值用事先承诺的原值）后再提交。",
        "ceremony digits or a reveal the draw could not use",
    ),
    "DRAW_SEQ_GAP": error(
        "抽取登记簿顺序号应为 {expected}，实际为 {value}。顺序号必须从 1 开始连续递增，不得跳号或重复。",
        "a gap or repeat in the draw registry's sequence numbers",
    ),
    "DRAW_RESULT_WITHOUT_REQUEST": error(
        "抽取目录“{value}”中的记录（抽取结果、随机源、冻结的候选池等）没有对应的抽取申请（request.yaml）。"
        "抽取目录只能由 python -m generator request 生成的抽取申请开始：请删除该文件，或补上完整的抽取申请。",
        "a draw result, entropy file or frozen pool without its request",
    ),
    "DRAW_OBJECT_MISSING": error(
        "抽取 {draw}（任务 {task}）抽中的检查对象“{value}”不在任何单位的检查对象名录（units/*/objects.csv）中。"
        "已被抽中的对象是公开抽取结果的一部分，可以标记注销，但不得从名录中删除。"
        "请在原单位的 objects.csv 中恢复该对象的行；对象已注销的，把状态填为“注销”。",
        "an object a draw result names that no unit's object directory holds any more",
    ),
    "DRAW_POOL_OBJECT_MISSING": error(
        "检查对象“{value}”在已受理、尚未抽取的抽取 {draw}（任务 {task}）的对象库中，"
        "但已不在任何单位的检查对象名录（units/*/objects.csv）中。对象库在受理时已冻结，"
        "抽取仍会从中抽取；抽中后名录里找不到该对象，全县网站都无法发布。"
        "请在原单位的 objects.csv 中恢复该对象的行；对象已注销的，把状态填为“注销”（下次抽取时排除）。",
        "an object of an accepted, not yet drawn draw's frozen pool deleted from every directory",
    ),
    "DRAW_TASK_MISMATCH": error(
        "抽取结果的任务“{value}”与抽取申请的任务“{expected}”不一致。",
        "a draw result that names another task than its request",
    ),
    "DRAW_FOLDER_YEAR": error(
        "抽取记录“{value}”所在目录的年份“{year}”与抽取编号不符（或含非 ASCII 数字）。"
        "每个抽取编号只能有一个目录：draws/<编号中的年份>/<编号>/。请删除或移回该文件。",
        "a draw file outside the folder its id names (other year, full-width digits)",
    ),
    "DRAW_ID_DUPLICATE": error(
        "抽取编号“{value}”的同类记录出现了两次（另一份在 {other}）。每个抽取的每种文件只能有一份，请删除放错位置的那一份。",
        "the same draw file kind twice for one draw id",
    ),
    "DRAW_SUPERSEDES_MISSING": error(
        "任务“{value}”已有抽取申请 {earlier}：再次申请须填写 supersedes（被更正的抽取编号）和 reason（原因），"
        "两个抽取页面都会公开显示。",
        "a second request for a task without supersedes and reason",
    ),
    "DRAW_SUPERSEDES_INVALID": error(
        "supersedes“{value}”不是任务“{task}”更早的抽取（它属于任务“{found}”）。请填写本任务被更正的抽取编号。",
        "supersedes naming no earlier draw of the same task",
    ),
    "DRAW_SUPERSEDES_DRAWN": error(
        "任务“{task}”的抽取 {drawn} 已有抽取结果（或随机信标已记录），本申请（{path}：“{value}”）不能再为该任务抽取："
        "否则可以在看到抽中对象后重新抽取。请删除本申请，按已抽取的结果检查（检查人员不能到位的按替补顺序登记替补）；"
        "只有被拒绝或失败的抽取才能重新申请。",
        "a pending request for a task whose earlier draw already has a result or a recorded beacon",
    ),
    "DRAW_REQUEST_MISMATCH": error(
        "待抽取的申请与按记录重建的结果不符（{value}）：{detail}。请用 python -m generator request 重新生成申请。",
        "a pending request whose pools, parameters or sources differ from the records (or cannot be staffed)",
    ),
    "DRAW_OFFICER_DRAW_MISMATCH": error(
        "抽取申请的人员抽取组织方式为“{value}”，但任务“{task}”（或县级设置）要求“{expected}”。"
        "请用 python -m generator request 按任务重新生成申请（docs/draw-protocol.md §11）。",
        "a pending request whose officer draw (central / per department) is not the task's choice",
    ),
    "SUBSTITUTION_WITHOUT_DRAW": error(
        "替补记录所属的抽取“{value}”还没有抽取结果（或其公开数据包无法重建）。替补只能在抽取完成后登记，"
        "请放在已抽取的抽取目录下。",
        "a substitutions.yaml for a draw that has no result",
    ),
    "SUBSTITUTE_OBJECT_NOT_DRAWN": error(
        "替补记录中的检查对象“{value}”不在本次抽取结果中。替补只替换抽中对象检查组中的人员，"
        "请填写抽取结果中的对象编号。",
        "a substitution for an object the draw did not draw",
    ),
    "SUBSTITUTE_REPLACED_NOT_ON_TEAM": error(
        "被替换人员“{value}”不在检查对象“{object}”的检查组中（当前检查组：{expected}）。"
        "请填写该检查组中不能到场的人员编号。",
        "a substitution replacing someone who is not on the object's team",
    ),
    "SUBSTITUTE_NOT_NEXT": error(
        "检查对象“{object}”的替补人员应为“{expected}”，填写的是“{value}”。替补不能自行指定，"
        "必须是公布顺序（该部门合格人员按抽取结束时的任务量和排序哈希排列，见 docs/draw-protocol.md §11）中的下一名；"
        "该人员也不能到场的，再追加一条替补记录。",
        "a substitute who is not the next person of the published substitute order",
    ),
    "SUBSTITUTE_DATE_BEFORE_DRAW": error(
        "替补日期 {value} 早于抽取日期 {expected}。请填写登记替补的实际日期。",
        "a substitution dated before the draw",
    ),
    # -- calendar and working days ----------------------------------------------------------
    "HOLIDAY_SCHEDULE_MISSING": warning(
        "{year} 年的国务院节假日安排尚未公布（系统内没有该年数据），{what}暂按“待国务院安排”处理。"
        "公布后请由县联席办在 records/holidays/{year}.yaml 中登记。",
        "a working-day calculation in a year with no holiday schedule yet",
    ),
    "HOLIDAY_DATE_CONFLICT": error(
        "日期 {value} 同时出现在“放假”和“调休上班”中。请核对国务院通知。",
        "a day listed both as holiday and as adjusted working day",
    ),
    "CAL_UNIT_PLAN_LATE": warning(
        "单位“{unit}”的 {year} 年度抽查计划于 {value} 备案，晚于 {expected} 的要求（每年 1 月底前）。"
        "如备案日期填错，请更正计划的备案日期（filed_on）；确已逾期的，今后请按期备案。",
        "a unit plan filed after the end of January",
    ),
    "CAL_JOINT_PLAN_LATE": warning(
        "{year} 年全县部门联合抽查计划于 {value} 发布，晚于 {expected}（{rule}）。"
        "如发布日期填错，请更正计划的发布日期（filed_on）。",
        "the county joint plan published after early March",
    ),
    "CAL_JOINT_PLAN_OVERDUE": error(
        "{year} 年全县部门联合抽查计划于 {value} 发布，晚于最迟期限 {expected}（3 月底前）。"
        "请核对计划的发布日期（filed_on）。",
        "the county joint plan published after the end of March",
    ),
    "CAL_WINDOW_OUTSIDE_SEASON": warning(
        "检查期限 {value} 超出本县联合检查实施期 {expected}（4 月—11 月）。如确需在实施期外开展，请在任务原因中说明。",
        "a planned task window outside April-November",
    ),
}
