"""append-check on real Git repositories: base on main, a feature branch that edits records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.workflow.gitutil import commit, make_repo

PROJECT = Path(__file__).resolve().parents[2]
RESULT = "records/units/market/results/T2026-market-01.yaml"
DRAW1 = "records/draws/2026/D2026-0001"
DRAW2 = "records/draws/2026/D2026-0002"

RESULT_TEXT = """\
task: T2026-market-01
unit: market
draw: D2026-0001
entries:
  - object: 91321323MA1YB3R18F
    inspectors: [SCJG-001]
    inspected_on: 2026-04-20
    entered_on: 2026-04-24
    categories: ["1"]
    findings: 未发现问题
    amendments: []
  - object: 92321323MA21D5U31D
    inspectors: [SCJG-003]
    inspected_on: 2026-04-22
    entered_on: 2026-05-15
    categories: ["3"]
    findings: 留样记录不全
    amendments:
      - date: 2026-05-20
        reason: 补充整改情况
        changes: {disposition: 责令改正}
"""


def request(seq: int, draw_id: str, extra: str = "") -> str:
    return f"id: {draw_id}\nseq: {seq}\ntask: T2026-market-01\nsources:\n  - {{kind: drand, name: quicknet, round: 5000}}\n{extra}"


BASE = {
    RESULT: RESULT_TEXT,
    f"{DRAW1}/request.yaml": request(1, "D2026-0001", "accepted: {round: 3000}\n"),
    f"{DRAW1}/pool-objects.csv": "id\n91321323MA1YB3R18F\n",
    "records/county.yaml": "name: 泗阳县\n",
}


def run_check(repo: Path, capsys) -> tuple[int, str]:
    code = main(["append-check", "--base", "main", "--repo", str(repo)])
    return code, capsys.readouterr().out


def codes(output: str) -> list[str]:
    return sorted(
        word for line in output.splitlines() for word in line.split() if word.isupper() and "_" in word
    )


def test_untouched_and_unrelated_changes_pass(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {"records/county.yaml": "name: 泗阳县\ncode: '321323'\n", "README.md": "x\n"})
    code, out = run_check(repo, capsys)
    assert code == 0, out
    assert "只追加检查通过" in out


def test_editing_published_result_fails_naming_file_and_rule(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {RESULT: RESULT_TEXT.replace("entered_on: 2026-05-15", "entered_on: 2026-04-28")})
    code, out = run_check(repo, capsys)
    assert code == 1
    assert codes(out) == ["APPEND_ENTRY_CHANGED"]
    line = next(x for x in out.splitlines() if "APPEND_ENTRY_CHANGED" in x)
    # file:line of the edited field, the object, the field and the rule, in Chinese
    assert line.startswith(f"{RESULT}:15:")
    assert "92321323MA21D5U31D" in line and "entered_on" in line and "检查结果只追加更正" in line


def test_appending_an_amendment_and_a_new_entry_passes(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    amended = RESULT_TEXT.replace(
        "    amendments: []\n",
        "    amendments:\n      - date: 2026-05-02\n        reason: 结果类别录错\n        changes: {categories: ['3']}\n",
    ) + (
        "  - object: 91321323MA1YB3R99X\n    inspectors: [SCJG-001]\n    inspected_on: 2026-04-25\n"
        "    entered_on: 2026-04-28\n    categories: ['1']\n    findings: 未发现问题\n"
    )
    commit(repo, {RESULT: amended})
    code, out = run_check(repo, capsys)
    assert code == 0, out


def test_reformatting_without_changing_values_passes(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {RESULT: RESULT_TEXT.replace('categories: ["1"]', "categories:\n      - '1'")})
    assert run_check(repo, capsys)[0] == 0


def test_removed_entry_changed_amendment_incomplete_amendment(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    text = RESULT_TEXT.split("  - object: 92321323MA21D5U31D")[0]  # second entry removed
    commit(
        repo,
        {RESULT: text.replace("    amendments: []\n", "    amendments:\n      - {changes: {findings: x}}\n")},
    )
    code, out = run_check(repo, capsys)
    assert code == 1
    assert codes(out) == ["APPEND_AMENDMENT_INCOMPLETE", "APPEND_ENTRY_REMOVED"]
    assert "日期和原因" in out

    repo2 = make_repo(tmp_path / "b", BASE)
    commit(repo2, {RESULT: RESULT_TEXT.replace("reason: 补充整改情况", "reason: 改了原因")})
    code, out = run_check(repo2, capsys)
    assert code == 1 and codes(out) == ["APPEND_AMENDMENT_CHANGED"]


def test_deleting_or_renaming_published_files_fails(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(
        repo,
        {
            RESULT: None,
            f"{DRAW1}/pool-objects.csv": None,
            "records/units/market/results/T2026-market-09.yaml": RESULT_TEXT,
        },
    )
    code, out = run_check(repo, capsys)
    assert code == 1
    # the moved file's entries are new to the check (delete + add): dated 2026-04, they arrive
    # after their 10 working days, a warning (tests/workflow/test_result_arrival.py)
    assert codes(out) == ["APPEND_DELETED", "APPEND_DELETED", "APPEND_RESULT_ENTERED_BEFORE_ARRIVAL"]
    assert "抽取登记簿只追加" in out and "检查结果只追加更正" in out


def test_draw_folder_may_gain_entropy_once_but_nothing_else(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW1}/entropy.yaml": "id: D2026-0001\nceremony: {meeting: '370215'}\n"})
    assert run_check(repo, capsys)[0] == 0
    commit(repo, {f"{DRAW1}/pool-extra.csv": "id\n"})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["DRAW_FILE_ADDED"]


def test_editing_published_draw_files(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW1}/pool-objects.csv": "id\n91321323MA1YB3R18F\n91321323MA1YB3R99X\n"})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_EDITED"]
    assert f"{DRAW1}/pool-objects.csv" in out


def test_request_locked_once_entropy_exists(tmp_path, capsys):
    base = dict(BASE) | {f"{DRAW1}/entropy.yaml": "id: D2026-0001\n"}
    repo = make_repo(tmp_path, base)
    commit(repo, {f"{DRAW1}/request.yaml": request(1, "D2026-0001", "accepted: {round: 3000}\nnote: x\n")})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["DRAW_REQUEST_LOCKED"]


def test_pull_request_cannot_add_the_acceptance_record(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW1}/accepted.yaml": "id: D2026-0001\nlatest_round: 1\n"})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["DRAW_REQUEST_PREACCEPTED"]


def test_new_request_continues_sequence(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW2}/request.yaml": request(2, "D2026-0002"), f"{DRAW2}/pool-objects.csv": "id\n"})
    assert run_check(repo, capsys)[0] == 0


def test_new_request_with_gap_with_entropy_and_preaccepted(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(
        repo,
        {
            f"{DRAW2}/request.yaml": request(3, "D2026-0002", "accepted: {round: 1}\n"),
            f"{DRAW2}/entropy.yaml": "id: D2026-0002\n",
        },
    )
    code, out = run_check(repo, capsys)
    assert code == 1
    assert codes(out) == ["DRAW_REQUEST_PREACCEPTED", "DRAW_REQUEST_WITH_ENTROPY", "DRAW_SEQ_GAP"]
    gap = next(x for x in out.splitlines() if "DRAW_SEQ_GAP" in x)
    assert f"{DRAW2}/request.yaml:2:" in gap and "顺序号为 3，应为 2" in gap


def test_two_new_requests_with_the_same_seq(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(
        repo,
        {
            f"{DRAW2}/request.yaml": request(2, "D2026-0002"),
            "records/draws/2026/D2026-0003/request.yaml": request(2, "D2026-0003"),
        },
    )
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["DRAW_SEQ_GAP"]


def test_github_annotations_and_missing_base(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {RESULT: None})
    code = main(["append-check", "--base", "main", "--repo", str(repo), "--github"])
    out = capsys.readouterr().out
    assert code == 1 and f"::error file={RESULT},line=1,title=APPEND_DELETED::" in out
    assert main(["append-check", "--base", "origin/nope", "--repo", str(repo)]) == 2
    assert "找不到 Git 版本" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--base", "main"]])
def test_command_line_exit_code(tmp_path, args):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {RESULT: RESULT_TEXT.replace("findings: 未发现问题", "findings: 已整改")})
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "append-check", *args, "--repo", str(repo)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT)},
    )
    assert proc.returncode == 1
    assert "APPEND_ENTRY_CHANGED" in proc.stdout and RESULT in proc.stdout


def test_changing_a_result_files_own_field_fails(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {RESULT: RESULT_TEXT.replace("draw: D2026-0001", "draw: D2026-0009")})
    code, out = run_check(repo, capsys)
    assert code == 1
    assert codes(out) == ["APPEND_FIELD_CHANGED"]
    assert f"{RESULT}:3:" in out


def test_an_unreadable_new_request_fails(tmp_path, capsys):
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"{DRAW2}/request.yaml": "id: D2026-0002\nseq: [\n"})
    code, out = run_check(repo, capsys)
    assert code == 1
    assert codes(out) == ["DRAW_REQUEST_UNREADABLE"]


OBJECTS = "records/units/market/objects.csv"
OBJECTS_TEXT = (
    "对象编号,编号类型,名称,对象类型\n"
    "91321323MA1YB3R18F,统一社会信用代码,泗阳县甲餐饮店,企业\n"  # has a result
    "91321323MA1YB3R29X,统一社会信用代码,泗阳县乙超市,企业\n"  # drawn (result.yaml)
    "91321323MA1YB3R30Y,统一社会信用代码,泗阳县丙药店,企业\n"  # never drawn
)
DRAWN = "records/draws/2026/D2026-0001/result.yaml"
DRAWN_TEXT = "id: D2026-0001\ntask: T2026-market-01\noutput:\n  objects:\n  - id: 91321323MA1YB3R29X\n"


def test_renaming_a_drawn_or_inspected_object_is_refused(tmp_path, capsys):
    """The registry knows objects by id; the pages show today's name. A rename after the draw made
    the published draw and result read as another firm's (known break 1 of the last red team)."""
    repo = make_repo(tmp_path, {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT})
    renamed = (
        OBJECTS_TEXT.replace("泗阳县甲餐饮店", "泗阳县某某大酒店")
        .replace("泗阳县乙超市", "泗阳县丁超市")
        .replace("泗阳县丙药店", "泗阳县丙大药房")
    )
    commit(repo, {OBJECTS: renamed})
    code, out = run_check(repo, capsys)
    assert code == 1, out
    assert codes(out) == ["APPEND_OBJECT_RENAMED", "APPEND_OBJECT_RENAMED"]
    assert f"{OBJECTS}:2" in out and "“泗阳县甲餐饮店”改为“泗阳县某某大酒店”" in out and RESULT in out
    assert f"{OBJECTS}:3" in out and DRAWN in out
    assert "泗阳县丙药店" not in out  # a never-drawn object may be renamed freely


