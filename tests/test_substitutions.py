"""Substitutes for drawn officers (protocol §11, issue 13): recorded append-only beside the draw,
checked by validate against the published order, accepted on results, checked by verify_draw.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.corpus import load
from generator.draw.substitutes import substitute_order
from generator.registry.run import public_bundle, read
from generator.validation import validate_corpus
from generator.workflow.appendonly import _compare_substitutions

VERIFY = Path(__file__).parents[1] / "site_templates" / "verify" / "verify_draw.py"


def _first_team(root):
    bundle = public_bundle(read(root, "D2026-0001"))
    team = bundle["result"]["teams"][0]
    units = {p["id"]: p["unit"] for p in bundle["public_pools"]["inspectors"]}
    return bundle, team, units


def _write(root, entries):
    lines = ["id: D2026-0001", "substitutions:"]
    for e in entries:
        lines.append(f"  - object: {e['object']}")
        lines += [f"    {k}: {e[k]}" for k in ("replaced", "substitute", "reason", "date")]
    (root / "draws" / "2026" / "D2026-0001" / "substitutions.yaml").write_text(
        "\n".join(lines) + "\n", "utf-8"
    )


def test_a_lawful_substitute_signs_the_result_and_validates(full_tree):
    bundle, team, units = _first_team(full_tree)
    replaced = team["members"][0]
    order = substitute_order(bundle, team["object"], units[replaced])
    entry = {"object": team["object"], "replaced": replaced, "substitute": order[0], "reason": "病假"}
    _write(full_tree, [{**entry, "date": "2026-05-06"}])
    result = full_tree / "units" / units[replaced] / "results" / "T2026-market-01.yaml"
    text = result.read_text("utf-8")
    assert f"- {replaced}" in text
    result.write_text(text.replace(f"- {replaced}", f"- {order[0]}", 1), "utf-8")
    codes = [(f.code, f.file, f.line) for f in validate_corpus(load(full_tree))]
    assert codes == []
    # the original officer may no longer sign for that object
    result.write_text(text, "utf-8")
    codes = [f.code for f in validate_corpus(load(full_tree))]
    assert codes == ["RESULT_INSPECTOR_NOT_IN_TEAM"]


def test_a_second_substitution_walks_down_the_same_order(full_tree):
    bundle, team, units = _first_team(full_tree)
    replaced = team["members"][0]
    order = substitute_order(bundle, team["object"], units[replaced])
    first = {"object": team["object"], "replaced": replaced, "substitute": order[0], "reason": "病假"}
    second = {"object": team["object"], "replaced": order[0], "substitute": order[1], "reason": "回避"}
    _write(full_tree, [{**first, "date": "2026-05-06"}, {**second, "date": "2026-05-07"}])
    found = [f for f in validate_corpus(load(full_tree)) if f.code.startswith("SUBSTITUT")]
    assert found == []
    _write(
        full_tree, [{**first, "date": "2026-05-06"}, {**second, "substitute": replaced, "date": "2026-05-07"}]
    )
    found = [(f.code, f.line) for f in validate_corpus(load(full_tree)) if f.code.startswith("SUBSTITUT")]
    assert found == [("SUBSTITUTE_NOT_NEXT", 10)]
    message = next(f.message for f in validate_corpus(load(full_tree)) if f.code == "SUBSTITUTE_NOT_NEXT")
    assert order[1] in message and replaced in message


def test_the_citizen_checks_a_substitution_with_verify_draw(full_tree, tmp_path):
    bundle, team, units = _first_team(full_tree)
    replaced = team["members"][1]
    order = substitute_order(bundle, team["object"], units[replaced])
    (tmp_path / "DRAW.json").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")
    good = [{"object": team["object"], "replaced": replaced, "substitute": order[0]}]
    bad = [{**good[0], "substitute": order[-1] if len(order) > 1 else replaced}]
    for subs, code in ((good, 0), (bad, 1)):
        (tmp_path / "SUBS.json").write_text(json.dumps(subs, ensure_ascii=False), "utf-8")
        run = subprocess.run(
            [sys.executable, str(VERIFY), str(tmp_path / "DRAW.json"), str(tmp_path / "SUBS.json")],
            capture_output=True,
            text=True,
        )
        assert run.returncode == code, run.stdout
        assert ("substitutions[0].substitute" in run.stdout) == (code == 1)


def test_substitutions_only_grow_at_the_end():
    one = "id: D2026-0001\nsubstitutions:\n  - {object: o, replaced: a, substitute: b, reason: r, date: 2026-05-06}\n"
    two = one + "  - {object: o, replaced: b, substitute: c, reason: r, date: 2026-05-07}\n"
    path = "records/draws/2026/D2026-0001/substitutions.yaml"
    assert _compare_substitutions(path, one.encode(), two.encode()) == []
    for edited in (two.replace("replaced: a", "replaced: x"), "id: D2026-0001\nsubstitutions: []\n"):
        assert [f.code for f in _compare_substitutions(path, two.encode(), edited.encode())] == [
            "APPEND_EDITED"
        ]
    assert [
        f.code for f in _compare_substitutions(path, one.encode(), one.replace("0001", "0002").encode())
    ] == ["APPEND_EDITED"]


def test_a_pending_request_must_draw_officers_as_the_task_chose(full_tree):
    import datetime as dt

    from generator.registry import store
    from generator.registry.request import build
    from tests.support.tree import SECRET

    corpus = load(full_tree)
    draw_id, seq = store.next_draw_id(full_tree, 2026)
    commitments = {"jijian": "0" * 64}
    data, pools = build(
        corpus, "T2026-market-01", draw_id, seq, dt.date(2026, 6, 1), 99999999, commitments, SECRET
    )
    data["supersedes"], data["reason"] = "D2026-0001", "重新抽取"
    data["parameters"]["teams"]["officer_draw"] = "per_department"  # the task says central (the default)
    folder = store.folder(full_tree, draw_id)
    store.write_text(folder / store.POOLS, store.dump_json(pools))
    store.write_text(folder / store.REQUEST, store.dump_yaml(data))
    found = [f for f in validate_corpus(load(full_tree)) if f.code == "DRAW_OFFICER_DRAW_MISMATCH"]
    assert [(Path(f.file).relative_to(full_tree).as_posix(), f.value) for f in found] == [
        (f"draws/2026/{draw_id}/request.yaml", "per_department")
    ]
    assert "central" in found[0].message
