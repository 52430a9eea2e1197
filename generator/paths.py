"""Every path built from user input goes through here, and is checked before any file is touched.

Who controls the input: an official at a command line (ids, unit codes, ``--out``) or, through a
pull request, anyone who can open one. An id such as ``../../x`` or ``T2026-market-01/../../x``
must never become a path outside ``records/``; a typo in a unit code (``markt``) must not silently
create a new unit folder; and a command must not create a ``records/`` tree somewhere by accident.

Each check raises :class:`PathRefused` with a Chinese message naming the value and the fix; the CLI
prints it and exits with 2 (a usage error, nothing was written).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
from pathlib import Path

from generator.records.common import DRAW_ID, DRAW_ID_HINT, UNIT_ID, UNIT_ID_HINT
from generator.records.tasks import TASK_ID, TASK_ID_HINT

MAX_ID_LENGTH = 64


class PathRefused(Exception):
    """An id, unit or output path that must not become a path. ``str()`` is the Chinese message."""


def check_id(value: str, pattern: str, hint: str, what: str) -> str:
    """``value`` if it matches ``pattern`` in full (which excludes "/", ".." and control characters)."""
    if not isinstance(value, str) or len(value) > MAX_ID_LENGTH or not re.fullmatch(pattern, value):
        raise PathRefused(f"{what}“{_show(value)}”格式不对，应为{hint}。没有读写任何文件。")
    return value


def check_unit(unit: str) -> str:
    return check_id(unit, UNIT_ID, UNIT_ID_HINT, "单位代号")


def check_task(task: str) -> str:
    return check_id(task, TASK_ID, TASK_ID_HINT, "任务编号")


def check_draw(draw: str) -> str:
    return check_id(draw, DRAW_ID, DRAW_ID_HINT, "抽取编号")


def check_draw_or_task(name: str) -> str:
    if re.fullmatch(DRAW_ID, name or "") or re.fullmatch(TASK_ID, name or ""):
        return name
    raise PathRefused(
        f"“{_show(name)}”既不是抽取编号（{DRAW_ID_HINT}）也不是任务编号（{TASK_ID_HINT}）。没有读写任何文件。"
    )


def records_root(records: Path) -> Path:
    """A records tree a command may write into: it exists and has its ``county.yaml``."""
    if not records.is_dir():
        raise PathRefused(f"找不到记录目录“{records}”。请用 --records 指定记录目录（其中应有 county.yaml）。")
    if not (records / "county.yaml").is_file():
        raise PathRefused(
            f"“{records}”中没有 county.yaml，不像是记录目录，没有写入任何文件。"
            "请用 --records 指定正确的记录目录；新建记录目录请先运行 python -m generator sample 或复制示例。"
        )
    return records


def unit_folder(records: Path, unit: str) -> Path:
    """``records/units/<unit>`` for a unit that exists (has ``unit.yaml``); suggests the nearest."""
    check_unit(unit)
    records_root(records)
    folder = records / "units" / unit
    if not (folder / "unit.yaml").is_file():
        known = known_units(records)
        near = difflib.get_close_matches(unit, known, n=1, cutoff=0.6)
        hint = f"是否指“{near[0]}”？" if near else f"已有的单位：{'、'.join(known[:12]) or '无'}。"
        raise PathRefused(
            f"单位“{unit}”不存在（{folder}/unit.yaml 不存在）。{hint}"
            "新单位请先由县联席办添加 unit.yaml。没有写入任何文件。"
        )
    return inside(records, folder)  # a linked unit folder would lead the write elsewhere


def known_units(records: Path) -> list[str]:
    base = records / "units"
    if not base.is_dir():
        return []
    return sorted(p.parent.name for p in base.glob("*/unit.yaml") if re.fullmatch(UNIT_ID, p.parent.name))


def inside(records: Path, target: Path) -> Path:
    """``target`` if it stays inside ``records`` once resolved (links included), else refuse."""
    root = records.resolve()
    resolved = target.resolve()
    if resolved != root and root not in resolved.parents:
        raise PathRefused(f"目标路径“{target}”位于记录目录“{records}”之外，已拒绝。没有写入任何文件。")
    return target


def output_dir(out: Path, records: Path | None = None, what: str = "输出目录") -> Path:
    """A directory a command may (re)create wholesale: not a file, not / or home, not the records."""
    resolved = out.resolve()
    if out.exists() and not out.is_dir():
        raise PathRefused(f"{what}“{out}”已存在且是一个文件，不是目录。请换一个目录名（如 site）。")
    dangerous = {Path("/").resolve(), Path.home().resolve(), Path.cwd().resolve()}
    if resolved in dangerous:
        raise PathRefused(
            f"{what}“{out}”是根目录、主目录或当前目录，会被整个替换，已拒绝。请指定一个子目录，如 site。"
        )
    if records is not None:
        rec = records.resolve()
        if resolved == rec or resolved in rec.parents or rec in resolved.parents:
            raise PathRefused(
                f"{what}“{out}”与记录目录“{records}”重叠，已拒绝。请指定记录目录之外的目录，如 site。"
            )
    _writable_ancestor(out, what)
    return out


def replaceable_site(out: Path, what: str = "网站输出目录") -> Path:
    """``out`` may be replaced wholesale by a new build: missing, empty, or a site built before.

    ``build`` swaps the new site in and deletes whatever ``out`` held: ``--out docs`` (a typo for
    ``site``) or ``--out ~/桌面`` would otherwise delete a folder of the user's own files."""
    if out.is_dir() and any(out.iterdir()):
        if not ((out / "index.html").is_file() and (out / "404.html").is_file()):
            raise PathRefused(
                f"{what}“{out}”已存在，且里面不是本工具生成的网站（没有 index.html 和 404.html）。"
                "生成网站会整个替换这个目录、删除其中的文件，已拒绝。请指定一个新的或空的目录（如 site），"
                "或先把其中的文件移走。"
            )
    return out


