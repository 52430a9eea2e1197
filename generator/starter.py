"""Commented starter records for ``python -m generator new KIND``: nobody begins from a blank file.

The text is generated from the kind's schema: every field appears with its Chinese label and
description as a comment; required fields get a value to replace, optional ones are commented out.
"""

from __future__ import annotations

import datetime as dt

from generator.schema.fields import Boolean, Choice, Date, Field, Integer, ListOf, MapOf, Obj, Ratio
from generator.schema.kind import CSV_ROWS, YAML_LIST, Kind


def _example(f: Field, today: dt.date) -> str:
    t = f.type
    if f.example is not None:
        return str(f.example)
    if isinstance(f.default, bool):
        return str(f.default).lower()
    if isinstance(f.default, int):
        return str(f.default)
    if f.default not in (None, [], {}):
        return f'"{f.default}"'
    if f.name == "year":
        return str(today.year)
    if isinstance(t, Date):
        return today.isoformat()
    if isinstance(t, Integer):
        return str(max(t.minimum or 0, 1))
    if isinstance(t, Boolean):
        return "false"
    if isinstance(t, Choice):
        return t.values[0]
    if isinstance(t, Ratio):
        return "5%"
    if isinstance(t, ListOf):
        return "[]"
    if isinstance(t, MapOf):
        return "{}"
    return f'"请填写{f.label}"'


def _yaml_fields(fields: tuple[Field, ...], indent: str, today: dt.date) -> list[str]:
    lines = []
    for f in fields:
        required = f.required and f.default is None
        lines.append(f"{indent}# {f.label}（{'必填' if required else '可选'}）：{f.description}")
        mark = "" if required else "# "
        nested = f.type.fields if isinstance(f.type, Obj) else None
        if isinstance(f.type, ListOf) and isinstance(f.type.item, Obj):
            lines.append(f"{indent}{mark}{f.name}:")
            body = _yaml_fields(f.type.item.fields, indent + "    ", today)
            body[1] = body[1].replace(indent + "    ", indent + "  - ", 1) if len(body) > 1 else body[0]
            lines += [f"{indent}{mark}{line.lstrip()}" if mark else line for line in body] if mark else body
        elif nested:
            lines.append(f"{indent}{mark}{f.name}:")
            body = _yaml_fields(nested, indent + "  ", today)
            lines += [f"{indent}# {line.strip()}" for line in body] if mark else body
        else:
            lines.append(f"{indent}{mark}{f.name}: {_example(f, today)}")
    return lines


def starter_text(kind: Kind, today: dt.date) -> str:
    head = [
        f"# {kind.label}：{kind.description}",
        "# 字段说明见 docs/records.md；写好后运行 python -m generator validate 检查。",
    ]
    if kind.shape == CSV_ROWS:
        return ",".join(f.label for f in kind.fields) + "\n"
    if kind.shape == YAML_LIST:
        body = _yaml_fields(kind.header_fields, "", today) + [f"{kind.list_key}:"]
        items = _yaml_fields(kind.fields, "    ", today)
        items[1] = items[1].replace("    ", "  - ", 1)
        return "\n".join(head + body + items) + "\n"
    return "\n".join(head + _yaml_fields(kind.fields, "", today)) + "\n"
