#!/usr/bin/env bash
# 安装、用自带的示例记录生成网站，并在 http://127.0.0.1:8000/ 预览（修改记录后自动刷新）。
# 地址在服务器真正应答后才显示。
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_CHROMIUM=1 bash scripts/setup.sh
# The bundled demo records show the whole of 2026, so the preview's "today" is pinned to 2026-12-31.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1798675200}
echo "[预览 $(date +%H:%M:%S)] 启动预览服务器（先生成网站，约 20–40 秒）"
exec .venv/bin/python -m generator serve --records records "$@"
