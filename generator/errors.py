"""Findings: every problem the generator reports, with a stable code and a Chinese message.

Modelled on frictionless-py and lib-cove: each kind of problem has a *code* that never changes, a
severity and a message template. Tests compare ``(code, file, line)`` tuples; a few pin the exact
wording. The templates live in ``generator/catalog/`` so that the docs test can list them all.

A finding is collected, never raised: validation gathers everything and the CLI decides the exit
code at the end (exit 1 when any error remains).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.catalog import CATALOG, ERROR, WARNING

__all__ = ["ERROR", "WARNING", "Finding", "Findings", "format_path", "finding"]


def format_path(path: Iterable[object]) -> str:
    """Render a field path the way an official reads it: ``entries[2].categories``.

    >>> format_path(("entries", 2, "categories"))
    'entries[3].categories'
    >>> format_path(())
    ''

    Indexes are shown 1-based because the people reading them count rows from one.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``line``/``column`` are 1-based; 0 means "the whole file"."""

    code: str
    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    value: str = ""
    message: str = ""
    severity: str = ERROR

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.code, self.file, self.line)

    def where(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file

    def render(self) -> str:
        label = "错误" if self.severity == ERROR else "警告"
        field_part = f" [{self.path}]" if self.path else ""
        line = f"{self.where()}: {label} {self.code}{field_part} {self.message}"
        return line if line.isprintable() else "".join(_visible(c) for c in line)


def display(value: object) -> str:
    """A value as a clerk reads it, never a Python repr: lists joined with 、, mappings as 键：值,
    booleans as 是/否, nothing for None.

    >>> display(["a", 1]), display({"x": [1, 2]}), display(True), display(None)
    ('a、1', 'x：1、2', '是', '')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return "、".join(display(v) for v in items)
    if isinstance(value, dict):
        return "，".join(f"{display(k)}：{display(v)}" for k, v in value.items())
    return str(value)


def _shorten(value: object, limit: int = 60) -> str:
    """The bad value as it is shown: at most ``limit`` characters, control and format characters
    (line breaks, NUL, bidi overrides) made visible so a value can never start a line of its own in
    a terminal or a CI log.

    >>> _shorten("a\\n::error::x\\u202e")
    'a\\\\n::error::x\\\\u202e'
    """
    text = display(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text if text.isprintable() else "".join(_visible(c) for c in text)


def _visible(char: str) -> str:
    if char.isprintable():
        return char
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")


def github_data(text: str) -> str:
    """Escape the message part of a GitHub workflow command (``::error ...::<data>``).

    >>> github_data("50% done\\r\\n::stop-commands::x")
    '50%25 done%0D%0A::stop-commands::x'
    """
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # ESC (colours and hides CI log text), other controls and the surrogates a non-UTF-8 file name
    # decodes to (unprintable, and unencodable on output) are shown as \\uXXXX instead.
    return text if text.isprintable() else "".join(_visible(c) for c in text)


def github_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``): also ``:`` and ``,``.

    >>> github_property("a,b:c")
    'a%2Cb%3Ac'
    """
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def draw_warning(code: str, file: object, message: str) -> str:
    """A GitHub ``::warning`` line about one draw, pointing at ``file`` (its request), every part
    escaped: the message may quote record text or an exception.

    >>> draw_warning("X_Y", "draws/2026/D2026-0001/request.yaml", "a\\n::error::b")
    '::warning file=draws/2026/D2026-0001/request.yaml,line=1,title=X_Y::a%0A::error::b'
    """
    where = github_property(str(file))
    return f"::warning file={where},line=1,title={github_property(code)}::{github_data(message)}"


def github_annotation(f: Finding, kind: str, column: bool = True) -> str:
    """One ``::error``/``::warning`` line for a finding, every part escaped."""
    col = f",col={f.column or 1}" if column else ""
    props = f"file={github_property(f.file)},line={f.line or 1}{col},title={github_property(f.code)}"
    return f"::{kind} {props}::{github_data(f.message)}"


def finding(
    code: str,
    file: str,
    line: int = 0,
    column: int = 0,
    path: Iterable[object] | str = (),
    value: object = None,
    **params: object,
) -> Finding:
    """Build a finding from the catalog template for ``code``.

    Unknown placeholders are a programming error and fail loudly in tests, not at a user's desk.
    """
    entry = CATALOG[code]
    shown = _shorten(value)
    path_text = path if isinstance(path, str) else format_path(path)
    message = entry.template.format(value=shown, path=path_text, **{k: display(v) for k, v in params.items()})
    return Finding(code, file, line, column, path_text, shown, message, entry.severity)


@dataclass
class Findings:
    """An ordered, de-duplicated collection of findings."""

    items: list[Finding] = field(default_factory=list)
    _seen: set[Finding] = field(default_factory=set, repr=False)

    def add(self, item: Finding) -> None:
        if item not in self._seen:
            self._seen.add(item)
            self.items.append(item)

    def extend(self, items: Iterable[Finding]) -> None:
        for item in items:
            self.add(item)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == WARNING]

    def keys(self) -> list[tuple[str, str, int]]:
        return [f.key for f in self.items]

    def sorted(self) -> list[Finding]:
        return sorted(self.items, key=lambda f: (f.file, f.line, f.column, f.code, f.path))

    def grouped(self, threshold: int = 3) -> list[str]:
        """Render findings, folding runs of the same code and message in one file.

        Repeats are grouped (lib-cove style) so a CSV with 500 identical mistakes gives one readable
        line with the first few row numbers instead of 500 lines.
        """
        buckets: dict[tuple[str, str, str, str], list[Finding]] = defaultdict(list)
        order: list[tuple[str, str, str, str]] = []
        for f in self.sorted():
            # Group by what is wrong, not by the bad value, so each distinct value is still shown once.
            entry = CATALOG.get(f.code)  # other packages' codes group by their message
            template_key = entry.template.split("{")[0] if entry else f.message
            bucket = (f.file, f.code, f.severity, template_key)
            if bucket not in buckets:
                order.append(bucket)
            buckets[bucket].append(f)
        lines: list[str] = []
        for bucket in order:
            group = buckets[bucket]
            if len(group) < threshold:
                lines.extend(f.render() for f in group)
                continue
            first = group[0]
            lines.append(first.render() + group_note(group))
        return lines


def group_note(group: list[Finding], shown: int = 8) -> str:
    """The note after a folded group: how many, and the first line numbers ("等" only after a list).

    >>> group_note([Finding("X", "f", n) for n in range(1, 11)])
    '（同类问题共 10 处，行号：1、2、3、4、5、6、7、8 等）'
    >>> group_note([Finding("X", "f", n) for n in (3, 5, 9)])
    '（同类问题共 3 处，行号：3、5、9）'
    >>> group_note([Finding("X", "f") for _ in range(4)])
    '（同类问题共 4 处）'
    """
    lines = sorted({f.line for f in group if f.line})
    if not lines:
        return f"（同类问题共 {len(group)} 处）"
    where = "、".join(str(n) for n in lines[:shown]) + (" 等" if len(lines) > shown else "")
    return f"（同类问题共 {len(group)} 处，行号：{where}）"