def test_adding_objects_and_editing_other_columns_pass(tmp_path, capsys):
    repo = make_repo(tmp_path, {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT})
    more = (
        OBJECTS_TEXT.replace(",企业\n", ",个体工商户\n", 1)
        + "91321323MA1YB3R41Z,统一社会信用代码,新店,企业\n"
    )
    commit(repo, {OBJECTS: more})
    code, out = run_check(repo, capsys)
    assert code == 0, out


def test_a_live_county_cannot_switch_demo_mode_back_on(tmp_path, capsys):
    """demo: true lets draws use a demo beacon chain whose key is public (a grindable beacon): a
    county running real draws may not go back to it; a demonstration county may go live."""
    repo = make_repo(tmp_path, {**BASE, "records/county.yaml": "name: 泗阳县\ndemo: false\n"})
    commit(repo, {"records/county.yaml": "name: 泗阳县\ndemo: true\n"})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_DEMO_SWITCHED_ON"], out
    assert "records/county.yaml:2" in out
    demo = make_repo(tmp_path / "demo", {**BASE, "records/county.yaml": "name: 泗阳县\ndemo: true\n"})
    commit(demo, {"records/county.yaml": "name: 泗阳县\ndemo: false\n"})
    code, out = run_check(demo, capsys)
    assert code == 0, out


