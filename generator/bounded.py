"""Bounded reads of the files commands open one by one (the draw registry), outside ``corpus.load``.

``draw``, ``verify``, ``accept``, ``beacon`` and the site read ``request.yaml``, ``result.yaml``,
``pool-internal.json`` … directly. Those files arrive by pull request like any record, so they get
the same protection as the loader: ``lstat`` first (no links, FIFOs or devices, also among the
``parents`` folders above the file), a size cap checked before reading, and the limited YAML loader
(no anchors, tags or deep nesting). JSON gets a size cap, a depth cap and no NaN/Infinity.

A refusal raises :class:`FileRefused`, which carries a finding; the command edge prints it as
``错误 CODE：file: message`` and exits 1 (the records are at fault, not the environment).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from generator.errors import Finding, finding

MAX_JSON_BYTES = 256 * 2**20  # frozen pools of a very large county are tens of MB
MAX_JSON_DEPTH = 50  # pool files nest 4 levels


class FileRefused(Exception):
    """A file that may not be read, or whose content breaks a limit; ``finding`` says which."""

    def __init__(self, found: Finding):
        super().__init__(found.render())
        self.finding = found
        self.code = found.code
        self.message = f"{found.where()}: {found.message}"


def read_bytes(path: Path, limit: int | None = None, parents: int = 0) -> bytes:
    """The bytes of a regular file under the loader's rules; ``parents`` folders above it must be
    real directories too (a linked ``draws/2026`` would lead the reader anywhere)."""
    from generator.corpus import _refusal, read_record_bytes  # corpus imports the rules; keep it lazy

    shown = str(path)
    for folder in list(Path(path).parents)[:parents]:
        try:
            mode = os.lstat(folder).st_mode
        except OSError:
            break  # a missing folder: the open below reports it
        if not stat.S_ISDIR(mode):
            raise FileRefused(_refusal(folder, str(folder)))
    data, refused = read_record_bytes(Path(path), shown, limit=limit)
    if refused is not None:
        if refused.code == "FILE_SPECIAL" and not os.path.lexists(path):
            raise FileNotFoundError(2, "No such file or directory", shown)
        raise FileRefused(refused)
    return data


def read_yaml(path: Path, parents: int = 0) -> dict:
    """A YAML mapping read with the record loader's limits; an empty file is ``{}``."""
    return read_yaml_marked(path, parents)[0]


def read_text(path: Path, parents: int = 0) -> str:
    """The text of a file under the loader's rules (UTF-8, a BOM tolerated, line ends as LF)."""
    from generator.sources import decode

    text, problems = decode(read_bytes(path, parents=parents), str(path))
    if text is None:
        raise FileRefused(problems[0])
    return text


def read_yaml_marked(path: Path, parents: int = 0, text: str | None = None):
    """``(mapping, loaded)``: the mapping and the ``sources.Loaded`` with every value's line;
    ``text`` when the file was already read (``read_text``) under the same rules."""
    from generator.sources import load_yaml

    shown = str(path)
    if text is None:
        text = read_text(path, parents)
    loaded = load_yaml(text, shown)
    if loaded.findings:
        raise FileRefused(loaded.findings[0])
    value = loaded.value
    if value is None:
        return {}, loaded
    if not isinstance(value, dict):
        shape = "列表" if isinstance(value, list) else f"单个值“{value}”"
        raise FileRefused(finding("YAML_NOT_MAPPING", shown, 1, 1, value="", detail=shape, kind="…"))
    return value, loaded


def read_json(path: Path, parents: int = 0) -> dict:
    """A JSON object with a size cap, a depth cap and only finite numbers."""
    shown = str(path)
    data = read_bytes(path, limit=MAX_JSON_BYTES, parents=parents)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            finding("FILE_ENCODING", shown, detail=f"第 {exc.start + 1} 个字节无法按 UTF-8 解码")
        ) from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise FileRefused(finding("JSON_SYNTAX", shown, exc.lineno, exc.colno, detail=exc.msg)) from None
    except (ValueError, RecursionError) as exc:  # NaN/Infinity, an int too long to convert, deep nesting
        detail = "嵌套过深" if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:120]
        raise FileRefused(finding("JSON_SYNTAX", shown, 1, 1, detail=detail)) from None
    if not isinstance(value, dict):
        raise FileRefused(finding("JSON_SYNTAX", shown, 1, 1, detail="顶层应是对象（{…}）"))
    over = _marks_depth_over(data, MAX_JSON_DEPTH)
    if over is None:
        over = _depth_over(value, MAX_JSON_DEPTH)
    if over:
        raise FileRefused(finding("YAML_TOO_DEEP", shown, 1, 1, limit=MAX_JSON_DEPTH))
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"不允许的数值 {name}")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"数值 {text[:40]} 超出范围")
    return value


_NOT_MARKS = bytes(b for b in range(256) if b not in b'"[]{}')  # (no UTF-8 sequence holds these bytes)
_AS_LIST = bytes.maketrans(b"{}", b"[]")


def _marks_depth_over(data: bytes, limit: int) -> bool | None:
    """``_depth_over`` of the value ``json.loads`` parsed from ``data``, told from its brackets in C
    loops (half the walk's time on a county's pools), or None when the bytes cannot tell.

    With no backslash, no string holds a quote: each is ``"…"``. Keeping only quotes and brackets,
    a string without brackets becomes ``""`` and is removed; if a quote is left, some string holds
    a bracket (None). What remains are the containers' brackets, and each pass removing every
    innermost ``[]`` (a ``{}`` read as one) takes one level off every container.
    ``tests/test_bounded_reads.py`` holds it equal to the walk on hostile values."""
    if b"\\" in data:
        return None
    marks = data.translate(None, _NOT_MARKS).replace(b'""', b"")
    if b'"' in marks:
        return None
    marks = marks.translate(_AS_LIST)
    for _ in range(limit):
        if not marks:
            return False
        marks = marks.replace(b"[]", b"")
    return bool(marks)


def _depth_over(value: object, limit: int) -> bool:
    """Whether containers nest deeper than ``limit``: one level at a time (iterative, so deep input
    cannot recurse here; a comprehension per level is ~6x faster than a stack of (item, depth)
    pairs on a county's frozen pools). ``json.loads`` makes exact dicts and lists only."""
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [
            child
            for item in level
            for child in (item.values() if type(item) is dict else item)
            if type(child) is dict or type(child) is list
        ]
    return False
