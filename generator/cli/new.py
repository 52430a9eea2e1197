"""new: write a commented starter record of a kind, so nobody begins from a blank file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import paths
from generator.calendar import beijing_today
from generator.cli._common import add_records_option, year
from generator.records import BY_NAME
from generator.starter import starter_text

# Draw files are never started from a blank form: each is written by the command that makes it
# reproducible (the frozen pool, the recorded digits, the drand round, the engine's result).
WRITTEN_BY_COMMAND = {
    "draw_request": "request",
    "draw_entropy": "entropy",
    "draw_accepted": "accept（CI）",
    "draw_result": "draw（CI）",
}
PERSON_KINDS = sorted(set(BY_NAME) - set(WRITTEN_BY_COMMAND))

NAME = "new"
HELP = "生成一份带中文注释的记录模板（如 new tasks --unit market --id T2026-market-03）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind",
        choices=PERSON_KINDS,
        metavar="种类",
        help=f"记录种类：{'、'.join(PERSON_KINDS)}（见 docs/records.md）。抽取记录由 "
        + "、".join(sorted(set(WRITTEN_BY_COMMAND.values())))
        + " 命令生成，没有模板",
    )
    add_records_option(parser)
    parser.add_argument("--unit", default="market", help="单位代号（单位目录中的记录）")
    parser.add_argument("--id", help="记录编号（任务等按编号命名的文件）")
    parser.add_argument("--year", type=year, default=beijing_today().year, help="年度")
    parser.add_argument("--stdout", action="store_true", help="输出到屏幕，不写文件")


def target(kind_name: str, unit: str, record_id: str | None, year: int) -> str:
    path = BY_NAME[kind_name].example_path.replace("units/market/", f"units/{unit}/")
    path = path.replace("2026", str(year)).replace("2027", str(year))
    if record_id:
        stem = Path(path).stem
        path = path.replace(stem, record_id)
    return path


def checked_target(records: Path, kind_name: str, unit: str, record_id: str | None, year: int) -> Path:
    """The starter's path, after checking every part that comes from the command line."""
    kind = BY_NAME[kind_name]
    if not 1900 <= year <= 2999:
        raise paths.PathRefused(f"年度“{year}”超出范围，应为四位数的年份。没有写入任何文件。")
    if "units/" in kind.example_path:
        paths.unit_folder(records, unit)
    else:
        paths.records_root(records)
    if record_id is not None:
        id_type = getattr(kind.field_named(kind.id_field), "type", None)
        pattern = getattr(id_type, "pattern", None) or r"[A-Za-z0-9][A-Za-z0-9-]{0,63}"
        hint = getattr(id_type, "pattern_hint", "") or "字母、数字和连字符"
        paths.check_id(record_id, pattern, hint, "记录编号")
    rel = target(kind_name, unit, record_id, year)
    if kind.matches(rel) is None:
        raise paths.PathRefused(
            f"“{rel}”不是{kind.label}记录的位置（应形如 {kind.example_path}）。没有写入任何文件。"
        )
    return paths.inside(records, records / rel)


def run(args: argparse.Namespace) -> int:
    text = starter_text(BY_NAME[args.kind], beijing_today())
    if args.stdout:
        sys.stdout.write(text)
        return 0
    path = checked_target(args.records, args.kind, args.unit, args.id, args.year)
    if path.exists():
        print(f"{path} 已存在，没有覆盖。请换一个编号，或用 --stdout 查看模板。")
        return 1
    paths.write_file(path, text)
    print(f"已生成模板：{path}。请按注释填写后运行 python -m generator validate。")
    return 0
