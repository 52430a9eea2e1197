"""Read YAML and CSV record files while keeping the line and column of every value.

Officials must be told *where* a mistake is, so loading keeps a ``locs`` map from field path
(a tuple such as ``("entries", 2, "categories")``) to ``(line, column)``, 1-based. YAML is composed
into nodes first (PyYAML's safe composer) and converted by hand, which lets us report duplicate keys
instead of silently keeping the last one, as ``yaml.safe_load`` does.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import yaml

from generator.errors import Finding, finding

Path_ = tuple  # a field path: tuple of str keys and int indexes


@dataclass
class Loaded:
    """A parsed file: its value, where each value came from, and the problems met while reading."""

    value: object
    locs: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    malformed: set[int] = field(default_factory=set)  # CSV rows whose width is wrong

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


class _Loader(_BASE_LOADER):
    """The safe loader; we compose nodes and convert them ourselves to keep line marks."""


def load_yaml(text: str, file: str) -> Loaded:
    """Parse one YAML document; syntax errors and duplicate keys become findings, never exceptions."""
    loaded = Loaded(None)
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # e.g. control characters the YAML reader refuses
        loaded.findings.append(finding("YAML_SYNTAX", file, 1, 1, detail=_first_line(exc)))
        return loaded
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        detail = (exc.problem or exc.context or "无法解析").strip()
        loaded.findings.append(finding("YAML_SYNTAX", file, line, col, detail=_explain_yaml(detail)))
        return loaded
    except yaml.YAMLError as exc:  # e.g. a second document, or a bad character
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        loaded.findings.append(finding("YAML_SYNTAX", file, line, 1, detail=_first_line(exc)))
        return loaded
    finally:
        loader.dispose()
    if node is None:
        loaded.locs[()] = (1, 1)
        return loaded
    loaded.value = _convert(node, (), loaded, loader, file)
    return loaded


def _first_line(exc: Exception) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        return f"第 {exc.position + 1} 个字符是不允许的控制字符 U+{exc.character:04X}，请删除"
    text = str(exc).strip()
    return text.splitlines()[0] if text else "无法解析"


_YAML_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现“键: 值”，通常是上一行缩进不对或值中含有未加引号的冒号",
    "could not find expected ':'": "找不到应有的冒号“:”",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），YAML 只能用空格缩进",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "found undefined alias": "引用了未定义的锚点",
}


def _explain_yaml(problem: str) -> str:
    for english, chinese in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return chinese
    return problem


def _convert(node: yaml.Node, path: tuple, loaded: Loaded, loader: _Loader, file: str) -> object:
    loaded.locs.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader)
            if not isinstance(key, str | int):
                key = str(key)
            key_line = key_node.start_mark.line + 1
            if key in out:
                loaded.findings.append(
                    finding(
                        "YAML_DUPLICATE_KEY",
                        file,
                        key_line,
                        key_node.start_mark.column + 1,
                        path + (key,),
                        key,
                        first_line=first_seen[key],
                    )
                )
                continue
            first_seen[key] = key_line
            # The key's position is where an official looks for the field.
            loaded.locs[path + (key,)] = (key_line, key_node.start_mark.column + 1)
            out[key] = _convert(value_node, path + (key,), loaded, loader, file)
            loaded.locs[path + (key,)] = (key_line, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, path + (i,), loaded, loader, file) for i, child in enumerate(node.value)]
    return _scalar(node, loader)


def _scalar(node: yaml.Node, loader: _Loader) -> object:
    if isinstance(node, yaml.ScalarNode):
        try:
            return loader.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError):
            # e.g. an impossible date such as 2026-02-30: keep the text so the schema explains it.
            return node.value
    # A mapping or list used as a key: keep its text, the schema will reject it.
    return str(node.value)


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

    Paths are ``(row_index, header)``; locations point at the physical line (for a quoted cell that
    spans lines, the row's last line). Row width problems are findings.
    """
    loaded = CsvLoaded([])
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    try:
        for cells in reader:
            line = reader.line_num
            if header is None:
                header = [c.strip() for c in cells]
                loaded.header_line = line
                loaded.columns = {name: i + 1 for i, name in enumerate(header)}
                continue
            if not any(c.strip() for c in cells):
                continue  # blank lines are not rows
            index = len(rows)
            if len(cells) != len(header):
                loaded.findings.append(
                    finding("CSV_ROW_WIDTH", file, line, 1, "", "", found=len(cells), expected=len(header))
                )
                cells = (cells + [""] * len(header))[: len(header)]
                loaded.malformed.add(index)
            loaded.row_lines.append(line)
            rows.append(dict(zip(header, cells, strict=True)))
    except csv.Error as exc:
        loaded.findings.append(finding("CSV_SYNTAX", file, reader.line_num, 1, detail=str(exc)))
    loaded.value = rows
    return loaded
