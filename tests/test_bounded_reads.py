"""Every reader of draw files outside corpus.load is bounded like the loader (generator/bounded.py).

The hostile corpus (tests/hostile/cases/draw_*.yaml) runs the commands; here the pieces that have no
command of their own: the beacon's registry reader and writer, and append-check's blob parser.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import bounded
from generator.cli import main
from generator.workflow import registry
from tests.workflow.gitutil import commit, make_repo
from tests.workflow.test_append_check import BASE, DRAW2, request, run_check


def _draw_folder(root: Path) -> Path:
    folder = root / "records" / "draws" / "2026" / "D2026-0001"
    folder.mkdir(parents=True)
    (folder / "request.yaml").write_text(
        "id: D2026-0001\nsources:\n  - {kind: drand, name: quicknet, round: 5}\n", encoding="utf-8"
    )
    return folder


def test_beacon_never_appends_through_a_linked_entropy_file(tmp_path):
    folder = _draw_folder(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    os.symlink(outside, folder / "entropy.yaml")
    (draw,) = registry.draws(tmp_path / "records")
    with pytest.raises(bounded.FileRefused) as caught:
        registry.write_drand(draw, {"round": 5}, dt.date(2026, 5, 1))
    assert caught.value.code == "FILE_SYMLINK"
    assert outside.read_text(encoding="utf-8") == "keep\n"


def test_beacon_registry_skips_a_fifo_request_without_blocking(tmp_path):
    folder = _draw_folder(tmp_path)
    (folder / "request.yaml").unlink()
    os.mkfifo(folder / "request.yaml")
    (draw,) = registry.draws(tmp_path / "records")
    assert draw.round is None


def test_beacon_registry_refuses_anchors_in_a_request(tmp_path):
    folder = _draw_folder(tmp_path)
    (folder / "request.yaml").write_text(
        "id: D2026-0001\nx: &a [1]\nsources:\n  - {kind: drand, name: quicknet, round: 5}\ny: *a\n",
        encoding="utf-8",
    )
    (draw,) = registry.draws(tmp_path / "records")
    assert draw.round is None


def test_beacon_writes_entropy_atomically_when_absent(tmp_path):
    folder = _draw_folder(tmp_path)
    (draw,) = registry.draws(tmp_path / "records")
    registry.write_drand(draw, {"round": 5}, dt.date(2026, 5, 1))
    assert (folder / "entropy.yaml").read_text(encoding="utf-8").startswith("id: D2026-0001\ndrand:")
    assert [p.name for p in folder.iterdir() if p.name.startswith(".tmp-")] == []


@pytest.mark.parametrize(
    "text",
    [
        "id: D2026-0002\nseq: &s 2\nn: *s\n",  # anchors in a new request
        "id: D2026-0002\nseq: !!python/object/apply:os.system [echo]\n",  # tags
        "seq: " + "[" * 900 + "]" * 900 + "\n",  # deep nesting that made safe_load recurse
    ],
)
def test_append_check_reads_new_requests_with_the_loader_limits(tmp_path, capsys, text):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW2}/request.yaml": text})
    code, out = run_check(repo, capsys)
    assert code == 1
    assert "DRAW_REQUEST_UNREADABLE" in out
    assert "Traceback" not in out and "程序内部错误" not in out


def test_append_check_still_accepts_a_plain_request(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW2}/request.yaml": request(2, "D2026-0002")})
    assert run_check(repo, capsys)[0] == 0


def test_json_reader_limits(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"a": [1.5, 2], "b": {"c": "x"}}', encoding="utf-8")
    assert bounded.read_json(path) == {"a": [1.5, 2], "b": {"c": "x"}}
    for text, code in [
        ('{"a": 1e999}', "JSON_SYNTAX"),
        ('{"a": -Infinity}', "JSON_SYNTAX"),
        ("[1]", "JSON_SYNTAX"),
        ('{"a": ' + "[" * 51 + "]" * 51 + "}", "YAML_TOO_DEEP"),
        ('{"a": 1,}', "JSON_SYNTAX"),
    ]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(bounded.FileRefused) as caught:
            bounded.read_json(path)
        assert caught.value.code == code, text


def test_json_depth_cap_is_exact_in_objects_and_lists(tmp_path):
    # The cap counts containers (the top-level object is 1): 50 levels pass, 51 are refused,
    # whether the nesting is in lists, objects or both, and however wide the levels are.
    path = tmp_path / "p.json"

    def nest(levels: int, mixed: bool) -> str:
        inner = "1"
        for k in range(levels - 1):
            inner = '{"k": ' + inner + "}" if mixed and k % 2 else "[0, " + inner + ', "]"]'
        return '{"wide": [' + ", ".join(["[1]"] * 200) + '], "deep": ' + inner + "}"

    for mixed in (False, True):
        path.write_text(nest(50, mixed), encoding="utf-8")
        bounded.read_json(path)
        path.write_text(nest(51, mixed), encoding="utf-8")
        with pytest.raises(bounded.FileRefused) as caught:
            bounded.read_json(path)
        assert caught.value.code == "YAML_TOO_DEEP"


def test_missing_file_is_still_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        bounded.read_yaml(tmp_path / "absent.yaml")


def test_verify_reports_a_refused_file_at_its_line(tmp_path, capsys, full_tree):
    result = full_tree / "draws/2026/D2026-0001/result.yaml"
    result.write_text(result.read_text(encoding="utf-8") + "extra: &x 1\n", encoding="utf-8")
    code = main(["verify", "--records", str(full_tree)])
    out = capsys.readouterr()
    said = out.out + out.err
    assert code == 1
    line = len(result.read_text(encoding="utf-8").splitlines())
    assert f"draws/2026/D2026-0001/result.yaml:{line}：" in said and "YAML_ANCHOR" in said


def test_import_refuses_a_unit_folder_linked_outside_the_records(tmp_path, capsys, full_tree):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "unit.yaml").write_text("id: evil\nname: 外部\n", encoding="utf-8")
    os.symlink(outside, full_tree / "units" / "evil")
    source = tmp_path / "in.csv"
    source.write_bytes((full_tree / "units/market/objects.csv").read_bytes())
    code = main(["import", str(source), "--kind", "objects", "--unit", "evil", "--records", str(full_tree)])
    assert code == 2
    assert "之外" in capsys.readouterr().err
    assert sorted(p.name for p in outside.iterdir()) == ["unit.yaml"]


def test_import_never_reads_through_a_linked_target_file(tmp_path, capsys, full_tree):
    secret = tmp_path / "secret.csv"
    target = full_tree / "units/market/objects.csv"
    secret.write_bytes(target.read_bytes().replace("测试县".encode(), "机密".encode()))
    source = tmp_path / "in.csv"
    source.write_bytes(target.read_bytes())
    target.unlink()
    os.symlink(secret, target)
    code = main(["import", str(source), "--kind", "objects", "--unit", "market", "--records", str(full_tree)])
    out = capsys.readouterr()
    assert code == 1 and "FILE_SYMLINK" in out.err
    assert target.is_symlink()  # refused, not silently replaced


def test_new_refuses_a_linked_unit_folder(tmp_path, capsys, full_tree):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "unit.yaml").write_text("id: evil\nname: 外部\n", encoding="utf-8")
    os.symlink(outside, full_tree / "units" / "evil")
    code = main(["new", "tasks", "--unit", "evil", "--records", str(full_tree)])
    assert code == 2
    assert sorted(p.name for p in outside.iterdir()) == ["unit.yaml"]


# Text a pool may hold: brackets, quotes, backslashes and controls (escaped by json.dumps), NFD,
# non-BMP; and values nested to any depth.
HOSTILE = st.lists(st.sampled_from([*'ab[]{}"\\\n\x00\x1f:,', "e\u0301", "😀", "有效"])).map("".join)
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | HOSTILE
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner) | st.dictionaries(HOSTILE, inner), max_leaves=40)


def _nested(depth: int, inner: object) -> object:
    for k in range(depth):
        inner = [inner] if k % 2 else {"k": inner}
    return inner


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_depth_told_from_the_brackets_is_the_walks(data):
    """``_marks_depth_over`` (the bytes) answers as ``_depth_over`` (the parsed value) whenever it
    answers, for every limit; with no bracket or escape inside a string it always answers."""
    value = _nested(data.draw(st.integers(0, 60)), data.draw(VALUES))
    ascii_only, indent = data.draw(st.booleans()), data.draw(st.sampled_from([None, 0, 2]))
    raw = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode("utf-8")
    raw = data.draw(st.sampled_from([b"", b"\xef\xbb\xbf", b" \n\t"])) + raw
    parsed = json.loads(raw.decode("utf-8-sig"))
    plain = not any(c in s for s in _texts_of(parsed) for c in '[]{}"\\') and b"\\" not in raw
    for limit in (0, 1, 2, 3, 4, 5, 50, 61):
        told = bounded._marks_depth_over(raw, limit)
        assert told in (None, bounded._depth_over(parsed, limit))
        assert told is not None or not plain


def _texts_of(value) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(t for v in value.values() for t in _texts_of(v))]
    if isinstance(value, list):
        return [t for v in value for t in _texts_of(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("depth", [49, 50, 51, 60])
def test_a_pool_nested_past_the_cap_is_refused_either_way(tmp_path, depth):
    """Exactly at the cap a pool reads; one level more is YAML_TOO_DEEP, with brackets in a
    string (the walk decides) or without (the brackets do)."""
    for inner in ("x", "[x]{"):
        path = tmp_path / "pool-internal.json"
        path.write_text(
            json.dumps({"objects": _nested(depth - 1, inner)}, ensure_ascii=False), encoding="utf-8"
        )
        if depth <= bounded.MAX_JSON_DEPTH:
            assert bounded.read_json(path)["objects"] == _nested(depth - 1, inner)
        else:
            with pytest.raises(bounded.FileRefused) as caught:
                bounded.read_json(path)
            assert caught.value.code == "YAML_TOO_DEEP"
