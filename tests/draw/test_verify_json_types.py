"""Red-team cases of the citizen's verifiers (found by the verifier review): a published result field with
the right value in the wrong JSON type, and the log head the citizen must compare.

Python's ``==`` says ``True == 1``, so ``"batch": true`` for batch 1 passed verify_draw.py and the engine's
verify_bundle while the browser (which compares canonical JSON text) refused it. All three now compare
values as JSON. The stdlib script also prints the registry head the inclusion path leads to (§9.3): a path
to a head nobody else has seen proves nothing, and only the citizen can compare it with the public one.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from generator.draw import verify_bundle
from tests.draw.scenario import accepted_entry, inclusion
from tests.draw.test_v2 import BUNDLE

sys.path.insert(0, str(Path(__file__).parents[2] / "site_templates" / "verify"))
import verify_draw  # noqa: E402  (the standalone script, imported as a module)


def _strata(bundle):
    return bundle["result"]["strata"]["sealed"]


CHANGES = {
    "batch-true": (lambda b: b["result"]["objects"][0].__setitem__("batch", True), "objects[0].batch"),
    "batch-text": (lambda b: b["result"]["objects"][0].__setitem__("batch", "1"), "objects[0].batch"),
    "eligible-true": (
        lambda b: _strata(b).__setitem__("eligible", True if _strata(b)["eligible"] == 1 else "x"),
        "strata.sealed.eligible",
    ),
    "blocked-count-false": (
        lambda b: b["result"]["objects"][0].__setitem__("blocked_count", False),
        "objects[0].blocked_count",
    ),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_result_value_of_another_json_type_is_a_mismatch(name):
    change, field = CHANGES[name]
    assert (
        BUNDLE["result"]["objects"][0]["batch"] == 1 and BUNDLE["result"]["objects"][0]["blocked_count"] == 0
    )
    bad = copy.deepcopy(BUNDLE)
    change(bad)
    assert [f for f, _, _ in verify_draw.check(copy.deepcopy(bad))] == [field]
    assert [m.field for m in verify_bundle(bad, verify_beacon=False)] == [field]


def test_the_stdlib_verifier_prints_the_log_head_for_the_citizen_to_compare(tmp_path, capsys):
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(BUNDLE, ensure_ascii=False), encoding="utf-8")
    assert verify_draw.main(["verify_draw.py", str(path)]) == 0
    out = capsys.readouterr().out
    head, index = BUNDLE["registry"]["head"], BUNDLE["registry"]["index"]
    line = index + len(BUNDLE["registry"]["following"])
    assert f"第 {index} 行" in out and head in out and f"第 {line} 行的哈希" in out and "如何核验" in out
    # A forged log of one's own (the acceptance alone, as line 1) checks out, with its own head shown:
    # that head is what the citizen compares with the public one.
    forged = copy.deepcopy(BUNDLE)
    forged["registry"] = inclusion([accepted_entry(forged["acceptance"], seq=2)], 0)
    path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    assert verify_draw.main(["verify_draw.py", str(path)]) == 0
    out = capsys.readouterr().out
    assert forged["registry"]["head"] != head and forged["registry"]["head"] in out


def test_a_v1_bundle_with_a_junk_acceptance_does_not_crash_or_claim_a_checked_log(tmp_path, capsys):
    from generator.draw import build_public_bundle, draw
    from tests.draw.scenario import scenario

    request, pools, entropy = scenario(n_objects=20)
    v1 = build_public_bundle(request, pools, entropy, draw(request, pools, entropy))
    assert v1["request"]["algorithm"] == "sdr-draw/1"
    bundle = {**v1, "acceptance": {}, "registry": {"index": "x"}}
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    assert verify_draw.main(["verify_draw.py", str(path)]) == 0
    assert "登记簿头" not in capsys.readouterr().out


@pytest.mark.parametrize("depth", [65, 500, 900, 100_000])
def test_deeply_nested_input_is_refused_with_a_message_not_a_traceback(tmp_path, capsys, depth):
    """Nesting below json's own limit (~1,000) overflowed the verifier's recursion: a RecursionError."""
    text = json.dumps(BUNDLE, ensure_ascii=False)
    text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    path = tmp_path / "draw.json"
    path.write_text(text, encoding="utf-8")
    code = verify_draw.main(["verify_draw.py", str(path)])
    out = capsys.readouterr().out
    assert code in (1, 2) and "嵌套层数过深" in out and "Traceback" not in out
    if depth < 990:  # deeper still, json itself refuses the file (exit 2)
        bundle = json.loads(text)
        assert [m.field for m in verify_bundle(bundle, verify_beacon=False)] == ["format"]
        assert "嵌套层数过深" in verify_bundle(bundle, verify_beacon=False)[0].found
        subs = tmp_path / "subs.json"
        subs.write_text("[" * depth + "]" * depth, encoding="utf-8")
        path.write_text(json.dumps(BUNDLE, ensure_ascii=False), encoding="utf-8")
        assert verify_draw.main(["verify_draw.py", str(path), str(subs)]) == 2
        assert "嵌套层数过深" in capsys.readouterr().out