def output_file(out: Path, what: str = "输出文件") -> Path:
    """A file a command may write: its folder exists and is writable, and it is not a directory."""
    if out.is_dir():
        raise PathRefused(f"{what}“{out}”是一个目录。请写出文件名，如 {out / 'export.xlsx'}。")
    _writable_ancestor(out, what)
    if out.exists() and not os.access(out, os.W_OK):
        raise PathRefused(f"没有权限写入{what}“{out}”。请换一个有写权限的位置，或关闭正在打开它的程序。")
    return out


def _writable_ancestor(out: Path, what: str) -> None:
    """The nearest existing ancestor of ``out`` is a writable directory (missing folders are made)."""
    ancestor = out.resolve().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise PathRefused(f"{what}“{out}”的路径中“{ancestor}”是一个文件，不是目录。请换一个位置。")
    if not os.access(ancestor, os.W_OK):
        raise PathRefused(f"没有权限在“{ancestor}”中写入（{what}“{out}”）。请换一个有写权限的位置。")


def _show(value: object, limit: int = 40) -> str:
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_file(path: Path, data: bytes | str) -> Path:
    """Put ``data`` at ``path`` whole or not at all: written to a temporary sibling, then renamed over.

    A full disk, a file-size limit or Ctrl-C leaves the previous file (an earlier export, a record)
    as it was and no temporary file beside it. The error carries the path, so the message names it.
    Text is written as UTF-8 with the newlines given."""
    tmp = stage_file(path, data)
    try:
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def stage_file(path: Path, data: bytes | str) -> str:
    """``data`` in a new temporary sibling of ``path`` (returned); nothing is left on failure."""
    import tempfile

    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


@contextlib.contextmanager
def held_interrupts():
    """Ctrl-C (SIGINT) during the block is delivered when it ends (main thread only; elsewhere a no-op)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)  # Python's own handler: KeyboardInterrupt here
        elif caught and previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)
