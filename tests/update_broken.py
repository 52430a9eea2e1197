"""Rewrite the ``expected`` lists of tests/broken/*.yaml from what ``validate`` finds now.

An explicit, reviewed update command (like pelican's golden site): run it only after changing a rule
on purpose, then read the diff of tests/broken/ line by line before committing.

    python -m tests.update_broken [CASE ...]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from generator.corpus import load
from generator.validation import validate_corpus
from tests.support.tree import build_full
from tests.test_rules import CASES, apply_patches, epoch_of


def main(only: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        master = build_full(Path(tmp) / "master")
        for case in CASES:
            if only and case.stem not in only:
                continue
            spec = yaml.safe_load(case.read_text(encoding="utf-8"))
            work = Path(tmp) / case.stem
            shutil.copytree(master, work)
            apply_patches(work, spec.get("patches", []), spec.get("create"), spec.get("encodings"))
            saved = os.environ.get("SOURCE_DATE_EPOCH")
            if "today" in spec:  # as test_broken_record reads it
                os.environ["SOURCE_DATE_EPOCH"] = str(epoch_of(spec["today"]))
            try:
                found = sorted(f.key for f in validate_corpus(load(work, display_prefix="")))
            finally:
                if saved is None:
                    os.environ.pop("SOURCE_DATE_EPOCH", None)
                else:
                    os.environ["SOURCE_DATE_EPOCH"] = saved
            text = case.read_text(encoding="utf-8")
            head = text[: text.index("\nexpected:")]
            lines = "".join(f"  - [{code}, {file}, {line}]\n" for code, file, line in found)
            case.write_text(
                f"{head}\nexpected:\n{lines}" if found else f"{head}\nexpected: []\n", encoding="utf-8"
            )
            print(f"{case.stem}: {len(found)}")


if __name__ == "__main__":
    main(sys.argv[1:])
