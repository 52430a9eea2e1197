"""Intake finding codes and the :class:`Problem` type that points at a spreadsheet cell.

Import errors are about cells an official can click on, so they are located as ``表名!C17`` (Excel
A1 style) instead of file:line. Field checks reuse the loader's codes and wording from
``generator/catalog/records.py`` (FIELD_ENUM, FIELD_DATE, ...); the codes below are the ones only intake
needs. Codes are stable: never rename one, add a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.catalog import CATALOG as RECORD_CATALOG
from generator.catalog import ERROR, WARNING, Entry

INTAKE_CATALOG: dict[str, Entry] = {
    "IMPORT_FILE_UNREADABLE": Entry(
        ERROR,
        "无法读取文件（{detail}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。",
        "the file is not a readable spreadsheet",
    ),
    "IMPORT_FILE_TYPE": Entry(
        ERROR, "不支持的文件类型“{value}”。请导入 .xlsx、.xls 或 .csv 文件。", "unsupported file extension"
    ),
    "IMPORT_ENCODING": Entry(
        ERROR,
        "CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码（第 {value} 个字节无法解码）。"
        "请在 Excel 中用“另存为 → CSV UTF-8（逗号分隔）”重新保存。",
        "a CSV file in an unknown encoding",
    ),
    "IMPORT_SHEET_MISSING": Entry(
        ERROR,
        "文件中找不到“{kind_label}”的表头（应包含列：{expected}）。请使用下载的模板，或把表头改为模板中的列名。",
        "no sheet with a recognisable header",
    ),
    "IMPORT_HEADER_UNKNOWN": Entry(
        ERROR,
        "表头“{value}”不是“{kind_label}”的列。可用的列：{expected}。请改为模板中的列名，或删除该列。",
        "retired: unknown columns are now ignored with IMPORT_HEADER_IGNORED (code kept, never reused)",
    ),
    "IMPORT_HEADER_MISSING": Entry(
        ERROR,
        "缺少必填列“{label}”。请在表头加上这一列（可从模板复制）。{hint}",
        "a required column is missing",
    ),
    "IMPORT_HEADER_DUPLICATE": Entry(
        ERROR, "列“{value}”出现了两次（另一列在 {other}）。请删除或合并重复的列。", "the same column twice"
    ),
    "IMPORT_CELL_INVALID": Entry(
        ERROR, "单元格的值“{value}”无法识别：{detail}。{hint}", "a cell that cannot be read at all"
    ),
    "IMPORT_ID_DUPLICATE": Entry(
        ERROR,
        "{label}“{value}”在本表中出现了两次（另一行在 {other}）。每条记录的编号必须唯一，请删除或改正其中一行。",
        "the same id twice in one import",
    ),
    "IMPORT_UNIT_MISMATCH": Entry(
        ERROR,
        "“{label}”写的是“{value}”，但本次导入的是单位“{unit}”的数据。请改为“{unit}”，或用 --unit 指定正确的单位。",
        "a row that speaks for another unit",
    ),
    "IMPORT_TOWNSHIP_UNKNOWN": Entry(
        ERROR,
        "乡镇（街道）“{value}”不在县级设置的名单中。可选：{expected}。",
        "a township not in county.yaml",
    ),
    "IMPORT_CATEGORY_UNKNOWN": Entry(
        ERROR,
        "检查结果类别“{value}”不在结果类别字典中。可填代码或名称：{expected}。",
        "a result category not in the county dictionary",
    ),
    "IMPORT_DATE_ORDER": Entry(
        ERROR,
        "“{label}”（{value}）早于“{other_label}”（{other}）。请检查两个日期是否填反。",
        "dates in the wrong order",
    ),
    "IMPORT_ITEM_REMOVED": Entry(
        ERROR,
        "事项“{value}”（生效日期 {date}）在现有清单中，但导入的表中没有。事项清单不删除条目："
        "停止适用的事项请把“状态”改为“已废止”并填写“失效日期”。",
        "an item version missing from the import (items are never deleted)",
    ),
    "IMPORT_RESULT_CHANGED": Entry(
        ERROR,
        "任务“{task}”中检查对象“{value}”的结果已录入，导入的内容与原记录不同（{fields}）。"
        "已录入的结果不能直接修改，请在原条目下追加“更正记录”。",
        "an entered result that the import would overwrite",
    ),
    "IMPORT_RESULT_DRAW_MISMATCH": Entry(
        ERROR,
        "任务“{task}”的结果文件记录的抽取编号是“{expected}”，表中写的是“{value}”。请核对抽取编号。",
        "a result row whose draw id differs from the task's result file",
    ),
    "IMPORT_PLAN_ITEM_NOT_OWN": Entry(
        ERROR,
        "抽查事项“{value}”不在本单位或参与单位（{units}）的随机抽查事项清单中。"
        "请填写清单中的事项编号，或先把该事项加入清单（导入“随机抽查事项清单”）。",
        "a plan entry names an item that no unit of the entry lists",
    ),
    "IMPORT_PLAN_ENTRY_ID": Entry(
        ERROR,
        "计划条目编号“{value}”不是本单位本年度的编号。请按“P + 年度 + 连字符 + 本单位代号 + 连字符 + 序号”填写，如 {expected}。",
        "a plan entry id outside the uploading unit's namespace for the row's year",
    ),
    "IMPORT_PLAN_NOT_INITIATOR": Entry(
        ERROR,
        "本单位（{unit}）不是这一条目的发起单位（表中为“{value}”）。单位年度计划只列本单位发起或共同发起的抽查；"
        "请把发起单位改为 {unit}，或把 {unit} 填入“共同发起单位”，或由发起单位在其计划中填报。",
        "a plan entry that the uploading unit neither initiates nor co-initiates",
    ),
    "IMPORT_PLAN_NO_SIZE": Entry(
        ERROR,
        "“抽查比例”和“计划抽查数量”都没有填写。请至少填写一项，如抽查比例 5% 或计划抽查数量 20。",
        "a plan entry with neither a ratio nor a count",
    ),
    "IMPORT_PLAN_FILED_ON_MISMATCH": Entry(
        ERROR,
        "同一年度计划的备案日期应一致：本行是“{value}”，前面的行是“{expected}”。请统一为一个日期，或只在一行填写。",
        "two rows of one year's plan give different filing dates",
    ),
    "IMPORT_NO_ROWS": Entry(ERROR, "表中没有数据行。请在表头下方逐行填写后再导入。", "an empty sheet"),
    "IMPORT_ROWS_SKIPPED": Entry(WARNING, "跳过了 {value} 个空行。", "blank rows were skipped"),
    "IMPORT_NUMBER_PRECISION": Entry(
        WARNING,
        "“{label}”的值“{value}”按数字保存在表中；文件保存了完整的各位数字，已按文本读取。"
        "今后请把该列设为“文本”格式再填写编号（Excel 只保留数字的前 15 位）。",
        "a long id stored as an exact number (written by a program), read as text",
    ),
    "IMPORT_NUMBER_PADDED": Entry(
        WARNING,
        "“{label}”的值在表中按数字保存，靠单元格格式显示为“{value}”（开头的 0 不在文件里）：已按显示的文本“{value}”读取。"
        "请核对；今后请把该列设为“文本”格式再填写编号。",
        "a number cell shown with leading zeros by a zero-padding format (00000), read as the text shown",
    ),
    "IMPORT_SHEET_TOO_LARGE": Entry(
        ERROR,
        "工作表“{value}”的使用区域有 {rows} 行 × {cols} 列（最远处 {far}），超过导入上限 {limit} 个单元格，"
        "没有读取。常见原因是在很远的行或列误填了内容或设置了格式：请选中数据以外的空行和空列，右键“删除”，保存后再导入。",
        "a sheet whose used area is too large to read (a cell far away makes a dense grid of billions of cells)",
    ),
    "IMPORT_COLUMN_NO_HEADER": Entry(
        WARNING,
        "第 {column} 列没有表头，但有 {count} 个单元格有内容（如 {first}“{value}”）：该列没有导入。如果这一列是要导入的"
        "字段，请在表头行填写列名（见导入模板）；如果不是，请删除该列。",
        "a column without a header that holds data: not imported, never silently",
    ),
    "IMPORT_CODE_AS_NUMBER": Entry(
        ERROR,
        "“{label}”被 Excel 当作数字保存（表中为“{shown}”）。Excel 只保留数字的前 15 位，后面的位已变成 0，"
        "原来的编号无法从文件中恢复，也不要按校验码去猜。请把该列设为“文本”格式（选中整列 → 右键 → "
        "设置单元格格式 → 文本），再从营业执照或原始台账重新输入或粘贴编号（粘贴时选“只粘贴文本”）。",
        "a code stored as a number: digits past the 15th were lost",
    ),
    "IMPORT_CODE_ZEROS": Entry(
        WARNING,
        "统一社会信用代码“{value}”全为数字且以多个 0 结尾，像是 Excel 把它当作数字保存后丢掉了后几位"
        "（校验码恰好相符）。请对照营业执照核实；核实无误可忽略本提示。",
        "an all-digit code ending in zeros that passes the check digit (possibly damaged by Excel)",
    ),
    "IMPORT_CELL_FORMULA_TEXT": Entry(
        ERROR,
        "“{label}”的值以“{first}”开头，导出后在 Excel 中打开时可能被当作公式执行。"
        "请删除开头的“{first}”，或改写该内容。",
        "a cell that starts like a spreadsheet formula (formula injection)",
    ),
    "IMPORT_FILE_ENCRYPTED": Entry(
        ERROR,
        "文件设置了打开密码，无法读取（另存为不会去掉密码）。请在 Excel 中打开文件，点“文件 → 信息 → "
        "保护工作簿 → 用密码进行加密”，清空密码后确定并保存，再导入；WPS 表格：点左上角“文件 → 文档加密 → "
        "密码加密”，清空“打开权限”下的两个密码框，点“应用”后保存，再导入。",
        "a password-protected workbook",
    ),
    "IMPORT_SHEET_NOT_FOUND": Entry(
        ERROR,
        "文件中没有名为“{value}”的工作表。现有工作表：{names}。请检查 --sheet 后的表名。",
        "--sheet names no sheet of the file",
    ),
    "IMPORT_SHEET_AMBIGUOUS": Entry(
        ERROR,
        "有多个工作表都像要导入的数据：{names}，无法确定导入哪一个。请用 --sheet 表名 指定，"
        "或删除、隐藏不需要的工作表。",
        "two visible sheets qualify and none is the active one",
    ),
    "IMPORT_SHEET_OTHERS": Entry(
        WARNING,
        "读取的是当前工作表“{value}”；工作表 {others} 也有同样的表头，没有读取。如需导入其他表，请用 --sheet 指定。",
        "other visible sheets also qualified; the active one was read",
    ),
    "IMPORT_HEADER_IGNORED": Entry(
        WARNING,
        "列“{value}”不是导入模板中的列，已忽略，该列内容不会导入。{hint}",
        "an unknown column, ignored and never imported",
    ),
    "IMPORT_ROW_ABOVE_HEADER": Entry(
        ERROR,
        "第 {rows} 行在表头（第 {header} 行）上方，却像一条记录（如“{value}”），表头上方的行不会导入。"
        "多半是在第 1 行插入了新行，把表头挤到了下面。请把这些行移到表头下方（或删除），"
        "表头上方只保留标题、填报单位等说明文字，然后重新导入。",
        "a row above the header that looks like a record (it would be dropped as a title)",
    ),
    "IMPORT_SIDE_SHEET_ROWS": Entry(
        ERROR,
        "工作表“{sheet}”第 {rows} 行填了数据（如“{value}”），但示例表不会导入。"
        "请把这些行剪切到“{data}”表中（示例表只保留原来的示例），然后重新导入。",
        "rows typed into the template's 示例 sheet, which import never reads",
    ),
    "IMPORT_ROWS_HIDDEN": Entry(
        ERROR,
        "第 {value} 行被隐藏（手动隐藏或被自动筛选隐藏），但其中有数据，共 {count} 行。"
        "导入会读取文件中的所有行，包括屏幕上看不到的行，为避免把没有核对过的行写入记录，本次没有导入。"
        "请清除筛选（“数据”→“清除”）并取消隐藏（选中整表后右键→“取消隐藏”），核对这些行："
        "不应导入的行请删除，然后重新导入。",
        "rows hidden by hand or by an autofilter hold data (they would be imported unseen)",
    ),
    "IMPORT_COLUMNS_HIDDEN": Entry(
        ERROR,
        "第 {value} 列（“{label}”）被隐藏，但其中有 {count} 个单元格有值。导入会读取隐藏列的值并覆盖记录中的原值，"
        "为避免把没有核对过的值写入记录，本次没有导入。请取消隐藏该列（选中相邻两列后右键→“取消隐藏”）并核对："
        "不应导入的列请删除整列，然后重新导入。",
        "a hidden column holds values (they would be imported unseen)",
    ),
    "IMPORT_ROW_TOO_WIDE": Entry(
        ERROR,
        "第 {value} 行的字段比表头多（第一处有 {count} 个字段，表头只有 {width} 列）：多半是某个值里含有英文逗号却没有加引号，"
        "文件把它拆成了两个字段，其后的值都错了一列，最后一个值会被丢掉。本次没有导入。"
        "请在 Excel 中打开原表另存为 .xlsx 再导入；或把含逗号的值用英文双引号括起来，列表值改用顿号（、）或分号分隔。",
        "a CSV row with more fields than the header (an unquoted comma moved its values)",
    ),
    "IMPORT_ROW_FOOTER": Entry(
        WARNING,
        "第 {value} 行是表尾（合计、填表人、联系电话等），已跳过。",
        "footer rows skipped",
    ),
    "IMPORT_ROW_EXAMPLE": Entry(
        WARNING,
        "第 {value} 行是模板的示例行，已跳过。",
        "the template's example row skipped",
    ),
    "IMPORT_METHOD_UNKNOWN": Entry(
        ERROR,
        "检查方式“{value}”不在县级设置的检查方式字典中。可选：{expected}。",
        "an inspection method not in county.yaml",
    ),
    "IMPORT_UNIT_UNKNOWN": Entry(
        ERROR,
        "单位代号“{value}”不存在（records/units/ 下没有这个目录）。{hint}新增单位请联席办先建立单位目录。",
        "--unit names no unit of the records tree",
    ),
    "IMPORT_NOT_RECORDS": Entry(
        ERROR,
        "“{value}”不是记录目录（其中没有 county.yaml）。请在项目目录中运行，或用 --records 指定记录目录。",
        "the records folder is not a records tree",
    ),
    "IMPORT_REMOVE_REFERENCED": Entry(
        ERROR,
        "不能删除“{value}”：{refs} 引用了它。请保留该行（或去掉 --replace 只做合并导入）。",
        "--replace would delete a row that a draw, result or plan references",
    ),
    "IMPORT_NEW_ERROR": Entry(
        ERROR,
        "导入后记录校验会出错：{detail}。没有写入任何记录，请按提示改正表格后重新导入。",
        "the import would introduce a repository-level validation error",
    ),
    "IMPORT_FORMULA": Entry(
        ERROR,
        "单元格是公式“{value}”，且文件中没有保存计算结果。请在 Excel 中打开并保存一次，或把公式改为数值。",
        "a formula without a cached value",
    ),
    # Uploads to inbox/<unit>/ converted on a pull request (``ci intake``, issue 16).
    "INBOX_PATH": Entry(
        ERROR,
        "上传位置“{value}”不对。请把文件直接上传到 inbox/单位代号/ 文件夹（如 inbox/market/对象名录.xlsx），"
        "不要放在子文件夹里，文件名中不要有 \\、: 等路径符号。",
        "an upload outside inbox/<unit>/<file> or with a path in its file name",
    ),
    "INBOX_NAME": Entry(
        ERROR,
        "文件名“{value}”{reason}。请把文件改成简短、只含常见文字的名字（如“对象名录.xlsx”）后重新上传，并删除这个文件。",
        "an upload whose file name is too long for the runner or holds invisible (format, private-use) characters",
    ),
    "INBOX_LINK": Entry(
        ERROR,
        "“{value}”是符号链接或子模块，不是上传的文件。请删除它，改为上传表格文件本身。",
        "a symbolic link or submodule under inbox/ or records/",
    ),
    "INBOX_UNIT_UNKNOWN": Entry(
        ERROR,
        "文件夹“{value}”不是已登记的单位代号。{hint}请把文件上传到本单位的文件夹 inbox/单位代号/。",
        "an upload folder that names no unit of the base branch",
    ),
    "INBOX_FILE_TYPE": Entry(
        ERROR,
        "不支持的文件类型“{value}”。请上传 .xlsx、.xls 或 .csv 文件；WPS 的 .et 文件请先“另存为”Excel 文件（.xlsx）。",
        "an upload that is not .xlsx, .xls or .csv",
    ),
    "INBOX_KIND_UNKNOWN": Entry(
        ERROR,
        "看不出“{value}”是哪一种记录。请在文件名中写明种类（{expected}），例如“对象名录.xlsx”“检查结果.xlsx”，"
        "或使用网站下载的模板（其“说明”表写明了种类）。",
        "neither the file name nor a 说明 cell names the kind of records",
    ),
    "INBOX_TOO_LARGE": Entry(
        ERROR,
        "文件太大（{value}，上限 {limit}）。请删除无关的工作表、图片和空行后另存，或分成几个文件分别上传。",
        "an upload over the size limit",
    ),
    "INBOX_TOO_MANY_ROWS": Entry(
        ERROR,
        "表中行数太多（{value} 行，上限 {limit} 行）。请分成几个文件分别上传，或删除多余的空行。",
        "an upload over the row limit",
    ),
    "INBOX_ZIP_BOMB": Entry(
        ERROR,
        "文件解压后过大或压缩比异常（{detail}），不像正常的 Excel 文件，未读取。"
        "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。",
        "an .xlsx whose uncompressed size or compression ratio exceeds the limits (zip bomb)",
    ),
    "INBOX_NOT_SPREADSHEET": Entry(
        ERROR,
        "文件名是“{value}”，内容却不是这种格式（而是{found}）。请用 Excel 或 WPS 打开后“另存为”.xlsx 再上传。",
        "an upload whose content does not match its extension (e.g. HTML named .xlsx)",
    ),
    "INBOX_FORMULA": Entry(
        ERROR,
        "表中有 {count} 个公式单元格（{cells}）。上传的表格不计算公式，请把公式改为数值：选中这些单元格 → "
        "复制 → 右键“选择性粘贴 → 数值”，保存后重新上传。",
        "an upload with formula cells (never evaluated)",
    ),
}


def template(code: str) -> Entry:
    """The entry for ``code`` from the intake catalog or, for field checks, the record catalog."""
    return INTAKE_CATALOG.get(code) or RECORD_CATALOG[code]


def _shorten(value: object, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One intake problem at one cell (``where`` is ``表名!C17``, ``表名!17`` or ``表名``)."""

    code: str
    where: str
    value: str
    message: str
    severity: str = ERROR

    def render(self) -> str:
        label = "错误" if self.severity == ERROR else "警告"
        return f"{self.where}: {label} {self.code} {self.message}"


def problem(code: str, where: str, value: object = "", **params: object) -> Problem:
    entry = template(code)
    shown = _shorten(value)
    params.setdefault("hint", "")
    message = entry.template.format(value=shown, path="", **params).replace("。。", "。").strip()
    return Problem(code, where, shown, message, entry.severity)


__all__ = ["ERROR", "INTAKE_CATALOG", "WARNING", "Problem", "problem", "template"]
