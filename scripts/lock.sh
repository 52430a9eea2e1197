#!/usr/bin/env bash
# 重新生成依赖锁文件 requirements/lock.txt（带哈希，Python 3.11–3.13 通用）。
# 修改 pyproject.toml 的依赖后运行：bash scripts/lock.sh，然后提交 requirements/lock.txt。
# 需要访问 PyPI；uv 装在一次性的 .venv-lock/ 里，不进入项目环境。
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-lock/bin/uv ]; then
  echo "[锁文件] 安装 uv 到 .venv-lock/（约 10 秒）"
  "${PYTHON:-python3}" -m venv .venv-lock
  .venv-lock/bin/python -m pip install --quiet uv
fi
echo "[锁文件] 解析依赖并写入 requirements/lock.txt（约 5 秒）"
.venv-lock/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
  --extra test --custom-compile-command "bash scripts/lock.sh" \
  pyproject.toml requirements/build.in -o requirements/lock.txt
echo "[锁文件] 完成；请检查 git diff requirements/lock.txt 后提交"
