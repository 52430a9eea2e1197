#!/usr/bin/env bash
# 安装、用自带的示例记录生成网站，并在 http://127.0.0.1:8000/ 预览（修改记录后自动刷新）。
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_CHROMIUM=1 bash scripts/setup.sh
. .venv/bin/activate
# The bundled demo records show the whole of 2026, so the preview's "today" is pinned to 2026-12-31.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1798675200}
python -m generator build --records records --out site
exec python -m generator serve --records records "$@"
