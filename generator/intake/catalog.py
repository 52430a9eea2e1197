"""Intake finding codes and the :class:`Problem` type that points at a spreadsheet cell.

Import errors are about cells an official can click on, so they are located as ``表名!C17`` (Excel
A1 style) instead of file:line. Field checks reuse the loader's codes and wording from
``generator/catalog.py`` (FIELD_ENUM, FIELD_DATE, ...); the codes below are the ones only intake
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
        "a header cell that names no field",
    ),
    "IMPORT_HEADER_MISSING": Entry(
        ERROR, "缺少必填列“{label}”。请在表头加上这一列（可从模板复制）。", "a required column is missing"
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
    "IMPORT_NO_ROWS": Entry(ERROR, "表中没有数据行。请在表头下方逐行填写后再导入。", "an empty sheet"),
    "IMPORT_ROWS_SKIPPED": Entry(WARNING, "跳过了 {value} 个空行。", "blank rows were skipped"),
    "IMPORT_NUMBER_PRECISION": Entry(
        WARNING,
        "“{label}”的值“{value}”是 Excel 按数字保存的长编号，超过 15 位的部分可能已被 Excel 改成 0。"
        "请把该列设为“文本”格式后重新填写编号。",
        "a long id stored as an Excel number",
    ),
    "IMPORT_FORMULA": Entry(
        ERROR,
        "单元格是公式“{value}”，且文件中没有保存计算结果。请在 Excel 中打开并保存一次，或把公式改为数值。",
        "a formula without a cached value",
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
