"""Text echoed into CI logs cannot become a workflow command.

GitHub Actions treats any output line starting with ``::`` (after leading spaces) as a command:
``::error``, ``::add-mask::``, ``::stop-commands::<token>`` (which turns off the annotations that
report problems). Record text reaches stdout in many places (reports, findings, import previews), so
on GitHub every line we print passes through :class:`CommandGuard`, which prefixes a line starting
with ``::`` by ``> ``; our own annotations are written with :func:`emit_command`, the only way past.
Annotation text itself is escaped by ``errors.github_annotation``.
"""

from __future__ import annotations

import io
import os
import sys
from typing import TextIO


class CommandGuard(io.TextIOBase):
    """A text stream wrapper that defuses ``::`` at the start of every line written through it."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.at_line_start = True
        self.pending = ""  # leading spaces/colons of the current line, not yet known to be safe

    def write(self, text: str) -> int:
        out = []
        for char in text:
            if self.at_line_start:
                self.pending += char
                stripped = self.pending.lstrip(" \t")
                if char == "\n":
                    out.append(self.pending)
                    self.pending = ""
                elif stripped in ("", ":"):
                    continue
                else:
                    prefix = "> " if stripped.startswith("::") else ""
                    out.append(prefix + self.pending)
                    self.pending = ""
                    self.at_line_start = False
            else:
                out.append(char)
                if char == "\n":
                    self.at_line_start = True
        self.stream.write("".join(out))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)
            self.pending, self.at_line_start = "", self.pending.endswith("\n")
        self.stream.flush()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


def on_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def install() -> None:
    """Guard stdout and stderr (on GitHub only: elsewhere nothing interprets ``::``)."""
    if on_github():
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if not isinstance(stream, CommandGuard):
                setattr(sys, name, CommandGuard(stream))


def emit_command(line: str) -> None:
    """Write one workflow command line we built and escaped ourselves, past the guard."""
    stream = sys.stdout
    if isinstance(stream, CommandGuard):
        stream.flush()
        stream.stream.write(line + "\n")
    else:
        print(line)
