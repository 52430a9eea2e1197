"""ci site: verify, report into the forge's job summary, build — dated by the last commit."""

from __future__ import annotations

import os
import subprocess

import pytest

from generator.cli import main
from tests.support.tree import build_full
from tests.workflow.gitutil import make_repo

pytestmark = pytest.mark.heavy  # a real site build


def test_site_is_dated_by_the_last_commit_and_report_goes_to_the_summary(tmp_path, monkeypatch, capsys):
    repo = make_repo(tmp_path, {"README.md": "x\n"})
    build_full(repo / "records")  # a draw taken through request, accept, entropy and draw
    env = {**os.environ, "GIT_COMMITTER_DATE": "2026-06-30T12:00:00+08:00"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "records"], cwd=repo, check=True, env=env)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITEA_ACTIONS", raising=False)
    monkeypatch.delenv("FORGEJO_ACTIONS", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(repo / "records"), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert os.environ["SOURCE_DATE_EPOCH"] == "1782792000"  # the commit's time, not the clock
    assert (out_dir / "index.html").is_file()
    assert summary.read_text(encoding="utf-8").startswith("```text\n") and "已写入运行摘要" in out


HEALTH_RESULT = "units/health/results/T2026-market-01.yaml"


def _broken_health_result(root):
    path = root / HEALTH_RESULT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - '1'\n", "  - '不存在的类别'\n", 1), encoding="utf-8")
    return path


def test_one_units_broken_record_is_left_out_loudly_and_the_rest_is_published(tmp_path, monkeypatch, capsys):
    """A broken record already on main (one unit's) failed ci site for everybody: no deploy, no
    preview. Now the site is built without that file and the run says so; the file is never
    published (its entries get no published_on either)."""
    repo = make_repo(tmp_path, {"README.md": "x\n"})
    build_full(repo / "records")
    broken = _broken_health_result(repo / "records")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "records"], cwd=repo, check=True)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main(["ci", "publish", "--repo", str(repo), "--date", "2026-06-01"]) == 0
    out = capsys.readouterr().out
    assert f"records/{HEALTH_RESULT}：有错误，本次网站不收录，不记录公示日期" in out
    assert "published_on" not in broken.read_text(encoding="utf-8")
    # the joint task's other half cannot stand alone (its team is counted over both files): it is
    # left out with it, and says why
    market = "units/market/results/T2026-market-01.yaml"
    assert f"records/{market}：有错误" in out
    assert "published_on" not in (repo / "records" / market).read_text("utf-8")
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(repo / "records"), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"未收录：{HEALTH_RESULT}" in out and "RESULT_CATEGORY_UNKNOWN" in out, out
    assert f"未收录：{market}" in out and "TEAM_TOO_SMALL" in out
    assert (out_dir / "draws").is_dir()  # the rest (draws, units, tasks) is published
    assert (out_dir / "index.html").is_file()
    # and the public is told: every page carries the notice with the files left out
    for page in (out_dir / "index.html", next((out_dir / "draws").rglob("index.html"))):
        notice = page.read_text(encoding="utf-8")
        assert "部分记录暂未公开" in notice and HEALTH_RESULT in notice and market in notice, page
    assert not any(k.startswith("SSJ_WITHHELD") for k in os.environ)  # the next build shows no notice
    pages = "".join(p.read_text(encoding="utf-8") for p in out_dir.rglob("*.html"))
    assert "不存在的类别" not in pages
    assert not list(tmp_path.glob("**/.withheld-*")) and not list(repo.glob(".records.withheld-*"))


