"""Downloadable .xlsx templates, one per importable kind, generated from the schemas.

Each workbook has: the data sheet (header = Chinese field labels, drop-down validation for fixed
lists, date and text formats), 说明 (every field: column, name, required, internal, type, options,
description), 示例 (the header plus one example row) and a hidden 选项 sheet holding the lists the
drop-downs point at (a list longer than 255 characters cannot be written inline).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from generator.intake.specs import SPECS, Spec
from generator.intake.store import cell_text
from generator.intake.workbook import (
    HEADER_FONT,
    INTERNAL_FILL,
    OPTIONAL_FILL,
    REQUIRED_FILL,
    WRAP,
    save,
    set_widths,
)
from generator.schema.fields import Boolean, Choice, Date, Field, ListOf, Ratio
from generator.spreadsheet_text import neutralise_workbook

DATA_ROWS = 2000  # rows that get drop-downs and formats


def template_name(kind: str) -> str:
    return f"{SPECS[kind].label}导入模板.xlsx"


def type_text(f: Field) -> str:
    t = f.type
    if isinstance(t, ListOf):
        return "多个值，用分号（;）分隔"
    if isinstance(t, Date):
        return "日期，如 2026-03-05"
    if isinstance(t, Ratio):
        return "比例，如 5% 或 1/20"
    if isinstance(t, Boolean):
        return "是 或 否"
    if isinstance(t, Choice):
        return "从下拉列表中选择"
    return t.describe


def options(f: Field) -> tuple[str, ...]:
    if isinstance(f.type, Choice):
        return f.type.values
    if isinstance(f.type, Boolean):
        return ("是", "否")
    if isinstance(f.type, ListOf) and isinstance(f.type.item, Choice):
        return f.type.item.values
    return ()


def header_fill(f: Field):
    if f.internal:
        return INTERNAL_FILL
    return REQUIRED_FILL if f.required and f.default is None else OPTIONAL_FILL


def write_header(ws, spec: Spec) -> None:
    for col, f in enumerate(spec.fields, start=1):
        cell = ws.cell(1, col, f.label)
        cell.font, cell.fill = HEADER_FONT, header_fill(f)
        flag = "内部字段，不公开。" if f.internal else ""
        cell.comment = Comment(f"{f.description}{flag}（{type_text(f)}）", "模板")
    ws.freeze_panes = "A2"
    set_widths(ws, [max(12, min(40, len(f.label) * 3)) for f in spec.fields])


def build_template(spec: Spec) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet
    write_header(ws, spec)
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    list_col = 0
    for col, f in enumerate(spec.fields, start=1):
        letter = get_column_letter(col)
        values = options(f)
        if values and not isinstance(f.type, ListOf):
            list_col += 1
            lists.cell(1, list_col, f.label)
            for i, v in enumerate(values, start=2):
                lists.cell(i, list_col, v)
            ref = get_column_letter(list_col)
            dv = DataValidation(
                type="list",
                formula1=f"{quote_sheetname('选项')}!${ref}$2:${ref}${len(values) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="不在可选范围内",
                error=f"“{f.label}”只能从下拉列表中选择：{'、'.join(values)[:200]}",
            )
            dv.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
            ws.add_data_validation(dv)
        # Column-wide format (cheap, and covers rows past DATA_ROWS): text keeps long ids and leading zeros.
        ws.column_dimensions[letter].number_format = "yyyy-mm-dd" if isinstance(f.type, Date) else "@"
    _instructions(wb.create_sheet("说明", 0), spec)
    wb.active = 1
    example = wb.create_sheet("示例")
    write_header(example, spec)
    for col, f in enumerate(spec.fields, start=1):
        example.cell(2, col, cell_text(spec.example.get(f.name)))
    neutralise_workbook(wb)  # labels, options and examples stay text (export adds rows and runs it again)
    return wb


def _instructions(ws, spec: Spec) -> None:
    ws.append([f"{spec.label}导入模板：在“{spec.sheet}”表中从第 2 行起每行填写一条，表头不要修改。"])
    ws.append(
        [
            "黄色列必填，蓝色列选填，灰色列为内部字段（不公开）。导入命令："
            f"python -m generator import 文件 --kind {spec.kind} --unit 单位代号"
        ]
    )
    ws.append([])
    ws.append(
        ["列", "列名", "字段", "必填", "内部字段", "填写格式", "可选值", "说明", "示例", "表头也可写作"]
    )
    for cell in ws[4]:
        cell.font = HEADER_FONT
    for col, f in enumerate(spec.fields, start=1):
        required = "必填" if f.required and f.default is None else "选填"
        if f.default not in (None, [], {}):
            required += f"（默认 {cell_text(f.default)}）"
        ws.append(
            [
                get_column_letter(col),
                f.label,
                f.name,
                required,
                "是" if f.internal else "否",
                type_text(f),
                "、".join(options(f)),
                f.description,
                cell_text(spec.example.get(f.name)),
                "、".join(f.synonyms),
            ]
        )
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = WRAP
    set_widths(ws, [5, 22, 18, 14, 9, 22, 30, 60, 30, 30])


def write_templates(out_dir: Path | str = "build/templates") -> list[Path]:
    """Write one template per importable kind into ``out_dir``; returns the paths in kind order."""
    out = Path(out_dir)
    return [save(build_template(spec), out / template_name(kind)) for kind, spec in SPECS.items()]
