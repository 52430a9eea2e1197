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


def run(args: argparse.Namespace) -> int:
    from generator.samplegen import OutputNotOurs, generate

    if args.scale < 1 or args.scale > 100:
        print(f"--scale 的值“{args.scale}”超出范围，应为 1 到 100 之间的整数。")
        return 2
    started = time.perf_counter()
    try:
        summary = generate(args.out, args.scale)
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
