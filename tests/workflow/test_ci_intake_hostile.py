"""Hostile uploads to inbox/ (issue 16): each gives a clean Chinese comment naming the problem, exit 1,
no commit, no traceback — and nothing of the file reaches a spreadsheet library before the checks.

Who controls an upload: anyone who can open a pull request. Cases: formulas, 200 MB, zip bombs (by
ratio, and one lying about its sizes), HTML named .xlsx, a path in the file name, a folder that is
no unit, a symbolic link, a .et file, too many rows, and Markdown/HTML in cells and names.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator.cli.ci_steps import inbox
from generator.cli.ci_steps.intake_comment import block, code_span
from tests.support.tree import BASE
from tests.workflow.gitutil import git
from tests.workflow.intake_util import OBJECTS_HEADER, intake, make_intake_repo, upload, xlsx

ROW = [
    "91321323MAL3T13R4L",
    "统一社会信用代码",
    "泗阳县新开一号超市",
    "企业",
    "众兴街道",
    "示例路9号",
    "",
    "存续",
]


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory):
    return make_intake_repo(tmp_path_factory.mktemp("hostile"), BASE)[0]


@pytest.fixture
def work(base_repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(base_repo), str(clone))
    git(clone, "checkout", "-q", "-B", "feature", "origin/feature")
    for key, value in (("user.email", "x@example.invalid"), ("user.name", "X"), ("commit.gpgsign", "false")):
        git(clone, "config", key, value)
    return clone


def refused(work: Path, tmp_path: Path, files: dict[str, bytes]) -> tuple[str, str]:
    """Upload, run, and check the common promise; returns (comment, HEAD)."""
    uploaded = upload(work, files, push_to=None)
    comment = tmp_path / "comment.md"
    assert intake(work, "--branch", "feature", comment=comment) == 1
    assert git(work, "rev-parse", "HEAD").strip() == uploaded, "no commit"
    assert git(work, "status", "--porcelain") == "", "nothing left in the tree"
    text = comment.read_text(encoding="utf-8")
    assert "Traceback" not in text and "没有提交任何改动" in text
    return text, uploaded


def errors(text: str) -> set[tuple[str, str]]:
    return set(re.findall(r"^(\S+): 错误 ([A-Z_]+) ", text, re.M))


def test_formulas_are_refused_by_cell_never_evaluated(work, tmp_path):
    data = xlsx(
        [
            OBJECTS_HEADER,
            [*ROW[:5], '=HYPERLINK("http://evil.invalid","点此")', *ROW[6:]],
            [*ROW[:2], "=1+1", *ROW[3:]],
        ]
    )
    text, _ = refused(work, tmp_path, {"inbox/market/对象名录.xlsx": data})
    assert errors(text) == {("inbox/market/对象名录.xlsx", "INBOX_FORMULA")}
    assert "对象名录!F2、对象名录!C3" in text


def test_an_upload_over_the_size_limit_is_never_read(work, tmp_path):
    big = b"\0" * (inbox.MAX_UPLOAD_BYTES + 1)
    text, _ = refused(work, tmp_path, {"inbox/market/对象名录.csv": big})
    assert errors(text) == {("inbox/market/对象名录.csv", "INBOX_TOO_LARGE")}


@pytest.mark.heavy
def test_a_200_mb_upload(work, tmp_path):
    path = work / "inbox" / "market" / "对象名录.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    text, _ = refused(work, tmp_path, {})
    assert errors(text) == {("inbox/market/对象名录.xlsx", "INBOX_TOO_LARGE")}
    assert "200.0 MB" in text


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_by_ratio(work, tmp_path):
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * (64 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    text, _ = refused(work, tmp_path, {"inbox/market/对象名录.xlsx": bomb})
    assert errors(text) == {("inbox/market/对象名录.xlsx", "INBOX_ZIP_BOMB")}
    assert "压缩比" in text


def test_zip_members_lying_about_their_size_are_counted_as_inflated(monkeypatch):
    """The directory claims 10 bytes; the stream inflates to 3 MB. The real bytes are what counts."""
    monkeypatch.setattr(inbox, "MAX_UNCOMPRESSED", 2 * 1024 * 1024)
    payload = os.urandom(3 * 1024 * 1024)  # incompressible: no ratio alarm, only the total
    data = bytearray(_zip({"xl/worksheets/sheet1.xml": payload}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # uncompressed size in the directory
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0].file_size == 10
    found = inbox.scan_zip(bytes(data), "inbox/market/x.xlsx")
    assert [(p.code, p.where) for p in found] == [("INBOX_ZIP_BOMB", "inbox/market/x.xlsx")]


def test_html_named_xlsx(work, tmp_path):
    page = "<html><body><table><tr><td>对象编号</td></tr></table><script>alert(1)</script></body></html>"
    text, _ = refused(work, tmp_path, {"inbox/market/对象名录.xlsx": page.encode()})
    assert errors(text) == {("inbox/market/对象名录.xlsx", "INBOX_NOT_SPREADSHEET")}
    assert "网页（HTML）" in text


@pytest.mark.parametrize(
    "path",
    [
        "inbox/market/..\\..\\records\\county.yaml.xlsx",
        "inbox/market/sub/对象名录.xlsx",
        "inbox/对象名录.xlsx",
        "inbox/market/-对象名录.xlsx",
    ],
)
def test_a_path_in_the_file_name_or_a_wrong_depth(work, tmp_path, path):
    text, _ = refused(work, tmp_path, {path: xlsx([OBJECTS_HEADER, ROW])})
    assert errors(text) == {(path, "INBOX_PATH")}
    assert not (work / "records" / "county.yaml.xlsx").exists()


def test_a_folder_that_is_no_unit(work, tmp_path):
    text, _ = refused(work, tmp_path, {"inbox/markt/对象名录.xlsx": xlsx([OBJECTS_HEADER, ROW])})
    assert errors(text) == {("inbox/markt/对象名录.xlsx", "INBOX_UNIT_UNKNOWN")}
    assert "market" in text


def test_a_symbolic_link_is_not_followed(work, tmp_path):
    link = work / "inbox" / "market" / "对象名录.csv"
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink("../../records/units/market/objects.csv", link)
    text, _ = refused(work, tmp_path, {})
    assert errors(text) == {("inbox/market/对象名录.csv", "INBOX_LINK")}


def test_wps_et_file_and_unknown_kind(work, tmp_path):
    text, _ = refused(
        work,
        tmp_path,
        {"inbox/market/对象名录.et": b"\xd0\xcf\x11\xe0", "inbox/market/上报.csv": "甲,乙\n1,2\n".encode()},
    )
    assert errors(text) == {
        ("inbox/market/对象名录.et", "INBOX_FILE_TYPE"),
        ("inbox/market/上报.csv", "INBOX_KIND_UNKNOWN"),
    }
    assert "另存为" in text


def test_too_many_rows(work, tmp_path):
    rows = ",".join(OBJECTS_HEADER) + "\n" + "a,b\n" * (inbox.MAX_ROWS + 1)
    text, _ = refused(work, tmp_path, {"inbox/market/对象名录.csv": rows.encode()})
    assert errors(text) == {("inbox/market/对象名录.csv", "INBOX_TOO_MANY_ROWS")}


def test_cell_text_and_names_stay_inert_in_the_comment():
    """Markdown, HTML, mentions and backtick runs in a value cannot leave their code block or span."""
    hostile = "```\n</details><img src=x onerror=alert(1)> @everyone [x](javascript:alert(1))"
    lines = block([hostile])
    fence = lines[0].removesuffix("text")
    assert len(fence) > 3 and lines[-1] == fence and fence not in lines[1]
    span = code_span("对象``名录`.xlsx")
    assert span.startswith("``` ") and span.endswith(" ```")
    assert "\x1b" not in code_span("a\x1b[31mb")


def _stage(work: Path, path: str, data: bytes) -> None:
    """Add a file to the index only: a name the runner's file system may refuse (as a forge stores it)."""
    proc = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=work, input=data, capture_output=True)
    blob = proc.stdout.decode().strip()
    git(work, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}")


