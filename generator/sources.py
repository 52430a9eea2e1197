"""Read YAML and CSV record files while keeping the line and column of every value.

Officials must be told *where* a mistake is, so loading keeps a ``locs`` map from field path
(a tuple such as ``("entries", 2, "categories")``) to ``(line, column)``, 1-based. YAML is composed
into nodes first (PyYAML's safe composer) and converted by hand, which lets us report duplicate keys
instead of silently keeping the last one, as ``yaml.safe_load`` does.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from generator.errors import Finding, finding
from generator.private_data import TEXT_CONTROL_CLASS
from generator.spreadsheet_text import FORMULA_CHARS, is_risky
from generator.yamlerrors import explain, explain_reader

Path_ = tuple  # a field path: tuple of str keys and int indexes


@dataclass
class Loaded:
    """A parsed file: its value, where each value came from, and the problems met while reading."""

    value: object
    locs: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    malformed: set[int] = field(default_factory=set)  # CSV rows whose width is wrong
    # YAML plain scalars read as a number or date whose text differs from what was written
    scalars: dict[tuple, str] = field(default_factory=dict)

    def loc(self, path: tuple) -> tuple[int, int]:
        """The closest known location of ``path`` (falls back to its parents, then the file)."""
        while path:
            if path in self.locs:
                return self.locs[path]
            path = path[:-1]
        return self.locs.get((), (1, 1))


def decode(data: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """UTF-8 (a BOM is tolerated) or a clear FILE_ENCODING error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [finding("FILE_ENCODING", file, detail=f"第 {exc.start + 1} 个字节无法按 UTF-8 解码")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


# libyaml's parser (when PyYAML was built with it) composes nodes ~10x faster and keeps the same marks.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Limits: records are flat forms; anything deeper or larger is a mistake or an attack.
MAX_DEPTH = 50  # nesting of mappings/lists (real records use at most 5)
MAX_NODES = 500_000  # values in one YAML file
MAX_CSV_ROWS = 200_000
MAX_CSV_COLUMNS = 200

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_CONVERTED = {_STD + t for t in ("int", "float", "timestamp")}
_STR = _STD + "str"
# YAML 1.1 number forms that YAML 1.2 (and every spreadsheet) reads differently.
_YAML11_NUMBER = re.compile(r"[-+]?(0[0-7_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|.*_.*)")


# The first characters the safe loader's implicit resolvers are keyed by (digits, signs, y/n/t/f/o,
# ~, …): a plain scalar starting otherwise, like most record values (Chinese words), is text.
_RESOLVED_FIRST = frozenset(_BASE_LOADER.yaml_implicit_resolvers)
_PLAIN_RESOLVE = None not in _RESOLVED_FIRST and not _BASE_LOADER.yaml_path_resolvers


class _Loader(_BASE_LOADER):
    """The safe loader; we compose nodes and convert them ourselves to keep line marks."""

    def resolve(self, kind, value, implicit):
        # What BaseResolver.resolve returns for a quoted scalar or one no resolver is keyed by,
        # without its lookups: called for each of a county's ~5 million values
        # (tests/test_loader_limits.py compares the two on every kind of scalar)
        if (
            kind is yaml.ScalarNode
            and _PLAIN_RESOLVE
            and (not implicit[0] or value[:1] not in _RESOLVED_FIRST)
        ):
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def load_yaml(text: str, file: str) -> Loaded:
    """Parse one YAML document; syntax errors, duplicate keys, anchors, tags and excessive nesting
    become findings, never exceptions."""
    loaded = Loaded(None)
    if ("&" in text or "*" in text) and _anchors(text, file, loaded):
        return loaded
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # control characters the YAML reader refuses
        line, col, detail = explain_reader(exc, text)
        loaded.findings.append(finding("YAML_SYNTAX", file, line, col, detail=detail))
        return loaded
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line, col, detail = explain_reader(exc, text)
        loaded.findings.append(finding("YAML_SYNTAX", file, line, col, detail=detail))
        return loaded
    except yaml.MarkedYAMLError as exc:
        line, col, detail = explain(exc, text)
        loaded.findings.append(finding("YAML_SYNTAX", file, line, col, detail=detail))
        return loaded
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        detail = f"无法解析，请检查缩进、冒号和引号（解析器原文：{_first_line(exc)}）"
        loaded.findings.append(finding("YAML_SYNTAX", file, line, 1, detail=detail))
        return loaded
    finally:
        loader.dispose()
    if node is None:
        loaded.locs[()] = (1, 1)
        return loaded
    walk = _Walk(loaded, loader, file)
    try:
        loaded.value = walk.convert(node, (), 0)
    except _TooBig as stop:
        loaded.findings.append(stop.found)
        loaded.value = None
    return loaded


def _anchors(text: str, file: str, loaded: Loaded) -> bool:
    """Refuse anchors and aliases (the "billion laughs" bomb needs them; records never do)."""
    found = []
    try:
        for event in yaml.parse(text, Loader=_BASE_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                found.append(finding("YAML_ANCHOR", file, mark.line + 1, mark.column + 1, value=event.anchor))
                if len(found) >= 5:
                    break
    except (yaml.YAMLError, RecursionError):
        return False  # the composer will report the syntax error with its translation
    loaded.findings.extend(found)
    return bool(found)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _TooBig(Exception):
    def __init__(self, found: Finding):
        self.found = found


class _Walk:
    """Converts composed nodes to Python values, keeping marks and enforcing the limits."""

    def __init__(self, loaded: Loaded, loader: _Loader, file: str):
        self.loaded, self.loader, self.file = loaded, loader, file
        self.count = 0

    def convert(self, node: yaml.Node, path: tuple, depth: int) -> object:
        loaded, file = self.loaded, self.file
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        loaded.locs.setdefault(path, (line, col))
        self.count += 1
        if depth > MAX_DEPTH:
            raise _TooBig(finding("YAML_TOO_DEEP", file, line, col, path[:2], limit=MAX_DEPTH))
        if self.count > MAX_NODES:
            raise _TooBig(finding("FILE_TOO_LARGE", file, line, col, path[:2], limit=f"{MAX_NODES} 个值"))
        if node.tag not in _ALLOWED_TAGS:
            shown = "!!" + node.tag[len(_STD) :] if node.tag.startswith(_STD) else node.tag
            loaded.findings.append(finding("YAML_TAG", file, line, col, path, shown))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: tuple, depth: int) -> dict:
        loaded, file = self.loaded, self.file
        out: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            key_line, key_col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                loaded.findings.append(finding("YAML_KEY_NOT_TEXT", file, key_line, key_col, path, "…"))
                continue
            key = self._scalar(key_node, None)
            if not isinstance(key, str) and (isinstance(key, bool) or not isinstance(key, int)):
                key = key_node.value  # `yes:`, `null:` or `1.5:` as a key: keep what was written
            if key in out:
                loaded.findings.append(
                    finding(
                        "YAML_DUPLICATE_KEY",
                        file,
                        key_line,
                        key_col,
                        path + (key,),
                        key,
                        first_line=first_seen[key],
                    )
                )
                continue
            first_seen[key] = key_line
            # The key's position is where an official looks for the field.
            loaded.locs[path + (key,)] = (key_line, key_col)
            out[key] = self.convert(value_node, path + (key,), depth + 1)
            loaded.locs[path + (key,)] = (key_line, key_col)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: tuple | None) -> object:
        if node.tag == _STR:  # what SafeConstructor.construct_yaml_str returns, without its
            return node.value  # bookkeeping: most of a county's 5 million values are text
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError, OverflowError):
            # e.g. an impossible date such as 2026-02-30: keep the text so the schema explains it.
            return node.value
        if path is not None and not node.style and node.tag in _CONVERTED:
            if _canonical(value) != node.value:
                self.loaded.scalars[path] = node.value
        return value


