"""``ci intake`` end to end (issue 16), on real temporary Git repositories with a bare remote.

A clerk's upload to ``inbox/<unit>/`` becomes exactly the expected record diff on the pull request's
branch, the upload is removed, and the one comment equals a golden file; an upload with errors
changes nothing and the comment names the cells; a corrected upload to the same branch converts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.tree import BASE
from tests.workflow.gitutil import git
from tests.workflow.intake_util import OBJECTS_HEADER, intake, make_intake_repo, upload, xlsx

GOLDEN = Path(__file__).parent / "fixtures" / "intake"
UPLOAD = "inbox/market/对象名录.xlsx"
OBJECTS = "records/units/market/objects.csv"
HEADER = [*OBJECTS_HEADER, "信用风险分类"]
NEW_ROW = ["91321323MAL3T13R4L", "统一社会信用代码", "泗阳县新开一号超市", "企业", "众兴街道", "示例路9号"]
NEW_ROW += ["食品销售", "存续", "B"]
MOVED = ["913213233BJ1XG612E", "统一社会信用代码", "测试县第一中学食堂", "企业", "众兴街道"]
MOVED += ["示例路1号（新址）", "学校食堂", "存续", "B"]
SAME = ["91321323J3Y7LLJY18", "统一社会信用代码", "测试县第二中学食堂", "企业", "众兴街道", "示例路2号"]
SAME += ["学校食堂", "存续", "B"]


def status(repo: Path, rev: str = "HEAD") -> list[tuple[str, str]]:
    out = git(repo, "-c", "core.quotepath=off", "diff", "--name-status", "--no-renames", f"{rev}~1", rev)
    return sorted(tuple(line.split("\t")) for line in out.splitlines())


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path) -> tuple[Path, Path]:
    return make_intake_repo(tmp_path, BASE)


def test_objects_upload_becomes_the_record_diff_on_the_branch(repo, tmp_path):
    work, remote = repo
    before = (work / OBJECTS).read_text(encoding="utf-8")
    uploaded = upload(work, {UPLOAD: xlsx([HEADER, NEW_ROW, MOVED, SAME])})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", comment=comment) == 0

    assert git(work, "rev-parse", "HEAD~1").strip() == uploaded, "one commit on top of the upload"
    assert status(work) == [("D", UPLOAD), ("M", OBJECTS)], "exactly the upload removed and one record file"
    expected = before.replace(
        "测试县第一中学食堂,企业,众兴街道,示例路1号,学校食堂,存续,A,否",
        "测试县第一中学食堂,企业,众兴街道,示例路1号（新址）,学校食堂,存续,B,否",
    )
    expected += (
        "91321323MAL3T13R4L,统一社会信用代码,泗阳县新开一号超市,企业,众兴街道,示例路9号,食品销售,存续,B,否\n"
    )
    assert expected != before
    assert (work / OBJECTS).read_text(encoding="utf-8") == expected
    assert not (work / UPLOAD).exists()
    assert git(remote, "rev-parse", "refs/heads/feature").strip() == head(work), "pushed to the PR branch"
    assert (
        git(remote, "rev-parse", "refs/heads/main").strip() == git(work, "rev-parse", "origin/main").strip()
    )
    assert git(work, "log", "-1", "--format=%an").strip() == "ssj-registry-bot"
    golden = (GOLDEN / "objects_comment.md").read_text(encoding="utf-8")
    assert comment.read_text(encoding="utf-8") == golden
    assert "A → B" not in golden, "an internal field's values stay out of the comment"


CODE_AS_NUMBER = 913213237601895000  # an 18-digit code Excel kept as a number: digits lost


def test_upload_with_errors_commits_nothing_and_names_the_cells(repo, tmp_path):
    work, remote = repo
    bad = [
        HEADER,
        [CODE_AS_NUMBER, *NEW_ROW[1:]],
        [*MOVED[:3], "公司", *MOVED[4:]],
        [*SAME[:4], "众兴镇", *SAME[5:]],
    ]
    uploaded = upload(work, {UPLOAD: xlsx(bad)})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", comment=comment) == 1

    assert head(work) == uploaded and git(work, "status", "--porcelain") == "", "no commit, nothing left"
    assert git(remote, "rev-parse", "refs/heads/feature").strip() == uploaded
    text = comment.read_text(encoding="utf-8")
    found = set(re.findall(r"^(对象名录![A-Z]+\d+): 错误 ([A-Z_]+) ", text, re.M))
    assert found == {
        ("对象名录!A2", "IMPORT_CODE_AS_NUMBER"),
        ("对象名录!D3", "FIELD_ENUM"),
        ("对象名录!E4", "IMPORT_TOWNSHIP_UNKNOWN"),
    }
    assert "“公司”" in text and "“众兴镇”" in text, "the value is quoted"
    assert "未转换，请改正后重新上传" in text and "没有提交任何改动" in text
    assert "Traceback" not in text

    # the clerk corrects the file and uploads it under the same name: the next run converts it
    fixed = upload(work, {UPLOAD: xlsx([HEADER, NEW_ROW, MOVED, SAME])})
    assert intake(work, "--branch", "feature", "--push", comment=comment) == 0
    assert git(work, "rev-parse", "HEAD~1").strip() == fixed
    assert status(work) == [("D", UPLOAD), ("M", OBJECTS)]
    assert "已转换为记录" in comment.read_text(encoding="utf-8")


def test_fork_gets_the_patch_in_the_comment_and_no_push(repo, tmp_path):
    work, remote = repo
    uploaded = upload(work, {UPLOAD: xlsx([HEADER, NEW_ROW])})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", "--fork", comment=comment) == 0

    assert git(remote, "rev-parse", "refs/heads/feature").strip() == uploaded, "nothing pushed for a fork"
    text = comment.read_text(encoding="utf-8")
    assert "复刻（fork）" in text
    patch = text.split("```diff\n", 1)[1].split("\n```", 1)[0] + "\n"
    assert "+++ b/records/units/market/objects.csv" in patch
    added = [line for line in patch.splitlines() if line.startswith("+9")]
    assert added == [
        "+91321323MAL3T13R4L,统一社会信用代码,泗阳县新开一号超市,企业,众兴街道,示例路9号,食品销售,存续,B,否"
    ]
    # the patch applies to the fork's branch as it was
    git(work, "reset", "-q", "--hard", uploaded)
    (tmp_path / "p.diff").write_text(patch, encoding="utf-8")
    git(work, "apply", "--check", str(tmp_path / "p.diff"))


def test_kind_from_a_shuoming_cell_when_the_name_says_nothing(repo, tmp_path):
    from openpyxl import load_workbook

    from generator.intake.templates import template_name, write_templates

    work, _ = repo
    (path,) = [p for p in write_templates(tmp_path / "t") if p.name == template_name("objects")]
    wb = load_workbook(path)
    for col, value in enumerate(NEW_ROW, start=1):
        wb["检查对象名录"].cell(2, col, value)
    wb.save(tmp_path / "上报.xlsx")
    upload(work, {"inbox/market/上报.xlsx": (tmp_path / "上报.xlsx").read_bytes()})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", comment=comment) == 0

    assert status(work) == [("D", "inbox/market/上报.xlsx"), ("M", OBJECTS)]
    assert "，检查对象，单位 market" in comment.read_text(encoding="utf-8")


def test_no_upload_means_no_comment_and_no_commit(repo, capsys):
    work, _ = repo
    uploaded = upload(
        work,
        {"records/units/market/unit.yaml": (work / "records/units/market/unit.yaml").read_bytes() + b"\n"},
    )
    assert intake(work) == 0
    assert head(work) == uploaded
    assert "无需转换" in capsys.readouterr().out


def test_refuses_to_run_code_from_the_tree_it_converts(tmp_path, capsys):
    from generator.cli import main

    project = Path(__file__).resolve().parents[2]
    assert main(["ci", "intake", "--tree", str(project)]) == 2
    assert "拒绝运行" in capsys.readouterr().out


def test_editing_a_folder_readme_is_no_upload(repo, capsys):
    work, _ = repo
    uploaded = upload(work, {"inbox/README.md": "说明已更新\n".encode()})
    assert intake(work, "--branch", "feature", "--push") == 0
    assert head(work) == uploaded
    assert "无需转换" in capsys.readouterr().out


def test_a_link_inside_records_stops_the_conversion(repo, tmp_path):
    import os

    work, _ = repo
    os.symlink("/etc/passwd", work / "records" / "units" / "market" / "notes.csv")
    uploaded = upload(work, {UPLOAD: xlsx([HEADER, NEW_ROW])})
    comment = tmp_path / "comment.md"
    assert intake(work, "--branch", "feature", comment=comment) == 1
    assert head(work) == uploaded
    text = comment.read_text(encoding="utf-8")
    assert re.search(r"^records/units/market/notes.csv: 错误 INBOX_LINK ", text, re.M), text


def test_the_push_guard_refuses_anything_but_the_upload_and_its_units_records(repo):
    from generator.cli.ci_steps.inbox import Upload
    from generator.cli.ci_steps.intake import allowed
    from generator.gitrepo import GitRepo

    work, _ = repo
    upload(work, {UPLOAD: b"x"}, push_to=None)
    base = head(work)
    (work / UPLOAD).unlink()
    (work / OBJECTS).write_text("changed\n", encoding="utf-8")
    (work / "records/units/health/unit.yaml").write_text("id: health\n", encoding="utf-8")
    (work / "records/county.yaml").unlink()
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "too much")
    problems = allowed(GitRepo(work), base, "records", [Upload(UPLOAD, unit="market")])
    assert problems == [
        "删除了上传和本单位记录以外的文件 records/county.yaml",
        "改动了上传和本单位记录以外的文件 records/units/health/unit.yaml",
    ]


def test_an_internal_failure_still_gives_a_comment_and_no_commit(repo, tmp_path, monkeypatch):
    import generator.intake

    def broken(*args, **kwargs):
        raise MemoryError

    work, _ = repo
    uploaded = upload(work, {UPLOAD: xlsx([HEADER, NEW_ROW])})
    monkeypatch.setattr(generator.intake, "plan_import", broken)
    comment = tmp_path / "comment.md"
    assert intake(work, "--branch", "feature", comment=comment) == 1
    assert head(work) == uploaded
    text = comment.read_text(encoding="utf-8")
    assert f"{UPLOAD}: 错误 IMPORT_FILE_UNREADABLE" in text and "MemoryError" in text


INSPECTORS = "inbox/market/执法人员.xlsx"


def test_one_bad_upload_is_refused_alone_and_the_others_are_committed(repo, tmp_path):
    """Two clerks' sheets in one pull request: the one with an error stays in inbox/ with its cells
    named; the other converts, is committed and pushed, and its upload is removed."""
    work, remote = repo
    bad = xlsx([["人员编号", "姓名", "所属单位"], ["SCJG-009", "王五", "market"]], sheet="执法人员")
    uploaded = upload(work, {UPLOAD: xlsx([HEADER, NEW_ROW]), INSPECTORS: bad})
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", "--push", comment=comment) == 1, (
        "a refused upload fails the check"
    )

    assert git(work, "rev-parse", "HEAD~1").strip() == uploaded
    assert status(work) == [("D", UPLOAD), ("M", OBJECTS)]
    assert (work / INSPECTORS).exists() and not (work / UPLOAD).exists()
    assert git(remote, "rev-parse", "refs/heads/feature").strip() == head(work), "the good part is pushed"
    assert git(work, "status", "--porcelain") == ""
    text = comment.read_text(encoding="utf-8")
    assert "部分转换" in text
    assert re.search(r"^执法人员!1: 错误 IMPORT_HEADER_MISSING ", text, re.M), text
    assert "新增 91321323MAL3T13R4L" in text
    assert f"{INSPECTORS}" in text and "留在 inbox/" in text
    assert "Traceback" not in text
