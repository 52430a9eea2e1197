#!/usr/bin/env bash
# 安装并运行全部测试：代码风格、生成文件是否过期、样例记录校验、抽取核验、pytest（含真实 Chromium）。
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1798675200}  # 2026-12-31, the demo year complete
echo "[测试 $(date +%H:%M:%S)] $(python -V)：代码风格、生成文件、示例记录校验与抽取核验"
ruff check .
ruff format --check .
python -m generator schemas --check
python -m generator validate --records records
python -m generator verify --records records
echo "[测试 $(date +%H:%M:%S)] $(python -V)：pytest 全部测试（约 3 分钟）"
python -m pytest -n 2 "$@"
