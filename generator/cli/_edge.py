"""The edge of every command: no traceback ever reaches a user.

Each command's ``run`` is called through :func:`guarded`. Expected failures become one Chinese
message with the path and a fix on stderr: a refused id or path (:class:`PathRefused`), file system
errors (``OSError``: missing, no permission, disk full, read-only), undecodable text, YAML errors in
machine-written files and the engines' coded errors. Exit codes (docs/security.md, README):

* 0: done, nothing wrong;
* 1: findings (records or a draw that do not pass), reported above;
* 2: usage or environment (bad argument, missing or unwritable path, disk full), nothing written;
* 130: interrupted (Ctrl-C);
* 141: the reader of standard output went away (``… | head``), stopped quietly.

An unexpected exception is still an error message (exit 2) that asks for a report; set
``SSJ_DEBUG=1`` to see the traceback when developing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from collections.abc import Callable

import yaml

from generator.cilog import install
from generator.paths import PathRefused

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141

_ERRNO = {
    errno.ENOENT: ("找不到", "请检查路径是否写对，或先创建它"),
    errno.EACCES: ("没有权限访问", "请换一个有读写权限的位置，或请管理员调整权限"),
    errno.EPERM: ("没有权限访问", "请换一个有读写权限的位置，或请管理员调整权限"),
    errno.ENOSPC: ("磁盘空间已满，无法写入", "请清理磁盘后重新运行；本次没有留下写了一半的文件"),
    errno.EDQUOT: ("磁盘配额已用完，无法写入", "请清理磁盘后重新运行；本次没有留下写了一半的文件"),
    errno.EROFS: ("所在的文件系统是只读的，无法写入", "请换一个可写的位置"),
    errno.EISDIR: ("是一个目录，不是文件", "请写出文件名"),
    errno.ENOTDIR: ("路径中有一段是文件而不是目录", "请检查路径"),
    errno.EEXIST: ("已存在", "请换一个名字，或先移走原有文件"),
    errno.ELOOP: ("是符号链接或链接循环，已拒绝", "请使用真实的文件或目录"),
    errno.ENAMETOOLONG: ("路径太长", "请使用较短的路径"),
    errno.EFBIG: (
        "文件超过系统允许的大小，无法写入",
        "请检查磁盘配额或“ulimit -f”的设置；本次没有留下写了一半的文件",
    ),
    errno.EIO: ("读写时磁盘出错", "请检查磁盘或网络文件夹是否正常连接后重试"),
    errno.EMFILE: ("打开的文件太多，无法读写", "请关闭其他程序后重试"),
    errno.ENFILE: ("打开的文件太多，无法读写", "请关闭其他程序后重试"),
    errno.EBUSY: ("正被占用，无法读写", "请关闭正在使用它的程序后重试"),
    errno.ETXTBSY: ("正被占用，无法读写", "请关闭正在使用它的程序后重试"),
    errno.ENXIO: ("不是普通文件或设备不存在", "请写出普通文件的路径"),
    errno.ENODEV: ("不是普通文件或设备不存在", "请写出普通文件的路径"),
    errno.ENOTEMPTY: ("目录不是空的", "请换一个位置，或先移走其中的文件"),
    errno.EXDEV: ("不能跨磁盘移动", "请把输出放在同一个磁盘上"),
}


def guarded(run: Callable[[object], int], args: object) -> int:
    saved = sys.stdout, sys.stderr, sys.unraisablehook
    install()  # on GitHub, record text printed below can never start a workflow command
    sys.unraisablehook = _unraisable
    try:
        code = _guarded(run, args)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            code = _pipe_closed()
        return code
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):
                stream.flush()
        sys.stdout, sys.stderr, sys.unraisablehook = saved


def _unraisable(info) -> None:
    """An error in a library's cleanup (openpyxl's sheet writer closing on a full disk) is reported by
    the interpreter as "Exception ignored in …" with a traceback, outside any ``except``. The command's
    own error already says what went wrong; the traceback is for developers (``SSJ_DEBUG=1``)."""
    if os.environ.get("SSJ_DEBUG") == "1":
        sys.__unraisablehook__(info)


def _pipe_closed() -> int:
    """The reader went away (``… | head``): stop quietly like any Unix tool, with 128 + SIGPIPE.

    Not an error message: nothing is wrong with the records or the paths. Standard output is pointed
    at /dev/null so the interpreter's final flush cannot complain either.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
        os.close(devnull)
    return EXIT_PIPE