def _canonical(value: object) -> str:
    """The text a text field would receive (``str``), to compare with what was written."""
    try:
        return str(value)
    except ValueError:  # an int too long to print
        return ""


def is_yaml11_number(text: str) -> bool:
    """Number forms YAML 1.1 converts but YAML 1.2 and spreadsheets do not (010, 1:30, 1_000, 0b1).

    >>> [is_yaml11_number(t) for t in ("010", "1:30", "1_000", "10", "0x1F", "1.5e3")]
    [True, True, True, False, False, False]
    """
    return _YAML11_NUMBER.fullmatch(text) is not None


@dataclass
class CsvLoaded(Loaded):
    """CSV locations are computed from the row's line and the column's position, not stored per cell."""

    header_line: int = 1
    row_lines: list[int] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # header cell or field name -> column

    def loc(self, path: tuple) -> tuple[int, int]:
        if not path:
            return (1, 1)
        head = path[0]
        if head == "header":
            return (self.header_line, path[1] + 1 if len(path) > 1 else 1)
        if isinstance(head, int) and head < len(self.row_lines):
            column = self.columns.get(path[1], 1) if len(path) > 1 else 1
            return (self.row_lines[head], column)
        return (1, 1)


def load_csv(text: str, file: str) -> CsvLoaded:
    """Parse CSV into a list of ``{header: cell}`` rows.

    Paths are ``(row_index, header)``; locations point at the physical line where the row starts
    (a quoted cell may span lines). Row width, an unclosed quote and size limits are findings.
    """
    loaded = CsvLoaded([])
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    previous_end = 0
    last_line = text.count("\n") + (not text.endswith("\n"))
    try:
        for cells in reader:
            start, line = previous_end + 1, reader.line_num
            previous_end = line
            if header is None:
                if len(cells) > MAX_CSV_COLUMNS:
                    loaded.findings.append(
                        finding("FILE_TOO_LARGE", file, start, 1, value="", limit=f"{MAX_CSV_COLUMNS} 列")
                    )
                    break
                header = [c.strip() for c in cells]
                loaded.header_line = start
                loaded.columns = {name: i + 1 for i, name in enumerate(header)}
                continue
            if not any(c.strip() for c in cells):
                continue  # blank lines are not rows
            if line > start and line == last_line and _open_quote(text, start):
                loaded.findings.append(finding("CSV_QUOTE_UNCLOSED", file, start, 1, value="", end=line))
                break
            if len(rows) >= MAX_CSV_ROWS:
                loaded.findings.append(
                    finding("FILE_TOO_LARGE", file, start, 1, value="", limit=f"{MAX_CSV_ROWS} 行")
                )
                break
            index = len(rows)
            if len(cells) != len(header):
                loaded.findings.append(
                    finding("CSV_ROW_WIDTH", file, start, 1, "", "", found=len(cells), expected=len(header))
                )
                cells = (cells + [""] * len(header))[: len(header)]
                loaded.malformed.add(index)
            loaded.row_lines.append(start)
            rows.append(dict(zip(header, cells, strict=True)))
    except csv.Error as exc:
        detail = str(exc)
        if "field larger than field limit" in detail:
            detail = f"一个单元格超过 {csv.field_size_limit()} 个字符，可能是引号没有闭合"
        loaded.findings.append(finding("CSV_SYNTAX", file, previous_end + 1, 1, detail=detail))
    loaded.value = rows
    if _CONTROL.search(text):
        loaded.findings.extend(_control_chars(text, file))
    if header is not None and _FORMULA_QUICK.search(text):
        loaded.findings.extend(_formula_cells(header, rows, loaded.row_lines, file))
    return loaded


