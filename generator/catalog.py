"""The catalog of finding codes: one stable code per kind of problem, with a Chinese template.

Every template says what was found, what was expected and how to fix it. ``{value}`` is the bad
value and ``{path}`` the field path; other placeholders are named per code. Codes are part of the
public interface (CI annotations, tests and the docs quote them): never rename one, add a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Entry:
    severity: str
    template: str
    summary: str  # one line for docs/errors.md


def _e(template: str, summary: str) -> Entry:
    return Entry(ERROR, template, summary)


def _w(template: str, summary: str) -> Entry:
    return Entry(WARNING, template, summary)


CATALOG: dict[str, Entry] = {
    # -- files and syntax ------------------------------------------------------------------
    "FILE_ENCODING": _e(
        "文件不是 UTF-8 编码（{detail}）。请用 UTF-8 另存该文件；Excel 导出的 GBK 文件请用 import 命令导入。",
        "file is not UTF-8",
    ),
    "FILE_UNKNOWN": _w(
        "不认识的记录文件位置。记录文件应放在 docs/records.md 所列的位置，请移动或删除该文件。",
        "a file in records/ that no record kind claims",
    ),
    "YAML_SYNTAX": _e(
        "YAML 语法错误：{detail}。请检查该行的缩进、冒号和引号。",
        "YAML cannot be parsed",
    ),
    "YAML_DUPLICATE_KEY": _e(
        "字段“{value}”在同一层级出现了两次（第一次在第 {first_line} 行）。请删除或合并重复的字段。",
        "the same key twice in one mapping",
    ),
    "YAML_NOT_MAPPING": _e(
        "文件顶层应是“字段: 值”的映射，实际是 {detail}。请参照 `python -m generator new {kind}` 生成的模板。",
        "top level of a YAML record is not a mapping",
    ),
    "CSV_SYNTAX": _e("CSV 格式错误：{detail}。请检查引号是否成对。", "CSV cannot be parsed"),
    "CSV_HEADER_MISSING": _e(
        "CSV 缺少必填列“{label}”（字段 {field}）。请在第 1 行表头加上这一列。",
        "a required CSV column is missing",
    ),
    "CSV_HEADER_UNKNOWN": _e(
        "CSV 表头“{value}”不是“{kind_label}”的列。可用的列：{expected}。",
        "a CSV column that the kind does not have",
    ),
    "CSV_ROW_WIDTH": _e(
        "这一行有 {found} 个值，表头有 {expected} 列。请检查是否多了或少了逗号（含逗号的值要加英文双引号）。",
        "a CSV row with the wrong number of cells",
    ),
    # -- fields ----------------------------------------------------------------------------
    "FIELD_REQUIRED": _e("缺少必填字段“{label}”（{field}）。{hint}", "a required field is missing"),
    "FIELD_UNKNOWN": _e(
        "“{value}”不是“{kind_label}”的字段。可用的字段：{expected}。请检查拼写或删除该字段。",
        "a field the schema does not define",
    ),
    "FIELD_TYPE": _e("“{label}”的值“{value}”不是{expected}。{hint}", "a value of the wrong type"),
    "FIELD_EMPTY": _e("“{label}”不能为空。{hint}", "an empty required value"),
    "FIELD_ENUM": _e(
        "“{label}”的值“{value}”不在允许范围内，应为以下之一：{expected}。",
        "a value outside its fixed list",
    ),
    "FIELD_PATTERN": _e("“{label}”的值“{value}”格式不对，应为{expected}。", "a value in the wrong format"),
    "FIELD_DATE": _e(
        "“{label}”的值“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2026-03-05。",
        "a value that is not a date",
    ),
    "FIELD_RANGE": _e("“{label}”的值“{value}”超出范围，应为{expected}。", "a number outside its range"),
    "FIELD_RATIO": _e(
        "“{label}”的值“{value}”不是有效比例，请写成百分数（如 5%）或分数（如 1/20），且在 0 到 100% 之间。",
        "a ratio that cannot be read",
    ),
    "FIELD_DUPLICATE_VALUE": _e(
        "“{label}”中的值“{value}”重复出现。请删除重复项。",
        "the same value twice in a list",
    ),
    "DATE_ORDER": _e(
        "“{label}”（{value}）早于“{other_label}”（{other}）。请检查两个日期是否填反。",
        "an end date before its start date",
    ),
    "ID_DUPLICATE": _e(
        "编号“{value}”已在 {other} 使用过。每条{kind_label}的编号必须唯一，请改用新的编号。",
        "an id used twice",
    ),
    "ID_FILE_MISMATCH": _e(
        "编号“{value}”与文件名“{expected}”不一致。请让文件名与编号相同。",
        "a record id that does not match its file name",
    ),
    # -- references and ownership -------------------------------------------------------------
    "REF_UNKNOWN": _e(
        "“{label}”引用的{target}“{value}”不存在。{hint}",
        "a reference to a record that does not exist",
    ),
    "UNIT_FOLDER_MISMATCH": _e(
        "这个文件在单位“{folder}”的目录中，但“{label}”写的是“{value}”。单位目录中的文件只能代表本单位；"
        "请改为“{folder}”，或把文件移到对应单位的目录。",
        "a file in one unit's folder speaking for another unit",
    ),
    # -- 统一社会信用代码 ----------------------------------------------------------------------
    "USCC_FORMAT": _e(
        "统一社会信用代码“{value}”格式不对：{detail}。统一社会信用代码为 18 位，"
        "不含 I、O、S、V、Z，第 3–8 位为数字。",
        "a 统一社会信用代码 of the wrong shape",
    ),
    "USCC_CHECK_DIGIT": _e(
        "统一社会信用代码“{value}”的校验码应为“{expected}”（GB 32100-2015），实际为“{found}”。"
        "请核对营业执照，通常是抄错了某一位。",
        "a 统一社会信用代码 whose check character is wrong",
    ),
    "USCC_NORMALISED": _w(
        "统一社会信用代码“{value}”含全角字符、小写字母或空格，已按“{expected}”处理。请在源文件中改正。",
        "a 统一社会信用代码 written with full-width, lower-case or spaces",
    ),
    # -- items and plans --------------------------------------------------------------------
    "ITEM_VERSION_OVERLAP": _e(
        "抽查事项“{value}”的两个版本有效期重叠（另一版本在第 {other_line} 行）。"
        "修订事项时请给旧版本填写“失效日期”，新版本从次日起生效。",
        "two versions of one item valid at the same time",
    ),
    "ITEM_RATIO_CAP_MISSING": _e(
        "一般检查事项“{value}”没有填写抽查比例上限。一般事项的抽查比例应严格限制，请填写“比例上限”。",
        "a 一般 item without a ratio cap",
    ),
    "ITEM_RATIO_CAP_EXCEEDED": _e(
        "“{label}”为 {value}，超过一般检查事项“{item}”的比例上限 {expected}。"
        "请降低比例，或由发起部门调整事项清单。",
        "a plan or task above a 一般 item's ratio cap",
    ),
    "ITEM_NOT_EFFECTIVE": _e(
        "抽查事项“{value}”在 {date} 不在有效期内（有效期 {expected}）。请选用当时有效的事项。",
        "an item used outside its validity",
    ),
    "TASK_REASON_MISSING": _e(
        "任务类型为“{value}”但没有填写原因。临时抽查和专项整治必须说明原因（如突发风险、上级交办）。",
        "a task outside the annual plan without a reason",
    ),
    "TASK_PLAN_MISSING": _e(
        "任务类型为“计划内”但没有填写“计划条目”。请填写年度计划中的条目编号，或把类型改为临时/专项整治。",
        "a planned task that names no plan entry",
    ),
    "TASK_MEETING_MISSING_UNIT": _e(
        "参与单位“{value}”未出席协调会议。联合任务应经发起部门提请召开的专题协调会议会商，请补记出席单位。",
        "a participating unit absent from the coordination meeting",
    ),
    "TASK_MEETING_AFTER_DRAW": _e(
        "协调会议日期 {value} 晚于抽取申请日期 {expected}。应先开协调会议、后申请抽取。",
        "a coordination meeting after the draw request",
    ),
    "TASK_INITIATOR_NOT_PARTICIPANT": _e(
        "发起单位“{value}”应列在参与单位中。请把发起单位加入“参与单位”。",
        "an initiating unit missing from its own task",
    ),
    "TASK_TEAM_TOO_SMALL": _e(
        "“每组人数”为 {found}，至少应为 {expected}（不少于县级设置的最少人数，且够每个参与单位各派“每单位每组最少人数”）。",
        "a task whose teams are too small for the minimum or for its participating units",
    ),
    "TASK_STRATUM_RULE": _e(
        "分层方式为“{stratify}”时，{detail}。",
        "sampling ratios or counts that do not fit the stratification",
    ),
    # -- teams ------------------------------------------------------------------------------
    "TEAM_TOO_SMALL": _e(
        "检查对象“{value}”的检查组只有 {found} 名执法检查人员，至少需要 {expected} 名（《行政处罚法》第四十二条）。",
        "a team of fewer than two inspectors",
    ),
    "TEAM_UNIT_MISSING": _e(
        "检查对象“{value}”的检查组没有参与单位“{unit}”的人员。联合检查每个参与单位至少派 1 名。",
        "a team without a member of a participating unit",
    ),
    "TEAM_LEADER_UNIT": _e(
        "检查对象“{value}”的组长应由发起单位“{expected}”的人员担任，实际为“{found}”。",
        "a team led by someone outside the initiating unit",
    ),
    "TEAM_INSPECTOR_INACTIVE": _e(
        "执法检查人员“{value}”的状态为“失效”，不能参加检查。请换用状态为“有效”的人员。",
        "an inactive inspector on a team",
    ),
    "TEAM_CERT_INVALID": _e(
        "执法检查人员“{value}”的执法证有效期为 {expected}，检查日期 {date} 不在有效期内。",
        "an inspector whose certificate is not valid on the inspection date",
    ),
    "TEAM_NOT_QUALIFIED": _e(
        "执法检查人员“{value}”不具备抽查事项“{item}”要求的资质“{expected}”。",
        "an inspector without a qualification an item requires",
    ),
    "TEAM_CONFLICT": _e(
        "执法检查人员“{value}”申报了与检查对象“{object}”的利害关系，应当回避（《行政处罚法》第四十三条）。",
        "an inspector with a declared conflict on the object",
    ),
    # -- the draw registry ---------------------------------------------------------------------
    "DRAW_POLICY": _e(
        "抽取申请的随机源不符合本县的随机源政策：{detail}。请按 county.yaml 的 draw_policy 重新申请。",
        "a draw request whose randomness sources break the county's policy",
    ),
    "DRAW_SEQ_GAP": _e(
        "抽取登记簿顺序号应为 {expected}，实际为 {value}。顺序号必须从 1 开始连续递增，不得跳号或重复。",
        "a gap or repeat in the draw registry's sequence numbers",
    ),
    "DRAW_RESULT_WITHOUT_REQUEST": _e(
        "抽取结果或随机源记录“{value}”没有对应的抽取申请（request.yaml）。",
        "a draw result or entropy file without its request",
    ),
    "DRAW_TASK_MISMATCH": _e(
        "抽取结果的任务“{value}”与抽取申请的任务“{expected}”不一致。",
        "a draw result that names another task than its request",
    ),
    "DRAW_FOLDER_YEAR": _e(
        "抽取记录“{value}”所在目录的年份“{year}”与抽取编号不符（或含非 ASCII 数字）。"
        "每个抽取编号只能有一个目录：draws/<编号中的年份>/<编号>/。请删除或移回该文件。",
        "a draw file outside the folder its id names (other year, full-width digits)",
    ),
    "DRAW_ID_DUPLICATE": _e(
        "抽取编号“{value}”的同类记录出现了两次（另一份在 {other}）。每个抽取的每种文件只能有一份。",
        "the same draw file kind twice for one draw id",
    ),
    "DRAW_SUPERSEDES_MISSING": _e(
        "任务“{value}”已有抽取申请 {earlier}：再次申请须填写 supersedes（被更正的抽取编号）和 reason（原因），"
        "两个抽取页面都会公开显示。",
        "a second request for a task without supersedes and reason",
    ),
    "DRAW_SUPERSEDES_INVALID": _e(
        "supersedes“{value}”不是任务“{task}”更早的抽取（它属于任务“{found}”）。请填写本任务被更正的抽取编号。",
        "supersedes naming no earlier draw of the same task",
    ),
    "DRAW_REQUEST_MISMATCH": _e(
        "待抽取的申请与按记录重建的结果不符（{value}）：{detail}。请用 python -m generator request 重新生成申请。",
        "a pending request whose pools, parameters or sources differ from the records (or cannot be staffed)",
    ),
    # -- results ----------------------------------------------------------------------------
    "RESULT_NOT_DRAWN": _e(
        "检查对象“{value}”不在任务“{task}”的抽取结果中。检查结果只能针对随机抽取的对象；"
        "如为备选对象替补，请先在抽取记录中登记替补。",
        "a result for an object that was not drawn",
    ),
    "RESULT_WITHOUT_DRAW": _e(
        "任务“{value}”没有已公开的抽取结果，不能录入检查结果。随机抽查须先完成抽取；"
        "投诉举报核查、上级转办等非随机任务请把任务类型设为“投诉举报”或“转办”并写明原因。",
        "a result for a random task that has no published draw",
    ),
    "RESULT_DRAW_OTHER_TASK": _e(
        "结果文件的抽取编号“{value}”属于任务“{found}”，不是本任务“{task}”的抽取。请填写本任务的抽取编号。",
        "a result naming another task's draw (or an unknown draw)",
    ),
    "RESULT_OUTSIDE_WINDOW": _e(
        "检查日期 {value} 不在任务“{task}”的检查期限 {expected} 内。请核对检查日期。",
        "an inspection dated outside the task window",
    ),
    "RESULT_UNIT_NOT_PARTICIPANT": _e(
        "单位“{value}”不是任务“{task}”的参与单位，不能录入该任务的检查结果。",
        "a result entered by a unit that is not in the task",
    ),
    "RESULT_INSPECTOR_NOT_IN_TEAM": _e(
        "执法检查人员“{value}”不在检查对象“{object}”的抽取检查组中。请填写抽取结果中的人员。",
        "a result signed by someone who was not drawn for the object",
    ),
    "RESULT_CATEGORY_UNKNOWN": _e(
        "检查结果类别“{value}”不在结果类别字典中。可用的类别：{expected}。",
        "a result category not in the dictionary",
    ),
    "RESULT_ENTERED_BEFORE_INSPECTION": _e(
        "录入日期 {value} 早于检查日期 {expected}。请核对两个日期。",
        "a result entered before the inspection",
    ),
    "RESULT_ENTRY_LATE": _w(
        "检查结果在检查后第 {found} 个工作日录入（{value}），超过本县“{expected} 个工作日内录入”的要求，"
        "逾期 {late} 个工作日。",
        "a result entered after the county's deadline (default 10 working days)",
    ),
    "RESULT_PUBLICATION_LATE": _w(
        "检查结果在检查后第 {found} 个工作日录入（{value}），超过《企业信息公示暂行条例》"
        "20 个工作日内公示的要求。",
        "a result entered after the national 20-working-day publication rule",
    ),
    "RESULT_DUPLICATE": _e(
        "单位“{unit}”对检查对象“{value}”已在第 {other_line} 行录入过本任务的结果。"
        "更正请在原条目下追加“更正记录”，不要重复录入。",
        "the same unit's result for one object twice",
    ),
    "AMENDMENT_ORDER": _e(
        "更正记录的日期 {value} 早于前一条记录日期 {expected}。更正只能按时间顺序追加。",
        "amendments out of order",
    ),
    "AMENDMENT_FIELD": _e(
        "更正记录修改了字段“{value}”，该字段不能更正。可以更正的字段：{expected}。",
        "an amendment that changes a field that cannot be amended",
    ),
    # -- calendar and working days ----------------------------------------------------------
    "HOLIDAY_SCHEDULE_MISSING": _w(
        "{year} 年的国务院节假日安排尚未公布（系统内没有该年数据），{what}暂按“待国务院安排”处理。"
        "公布后请由县联席办在 records/holidays/{year}.yaml 中登记。",
        "a working-day calculation in a year with no holiday schedule yet",
    ),
    "HOLIDAY_DATE_CONFLICT": _e(
        "日期 {value} 同时出现在“放假”和“调休上班”中。请核对国务院通知。",
        "a day listed both as holiday and as adjusted working day",
    ),
    "CAL_UNIT_PLAN_LATE": _w(
        "单位“{unit}”的 {year} 年度抽查计划于 {value} 备案，晚于 {expected} 的要求（每年 1 月底前）。",
        "a unit plan filed after the end of January",
    ),
    "CAL_JOINT_PLAN_LATE": _w(
        "{year} 年全县部门联合抽查计划于 {value} 发布，晚于 {expected}（{rule}）。",
        "the county joint plan published after early March",
    ),
    "CAL_JOINT_PLAN_OVERDUE": _e(
        "{year} 年全县部门联合抽查计划于 {value} 发布，晚于最迟期限 {expected}（3 月底前）。",
        "the county joint plan published after the end of March",
    ),
    "CAL_WINDOW_OUTSIDE_SEASON": _w(
        "检查期限 {value} 超出本县联合检查实施期 {expected}（4 月—11 月）。如确需在实施期外开展，请在任务原因中说明。",
        "a planned task window outside April-November",
    ),
}


def codes() -> list[str]:
    return sorted(CATALOG)
