#!/usr/bin/env bash
# 安装并运行全部测试：代码风格、生成文件是否过期、样例记录校验、抽取核验、pytest（含真实 Chromium）。
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1798675200}  # 2026-12-31, the demo year complete
ruff check .
ruff format --check .
python -m generator schemas --check
python -m generator validate --records records
python -m generator verify --records records
python -m pytest -n 2 "$@"