# A record CSV is the file a clerk, a reviewer or anyone browsing the repository opens in Excel or
# WPS: a cell starting like a formula runs there (``=HYPERLINK(…)`` becomes a live link, a DDE
# payload a command). ``import`` refuses such a cell (IMPORT_CELL_FORMULA_TEXT); written into the
# CSV by hand it must not pass either. Same test as the importer's: ``= + - @`` (or their full-width
# forms) followed by something, except plain numbers and dashes (``-5``, ``+3%``, ``--``).
_FORMULA_QUICK = re.compile(
    r'(?m)(?:^|,)"?[\s\u00ad\u200b-\u200f\u2060-\u2064\ufeff]*[' + re.escape(FORMULA_CHARS) + "]"
)
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?|-+")


def _plain(text: str) -> str:
    """``text`` with compatibility forms folded (``－５`` is a plain number too)."""
    return unicodedata.normalize("NFKC", text).strip()


def _formula_cells(header: list[str], rows: list[dict], lines: list[int], file: str, limit: int = 5):
    out = []
    for index, row in enumerate(rows):
        for column, name in enumerate(header, start=1):
            cell = row.get(name)
            text = cell.strip() if isinstance(cell, str) else ""
            if is_risky(text) and len(text) > 1 and not _PLAIN_NUMBER.fullmatch(_plain(text)):
                shown = _CONTROL.sub("\ufffd", text)
                out.append(
                    finding(
                        "TEXT_FORMULA_START",
                        file,
                        lines[index],
                        column,
                        value=shown if len(shown) <= 40 else shown[:39] + "…",
                        first=text[0],
                    )
                )
                if len(out) >= limit:
                    return out
    return out


# Controls, bidi and invisible format characters (private_data.TEXT_CONTROL_CLASS): invisible in a
# spreadsheet, they corrupt the pages, exports and search index built from the cell, reorder what a
# reader sees, or split a number past the privacy scan (rules/text_chars.py).
_CONTROL = re.compile(f"[{TEXT_CONTROL_CLASS}\u2028\u2029]")


def _control_chars(text: str, file: str, limit: int = 5) -> list[Finding]:
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        m = _CONTROL.search(line)
        if m:
            out.append(
                finding(
                    "TEXT_CONTROL_CHAR",
                    file,
                    number,
                    m.start() + 1,
                    value=_CONTROL.sub(
                        lambda c: f"\\x{ord(c[0]):02x}" if ord(c[0]) < 0x100 else f"\\u{ord(c[0]):04x}", line
                    )[:40],
                    char=f"U+{ord(m[0]):04X}",
                )
            )
            if len(out) >= limit:
                break
    return out


def _open_quote(text: str, start_line: int) -> bool:
    """Whether the row starting at ``start_line`` opens a quote that is never closed.

    Python's csv reader (non-strict) silently swallows everything after a stray quote into one
    cell up to the end of the file; an odd number of quote characters from the row's start to the
    end of the file is that situation.
    """
    offset = 0
    for _ in range(start_line - 1):
        offset = text.index("\n", offset) + 1
    return text.count('"', offset) % 2 == 1
