"""Red team, fifth round: who really inspected a drawn object.

* A department's inspection needs ``min_per_department`` of *its own* officers: an entry in market's
  file signed by one market officer and one education officer was one market officer, yet passed the
  minimum of two (the check counted every name on the entry).
* A conflict of interest an officer declares after the draw is a fact about the results, not about
  the draw: it made the engine's ``result.yaml`` (CI's file, which ``ci site`` cannot leave out) an
  error, so no unit's site was published, and a unit could not record the conflict at all. A drawn
  team is judged by the conflicts the draw's frozen pool held; a result entry signed by someone who
  declared a conflict with its object (then or since) is the entering unit's error.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli.ci_steps import withhold
from generator.corpus import load
from generator.validation import validate_corpus

SAMPLE = Path(__file__).parents[1] / "records"
DRAWN_OBJECT = "12321323MARNE2D522"  # D2026-0003 (T2026-market-01), team SCJG-010, SCJG-028, JYJ-001, …
MARKET_RESULTS = "units/market/results/T2026-market-01.yaml"


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    return root


def _errors(root: Path) -> list:
    return [f for f in validate_corpus(load(root, display_prefix="")) if f.severity == "error"]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _declare_conflict(root: Path, person: str, obj: str) -> None:
    path = root / "units/market/inspectors.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith(person + ","))
    assert lines[row].endswith(","), lines[row]  # no conflict declared yet
    lines[row] += obj
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_department_is_counted_by_its_own_officers(tree):
    _replace(tree / MARKET_RESULTS, "  - SCJG-010\n  - SCJG-028\n", "  - SCJG-010\n  - JYJ-001\n")
    found = [(f.code, f.file, f.line, f.value) for f in _errors(tree)]
    assert found == [("TEAM_DEPARTMENT_TOO_SMALL", MARKET_RESULTS, 9, DRAWN_OBJECT)]
    (finding,) = _errors(tree)
    assert "只有 1 名" in finding.render() and "market" in finding.render()


def test_a_conflict_declared_after_the_draw_is_the_results_error_not_the_registrys(tree):
    _declare_conflict(tree, "SCJG-028", DRAWN_OBJECT)
    _replace(tree / MARKET_RESULTS, "  published_on: 2026-04-23\n", "")  # signed, not yet published
    errors = _errors(tree)
    assert not [f for f in errors if f.file.startswith("draws/")], [f.render() for f in errors]
    assert [(f.code, f.file, f.line, f.path, f.value) for f in errors] == [
        ("RESULT_INSPECTOR_CONFLICT", MARKET_RESULTS, 11, "entries[1].inspectors[2]", "SCJG-028")
    ]
    text = errors[0].render()
    assert DRAWN_OBJECT in text and "substitutions.yaml" in text
    # one unit's error: ci site leaves its results file out and publishes everyone else
    plan = withhold.plan(tree)
    assert plan.ok and plan.files == [MARKET_RESULTS] and not plan.consequences


def test_a_conflict_the_draw_knew_still_condemns_the_drawn_team(tree):
    pool = tree / "draws/2026/D2026-0003/pool-internal.json"
    data = json.loads(pool.read_text(encoding="utf-8"))
    person = next(p for p in data["inspectors"] if p["id"] == "SCJG-028")
    person["conflicts"] = sorted([*person.get("conflicts", []), DRAWN_OBJECT])
    pool.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    codes = {(f.code, f.file) for f in _errors(tree)}
    assert ("TEAM_CONFLICT", "draws/2026/D2026-0003/result.yaml") in codes
    # removing the declaration from today's roster does not let the officer sign
    assert ("RESULT_INSPECTOR_CONFLICT", MARKET_RESULTS) in codes


def test_a_qualification_changed_after_the_draw_leaves_the_drawn_teams_as_drawn(tree):
    # The officer's roster row loses a qualification, and the item asks for one more, after the
    # draw: both made every old draw naming the officer an error in CI's result.yaml (a registry
    # file no site build can leave out), so the unit could not keep its roster or its items current.
    roster = tree / "units/market/inspectors.csv"
    _replace(roster, "SCJG-010,田晨丽,market,SCJG2021010010,2021-07-01,2026-06-30,登记事项;药品监管;食品安全,",
             "SCJG-010,田晨丽,market,SCJG2021010010,2021-07-01,2026-06-30,登记事项;药品监管,")  # fmt: skip
    items = tree / "units/market/items.yaml"
    text = items.read_text(encoding="utf-8")
    start = text.index("    objects: 各类学校食堂（含托幼机构食堂）")
    at = text.index("      - 食品安全\n", start) + len("      - 食品安全\n")
    items.write_text(text[:at] + "      - 特种设备\n" + text[at:], encoding="utf-8")
    errors = _errors(tree)
    assert not [f for f in errors if f.file.startswith("draws/")], [f.render() for f in errors]


def test_a_qualification_the_draw_did_not_see_still_condemns_the_drawn_team(tree):
    pool = tree / "draws/2026/D2026-0003/pool-internal.json"
    data = json.loads(pool.read_text(encoding="utf-8"))
    person = next(p for p in data["inspectors"] if p["id"] == "SCJG-010")
    person["qualifications"] = [c for c in person["qualifications"] if c != "SCJG-04"]
    pool.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    found = [(f.code, f.file, f.value) for f in _errors(tree) if f.file.startswith("draws/")]
    assert ("TEAM_NOT_QUALIFIED", "draws/2026/D2026-0003/result.yaml", "SCJG-010") in found


def test_a_conflict_declared_after_publication_does_not_withhold_the_published_result(tree):
    """A published result is evidence: its entry never changes (append-only: the inspectors cannot
    be removed, as RESULT_INSPECTOR_CONFLICT asked) and CI dated it (``published_on``) only because
    it had no error then. An officer who declares a conflict later (a relative joined the firm) made
    it an error for good: ci site left the unit's whole results file out of the site, every entry of
    it, and the declaration's pull request failed on an error in a file it did not touch (in another
    unit's file when that unit's entry names the officer). Now the published entry keeps its place
    with a warning; an entry signed since the declaration (not yet published) is still the error."""
    _declare_conflict(tree, "SCJG-028", DRAWN_OBJECT)
    findings = list(validate_corpus(load(tree, display_prefix="")))
    assert not [f.render() for f in findings if f.severity == "error"]
    (later,) = [f for f in findings if f.code == "RESULT_CONFLICT_DECLARED_LATER"]
    where = (later.severity, later.file, later.line, later.value)
    assert where == ("warning", MARKET_RESULTS, 11, "SCJG-028")
    assert "2026-04-23" in later.render() and DRAWN_OBJECT in later.render()
    assert withhold.plan(tree).files == []


def test_a_conflict_written_in_lower_case_or_full_width_still_binds(tree):
    """A clerk copies the firm's code as it is printed: lower case, full width. The objects file
    reads such a code as the plain one (USCC_NORMALISED, a warning), but a declared conflict was
    compared letter by letter: the officer signed the firm's result and nothing was reported."""
    _replace(tree / MARKET_RESULTS, "  published_on: 2026-04-23\n", "")  # signed, not yet published
    written = DRAWN_OBJECT.lower().replace("1", "１")
    _declare_conflict(tree, "SCJG-028", written)
    findings = list(validate_corpus(load(tree, display_prefix="")))
    errors = [(f.code, f.file, f.value) for f in findings if f.severity == "error"]
    assert errors == [("RESULT_INSPECTOR_CONFLICT", MARKET_RESULTS, "SCJG-028")]
    roster = [(f.code, f.value) for f in findings if f.file == "units/market/inspectors.csv"]
    assert roster == [("USCC_NORMALISED", written)]


