"""Hostile bundles against the citizen's verifiers (red team 7): never a traceback, always a verdict.

A citizen runs ``verify_draw.py`` on whatever file they were handed; the engine's ``verify_bundle`` is the
same check in the reference implementation. A bundle's maker controls every byte of it, including the
request (whose digest, acceptance and registry path it simply recomputes: ``resigned``), so the checks
deep inside (strata counts, the team replay) see hostile values too. Before, a ratio ``"1/0"`` raised
ZeroDivisionError, a cap of 0 the same in the team replay, an empty public object list IndexError, an
exclusion that is no mapping ValueError in the engine, and a lone surrogate (``"\\udfff"``, valid JSON)
in the draw id made the script's own report crash with UnicodeEncodeError — each a Python traceback
where the citizen expected ✓ or ✗.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.draw import build_public_bundle, draw, verify_bundle
from tests.draw.scenario import scenario
from tests.draw.test_v2 import BUNDLE

VERIFY = Path(__file__).parents[2] / "site_templates" / "verify"
sys.path.insert(0, str(VERIFY))
import verify_draw  # noqa: E402  (the standalone script, imported as a module)

_request, _pools, _entropy = scenario(n_objects=60)
V1 = build_public_bundle(_request, _pools, _entropy, draw(_request, _pools, _entropy))  # public strata


def resigned(bundle: dict) -> dict:
    """What a forger does after changing the request or the public pools: pin the new pool digests,
    and give the new request digest an acceptance and a log of its own (one line)."""
    for key in ("objects", "inspectors", "assistants"):
        try:
            pinned = verify_draw.digest(bundle["public_pools"][key])
            bundle["request"]["pool_digests"][key + "_public"] = pinned
        except (KeyError, TypeError, ValueError, verify_draw.Fail):
            pass
    try:
        if bundle["request"].get("algorithm") == "sdr-draw/2":
            request_digest = verify_draw.digest(bundle["request"])
            bundle["acceptance"]["request_digest"] = request_digest
            entry = json.loads(bundle["registry"]["entry"])
            entry["request_digest"] = request_digest
            line = verify_draw.canonical(entry)
            proof = {"index": 1, "entry": line, "following": [], "head": verify_draw.sha256_hex(line)}
            bundle["registry"] = proof
    except (KeyError, TypeError, AttributeError, ValueError, verify_draw.Fail):
        pass  # a request or proof the change itself broke: the verifiers see it as it is
    return bundle


def _set(bundle: dict, path: tuple, value) -> dict:
    out = copy.deepcopy(bundle)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return resigned(out)


HOSTILE = {
    "ratio-zero-denominator": (V1, ("request", "objects", "strata", 0, "ratio"), "1/0"),
    "cap-zero": (BUNDLE, ("request", "teams", "max_objects_per_inspector"), 0),
    "cap-zero-v1": (V1, ("request", "teams", "max_objects_per_inspector"), 0),
    "no-public-stratum": (BUNDLE, ("public_pools", "objects", "strata"), []),
    "exclusion-not-a-mapping": (BUNDLE, ("public_pools", "objects", "strata", 0, "excluded"), ["x"]),
    "exclusion-not-a-mapping-v1": (V1, ("public_pools", "objects", "strata", 0, "excluded"), ["x"]),
    "lone-surrogate-draw-id": (BUNDLE, ("request", "draw_id"), "\udfff"),
    "lone-surrogate-township": (BUNDLE, ("result", "objects", 0, "township"), "\ud800"),
    "lone-surrogate-key": (BUNDLE, ("result", "\ud800"), 1),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_bundle_gets_a_verdict_from_both_python_verifiers_not_a_traceback(name):
    base, path, value = HOSTILE[name]
    bad = _set(base, path, value)
    found = verify_draw.check(copy.deepcopy(bad))
    assert found, found
    assert verify_bundle(copy.deepcopy(bad), verify_beacon=False)


def _run_script(file: Path) -> subprocess.CompletedProcess:
    """``python verify_draw.py FILE`` as a citizen runs it (no project on the path)."""
    return subprocess.run(
        [sys.executable, str(VERIFY / "verify_draw.py"), str(file)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_script_run_by_a_citizen_prints_a_verdict_in_chinese(tmp_path, name):
    base, path, value = HOSTILE[name]
    file = tmp_path / "draw.json"
    # json.dumps escapes a lone surrogate as \\udfff: valid JSON, as a forger would publish it
    file.write_text(json.dumps(_set(base, path, value)), encoding="utf-8")
    run = _run_script(file)
    assert run.returncode in (1, 2), run.stdout + run.stderr
    assert "Traceback" not in run.stderr and run.stderr == "", run.stderr
    assert "✗" in run.stdout or "无法读取" in run.stdout


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "\ufeff" + json.dumps(BUNDLE, ensure_ascii=False),
            "✓",
        ),  # saved again by Notepad: a BOM is no tamper
        ('{"x": ' + "9" * 5000 + "}", "整数位数过多"),
        ("{", "不是有效的 JSON"),
    ],
)
def test_what_the_script_cannot_read_is_said_in_chinese(tmp_path, capsys, text, words):
    file = tmp_path / "draw.json"
    file.write_text(text, encoding="utf-8")
    code = verify_draw.main(["verify_draw.py", str(file)])
    out = capsys.readouterr().out
    assert words in out and "Exceeds" not in out and "Expecting" not in out and "BOM" not in out
    assert code == (0 if words == "✓" else 2)


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key in value:
            yield from _paths(value[key], (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:2]):
            yield from _paths(item, (*path, i))


VALUES = [None, [], {}, "", "x", 0, -1, 2**70, True, "1/0", "0/0", "-1/2", [None], [{}], {"a": 1}, "\ud800"]


@pytest.mark.parametrize("base", ["v1", "v2"])
def test_no_value_anywhere_in_a_bundle_makes_a_verifier_crash(base):
    """The class: every field of a v1 (public strata) and a v2 (sealed) bundle, request and pools
    re-signed, set to each hostile value — both Python verifiers answer, neither raises."""
    bundle = V1 if base == "v1" else BUNDLE
    crashes = []
    for path in _paths(bundle):
        if not path or (path[:3] == ("public_pools", "objects", "strata") and len(path) > 5):
            continue
        for value in VALUES:
            bad = _set(bundle, path, value)
            for name, verifier in (
                ("verify_draw", verify_draw.check),
                ("engine", lambda b: verify_bundle(b, verify_beacon=False)),
            ):
                try:
                    verifier(copy.deepcopy(bad))
                except Exception as exc:  # noqa: BLE001 - the finding is that it raised at all
                    crashes.append((name, path, value, type(exc).__name__))
    assert crashes == []


@pytest.mark.parametrize(
    "value",
    [
        "D\x1b[2K\r✓ 核验通过：抽取结果可以重现，与公布的数据包一致。\x1b[8m",  # erase the line, print a ✓, hide the rest
        "D2026-0001”\n✓ 抽取 D2026-0001 核对无误：",  # a new line that reads like a verdict
        "D\u202e\u2066已核对\u2069",  # bidi marks reorder what the terminal shows
    ],
    ids=["escape-sequences", "new-line", "bidi"],
)
def test_a_value_cannot_write_its_own_verdict_on_the_citizens_terminal(tmp_path, value):
    """Review of red team 7: bundle values reached the terminal raw, so a forged bundle could erase
    the ✗ line and print a ✓ of its own. Every control a terminal obeys is printed as an escape."""
    file = tmp_path / "draw.json"
    file.write_text(json.dumps(_set(V1, ("request", "draw_id"), value), ensure_ascii=False), encoding="utf-8")
    run = _run_script(file)
    assert run.returncode == 1, run.stdout
    lines = run.stdout.splitlines()
    assert not any(line.startswith("✓") for line in lines), run.stdout
    controls = {c for c in run.stdout if c != "\n" and (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F)}
    bidi = {
        c
        for c in run.stdout
        if c in "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    }
    assert controls == set() and bidi == set(), run.stdout
