"""Files of a draw folder: ``draws/<year>/<draw id>/``.

========================  ===========================================================  =========
file                      content                                                      written by
========================  ===========================================================  =========
request.yaml              task, parameters, sources named in advance, pool digests      request
pool-internal.json        frozen pools with internal facts (credit class, salts)        request
accepted.yaml             the drand round current when CI accepted the request          accept (CI)
refused.yaml              why CI refused the request or its entropy (never drawn)       accept (CI)
entropy.yaml              ceremony digits, reveals, the drand beacon                    entropy / beacon
entropy-accepted.yaml     the drand round current when CI accepted the digits/reveals   accept (CI)
result.yaml               the engine's output                                           draw (CI)
failed.yaml               why the draw failed once its randomness was known             draw (CI)
========================  ===========================================================  =========

Beside the folders, ``draws/log.jsonl`` is the public registry log (``registry/log.py``), appended
by CI only.

Every file is written once and never edited (CI's append-only check). Output is deterministic:
keys in a fixed order, UTF-8, LF, no timestamps other than the dates the records carry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

import yaml

from generator import bounded
from generator.json_text import dumps_indented

DRAW_ID = re.compile(r"D([0-9]{4})-([0-9]{4})")  # ASCII digits only: no full-width lookalikes
REQUEST, POOLS, ACCEPTED, ENTROPY, RESULT = (
    "request.yaml",
    "pool-internal.json",
    "accepted.yaml",
    "entropy.yaml",
    "result.yaml",
)
REFUSED, FAILED, ENTROPY_ACCEPTED = "refused.yaml", "failed.yaml", "entropy-accepted.yaml"
CI_FILES = (ACCEPTED, REFUSED, ENTROPY_ACCEPTED, RESULT, FAILED)  # no pull request may add these
LOG = "log.jsonl"


def folder(records: Path, draw_id: str) -> Path:
    m = DRAW_ID.fullmatch(draw_id)
    if not m:
        raise ValueError(f"抽取编号“{draw_id}”格式不对，应为 D + 年份 + 4 位顺序号，如 D2026-0001")
    return records / "draws" / m[1] / draw_id


def all_draw_ids(records: Path) -> list[str]:
    base = records / "draws"
    if not base.is_dir():
        return []
    return sorted(
        p.name
        for p in base.glob("*/D*-*")
        if p.is_dir() and DRAW_ID.fullmatch(p.name) and p.parent.name == p.name[1:5]
    )


def stray_draw_folders(records: Path) -> list[Path]:
    """Draw-like folders that are not where their id says (another year, non-ASCII digits)."""
    base = records / "draws"
    if not base.is_dir():
        return []
    return sorted(
        p
        for p in base.glob("*/*")
        if p.is_dir() and not (DRAW_ID.fullmatch(p.name) and p.parent.name == p.name[1:5])
    )


def log_path(records: Path) -> Path:
    return records / "draws" / LOG


def next_draw_id(records: Path, year: int) -> tuple[str, int]:
    """Next id in the year and the next county-wide sequence number (no gaps, never reused)."""
    ids = all_draw_ids(records)
    in_year = [int(i[6:]) for i in ids if i[1:5] == str(year)]
    return f"D{year}-{max(in_year, default=0) + 1:04d}", len(ids) + 1


def _yaml_default(data):
    if isinstance(data, dt.date):
        return data.isoformat()
    raise TypeError(type(data))


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # never &id001 anchors: officials read these files
        return True


def _str_presenter(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: dict, header: str = "") -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    return (header + body) if header else body


def write_text(path: Path, text: str, overwrite: bool = False) -> None:
    """Atomic write (temp file then rename); refuses to replace a published file."""
    if path.exists() and not overwrite:
        raise FileExistsError(
            f"{path} 已存在。抽取登记簿中的文件只能新增，不能修改；更正请提交新的抽取申请。"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        # A full disk or an interrupt must not leave a half-written .tmp-* file in the draw folder.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def dump_json(data) -> str:
    """One list element per line: readable diffs, fast to load, deterministic."""
    if isinstance(data, dict):
        parts = []
        for key, value in data.items():
            if isinstance(value, list):
                rows = ",\n".join("    " + json.dumps(v, ensure_ascii=False, sort_keys=True) for v in value)
                parts.append(f"  {json.dumps(key)}: [\n{rows}\n  ]" if value else f"  {json.dumps(key)}: []")
            else:
                parts.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}")
        return "{\n" + ",\n".join(parts) + "\n}\n"
    return dumps_indented(data) + "\n"


def read_yaml(path: Path) -> dict:
    """A draw file with the record loader's limits (files arrive by pull request like records);
    a link, FIFO, device, oversized or malformed file raises bounded.FileRefused."""
    return bounded.read_yaml(path, parents=3)


def read_json(path: Path) -> dict:
    """Frozen pools: size and depth caps, no links (bounded.read_json)."""
    return bounded.read_json(path, parents=3)


def isoformat_dates(value):
    """Dates to ISO strings, recursively (the engine compares dates as ISO text)."""
    if isinstance(value, dict):
        return {k: isoformat_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [isoformat_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
