"""Field building blocks shared by several record kinds (id patterns, dates, windows)."""

from __future__ import annotations

from generator.schema.fields import Date, Field, Obj, Ref, Text

UNIT_ID = r"[a-z][a-z0-9-]{1,31}"
UNIT_ID_HINT = "小写英文字母、数字和连字符组成的单位代号，如 market、fire-rescue"
CODE = r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*"
CODE_HINT = "大写字母、数字和连字符组成的编号，如 SCJG-01"
YEAR_ID = r"[A-Z]\d{4}-[A-Za-z0-9-]+"
DRAW_ID = r"D[0-9]{4}-[0-9]{4}"  # ASCII digits only (no full-width lookalikes)
DRAW_ID_HINT = "D + 年份 + 连字符 + 4 位顺序号，如 D2026-0001"
SHA256 = r"[0-9a-f]{64}"
SHA256_HINT = "64 位小写十六进制的 SHA-256 摘要"


def unit_ref(name: str, label: str, description: str, **kw) -> Field:
    return Field(
        name, label, description, Ref(pattern=UNIT_ID, pattern_hint=UNIT_ID_HINT, target="unit"), **kw
    )


def item_ref_type() -> Ref:
    return Ref(pattern=CODE, pattern_hint=CODE_HINT, target="item")


def window(name: str = "window", label: str = "检查期限", required: bool = True) -> Field:
    return Field(
        name,
        label,
        "开始和结束日期（含两端）。",
        Obj(
            (
                Field("from", "开始日期", "期限的第一天，YYYY-MM-DD。", Date()),
                Field("to", "结束日期", "期限的最后一天，YYYY-MM-DD。", Date()),
            )
        ),
        required=required,
    )


def note(name: str = "note", label: str = "备注") -> Field:
    return Field(name, label, "补充说明，可不填。", Text(multiline=True), required=False)
