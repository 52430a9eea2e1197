#!/usr/bin/env bash
# 在本机其余的 Python 3.11/3.12/3.13 上各运行一遍快速测试（不含浏览器和整站构建的重测试），
# 每个解释器一个虚拟环境 .venv-3.x（按同一锁文件安装）。找不到的版本会说明并跳过。
#   SSJ_PYTHONS="python3.12 /opt/py313/bin/python3" bash scripts/test-pythons.sh   指定解释器
set -euo pipefail
cd "$(dirname "$0")/.."
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1798675200}
MAIN=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)

find_python() { # $1 = 3.12 → an interpreter of that version, or nothing
  local v=$1 candidate
  for candidate in ${SSJ_PYTHONS:-} "python$v" "$HOME"/.pyenv/versions/"$v".*/bin/python3 \
    /usr/bin/python"$v" /usr/local/bin/python"$v"; do
    if "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$v'.split('.'))))" \
      >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return
    fi
  done
}

for v in 3.11 3.12 3.13; do
  if [ "$v" = "$MAIN" ]; then
    echo "== Python $v：完整测试已在 .venv 上运行，这里不重复"
    continue
  fi
  PY=$(find_python "$v")
  if [ -z "$PY" ]; then
    echo "== Python $v：本机没有这个版本（找过 python$v、~/.pyenv/versions/$v.*），跳过"
    continue
  fi
  start=$SECONDS
  echo "== Python $v（$PY）：安装到 .venv-$v"
  PYTHON=$PY VENV=.venv-$v SKIP_CHROMIUM=1 bash scripts/setup.sh
  echo "== Python $v：快速测试（-m \"not browser and not heavy\"）"
  PATH="$PWD/.venv-$v/bin:$PATH" ".venv-$v/bin/python" -m pytest -n 2 -q -p no:cacheprovider \
    -m "not browser and not heavy"
  echo "== Python $v：用时 $((SECONDS - start)) 秒"
done
