"""Each registry code provoked on its own, compared as (code, file, line), never by message alone:
``verify`` names the file at fault and its line (line 0: a missing file or a file without lines,
such as the JSON pools; a folder ends with ``/``).

``accept`` reports a refusal as a GitHub annotation on the draw's request.yaml (line 1: the whole
request is refused) and records the same code in refused.yaml and the public log; ``verify`` prints
``<file>:<line>：<message>（<code>）`` for every problem of every draw.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from generator.draw.beacon import round_at
from generator.registry import log, store
from generator.registry.order import draw_blockers
from generator.registry.run import read
from tests.support.tree import BASE
from tests.test_registry_order import BEFORE, T_R, TASK, accept, drawn, request, run

ANNOTATION = re.compile(r"^::warning file=([^,]+),line=(\d+),title=([A-Z_]+)::", re.M)
VERIFY_LINE = re.compile(r"^(\S+?)：.*（([A-Z][A-Z0-9_]+)）$", re.M)
REQ = "draws/2026/D2026-0001/request.yaml"
ACCEPTED_AT = BEFORE + 3600


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "records"
    shutil.copytree(BASE, out)
    return out


def annotations(root, out: str) -> list[tuple[str, str, int]]:
    prefix = f"{root}/"
    return [(code, f.removeprefix(prefix), int(line)) for f, line, code in ANNOTATION.findall(out)]


def located(out: str) -> list[tuple[str, str, int]]:
    """(code, file, line) of every problem ``verify`` printed."""
    found = set()
    for where, code in VERIFY_LINE.findall(out):
        file, _, line = where.partition(":")
        found.add((code, file, int(line or 0)))
    return sorted(found)


def verified(capsys, root, *extra) -> list[tuple[str, str, int]]:
    code, out = run(capsys, "verify", "--records", root, *extra)
    assert code == 1, out
    return located(out)


D1 = "draws/2026/D2026-0001/"


def line_of(root, name: str, text: str) -> int:
    """The 1-based line of the first line of ``name`` (in D2026-0001) containing ``text``."""
    lines = (store.folder(root, "D2026-0001") / name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def edit_request(root, change) -> None:
    path = store.folder(root, "D2026-0001") / store.REQUEST
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(store.dump_yaml(data), encoding="utf-8")


def refused_on_accept(capsys, root, latest=None) -> list[tuple[str, str, int]]:
    code, out = accept(capsys, root, ACCEPTED_AT, latest)
    assert code == 0, out  # a refusal is recorded, never a failed run
    found = annotations(root, out)
    assert read(root, "D2026-0001").refused["code"] == found[0][0]
    return found


# -- accept: refusals, each on the request's file ---------------------------------------------


def test_round_zero_is_refused_as_invalid(root, capsys):
    assert request(capsys, root)[0] == 0
    edit_request(root, lambda d: d["sources"][-1].update(round=0))
    assert refused_on_accept(capsys, root) == [("REGISTRY_ROUND_INVALID", REQ, 1)]


def test_a_round_more_than_400_days_ahead_is_refused(root, capsys):
    far = round_at(ACCEPTED_AT + 401 * 86400)
    code, out = run(capsys, "request", TASK, "--records", root, "--drand-round", far, "--now", BEFORE)
    assert code == 1 and "不能提交抽取申请（REGISTRY_ROUND_TOO_FAR）" in out
    assert request(capsys, root)[0] == 0
    edit_request(root, lambda d: d["sources"][-1].update(round=far))
    assert refused_on_accept(capsys, root) == [("REGISTRY_ROUND_TOO_FAR", REQ, 1)]


def test_a_latest_round_that_disagrees_with_the_clock_is_refused(root, capsys):
    # A relay (or an operator) claims a latest round 2,000 rounds behind the clock: believing it
    # would let a round already public pass for a future one.
    assert request(capsys, root)[0] == 0
    found = refused_on_accept(capsys, root, latest=round_at(ACCEPTED_AT) - 2000)
    assert found == [("REGISTRY_CLOCK_MISMATCH", REQ, 1)]


def test_a_request_without_the_policys_ceremony_is_refused(root, capsys):
    assert request(capsys, root)[0] == 0
    edit_request(root, lambda d: d.update(sources=[s for s in d["sources"] if s["kind"] != "ceremony"]))
    assert refused_on_accept(capsys, root) == [("REGISTRY_POLICY", REQ, 1)]


def test_an_unparseable_source_is_refused(root, capsys):
    assert request(capsys, root)[0] == 0
    edit_request(root, lambda d: d["sources"].insert(0, {"kind": "dice", "name": "x"}))
    assert refused_on_accept(capsys, root) == [("REGISTRY_REQUEST_INVALID", REQ, 1)]


def test_a_request_downgraded_to_v1_is_refused(root, capsys):
    # Attack: a v1 request skips the acceptance evidence and the sealed strata of v2.
    assert request(capsys, root)[0] == 0
    edit_request(root, lambda d: d.update(algorithm="sdr-draw/1"))
    assert refused_on_accept(capsys, root) == [("REGISTRY_PARAMETERS_MISMATCH", REQ, 1)]
    assert "algorithm 应为 'sdr-draw/2'" in read(root, "D2026-0001").refused["reason"]


def test_supersedes_naming_no_earlier_draw_is_refused(root, capsys):
    extra = ("--supersedes", "D2026-0009", "--reason", "更正")
    code, out = request(capsys, root, TASK, BEFORE, *extra)
    assert code == 1 and "（REGISTRY_SUPERSEDES_INVALID）" in out and store.all_draw_ids(root) == []
    assert request(capsys, root)[0] == 0
    edit_request(root, lambda d: d.update(supersedes="D2026-0009", reason="更正"))
    assert refused_on_accept(capsys, root) == [("REGISTRY_SUPERSEDES_INVALID", REQ, 1)]


def test_a_refused_draw_is_never_drawn(root, capsys):
    assert request(capsys, root)[0] == 0
    refused_on_accept(capsys, root, latest=round_at(ACCEPTED_AT) - 2000)
    assert [p.code for p in draw_blockers(read(root, "D2026-0001"))] == ["REGISTRY_REFUSED"]
    code, out = run(capsys, "draw", "D2026-0001", "--records", root, "--now", T_R + 60)
    assert code == 1 and "已记录为失败或拒绝受理，不能重抽" in out


# -- verify: a published draw whose evidence was changed afterwards ---------------------------


def _drawn(capsys, root):
    drawn(capsys, root)
    return store.folder(root, "D2026-0001")


def test_an_acceptance_without_the_latest_round(root, capsys):
    folder = _drawn(capsys, root)
    data = yaml.safe_load((folder / store.ACCEPTED).read_text(encoding="utf-8"))
    del data["latest_round"]
    (folder / store.ACCEPTED).write_text(store.dump_yaml(data), encoding="utf-8")
    assert verified(capsys, root) == [
        # no such key: the file (its first key)
        ("REGISTRY_ACCEPTANCE_NO_ROUND", D1 + "accepted.yaml", line_of(root, "accepted.yaml", "id:")),
        # and the engine, without an acceptance, refuses to recompute: its error, on the result
        ("REGISTRY_MISMATCH", D1 + "result.yaml", line_of(root, "result.yaml", "output:")),
    ]


def test_a_result_and_a_failure_for_the_same_draw(root, capsys):
    folder = _drawn(capsys, root)
    failed = {"id": "D2026-0001", "task": TASK, "failed_on": "2026-05-01", "code": "DRAW_X", "reason": "x"}
    (folder / store.FAILED).write_text(store.dump_yaml(failed), encoding="utf-8")
    assert verified(capsys, root) == [
        ("REGISTRY_DUPLICATE_FILE", D1 + "failed.yaml", 1),
        ("REGISTRY_LOG_MISSING", D1 + "failed.yaml", 1),  # and the failure was never logged
    ]


def test_digits_whose_acceptance_record_was_removed(root, capsys):
    folder = _drawn(capsys, root)
    (folder / store.ENTROPY_ACCEPTED).unlink()
    logged = log.find(store.log_path(root).read_text(encoding="utf-8"), "entropy", "D2026-0001")
    assert verified(capsys, root) == [
        # the digits without their acceptance
        ("REGISTRY_ENTROPY_NOT_ACCEPTED", D1 + "entropy.yaml", line_of(root, "entropy.yaml", "ceremony:")),
        ("REGISTRY_LOG_MISSING", "draws/log.jsonl", logged),  # the log still has the entropy line
    ]


def test_a_result_the_engine_cannot_read(root, capsys):
    folder = _drawn(capsys, root)
    result = yaml.safe_load((folder / store.RESULT).read_text(encoding="utf-8"))
    result["output"] = ["not", "a", "mapping"]
    (folder / store.RESULT).write_text(store.dump_yaml(result), encoding="utf-8")
    assert verified(capsys, root) == [("REGISTRY_INPUT_INVALID", D1, 0)]


def test_a_log_missing_its_last_line(root, capsys):
    _drawn(capsys, root)
    path = store.log_path(root)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0], encoding="utf-8")  # a valid chain, one decision short
    # the decision left without its log line is the file CI wrote for it
    first_key = line_of(root, "entropy-accepted.yaml", "id:")
    assert verified(capsys, root) == [("REGISTRY_LOG_MISSING", D1 + "entropy-accepted.yaml", first_key)]


def test_a_tampered_ticket(root, capsys):
    folder = _drawn(capsys, root)
    text = (folder / store.RESULT).read_text(encoding="utf-8")
    (folder / store.RESULT).write_text(text.replace("ticket: '0.", "ticket: '0.9", 1), encoding="utf-8")
    assert verified(capsys, root) == [
        ("REGISTRY_MISMATCH", D1 + "result.yaml", line_of(root, "result.yaml", "ticket: '0.9"))
    ]


# -- the wording a county officer reads, pinned ---------------------------------------------------


def test_the_refusal_reasons_are_the_catalog_templates_with_the_draws_numbers(root, capsys):
    assert request(capsys, root)[0] == 0
    latest = round_at(ACCEPTED_AT) - 2000
    refused_on_accept(capsys, root, latest=latest)
    assert read(root, "D2026-0001").refused["reason"] == (
        f"记录的 drand 最新轮次 {latest} 与按时钟推算的第 {latest + 2000} 轮相差超过 1200 轮，不能作为受理依据。"
        "请核对 CI 的系统时钟和 drand 中继（beacon latest），下次运行时重新受理。"
    )
    entry = log.entries(store.log_path(root).read_text(encoding="utf-8"))[-1]
    assert entry["reason"] == read(root, "D2026-0001").refused["reason"]  # the public log says the same


def test_round_message_names_the_value_and_what_to_do(root, capsys):
    assert request(capsys, root)[0] == 0
    edit_request(root, lambda d: d["sources"][-1].update(round=0))
    refused_on_accept(capsys, root)
    assert read(root, "D2026-0001").refused["reason"] == (
        "drand 轮次“0”无效：必须是小于 2^63 的正整数。请在 request.yaml 的 sources 中填写未来的 drand 轮次，"
        "或用 request --drand-at 指定时刻。"
    )


def test_supersedes_message_names_the_value_and_the_choices(root, capsys):
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, ACCEPTED_AT)[0] == 0
    code, out = request(capsys, root, TASK, BEFORE, "--supersedes", "D2026-0009", "--reason", "更正")
    assert code == 1
    assert (
        "supersedes“D2026-0009”不是任务 T2026-market-01 更早的抽取（可选：D2026-0001）。"
        "请填写本任务更早的抽取编号。（REGISTRY_SUPERSEDES_INVALID）"
    ) in out


def test_a_mismatch_names_the_field_both_values_and_the_fix(root, capsys):
    test_a_tampered_ticket(root, capsys)
    code, out = run(capsys, "verify", "--records", root)
    line = next(x for x in out.splitlines() if x.endswith("（REGISTRY_MISMATCH）"))
    assert re.fullmatch(
        r"draws/2026/D2026-0001/result\.yaml:\d+：字段 strata\.\S+\.drawn\[\d+\]\.ticket 不一致：应为 0\.\d+…?，实为 0\.9\d+…?。"
        r"抽取结果不得手工编辑：请恢复 CI 写入的 result\.yaml。（REGISTRY_MISMATCH）",
        line,
    ), line


def test_an_empty_failure_record_is_still_rechecked(root, capsys):
    # An empty failed.yaml reads as {}: it still closes the draw, so verify must recheck it
    # (and the failure was never logged), not skip it as if nothing were published.
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, ACCEPTED_AT)[0] == 0
    (store.folder(root, "D2026-0001") / store.FAILED).write_text("", encoding="utf-8")
    code, out = run(capsys, "verify", "--records", root)
    assert code == 1 and "共 1 次抽取（其中公开失败 1 次）" in out, out
    assert located(out) == [
        ("REGISTRY_FAILURE_MISMATCH", D1 + "failed.yaml", 1),
        ("REGISTRY_LOG_MISSING", D1 + "failed.yaml", 1),
    ]