def test_an_error_in_county_yaml_still_publishes_nothing(tmp_path, capsys):
    repo = make_repo(tmp_path, {"README.md": "x\n"})
    build_full(repo / "records")
    county = repo / "records/county.yaml"
    county.write_text(county.read_text(encoding="utf-8") + "unknown_setting: 1\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "records"], cwd=repo, check=True)
    out_dir = tmp_path / "site"
    assert main(["ci", "site", "--records", str(repo / "records"), "--out", str(out_dir)]) != 0
    out = capsys.readouterr().out
    assert "county.yaml:25" in out and "FIELD_UNKNOWN" in out and not out_dir.exists()


def test_a_withheld_file_name_is_text_in_the_public_notice(tmp_path, monkeypatch, capsys):
    """A unit chooses its file names: one left out is named in every page's notice, never as markup."""
    records = tmp_path / "records"
    build_full(records)
    hostile = "<img src=x onerror=alert(1)>.yaml"
    source = sorted((records / "units" / "health" / "results").glob("*.yaml"))[0]
    (source.parent / hostile).write_bytes(source.read_bytes())  # ID_FILE_MISMATCH: an error
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(records), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    page = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "部分记录暂未公开" in page and "units/health/results/…" in page  # not a plain code: not shown
    assert "<img src=x" not in page and "onerror" not in page


def test_a_withheld_file_name_holding_private_data_is_not_published_and_does_not_stop_the_site(
    tmp_path, monkeypatch, capsys
):
    """The notice on every page named each file left out as the unit spelt it (red team, fifth round):
    a name holding a mobile number in Chinese numerals was published on every page, the same number
    in digits made the build's scan refuse the whole site (what leaving the file out is for), and a
    name such as ``D类企业名单`` published a credit class. A name shows only when it is a plain code."""
    records = tmp_path / "records"
    build_full(records)
    source = sorted((records / "units" / "health" / "results").glob("*.yaml"))[0]
    names = [
        "联系人幺三八零零一三九零零零.yaml",
        "13800138000.yaml",
        "D类企业名单.yaml",
        "T2026-health-99.yaml",
    ]
    for name in names:
        (source.parent / name).write_bytes(source.read_bytes())  # ID_FILE_MISMATCH: an error
    (records / "units" / "D类企业").mkdir()  # a folder without unit.yaml: UNIT_FILE_MISSING
    (records / "units" / "D类企业" / "items.yaml").write_text("unit: x\n", encoding="utf-8")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(records), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    page = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "部分记录暂未公开" in page and "units/health/results/T2026-health-99.yaml" in page
    assert "units/health/results/…" in page and "units/…/" in page
    pages = "".join(p.read_text(encoding="utf-8") for p in out_dir.rglob("*.html"))
    for hidden in ("幺三八零零一三九零零零", "13800138000", "D类"):
        assert hidden not in pages, hidden


def test_a_bad_cell_in_a_drawn_units_directory_does_not_stop_every_units_site(tmp_path, capsys):
    """Leaving out market's objects.csv (one bad cell) made the draw result name objects without a
    row, an error in a file no leaving out can clear: no unit's site was published. The draw's
    references to what was left out are consequences; the rest is published, loudly."""
    repo = make_repo(tmp_path, {"README.md": "x\n"})
    build_full(repo / "records")
    objects = repo / "records/units/market/objects.csv"
    text = objects.read_text(encoding="utf-8")
    objects.write_text(
        text.replace(",测试县第二中学食堂,企业,", ",测试县第二中学食堂,公司,", 1), encoding="utf-8"
    )
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "records"], cwd=repo, check=True)
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(repo / "records"), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "未收录：units/market/objects.csv" in out and "DRAW_OBJECT_MISSING" in out
    assert (out_dir / "draws").is_dir() and (out_dir / "index.html").is_file()
    assert "部分记录暂未公开" in (out_dir / "index.html").read_text(encoding="utf-8")
    assert not any(k.startswith("SSJ_WITHHELD") for k in os.environ)
    pages = "".join(p.read_text(encoding="utf-8") for p in out_dir.rglob("*.html"))
    assert "测试县第二中学食堂" not in pages  # nothing of the file left out is published


def test_the_consequences_list_admits_no_other_error(tmp_path, monkeypatch):
    # the trimmed build accepts exactly the listed findings: another error still refuses the records
    root = build_full(tmp_path / "records")
    (root / "units/health/plans/2026.yaml").write_text("year: [\n", encoding="utf-8")
    lists = tmp_path / "withheld.json"
    lists.write_text(
        '{"files": [], "consequences": [["YAML_SYNTAX", "x.yaml", 1, "", ""]]}', encoding="utf-8"
    )
    monkeypatch.setenv("SSJ_WITHHELD_FILE", str(lists))
    assert main(["build", "--records", str(root), "--out", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def test_a_units_unreadable_unit_yaml_keeps_the_unit_and_everyone_elses_records_on_the_site(tmp_path, capsys):
    """health's unit.yaml saved in GBK on main: leaving it out made the unit vanish, so market's joint
    task, items, plan and results naming health were left out too (in the sample: 149 files of 17
    units). Only the broken file is left out; the unit shows as a stand-in whose details are withheld."""
    records = tmp_path / "records"
    build_full(records)
    (records / "units/health/unit.yaml").write_bytes("id: health\nname: 县卫生健康委\n".encode("gbk"))
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(records), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    left_out = [line.strip() for line in out.splitlines() if line.strip().startswith("未收录：")]
    assert left_out == ["未收录：units/health/unit.yaml"], left_out
    pages = "".join(p.read_text(encoding="utf-8") for p in out_dir.rglob("*.html"))
    assert "T2026-market-01" in pages and "health（单位信息暂未公开）" in pages
    assert "Traceback" not in out


def test_hundreds_of_bad_files_in_one_unit_do_not_stop_the_site(tmp_path, capsys):
    """The list of withheld files went to the build through an environment variable; one pull request
    adding 700 bad files with long names (or a few thousand short ones) made it longer than Linux
    allows one variable (128 KiB), so spawning Pagefind failed with E2BIG and no unit's site was
    published. The lists now travel in a file."""
    records = tmp_path / "records"
    build_full(records)
    folder = records / "units/health/results"
    for i in range(700):
        (folder / (f"{i:04d}" + "x" * 200 + ".yaml")).write_text("a: 1\n", encoding="utf-8")
    out_dir = tmp_path / "site"
    code = main(["ci", "site", "--records", str(records), "--out", str(out_dir)])
    out = capsys.readouterr().out
    assert code == 0, out[-2000:]
    assert "Argument list too long" not in out and "注意：以下 700 个记录文件有错误" in out
    page = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "部分记录暂未公开" in page and "有 700 个记录文件" in page
    assert "T2026-market-01" in "".join(p.read_text(encoding="utf-8") for p in out_dir.rglob("*.html"))
    assert not any(k.startswith("SSJ_WITHHELD") for k in os.environ)
