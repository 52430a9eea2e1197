#!/usr/bin/env bash
# 安装本项目需要的一切（可重复运行）：.venv 虚拟环境、按锁文件（带哈希）安装的依赖、本项目本身，
# 以及浏览器测试用的 Chromium（Debian 用 apt，Ubuntu 用 snap；找不到时说明怎么装）。
#   PYTHON=python3.13 bash scripts/setup.sh   指定解释器（3.11–3.13）
#   VENV=.venv-3.13 bash scripts/setup.sh      指定虚拟环境目录
#   SKIP_CHROMIUM=1 bash scripts/setup.sh      不检查 Chromium（只预览网站时）
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
LOCK=requirements/lock.txt
step() { printf '[安装 %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# Run a long command quietly with a heartbeat every 20 s; on failure show the end of its log.
with_heartbeat() {
  local what=$1 log
  shift
  log=$(mktemp)
  "$@" >"$log" 2>&1 &
  local pid=$! ticks=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    ticks=$((ticks + 1))
    if ((ticks % 20 == 0)) && kill -0 "$pid" 2>/dev/null; then
      step "……仍在${what}（已 ${ticks} 秒）"
    fi
  done
  if ! wait "$pid"; then
    grep -v "^WARNING: Location" "$log" | tail -n 30 >&2
    rm -f "$log"
    step "${what}失败（上面是最后的输出）。网络不通时请检查能否访问 PyPI，然后重新运行本脚本。" >&2
    exit 1
  fi
  rm -f "$log"
}

supported() { "$1" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 13)))' 2>/dev/null; }

pick_python() {
  if [ -n "${PYTHON:-}" ]; then
    supported "$PYTHON" && { echo "$PYTHON"; return; }
    echo "PYTHON=$PYTHON 不是 Python 3.11–3.13。" >&2
    return 1
  fi
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && supported "$candidate"; then
      echo "$candidate"
      return
    fi
  done
  echo "找不到 Python 3.11、3.12 或 3.13。Debian/Ubuntu：sudo apt-get install python3 python3-venv" >&2
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  PY=$(pick_python)
  step "创建虚拟环境 $VENV（$("$PY" -V 2>&1)，约 10 秒）"
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    echo "无法创建虚拟环境。Debian/Ubuntu 请先安装：sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi
if ! supported "$VENV/bin/python"; then
  echo "$VENV 里的 Python 不是 3.11–3.13（$("$VENV/bin/python" -V 2>&1)）。删除 $VENV 后重新运行本脚本。" >&2
  exit 1
fi

# Reinstall only when the lock file or the interpreter changed since the last successful install.
STAMP="$VENV/.installed-lock"
WANT="$(sha256sum "$LOCK" | cut -c1-64) $("$VENV/bin/python" -V 2>&1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  step "安装依赖（按 $LOCK 的固定版本并校验哈希；首次约 2–3 分钟，下载约 150 MB）"
  with_heartbeat "安装依赖" "$VENV/bin/python" -m pip install --quiet --no-input --no-compile --require-hashes \
    --no-deps -r "$LOCK"
  step "安装本项目（可编辑模式，约 5 秒）"
  with_heartbeat "安装本项目" "$VENV/bin/python" -m pip install --quiet --no-input --no-deps \
    --no-build-isolation --no-index -e .
  echo "$WANT" >"$STAMP"
else
  step "依赖已是最新（$LOCK 未变），跳过安装"
fi

if [ "${SKIP_CHROMIUM:-0}" != "1" ]; then
  if ! CHROME=$("$VENV/bin/python" -m tests.support.browser 2>/dev/null); then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    . /etc/os-release 2>/dev/null || true
    if [ "${ID:-}" = "ubuntu" ] && command -v snap >/dev/null 2>&1; then
      step "安装 Chromium（Ubuntu：snap install chromium，约 1 分钟）"
      with_heartbeat "安装 Chromium" $SUDO snap install chromium
    elif command -v apt-get >/dev/null 2>&1 && [ "${ID:-}" != "ubuntu" ]; then
      step "安装 Chromium（apt-get install chromium，约 1–2 分钟）"
      with_heartbeat "更新软件包列表" $SUDO apt-get update -qq
      with_heartbeat "安装 Chromium" env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
    fi
    CHROME=$("$VENV/bin/python" -m tests.support.browser) || exit 1
  fi
  step "浏览器测试使用 Chromium：$CHROME"
fi
step "完成。在新的终端里运行本项目命令：./ssj validate（或先 source $VENV/bin/activate）"
