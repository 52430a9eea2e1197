"""The record finding codes (``validate``): one stable code per kind of problem, with a Chinese template.

``CATALOG`` is every record code: the files, fields, references, results, output-safety and issue-13
codes below, plus the planning codes of ``planning.py`` (items and plans, teams, the draw registry,
the calendar) and the output-safety codes of ``output.py``. Every template says what was found, what was expected and how to fix it.
``{value}`` is the bad value and ``{path}`` the field path; other placeholders are named per code.
Codes are part of the public interface (CI annotations, tests and the docs quote them): never
rename one, add a new one.
"""

from __future__ import annotations

from .entry import Entry, error, warning
from .output import OUTPUT_CODES
from .planning import PLANNING_CODES

CATALOG: dict[str, Entry] = {
    # -- files and syntax ------------------------------------------------------------------
    "FILE_ENCODING": error(
        "文件不是 UTF-8 编码（{detail}）。请用 UTF-8 另存该文件；Excel 导出的 GBK 文件请用 import 命令导入。",
        "file is not UTF-8",
    ),
    "FILE_UNKNOWN": warning(
        "不认识的记录文件位置。记录文件应放在 docs/records.md 所列的位置，请移动或删除该文件。",
        "a file in records/ that no record kind claims",
    ),
    "FILE_SUFFIX": error(
        "记录文件的扩展名写法不对，本文件不会被读取，其中的记录也不会计入任何统计。请把文件改名为“{expected}”"
        "（扩展名一律小写：.yaml 或 .csv）。",
        "a record file whose suffix is .yml or upper case, which no record kind would read",
    ),
    "YAML_SYNTAX": error(
        "YAML 语法错误：{detail}。请检查该行的缩进、冒号和引号。",
        "YAML cannot be parsed",
    ),
    "YAML_DUPLICATE_KEY": error(
        "字段“{value}”在同一层级出现了两次（第一次在第 {first_line} 行）。请删除或合并重复的字段。",
        "the same key twice in one mapping",
    ),
    "YAML_NOT_MAPPING": error(
        "文件顶层应是“字段: 值”的映射，实际是 {detail}。请参照 `python -m generator new {kind}` 生成的模板。",
        "top level of a YAML record is not a mapping",
    ),
    "CSV_SYNTAX": error("CSV 格式错误：{detail}。请检查引号是否成对。", "CSV cannot be parsed"),
    "CSV_HEADER_MISSING": error(
        "CSV 缺少必填列“{label}”（字段 {field}）。请在第 1 行表头加上这一列。",
        "a required CSV column is missing",
    ),
    "CSV_HEADER_UNKNOWN": error(
        "CSV 表头“{value}”不是“{kind_label}”的列。可用的列：{expected}。",
        "a CSV column that the kind does not have",
    ),
    "CSV_ROW_WIDTH": error(
        "这一行有 {found} 个值，表头有 {expected} 列。请检查是否多了或少了逗号（含逗号的值要加英文双引号）。",
        "a CSV row with the wrong number of cells",
    ),
    "FILE_SYMLINK": error(
        "这是一个符号链接（指向 {detail}），记录目录中不能有符号链接，没有读取它。请把真实文件放在这里，或删除该链接。",
        "a symbolic link in records/ (never followed)",
    ),
    "FILE_SPECIAL": error(
        "这不是普通文件（{detail}），没有读取它。记录目录中只能有 YAML 和 CSV 文件，请删除它。",
        "a device, FIFO or socket in records/ (never read)",
    ),
    "FILE_TOO_LARGE": error(
        "文件超过了上限（{limit}），没有继续读取。记录文件不应这么大；请检查是否误放了其他文件，或拆分该文件。",
        "a record file beyond the size, value, row or column limits",
    ),
    "YAML_ANCHOR": error(
        "使用了 YAML 锚点或引用（“&”或“*”）。记录中不能使用锚点和引用（可被用来构造耗尽内存的文件），"
        "请把值完整写出；如果值本身以 & 或 * 开头，请加英文引号。",
        "a YAML anchor or alias (refused: alias bombs)",
    ),
    "JSON_SYNTAX": error(
        "JSON 格式错误：{detail}。该文件由程序生成，不应手工编辑；请用 git 恢复它。",
        "a machine-written JSON file (frozen pools) cannot be parsed or breaks the loader's limits",
    ),
    "YAML_TOO_DEEP": error(
        "嵌套超过 {limit} 层，没有继续读取。记录只需要很少几层嵌套，请检查缩进或括号。",
        "nesting deeper than the loader's limit",
    ),
    "YAML_TAG": error(
        "值带有标签“{value}”。记录中只能写普通的文本、数字、日期、列表和映射，请删除以“!”开头的标签。",
        "an explicit YAML tag such as !!python/object or !!binary",
    ),
    "YAML_KEY_NOT_TEXT": error(
        "字段名必须是普通文本，这里用了列表、映射、合并键（<<）或带标签的值作为字段名。请改成“字段名: 值”。",
        "a mapping key that is a list, a mapping, a merge key or tagged",
    ),
    "YAML_NUMBER_FORM": error(
        "“{label}”的值 {value} 会被 YAML 读成 {converted}（以 0 开头的数按八进制、带冒号的数按六十进制、"
        "下划线被忽略）。请写成普通的十进制数，或如果是文本请加英文引号。",
        "a YAML 1.1-only number form (010, 1:30, 1_000) in a non-text field",
    ),
    "CSV_QUOTE_UNCLOSED": error(
        "这一行的英文双引号没有闭合，从这里到文件末尾（第 {end} 行）都被当成了一个单元格。"
        "请补上结束引号，或删除多余的引号。",
        "a CSV quote opened and never closed",
    ),
    # -- fields ----------------------------------------------------------------------------
    "FIELD_REQUIRED": error("缺少必填字段“{label}”（{field}）。{hint}", "a required field is missing"),
    "FIELD_UNKNOWN": error(
        "“{value}”不是“{kind_label}”的字段。可用的字段：{expected}。请检查拼写或删除该字段。",
        "a field the schema does not define",
    ),
    "FIELD_TYPE": error("“{label}”的值“{value}”不是{expected}。{hint}", "a value of the wrong type"),
    "FIELD_TEXT_UNQUOTED": error(
        "“{label}”应是文本，但 {value} 没有加引号，YAML 会把它读成 {converted}（如电话号码开头的 0 会丢失、"
        '1:30 会变成 90）。请加英文引号，写成 "{value}"。',
        "a number or date where text is expected (would be silently converted)",
    ),
    "FIELD_EMPTY": error("“{label}”不能为空。{hint}", "an empty required value"),
    "FIELD_ENUM": error(
        "“{label}”的值“{value}”不在允许范围内，应为以下之一：{expected}。",
        "a value outside its fixed list",
    ),
    "FIELD_PATTERN": error("“{label}”的值“{value}”格式不对，应为{expected}。", "a value in the wrong format"),
    "FIELD_DATE": error(
        "“{label}”的值“{value}”不是有效日期，请写成 YYYY-MM-DD，例如 2026-03-05。",
        "a value that is not a date",
    ),
    "FIELD_RANGE": error("“{label}”的值“{value}”超出范围，应为{expected}。", "a number outside its range"),
    "FIELD_RATIO": error(
        "“{label}”的值“{value}”不是有效比例，请写成百分数（如 5%）或分数（如 1/20），且在 0 到 100% 之间。",
        "a ratio that cannot be read",
    ),
    "FIELD_DUPLICATE_VALUE": error(
        "“{label}”中的值“{value}”重复出现。请删除重复项。",
        "the same value twice in a list",
    ),
    "DATE_ORDER": error(
        "“{label}”（{value}）早于“{other_label}”（{other}）。请检查两个日期是否填反。",
        "an end date before its start date",
    ),
    "ID_DUPLICATE": error(
        "编号“{value}”已在 {other} 使用过。每条{kind_label}的编号必须唯一，请改用新的编号。",
        "an id used twice",
    ),
    "OBJECT_SAME_AS_ANOTHER": error(
        "检查对象“{name}”的名称和地址与 {other} 的对象“{first}”相同，却用了另一个编号“{value}”："
        "同一对象登记两次，抽取时就有两张票号，被抽中的机会加倍，还可能在一次任务中被抽中两次。"
        "请删除重复的一行（编号以营业执照上的统一社会信用代码为准）；确是两个对象的，请在名称或地址中写明区别。",
        "one object registered twice in one unit's directory under two ids (same name and address)",
    ),
    "OBJECT_SAME_FIRM_OTHER_ID": warning(
        "检查对象“{name}”的名称和地址与 {other} 的对象“{first}”相同，本单位却用编号“{value}”："
        "同一对象在两个单位的名录中编号不同，两个单位联合抽取时会有两张票号。"
        "请与对方单位核对，统一使用营业执照上的统一社会信用代码；确是两个对象的，请在名称或地址中写明区别。",
        "one object under different ids in two units' directories: a warning at each (which unit is "
        "right cannot be told from the records, and an error would withhold the innocent unit's files)",
    ),
    "INSPECTOR_BADGE_DUPLICATE": error(
        "执法证号“{value}”已在 {other} 登记为“{first}”（人员编号 {person}；忽略全角半角、大小写、空格和连字符后是同一证号）。一张执法证对应一个人，只能登记一次："
        "同一人以两个编号登记（如在两个部门的名录中各一行），抽取时会算作两名执法人员，联合检查“每部门两人以上”形同虚设。"
        "请删除重复的一行；人员调动的，从原单位名录中删除后再加入新单位名录；证号填错的请改正。",
        "one enforcement certificate registered for two inspectors",
    ),
    "ID_FILE_MISMATCH": error(
        "编号“{value}”与文件名“{expected}”不一致。请让文件名与编号相同。",
        "a record id that does not match its file name",
    ),
    # -- references and ownership -------------------------------------------------------------
    "REF_UNKNOWN": error(
        "“{label}”引用的{target}“{value}”不存在。{hint}",
        "a reference to a record that does not exist",
    ),
    "DICT_TOWNSHIP_UNKNOWN": error(
        "乡镇（街道）“{value}”不在县级设置（county.yaml）的乡镇名单中。可选：{expected}。"
        "请改为名单中的名称；确属新设乡镇的，请联席办先在 county.yaml 中添加。",
        "a township that county.yaml does not list",
    ),
    "DICT_METHOD_UNKNOWN": error(
        "检查方式“{value}”不在县级设置（county.yaml）的检查方式字典中。可选：{expected}。"
        "请改为字典中的名称（多个用分号分隔）。",
        "an inspection method that county.yaml does not list",
    ),
    "COUNTY_CATEGORY_DISPOSITION_UNKNOWN": error(
        "结果类别“{category}”的可选后续处置“{value}”不在本文件的后续处置字典（dispositions）中，"
        "各单位的检查结果因此无法对照。可选：{expected}。请原样复制字典中的一项；有多项时每项单独一行，以“- ”开头。",
        "a result category names a disposition county.yaml's dictionary does not list (a one-line list "
        "split at 、 by the loader): refused at county.yaml instead of every unit's results",
    ),
    "DICT_DISPOSITION_UNKNOWN": error(
        "后续处置“{value}”不在县级设置（county.yaml）的后续处置字典中。可选：{expected}。"
        "请改为字典中的一项（原样复制）；检查发现的具体情况写在“检查发现”（findings）中。",
        "a result's disposition that county.yaml does not list",
    ),
    "UNIT_FILE_MISSING": error(
        "单位目录 units/{value}/ 中没有 unit.yaml 文件（或 unit.yaml 是一个文件夹），单位“{value}”的名称、"
        "联络员等基本信息因此缺失。请从 Git 历史恢复该单位的 unit.yaml"
        "（新单位可用 `python -m generator new unit --stdout` 生成模板，由县联席办添加），或删除整个单位目录。",
        "a unit folder without its unit.yaml",
    ),
    "UNIT_NAME_DUPLICATE": error(
        "单位名称“{value}”已是其他单位 {other} 的名称、法定名称或简称。检查结果以单位名称公示"
        "（公示导出的检查实施机关、任务和检查对象页面、统计图表），同名会把本单位的检查结果显示为另一单位的。"
        "请填写本单位自己的全称、法定名称和简称；单位更名、合并的，在 changes 中登记。",
        "a unit name, legal name or short name that another unit already has",
    ),
    "OBJECT_ROWS_DISAGREE": error(
        "检查对象“{object}”的“{label}”在本单位名录中为“{value}”，与其他单位名录中的不一致：{other}。"
        "同一检查对象在各单位名录中的名称、类型、乡镇（街道）、地址、状态和信用信息是同一事实，不一致时抽取、"
        "统计（按乡镇计数）和网站会各取一行，对象可能按一个乡镇被抽中、在另一个乡镇被统计。"
        "请与相关单位核对后统一改正（专项库标签可以各不相同）。",
        "one object listed by several units with different facts (township, status, name …)",
    ),
    "UNIT_FOLDER_MISMATCH": error(
        "这个文件在单位“{folder}”的目录中，但“{label}”写的是“{value}”。单位目录中的文件只能代表本单位；"
        "请改为“{folder}”，或把文件移到对应单位的目录。",
        "a file in one unit's folder speaking for another unit",
    ),
    # -- 统一社会信用代码 ----------------------------------------------------------------------
    "USCC_FORMAT": error(
        "统一社会信用代码“{value}”格式不对：{detail}。统一社会信用代码为 18 位，"
        "不含 I、O、S、V、Z，第 3–8 位为数字。请对照营业执照重新填写。",
        "a 统一社会信用代码 of the wrong shape",
    ),
    "USCC_CHECK_DIGIT": error(
        "统一社会信用代码“{value}”的校验码应为“{expected}”（GB 32100-2015），实际为“{found}”。"
        "请核对营业执照，通常是抄错了某一位。",
        "a 统一社会信用代码 whose check character is wrong",
    ),
    "USCC_NORMALISED": warning(
        "统一社会信用代码“{value}”含全角字符、小写字母或空格，已按“{expected}”处理。请在源文件中改正。",
        "a 统一社会信用代码 written with full-width, lower-case or spaces",
    ),
    # -- items and plans, teams, the draw registry, the calendar: generator/catalog/planning.py --
    **PLANNING_CODES,
    # -- results ----------------------------------------------------------------------------
    "RESULT_NOT_DRAWN": error(
        "检查对象“{value}”不在任务“{task}”的抽取结果中。检查结果只能针对本任务随机抽取的对象，"
        "抽中的对象不能替换为其他对象；请核对对象编号和任务编号。（执法检查人员不能到场时，"
        "由其部门在抽取目录的 substitutions.yaml 中按公布顺序登记替补，对象不变。）",
        "a result for an object that was not drawn",
    ),
    "RESULT_WITHOUT_DRAW": error(
        "任务“{value}”没有已公开的抽取结果，不能录入检查结果。随机抽查须先完成抽取；"
        "投诉举报核查、上级转办等非随机任务请把任务类型设为“投诉举报”或“转办”并写明原因。",
        "a result for a random task that has no published draw",
    ),
    "RESULT_DRAW_OTHER_TASK": error(
        "结果文件的抽取编号“{value}”属于任务“{found}”，不是本任务“{task}”的抽取。请填写本任务的抽取编号；投诉举报、转办等非随机任务不填抽取编号。",
        "a result naming another task's draw (or an unknown draw)",
    ),
    "RESULT_DRAW_MISSING": error(
        "任务“{task}”是随机抽查任务，结果文件没有填写抽取编号（draw）。请填写本任务已公开结果的抽取编号 {expected}。",
        "a random task's result that names no draw",
    ),
    "RESULT_DRAW_NOT_CURRENT": error(
        "结果文件的抽取编号“{value}”是任务“{task}”未产生有效结果的抽取（被拒绝、失败或被更正取代），"
        "检查对象和检查组以抽取 {expected} 的结果为准。请把抽取编号改为 {expected}。",
        "a result naming a refused, failed or superseded draw of its task instead of the one in force",
    ),
    "RESULT_OUTSIDE_WINDOW": error(
        "检查日期 {value} 不在任务“{task}”的检查期限 {expected} 内。请核对检查日期。",
        "an inspection dated outside the task window",
    ),
    "RESULT_BEFORE_DRAW": error(
        "检查日期 {value} 早于抽取 {draw} 的抽取日期 {expected}：检查对象是抽取后才确定的，不可能在抽取前检查。"
        "请核对检查日期；如确实在抽取前检查过，这次检查不属于本次随机抽查，不能作为本任务的结果录入。",
        "an inspection dated before the draw that chose the object",
    ),
    "RESULT_UNIT_NOT_PARTICIPANT": error(
        "单位“{value}”不是任务“{task}”的参与单位，不能录入该任务的检查结果。"
        "请把结果文件放在参与单位的目录下，或核对任务的参与单位（participants）。",
        "a result entered by a unit that is not in the task",
    ),
    "RESULT_INSPECTOR_NOT_IN_TEAM": error(
        "执法检查人员“{value}”不在检查对象“{object}”的抽取检查组中。请填写抽取结果中的人员，"
        "或抽取目录 substitutions.yaml 中按公布顺序登记的替补人员。",
        "a result signed by someone who was not drawn for the object",
    ),
    "RESULT_INSPECTOR_CONFLICT": error(
        "执法检查人员“{value}”申报了与检查对象“{object}”的利害关系，应当回避（《行政处罚法》第四十三条），"
        "不能作为该对象的检查人员。单位“{unit}”请从本条结果的 inspectors 中删除该人员；该人员是抽取检查组成员的，"
        "在抽取目录的 substitutions.yaml 中按公布顺序登记替补人员（原因写明回避），由替补人员检查并录入。",
        "a result signed by an officer who declared a conflict with its object (then or since the draw)",
    ),
    "RESULT_CONFLICT_DECLARED_LATER": warning(
        "执法检查人员“{value}”现已申报与检查对象“{object}”的利害关系，但本条结果已于 {published} 公示，公示时该人员尚未申报"
        "（抽取时冻结的名录中也没有）。已公示的结果只追加、不修改，本条保留并继续公示。利害关系在检查时已经存在的，"
        "请由录入单位在本条 amendments 中追加更正说明，并报联合抽查办公室处理。",
        "a published result signed by an officer who declared a conflict with its object only after it was published",
    ),
    "RESULT_ROSTER_CHANGED_LATER": warning(
        "单位“{unit}”已于 {published} 公示的检查对象“{value}”的检查结果，{found}：公示时符合要求，之后人员名录有变动"
        "（人员调到其他单位、执法证换发等）。已公示的结果只追加、不修改，本条保留并继续公示。检查时确实不符合要求的，"
        "请在本条 amendments 中追加更正说明，并报联合抽查办公室处理。",
        "a published result that fails only by the roster as it is now: an officer moved or renewed a certificate since",
    ),
    "RESULT_NO_OWN_INSPECTOR": error(
        "单位“{unit}”录入的检查对象“{value}”的检查结果中，没有本单位的执法检查人员（填写的是 {found}）。"
        "每个单位只公示本单位人员参加检查的结果：本单位事项须由具备本单位执法资质的人员检查。"
        "请在 inspectors 中填写本单位参加检查的人员；其他单位人员的检查结果由其所在单位录入。",
        "a unit's result entry naming none of that unit's own inspectors",
    ),
    "RESULT_DISPOSITION_CONFLICT": error(
        "后续处置“{value}”与检查结果“{label}”（{category}）矛盾：县级设置（county.yaml）规定该结果的后续处置只能是"
        "{expected}。请核对检查结果和后续处置，改正填错的一项；已公示的结果请追加更正记录。",
        "a disposition the county's category table does not allow with the result category",
    ),
    "RESULT_CATEGORY_UNKNOWN": error(
        "检查结果类别“{value}”不在结果类别字典中。可用的类别：{expected}。",
        "a result category not in the dictionary",
    ),
    "RESULT_ENTERED_BEFORE_INSPECTION": error(
        "录入日期 {value} 早于检查日期 {expected}。请核对两个日期。",
        "a result entered before the inspection",
    ),
    "RESULT_ENTRY_LATE": warning(
        "检查结果在检查后第 {found} 个工作日录入（{value}），超过本县“{expected} 个工作日内录入”的要求，"
        "逾期 {late} 个工作日。录入日期如实填写，不要改动；今后请在时限内录入。",
        "a result entered after the county's deadline (default 10 working days)",
    ),
    "RESULT_ENTRY_LATE_AT_LEAST": warning(
        "检查结果录入（{value}）时，检查后至少已过 {found} 个工作日，超过本县“{expected} 个工作日内录入”的要求"
        "（录入日期所在年度的国务院节假日安排尚未登记，这些日子只计确定是工作日的，登记后会给出准确天数）。"
        "录入日期如实填写，不要改动；今后请在时限内录入。",
        "a result entered after the deadline, counted on known days only (a year's schedule not yet recorded)",
    ),
    "RESULT_PUBLICATION_LATE": warning(
        "检查结果在检查后第 {found} 个工作日录入（{value}），超过《企业信息公示暂行条例》"
        "20 个工作日内公示的要求。录入日期如实填写，不要改动；今后请在时限内录入并公示。",
        "a result entered after the national 20-working-day publication rule",
    ),
    "RESULT_DUPLICATE": error(
        "单位“{unit}”对检查对象“{value}”已在第 {other_line} 行录入过本任务的结果。"
        "更正请在原条目下追加“更正记录”，不要重复录入。",
        "the same unit's result for one object twice",
    ),
    "AMENDMENT_ORDER": error(
        "更正记录的日期 {value} 早于前一条记录日期 {expected}。更正只能按时间顺序追加，请核对日期。",
        "amendments out of order",
    ),
    "AMENDMENT_FIELD": error(
        "更正记录修改了字段“{value}”，该字段不能更正。可以更正的字段：{expected}。",
        "an amendment that changes a field that cannot be amended",
    ),
    "RESULT_DATE_FUTURE": error(
        "{label} {value} 晚于今天（北京时间 {expected}）。检查结果只能记录已经发生的检查、录入和移交，"
        "请改为实际日期；尚未检查的对象等检查后再录入。",
        "a result entry's inspection, entry or referral dated after the build date (Beijing time)",
    ),
    "AMENDMENT_FUTURE": error(
        "更正记录的日期 {value} 晚于今天（{expected}）。更正只能记录已经发生的事，请核对日期。",
        "an amendment dated after the build date",
    ),
    # -- output safety: ids that become page paths, the site address, private data in public text:
    # generator/catalog/output.py
    **OUTPUT_CODES,
    # -- joint tasks, risk differentiation, result consistency, governance (issue 13) ---------
    "TASK_PARTICIPANT_NO_ITEM": error(
        "参与单位“{value}”在本任务中没有本单位清单中的现行事项（本任务事项：{expected}）。联合抽查中每个部门"
        "只检查、录入和公示本单位的事项：请把该单位的事项加入“抽查事项”，或把它从参与单位中删除。",
        "a participant of a task that brings none of its own items",
    ),
    "TASK_CO_INITIATOR_INVALID": error(
        "共同发起单位“{value}”须是本任务（或计划条目）的参与单位，且不能与发起单位相同。请把它加入参与单位或删除。",
        "a co-initiator that is not a participant (or is the initiator)",
    ),
    "TASK_PER_UNIT_BELOW_MINIMUM": error(
        "“每单位每组最少人数”为 {value}，低于县级设置的每个部门最少持证人数 {expected}"
        "（各部门的检查各自须两名以上执法人员）。请改为不少于 {expected}，并相应调整“每组人数”。",
        "a task whose per-department staffing is below the county minimum",
    ),
    "TEAM_DEPARTMENT_TOO_SMALL": error(
        "单位“{unit}”检查对象“{value}”时只有 {found} 名本单位执法检查人员（其他单位的人员不计入本单位），"
        "县级设置要求每个部门至少 {expected} 名（《行政处罚法》第四十二条）。请核对本单位录入的检查人员；"
        "人员不足的，该部门的检查不能作为有效检查。",
        "a department that inspected an object with fewer of its own officers than the county minimum",
    ),
    "RESULT_ITEM_NOT_OWN": error(
        "事项“{value}”不是单位“{unit}”在本任务中的事项（本单位事项：{expected}）。“谁检查、谁录入、谁公开”："
        "每个单位只录入本单位事项的结果。请从本条结果中删除该事项，由该事项所属单位自己录入。",
        "a result entry on an item another department brings",
    ),
    "RATIO_NOT_MONOTONIC": error(
        "抽查比例 {value} 低于风险更低的 {low}。按风险由低到高（{order}）的顺序，比例不得降低；"
        "请提高高风险层的比例或降低低风险层的比例。",
        "credit-risk ratios that fall as risk rises",
    ),
    "OBJECT_TAG_NAMES_CREDIT_CLASS": error(
        "专项库标签“{value}”写的是信用风险分类。标签在对象页、搜索筛选和开放数据中公开，这样就公开了该对象的风险等级，"
        "而信用风险分类是内部字段。请删除这个标签，把分类填在“信用风险分类”列；要对高风险对象加大抽查力度，"
        "请在任务的分层比例中提高该类的比例。",
        "a public tag that names a credit-risk class (D类, 高风险企业)",
    ),
    "TASK_STRATA_REVEAL_CLASS": error(
        "按信用风险分类分层，但只有 {value} 类的抽查比例或数量大于 0（{left} 类为 0 或未填）。"
        "任务页公开各类的比例，抽中名单也公开，这样每个被抽中的对象属于哪一类就被公开了，而信用风险分类是内部字段。"
        "请给每一类都规定大于 0 的比例或数量（可按风险由低到高递增），或改为按乡镇分层、不分层。",
        "a class-stratified task drawing from some classes only (its public page and drawn list reveal their class)",
    ),
    "TASK_STRATUM_NOT_APPLICABLE": error(
        "按信用风险分类分层，但候选对象中有 {count} 个“{value}”类对象没有也不适用信用风险分类（分类只覆盖 {expected}），"
        "抽取时会被漏掉。请改按乡镇分层或不分层，或用“对象类型”只筛选分类覆盖的主体。",
        "a credit-risk stratified task over objects the classification does not cover",
    ),
    "OBJECT_CREDIT_CLASS_NOT_APPLICABLE": error(
        "“{kind}”类对象填写了信用风险分类“{value}”。信用风险分类只适用于 {expected}，请清空该列。",
        "a credit-risk class on an object kind the classification does not cover",
    ),
    "OBJECT_CREDIT_CLASS_MISSING": error(
        "“{kind}”类对象“{value}”缺少信用风险分类。请按市场监管部门的分类结果填写 A、B、C 或 D。",
        "a covered subject without its credit-risk class",
    ),
    "OBJECT_DISHONEST_CLASS": error(
        "该对象已列入严重失信主体名单，按县级设置应归入风险最高的“{expected}”类，实际为“{value}”。"
        "请把信用风险分类改为 {expected}。",
        "a 严重失信 object outside the highest-risk class",
    ),
    "RESULT_CATEGORY_CONFLICT": error(
        "检查结果同时选择了互相排斥的“{first}”和“{second}”（代码 {value}）。请只保留符合实际的一项。",
        "result categories that exclude each other",
    ),
    "RESULT_ACTION_CONFLICT": error(
        "检查结果为“{label}”，却同时填写了 {actions}。未发现问题不能有后续处置，请改正检查结果或处置。",
        "a no-problem result with a referral, penalty, 失信 listing or judicial referral",
    ),
    "RESULT_REFERRAL_BEFORE_INSPECTION": error(
        "移交日期 {value} 早于检查日期 {expected}。移交只能在检查发现问题之后，请核对日期。",
        "a referral dated before the inspection",
    ),
    "REFERRAL_RECEIPT_UNKNOWN": error(
        "没有找到单位“{unit}”在任务“{task}”中对对象“{value}”移交给本单位的记录。"
        "请核对任务、移交单位和对象编号；只能登记接收确实移交给本单位的事项。",
        "a referral receipt that matches no referral",
    ),
    "REFERRAL_RECEIPT_BEFORE_REFERRAL": error(
        "接收日期 {value} 早于移交日期 {expected}。请核对日期。",
        "a referral received before it was made",
    ),
    "UNIT_INITIATOR_DUTY": warning(
        "单位“{value}”是联合抽查事项的发起部门，{year} 年尚未发起（或共同发起）部门联合抽查。"
        "每年至少发起 1 次；县级无监管权或县域内无相应检查对象的，请在 exemptions 中填写 {year} 年的免于发起原因。",
        "an initiating unit with no joint task in a year and no exemption for that year",
    ),
    "TASK_UNIT_ENDED": error(
        "单位“{value}”已于 {expected} 合并或撤销，此后建立的任务不能由它发起或参与。请改为承接其职责的单位。",
        "a task naming a unit after it was merged or dissolved",
    ),
    "TASK_SPECIAL_NOT_JOINT": warning(
        "专项整治涉及部门联合抽查事项（{value}），原则上应以部门联合抽查的形式开展（实施方案 二（五））。"
        "请邀请联合部门参与，或在备注中说明理由。",
        "a 专项整治 on joint-list items run by one department",
    ),
    "RESULT_PUBLISHED_BEFORE_ENTRY": error(
        "公示日期 {value} 早于录入日期 {expected}。公示日期由 CI 在公示时记录，请勿手工填写。",
        "a publication date before the entry date",
    ),
}
