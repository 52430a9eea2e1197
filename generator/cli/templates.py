"""templates: write the .xlsx import templates (generated from the record schemas)."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "templates"
HELP = "生成各类记录的 Excel 导入模板（表头、下拉选项和填写说明均来自记录结构定义）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=Path("build/templates"), help="输出目录（默认 build/templates）"
    )


def run(args: argparse.Namespace) -> int:
    from generator import paths
    from generator.intake import write_templates

    paths.output_dir(args.out, what="模板输出目录")

    for path in write_templates(args.out):
        print(f"已生成 {path}")
    return 0