def test_a_live_county_refuses_every_demo_chain_draw(tmp_path):
    """The sample's draws use its demo chain; with demo: false every one of them is DRAW_POLICY."""
    import shutil

    from generator.corpus import load
    from generator.validation import validate_corpus

    root = tmp_path / "records"
    shutil.copytree(PROJECT / "records", root)
    county = root / "county.yaml"
    county.write_text(
        county.read_text(encoding="utf-8").replace("demo: true", "demo: false"), encoding="utf-8"
    )
    errors = [f for f in validate_corpus(load(root)) if f.severity == "error"]
    requests = sorted(root.glob("draws/*/*/request.yaml"))
    assert requests and {f.code for f in errors} == {"DRAW_POLICY"}
    assert len(errors) == len(requests) and all("真实抽取必须使用 quicknet" in f.message for f in errors)


def test_a_hostile_objects_file_gives_findings_not_a_crash(tmp_path, capsys):
    """A NUL byte or a field over the csv module's limit raised csv.Error inside the trusted check."""
    repo = make_repo(tmp_path, {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT})
    hostile = OBJECTS_TEXT.replace("泗阳县乙超市", "泗阳县丁超市") + "x,\0," + "y" * 300_000 + ",企业\n"
    commit(repo, {OBJECTS: hostile})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_OBJECT_RENAMED"], out