def test_a_renewed_certificate_leaves_the_published_results_in_place(tree):
    """An officer's 执法证 is renewed: the roster row now carries the new certificate's dates. Every
    published entry the officer signed under the old one became TEAM_CERT_INVALID (12 on the
    sample), errors no unit can fix (append-only), so ci site left two of market's results files
    off the site for good and the renewal's pull request failed. A published entry is warned; an
    unpublished one signed outside the certificate is still refused."""
    roster = tree / "units/market/inspectors.csv"
    _replace(roster, "SCJG-010,田晨丽,market,SCJG2021010010,2021-07-01,2026-06-30,",
             "SCJG-010,田晨丽,market,SCJG2026120010,2026-07-01,2031-06-30,")  # fmt: skip
    findings = list(validate_corpus(load(tree, display_prefix="")))
    assert not [f.render() for f in findings if f.severity == "error"]
    later = [f for f in findings if f.code == "RESULT_ROSTER_CHANGED_LATER" and f.file == MARKET_RESULTS]
    assert [(f.line, f.value) for f in later][:1] == [(10, DRAWN_OBJECT)]
    assert "2026-07-01 至 2031-06-30" in later[0].render() and "2026-04-16" in later[0].render()
    assert withhold.plan(tree).files == []
    _replace(tree / MARKET_RESULTS, "  published_on: 2026-04-23\n", "")  # signed, not yet published
    errors = [(f.code, f.file, f.value) for f in _errors(tree)]
    assert errors == [("TEAM_CERT_INVALID", MARKET_RESULTS, "SCJG-010")]
