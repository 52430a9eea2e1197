"""Mutation operators for fuzzing record files (used by bench/fuzz_records.py and the tests).

Each operator takes the file's bytes and a random generator and returns new bytes. They mimic what
careless clerks, broken editors and attackers produce: flipped and truncated bytes, YAML and CSV
structure gone wrong, odd Unicode, and values of the wrong type.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from generator.corpus import Corpus, load_file
from generator.errors import Findings
from generator.records import kind_for
from generator.rules import run_all
from generator.sources import decode

Op = Callable[[bytes, random.Random], bytes]

_UNICODE = [
    "\u200b", "\u200d", "\ufeff", "\u202e", "\u2028", "\u00a0", "\u3000", "１２３", "ＡＢＣ", "\ud7ff",
    "𠮷", "😀", "\u0301", "Å", "ﬁ", "\x85", "\x00", "\x07", "\x1b[31m", "\r", "\r\n", "\t",
]  # fmt: skip
_YAML_BITS = [
    "&a ", "*a", "!!python/object/apply:os.system [x]", "!!binary aGk=", "<<: ", "? ", ": ", "- ", "-",
    "[", "]", "{", "}", "'", '"', "#", "|", ">", "---\n", "...\n", "%YAML 1.1\n", "\t", "~", "null",
    "yes", "on", "0x1F", "010", "1:30", "1e3", ".nan", "-.inf", "2026-02-30", "2026-13-01", "9" * 40,
    "@", "`", "\\", ",", "  ", "\n  ", "!", "&", "*", "%",
]  # fmt: skip
_CSV_BITS = [
    '"',
    '""',
    ",",
    ",,,,",
    "\n",
    "\r\n",
    '"\n"',
    "=1+1",
    "@SUM(A1)",
    "-2",
    "+3",
    "\t",
    ";",
    "；",
    "、",
]


def _pos(data: bytes, rng: random.Random) -> int:
    return rng.randrange(len(data) + 1)


def byte_flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] = rng.randrange(256) if rng.random() < 0.5 else out[i] ^ (1 << rng.randrange(8))
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: _pos(data, rng)]


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    junk = rng.choice(
        [
            b"\x00",
            b"\xff\xfe",
            b"\xef\xbb\xbf",
            b"\xc3",
            b"\xe4\xb8",
            b"\x80",
            bytes(rng.randrange(256) for _ in range(4)),
        ]
    )
    i = _pos(data, rng)
    return data[:i] + junk + data[i:]


def insert_unicode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    i = rng.randrange(len(text) + 1)
    bit = rng.choice(_UNICODE)
    return (text[:i] + bit + text[i:]).encode("utf-8", "surrogatepass")


def yaml_structure(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    i = rng.randrange(len(text) + 1)
    return (text[:i] + rng.choice(_YAML_BITS) + text[i:]).encode("utf-8")


def csv_structure(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    i = rng.randrange(len(text) + 1)
    return (text[:i] + rng.choice(_CSV_BITS) + text[i:]).encode("utf-8")


def line_shuffle(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.random()
    if choice < 0.33:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice < 0.66:
        lines.insert(j, lines[i])
    else:
        del lines[i]
    return b"\n".join(lines)


def indent_shift(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    lines[i] = (b" " * rng.randint(1, 3) + lines[i]) if rng.random() < 0.5 else lines[i].lstrip()
    return b"\n".join(lines)


def value_swap(data: bytes, rng: random.Random) -> bytes:
    """Replace what follows a ``key: `` with a value of another type."""
    text = data.decode("utf-8", "replace")
    spots = [k for k in range(len(text) - 1) if text[k : k + 2] == ": "]
    if not spots:
        return data
    k = rng.choice(spots) + 2
    end = text.find("\n", k)
    end = len(text) if end < 0 else end
    new = rng.choice(
        [
            "[]",
            "{}",
            "[1, [2, [3]]]",
            "{a: {b: c}}",
            "~",
            "true",
            "12",
            "-1",
            "1.5",
            "''",
            '"x\\n::error::y"',
            "2099-01-01",
        ]
    )
    return (text[:k] + new + text[end:]).encode("utf-8")


def repeat_block(data: bytes, rng: random.Random) -> bytes:
    """Blow a slice up (long lines, many rows, deep nesting)."""
    if not data:
        return b"[" * 500
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, 64))
    return data[:i] + data[i:j] * rng.randint(2, 400) + data[j:]


YAML_OPS: list[Op] = [
    byte_flip,
    truncate,
    insert_bytes,
    insert_unicode,
    yaml_structure,
    line_shuffle,
    indent_shift,
    value_swap,
    repeat_block,
]
CSV_OPS: list[Op] = [
    byte_flip,
    truncate,
    insert_bytes,
    insert_unicode,
    csv_structure,
    line_shuffle,
    repeat_block,
]


def mutate(data: bytes, name: str, rng: random.Random) -> tuple[bytes, list[str]]:
    """One to three operators suited to the file type; returns the bytes and the operators' names."""
    ops = CSV_OPS if name.endswith(".csv") else YAML_OPS
    applied = []
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(ops)
        data = op(data, rng)
        applied.append(op.__name__)
    return data, applied


def validate_one(base: Corpus, rel: str, data: bytes) -> int:
    """What ``validate`` does with ``rel`` replaced by ``data``; returns the number of findings."""
    claimed = kind_for(rel)
    findings = Findings()
    records = {kind: [r for r in rs if r.file != rel] for kind, rs in base.records.items()}
    if claimed is not None:
        kind, owner = claimed
        text, problems = decode(data, rel)
        findings.extend(problems)
        if text is not None:
            records[kind.name].extend(load_file(kind, text, rel, owner, findings))
    corpus = Corpus(base.root, records, findings, base.files)
    findings.extend(run_all(corpus))
    for f in findings:
        f.render()  # what the CLI prints must be printable too
    return len(findings)