def test_a_machine_name_header_is_read_as_the_loader_reads_it(tmp_path, capsys):
    """The loader takes a column by its label or its machine name (id,id_kind,name,kind); the check
    read only 对象编号/名称, found nothing and let the rename through."""
    machine = OBJECTS_TEXT.replace("对象编号,编号类型,名称,对象类型", "id,id_kind,name,kind")
    repo = make_repo(tmp_path, {**BASE, OBJECTS: machine, DRAWN: DRAWN_TEXT})
    commit(repo, {OBJECTS: machine.replace("泗阳县甲餐饮店", "泗阳县某某大酒店")})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_OBJECT_RENAMED"], out
    assert f"{OBJECTS}:2" in out and "“泗阳县甲餐饮店”改为“泗阳县某某大酒店”" in out
    # a Chinese base and a machine-name head (or the reverse) are the same columns too
    repo = make_repo(tmp_path / "mixed", {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT})
    commit(repo, {OBJECTS: machine.replace("泗阳县甲餐饮店", "泗阳县某某大酒店")})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_OBJECT_RENAMED"], out


@pytest.mark.parametrize("spelling", ["91321323ma1yb3r18f", "９1321323MA1YB3R18F", "91321323 MA1YB3R18F"])
def test_an_id_spelled_another_way_is_the_same_object(spelling, tmp_path, capsys):
    """Validation only warns USCC_NORMALISED and files the row under the plain code, so the page
    shows the new name: the check must compare the same normalised ids."""
    repo = make_repo(tmp_path, {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT})
    respelt = OBJECTS_TEXT.replace(
        "91321323MA1YB3R18F,统一社会信用代码,泗阳县甲餐饮店", f"{spelling},统一社会信用代码,泗阳县某某大酒店"
    )
    commit(repo, {OBJECTS: respelt})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_OBJECT_RENAMED"], out
    assert f"{OBJECTS}:2" in out and "91321323MA1YB3R18F" in out and RESULT in out
    # the same spelling with the name kept is no rename
    repo = make_repo(tmp_path / "kept", {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT})
    commit(repo, {OBJECTS: OBJECTS_TEXT.replace("91321323MA1YB3R18F,", f"{spelling},")})
    code, out = run_check(repo, capsys)
    assert code == 0, out