@pytest.mark.parametrize(
    "name",
    [
        "泗阳县市场监督管理局" * 9 + "对象名录.xlsx",  # 99 characters, 287 bytes: over NAME_MAX (255)
        "对象名录\u202excslx.xlsx",  # a right-to-left override that shows the name reversed
        "对象\u200b名录.xlsx",  # an invisible zero-width space
    ],
)
def test_an_unusable_file_name_is_refused_alone_and_the_other_upload_converts(work, tmp_path, name):
    good = "inbox/market/对象名录.xlsx"
    bad = f"inbox/market/{name}"
    sheet = xlsx([[*OBJECTS_HEADER, "信用风险分类"], [*ROW, "B"]])
    upload(work, {good: sheet}, push_to=None)
    _stage(work, bad, sheet)
    git(work, "commit", "-q", "-m", "上传文件")
    comment = tmp_path / "comment.md"

    assert intake(work, "--branch", "feature", comment=comment) == 1

    text = comment.read_text(encoding="utf-8")
    assert "Traceback" not in text and "转换程序出错" not in text
    assert re.findall(r"^(\S+): 错误 ([A-Z_]+) ", text, re.M) == [(bad, "INBOX_NAME")]
    changed = git(work, "-c", "core.quotepath=off", "diff", "--name-status", "HEAD~1", "HEAD").splitlines()
    assert sorted(changed) == [f"D\t{good}", "M\trecords/units/market/objects.csv"], (
        "the good upload converted"
    )
    assert bad in git(work, "-c", "core.quotepath=off", "ls-files", "inbox").splitlines(), "the bad one stays"
    assert "部分转换" in text and "留在 inbox/" in text


def test_a_long_comment_keeps_every_upload_and_the_closing_paragraph_within_the_forges_limit():
    """Three uploads with hundreds of errors each: the forge cuts a comment at 65,536 characters, and
    cutting the text at the end lost the later uploads and the paragraph saying what was committed and
    what stays in inbox/. Each upload's lists are shortened instead; the rest is in the CI log."""
    from generator.cli.ci_steps.forge_api import MAX_BODY
    from generator.cli.ci_steps.intake_comment import Outcome, render
    from generator.intake.catalog import problem

    def outcome(i: int, converted: bool) -> Outcome:
        o = Outcome(f"inbox/market/对象名录{i}.xlsx", "market", "objects", sheet="对象名录", header_row=1)
        if converted:
            o.converted, o.summary = True, "新增 1 条，修改 0 条，删除 0 条，未变 0 条"
            return o
        o.problems = [
            problem(
                "FIELD_ENUM", f"对象名录!D{r}", "公司" * 20, label="对象类型", expected="企业、个体工商户"
            )
            for r in range(2, 900)
        ]
        return o

    outcomes = [outcome(1, False), outcome(2, False), outcome(3, True), outcome(4, False)]
    text = render(outcomes, "committed")

    assert len(text) <= MAX_BODY
    assert all(f"对象名录{i}.xlsx" in text for i in range(1, 5))
    assert "有错误的文件没有转换，留在 inbox/ 中" in text and text.rstrip().endswith("转换会自动重新运行。")
    assert "其余见 CI 日志" in text
