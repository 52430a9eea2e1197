"""ci deploy: copy then switch a symlink in one rename; keep a few releases; refuse unsafe targets."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.cli import main
from generator.cli.ci_steps.deploy import deploy


def site(tmp_path, text: str):
    out = tmp_path / f"site-{text}"
    (out / "sub").mkdir(parents=True)
    (out / "index.html").write_text(text, encoding="utf-8")
    (out / "sub" / "page.html").write_text(text, encoding="utf-8")
    return out


def test_each_deploy_switches_the_link_and_keeps_the_last_releases(tmp_path):
    target = tmp_path / "www" / "ssj"
    for n in range(5):
        deploy(site(tmp_path, f"v{n}"), target, keep=3, now=dt.datetime(2026, 1, 1, 0, 0, n, tzinfo=dt.UTC))
        assert target.is_symlink()
        assert (target / "index.html").read_text(encoding="utf-8") == f"v{n}"
        assert (target / "sub" / "page.html").read_text(encoding="utf-8") == f"v{n}"
    releases = sorted(p.name for p in (tmp_path / "www" / "ssj.releases").iterdir())
    assert len(releases) == 3 and releases[-1].startswith("20260101T000004")


def test_refuses_a_plain_directory_and_a_site_without_index(tmp_path, capsys):
    target = tmp_path / "www"
    target.mkdir()
    (target / "old.html").write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match="普通目录"):
        deploy(site(tmp_path, "v1"), target)
    assert (target / "old.html").read_text(encoding="utf-8") == "old"
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["ci", "deploy", "--site", str(empty), "--to", str(tmp_path / "new")])
    assert code == 1 and "没有 index.html" in capsys.readouterr().out
    assert not (tmp_path / "new").exists()


def test_command_needs_a_target(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("SSJ_SITE_DIR", raising=False)
    assert main(["ci", "deploy", "--site", str(site(tmp_path, "v"))]) == 2
    assert "SSJ_SITE_DIR" in capsys.readouterr().out