@pytest.mark.parametrize(
    ("head", "detail", "line"),
    [
        (OBJECTS_TEXT.encode("gb18030"), "不是 UTF-8 编码的文本", ""),
        (OBJECTS_TEXT.replace("名称", "名字", 1).encode(), "表头中没有“名称”（name）列", ":1"),
        (b"\xef\xbb\xbf" + OBJECTS_TEXT.replace("对象编号,", "编码,", 1).encode(), "“对象编号”（id）", ":1"),
        (OBJECTS_TEXT.replace(",", "," + "x" * 200_000 + ",", 1).encode(), "表头无法解析", ":1"),
    ],
    ids=["encoding", "no-name-column", "no-id-column", "header-over-field-limit"],
)
def test_an_unreadable_objects_file_that_held_drawn_objects_is_refused(head, detail, line, tmp_path, capsys):
    """Nothing read is no proof that nothing was renamed: a head file the check cannot read, where
    the base file named drawn or inspected objects, is refused (validate alone might be skipped)."""
    repo = make_repo(tmp_path, {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT})
    (repo / OBJECTS).write_bytes(head)
    subprocess.run(["git", "-C", str(repo), "commit", "-qam", "unreadable"], check=True)
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["APPEND_OBJECTS_UNREADABLE"], out
    assert f"{OBJECTS}{line}" in out and detail in out and "有 2 个已被抽中或已有检查结果的对象" in out


def test_an_unreadable_objects_file_without_drawn_objects_is_left_to_validate(tmp_path, capsys):
    other = "records/units/health/objects.csv"
    repo = make_repo(tmp_path, {**BASE, OBJECTS: OBJECTS_TEXT, DRAWN: DRAWN_TEXT, other: OBJECTS_TEXT[:19]})
    commit(repo, {other: "编码,名字\nx,y\n"})
    code, out = run_check(repo, capsys)
    assert code == 0, out


@pytest.mark.parametrize(
    "name", ["pool-internal.json", "substitutions.yaml", "notes.md"], ids=["pool", "substitutions", "other"]
)
def test_a_new_draw_folder_must_start_with_its_request(tmp_path, capsys, name):
    # Break: a pull request adding records/draws/2026/D2026-0099/pool-internal.json alone passed this
    # check and validate; after the merge CI's accept took the folder for an unreadable request,
    # wrote refused.yaml and a log line there (a registry that no pull request may edit), and
    # validate and verify then failed on it for good: no unit's site was published again.
    repo = make_repo(tmp_path, BASE)
    commit(repo, {f"records/draws/2026/D2026-0099/{name}": "{}\n"})
    code, out = run_check(repo, capsys)
    assert code == 1 and codes(out) == ["DRAW_FOLDER_WITHOUT_REQUEST"], out
    assert f"records/draws/2026/D2026-0099/{name}" in out


PUBLISHED_TEXT = RESULT_TEXT.replace(
    "    entered_on: 2026-04-24\n", "    entered_on: 2026-04-24\n    published_on: 2026-04-27\n"
)


def _amended(day: str) -> str:
    return PUBLISHED_TEXT.replace(
        "    amendments: []\n",
        f"    amendments:\n      - date: {day}\n        reason: 补充\n        changes: {{findings: 已整改}}\n",
    )


def test_an_amendment_backdated_before_the_entrys_publication_is_refused(tmp_path, capsys):
    # CI dated the entry published on 2026-04-27 (published_on, its clock); an amendment a later
    # pull request appends cannot have been made before then. Dated 2026-04-25 it showed the
    # public a correction made two days after the entry, before the result was ever published.
    repo = make_repo(tmp_path, {**BASE, RESULT: PUBLISHED_TEXT})
    commit(repo, {RESULT: _amended("2026-04-25")})
    code, out = run_check(repo, capsys)
    assert code == 1, out
    assert codes(out) == ["APPEND_AMENDMENT_BACKDATED"]
    assert "2026-04-25" in out and "2026-04-27" in out and "entries[1].amendments[1]" in out


def test_an_amendment_dated_on_or_after_publication_or_to_an_unpublished_entry_passes(tmp_path, capsys):
    repo = make_repo(tmp_path, {**BASE, RESULT: PUBLISHED_TEXT})
    commit(repo, {RESULT: _amended("2026-04-27")})
    code, out = run_check(repo, capsys)
    assert code == 0, out
    repo = make_repo(tmp_path / "unpublished", BASE)  # not yet published: any date after the entry
    commit(
        repo,
        {
            RESULT: RESULT_TEXT.replace(
                "    amendments: []\n",
                "    amendments:\n      - date: 2026-04-25\n        reason: 补充\n        changes: {findings: 已整改}\n",
            )
        },
    )
    code, out = run_check(repo, capsys)
    assert code == 0, out