# SOURCE_DATE_EPOCH pins every date a build prints; a value int() or the C library cannot take
# (``abc``, ``1e20``, ``-5``, beyond year 9999) is refused here, once, for every command.
_EPOCH = re.compile(r"[0-9]{1,12}")
_MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


def check_environment() -> None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return
    if not _EPOCH.fullmatch(epoch) or int(epoch) > _MAX_EPOCH:
        shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in epoch[:40])
        raise PathRefused(
            f"环境变量 SOURCE_DATE_EPOCH 的值“{shown}”无效，应为 0 到 {_MAX_EPOCH} 之间的整数秒数"
            "（如 1767225600 表示 2026-01-01）。请改正或删除该变量后重试。没有读写任何文件。"
        )


def _guarded(run: Callable[[object], int], args: object) -> int:
    try:
        check_environment()
        return int(run(args) or 0)
    except PathRefused as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        return _pipe_closed()
    except KeyboardInterrupt:
        print("已中断。写入中的文件没有替换原文件。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        return _fail(describe_os_error(exc))
    except UnicodeError as exc:
        return _fail(f"文件中有无法按 UTF-8 处理的内容（{_reason(exc)}）。请用 UTF-8 另存该文件后重试。")
    except yaml.YAMLError as exc:
        where = getattr(getattr(exc, "problem_mark", None), "name", "")
        return _fail(
            f"读取程序生成的 YAML 文件{('“' + where + '”') if where else ''}时出错，文件可能被手工改坏。"
            "请用 git 恢复该文件，或先运行 python -m generator validate 查看详情。"
        )
    except Exception as exc:  # noqa: BLE001 - the last line of defence, see module docstring
        if os.environ.get("SSJ_DEBUG") == "1":
            raise
        if type(exc).__name__ == "IllegalCharacterError":  # openpyxl, without importing it here
            text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in _reason(exc))
            print(
                f"记录中含有 Excel 无法保存的控制字符（{text}），没有写出文件。"
                "请运行 python -m generator validate 找到该单元格（TEXT_CONTROL_CHAR）并删除该字符。",
                file=sys.stderr,
            )
            return EXIT_FINDINGS
        coded = getattr(exc, "code", None), getattr(exc, "message", None)
        if isinstance(coded[0], str) and isinstance(coded[1], str):  # the engines' coded errors
            print(f"错误 {coded[0]}：{coded[1]}", file=sys.stderr)
            return EXIT_FINDINGS
        return _fail(
            f"程序内部错误（{type(exc).__name__}：{_reason(exc)}）。记录没有被改动。"
            "请把这条信息和所用命令报告给维护者（见 docs/security.md）；设置 SSJ_DEBUG=1 可查看详细信息。"
        )


def describe_os_error(exc: OSError) -> str:
    """A Chinese sentence for a file system error: the path, what went wrong and the fix."""
    # An errno without a sentence here is named by its symbol (EOVERFLOW), never the C library's English.
    symbol = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    what, fix = _ERRNO.get(exc.errno, (f"无法读写（系统错误 {symbol}）", "请检查路径、权限和磁盘"))
    message = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], str) else ""
    if message and not message.isascii():  # already a Chinese message from our own code
        return message
    path = exc.filename or ""
    if exc.filename2:
        path = f"{path} → {exc.filename2}"
    target = f"“{path}”" if path else ""
    return f"{target}{what}。{fix}。"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text[:200]


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_USAGE
