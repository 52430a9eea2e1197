"""The draw registry end to end through the commands: request, accept, entropy, draw, verify, tamper."""

from __future__ import annotations

import shutil

import pytest

from generator.cli import main
from generator.registry import store
from tests import test_registry_order as order
from tests.support.tree import BASE
from tests.test_registry_codes import located


@pytest.fixture
def base(tmp_path):
    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    return root


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def _draw(root, capsys):
    """request (v2, quicknet round R) → accept → entropy → accept it before R → beacon R → draw."""
    assert order.request(capsys, root)[0] == 0
    code, out = run(capsys, "draw", "T2026-market-01", "--records", root)
    assert code == 1 and "缺 受理记录" in out  # not accepted yet: nothing can be drawn
    assert order.accept(capsys, root, order.BEFORE + 3600)[0] == 0
    code, out = run(capsys, "draw", "T2026-market-01", "--records", root)
    assert code == 1 and "随机源尚未齐备" in out  # no entropy yet: nothing can be drawn
    assert order.entropy(capsys, root)[0] == 0
    assert order.accept(capsys, root, order.T_R - 600)[0] == 0
    order.beacon(root)
    code, out = run(capsys, "draw", "T2026-market-01", "--records", root, "--now", order.T_R + 60)
    assert code == 0 and "已抽取 4 个对象" in out, out


def test_digits_count_only_once_ci_accepted_them(base, capsys):
    assert order.request(capsys, base)[0] == 0
    assert order.accept(capsys, base, order.BEFORE + 3600)[0] == 0
    assert order.entropy(capsys, base)[0] == 0
    order.beacon(base)  # the beacon is out, the digits were never accepted
    code, out = run(capsys, "draw", "T2026-market-01", "--records", base, "--now", order.T_R + 60)
    assert code == 1 and "未经 CI 受理（缺 entropy-accepted.yaml）" in out, out


def test_request_to_verified_draw(base, capsys):
    _draw(base, capsys)
    code, out = run(capsys, "verify", "--records", base)
    assert code == 0 and "核验通过：共 1 次抽取（其中公开失败 0 次），拒绝受理 0 次，0 处不一致。" in out
    code, out = run(capsys, "draw", "D2026-0001", "--records", base)
    assert code == 1 and "已有抽取结果，不能重抽" in out
    assert run(capsys, "validate", "--records", base)[0] == 0


def _line(path, text: str, before: int = 0) -> int:
    """The number of the first line containing ``text``, minus ``before``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line) - before


D1 = "draws/2026/D2026-0001/"


@pytest.mark.parametrize(
    ("path", "find", "replace"),
    [
        ("result.yaml", "ticket: '0.", "ticket: '0.9"),
        ("result.yaml", "    - WJ-", "    - WJX-"),
        ("entropy.yaml", "meeting: '370215'", "meeting: '370216'"),
        ("pool-internal.json", '"township": "众兴街道"', '"township": "来安街道"'),
    ],
    ids=["ticket", "team-member", "entropy", "roster-row"],
)
def test_tampering_is_caught_and_named(base, capsys, path, find, replace):
    _draw(base, capsys)
    folder = store.folder(base, "D2026-0001")
    target = folder / path
    text = target.read_text(encoding="utf-8")
    assert find in text
    target.write_text(text.replace(find, replace, 1), encoding="utf-8")
    code, out = run(capsys, "verify", "--records", base)
    assert code == 1
    found = located(out)
    result = folder / "result.yaml"
    if path == "result.yaml" and "ticket" in find:  # the tampered line itself
        assert found == [("REGISTRY_MISMATCH", D1 + "result.yaml", _line(result, "ticket: '0.9"))]
    elif path == "result.yaml":  # a list of names is compared whole: the line of its key
        assert found == [("REGISTRY_MISMATCH", D1 + "result.yaml", _line(result, "WJX-", before=2))]
        assert "members:" in result.read_text(encoding="utf-8").splitlines()[found[0][2] - 1]
    elif path == "entropy.yaml":  # the digits changed after their acceptance; every output differs
        assert ("REGISTRY_ENTROPY_CHANGED", D1 + "entropy.yaml", _line(target, "ceremony:")) in found
        assert ("REGISTRY_MISMATCH", D1 + "result.yaml", _line(result, "seed:")) in found
    else:  # the frozen pools no longer match the digests the request pinned (JSON: no lines)
        assert found == [("REGISTRY_MISMATCH", D1 + "pool-internal.json", 0)]
        assert "pool_digests.objects" in out


def test_a_request_needs_valid_records(base, capsys):
    task = base / "units/market/tasks/T2026-market-01.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace("team_size: 2", "team_size: 1"), encoding="utf-8"
    )
    code, out = run(capsys, "request", "T2026-market-01", "--records", base, "--commit", "jijian=" + "0" * 64)
    assert code == 1 and "记录有错误，不能提交抽取申请" in out and "FIELD_RANGE" in out
    assert store.all_draw_ids(base) == []


def test_policy_without_commitment_is_refused(base, capsys):
    code, out = run(capsys, "request", "T2026-market-01", "--records", base)
    assert code == 1 and "承诺—揭示" in out
    assert "sdr-draw/2 要求以 drand 随机信标为最后一个随机源" in out  # both problems at once
    assert store.all_draw_ids(base) == []
