"""sample: write the synthetic demonstration records tree (泗阳县 2026, demo: true)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

NAME = "sample"
HELP = "生成虚构的示例记录（泗阳县 2026 年，demo: true），用于演示、测试和性能基准"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("records"), help="输出目录（默认 records）")
    parser.add_argument(
        "--scale", type=int, default=1, help="规模倍数：检查对象和人员数量乘以该数（默认 1，基准测试用 10）"
    )
    parser.add_argument(
        "--years",
        default=None,
        help=f"生成多年的历史，如 {FIRST_YEAR}-{LAST_YEAR}：每年有新登记和注销的对象、年度计划、任务、抽取和检查结果"
        f"（默认只生成 {LAST_YEAR} 年）",
    )


FIRST_YEAR, LAST_YEAR = 2022, 2026  # the seed plan took effect 2022-07-01; the sample's year is 2026


def parse_years(text: str | None) -> tuple[int, ...] | None:
    """``2022-2026`` or ``2026`` -> the years, or None when the text is not a range inside the limits."""
    if text is None:
        return (LAST_YEAR,)
    first, _, last = text.strip().partition("-")
    if not (first.isdigit() and (last.isdigit() or not last)):
        return None
    a, b = int(first), int(last or first)
    if not FIRST_YEAR <= a <= b <= LAST_YEAR:
        return None
    return tuple(range(a, b + 1))


def run(args: argparse.Namespace) -> int:
    from generator.samplegen import OutputNotOurs, generate

    if args.scale < 1 or args.scale > 100:
        print(f"--scale 的值“{args.scale}”超出范围，应为 1 到 100 之间的整数。")
        return 2
    years = parse_years(args.years)
    if years is None:
        print(
            f"--years 的值“{args.years}”无效，应为 {FIRST_YEAR} 到 {LAST_YEAR} 之间的年份或年份范围，"
            f"如 {FIRST_YEAR}-{LAST_YEAR}。"
        )
        return 2
    started = time.perf_counter()
    try:
        summary = generate(args.out, args.scale, years)
    except OutputNotOurs:
        print(
            f"输出目录“{args.out}”已有内容，且不是 sample 命令生成的示例数据（缺少 README.md 标记）。"
            "为避免覆盖真实记录，已停止。请用 --out 指定空目录。"
        )
        return 2
    c = summary.counts
    print(
        f"已在“{args.out}”生成示例数据：成员单位 {c['units']} 个，抽查事项 {c['items']} 项（{c['item_versions']} 个版本），"
        f"检查对象 {c['objects']} 个（名录 {c['object_rows']} 行），执法检查人员 {c['inspectors']} 名，"
        f"辅助人员 {c['assistants']} 名，计划 {c['plans']} 份，抽查任务 {c['tasks']} 个，"
        f"抽取 {c['draws']} 次，检查结果 {c['entries']} 条（逾期录入 {c['late']} 条）；"
        f"共 {summary.files} 个文件，用时 {time.perf_counter() - started:.1f} 秒。"
    )
    return 0
