"""The hostile-input corpus (tests/hostile/cases/*.yaml): each case sets up an attack on a copy of
the valid tree and declares its outcome next to it. See tests/hostile/README.md for the format.

Every case, whatever it declares, must also: raise nothing, print no traceback and no internal
error, and let no output line start a GitHub workflow command other than our escaped annotations.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import pytest
import yaml

import generator.bounded
import generator.corpus
import generator.sources
from generator.cli import main
from generator.corpus import load
from generator.validation import validate_corpus

CASES = sorted((Path(__file__).parent / "hostile" / "cases").glob("*.yaml"))
ANNOTATION = re.compile(r"::(error|warning) file=[^,:\r\n]*,line=\d+(,col=\d+)?,title=[A-Z0-9_]+::[^\r\n]*")
LIMITS = {
    "generator.bounded": generator.bounded,
    "generator.corpus": generator.corpus,
    "generator.sources": generator.sources,
}


def spec_of(case: Path) -> dict:
    return yaml.safe_load(case.read_text(encoding="utf-8"))


def set_up(root: Path, setup: dict, monkeypatch) -> set[str]:
    """Apply a case's setup to the tree; returns the files it touched (relative to ``root``)."""
    touched: set[str] = set()

    def place(name: str) -> Path:
        touched.add(name)
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        return path

    for name in setup.get("remove", []):
        (root / name).unlink()
    for name, text in setup.get("create", {}).items():
        codec = setup.get("encodings", {}).get(name, "utf-8")
        place(name).write_bytes(text.encode(codec))
    for name, hexbytes in setup.get("create_hex", {}).items():
        place(name).write_bytes(bytes.fromhex(hexbytes))
    for name, g in setup.get("generate", {}).items():
        text = g.get("head", "") + g["repeat"] * g["times"] + g.get("tail", "")
        place(name).write_bytes(text.encode("utf-8"))
    for patch in setup.get("patches", []):
        path = root / patch["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(patch["find"]) == 1, f"patch text not found exactly once in {patch['file']}"
        path.write_text(text.replace(patch["find"], patch["replace"]), encoding="utf-8")
        touched.add(patch["file"])
    for name, target in setup.get("symlinks", {}).items():
        os.symlink(target, place(name))
    for name in setup.get("fifos", []):
        os.mkfifo(place(name))
    for dotted, value in setup.get("limits", {}).items():
        module, attr = dotted.rsplit(".", 1)
        monkeypatch.setattr(LIMITS[module], attr, value)
    return touched


def snapshot(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir" if path.is_dir() else "other"
    return out


def assert_clean_output(text: str) -> None:
    assert "Traceback" not in text
    assert "程序内部错误" not in text
    for line in text.splitlines():
        if line.lstrip(" \t").startswith("::"):
            assert ANNOTATION.fullmatch(line.lstrip()), (
                f"an output line could act as a workflow command: {line!r}"
            )


def test_the_corpus_is_large_and_every_case_declares_an_outcome():
    assert len(CASES) >= 60
    for case in CASES:
        spec = spec_of(case)
        assert spec.get("description") and spec.get("class"), case.name
        assert ("expected" in spec) != ("run" in spec), f"{case.name}: declare either expected or run"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_hostile_case(case, full_tree, tmp_path, monkeypatch, capsys):
    spec = spec_of(case)
    touched = set_up(full_tree, spec.get("setup", {}), monkeypatch)
    for name, value in spec.get("env", {}).items():
        monkeypatch.setenv(name, value)
    started = time.perf_counter()
    if "expected" in spec:
        findings = validate_corpus(load(full_tree, display_prefix=""))
        watched = set(spec.get("files", touched))
        found = sorted(f.key for f in findings if f.file in watched)
        assert found == sorted(tuple(x) for x in spec["expected"]), spec["description"]
        for f in findings:
            assert_clean_output(f.render())
    else:
        before = snapshot(full_tree)
        argv = [a.format(records=full_tree, tmp=tmp_path) for a in spec["run"]]
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refuses the arguments themselves
            code = exc.code
        captured = capsys.readouterr()
        output = captured.out + captured.err
        assert code == spec["exit"], output
        assert_clean_output(output)
        for text in spec.get("output_contains", []):
            assert text in output, output
        for text in spec.get("output_lacks", []):
            assert text not in output, output
        if spec.get("unchanged", True):
            assert snapshot(full_tree) == before, "the records tree changed"
    assert time.perf_counter() - started < spec.get("seconds", 10)
