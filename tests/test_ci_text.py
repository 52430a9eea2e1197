"""Text the CI writes into rendered places stays text: the report in $GITHUB_STEP_SUMMARY (Markdown)."""

from __future__ import annotations

import os

import markdown

from generator.cli import main
from generator.reports.report_text import as_markdown_literal

PAYLOAD = "[点此领取](https://evil.example/x) <img src=x onerror=alert(1)> **粗** ```"


def _html(text: str) -> str:
    # GitHub renders the job summary as GFM; Python-Markdown with fenced_code renders fences the same.
    return markdown.markdown(text, extensions=["fenced_code"])


def test_record_text_in_the_step_summary_is_neither_link_nor_tag(full_tree, capsys):
    county = full_tree / "county.yaml"
    county.write_text(
        county.read_text(encoding="utf-8").replace("name: 测试县", f"name: '{PAYLOAD}'", 1), encoding="utf-8"
    )
    unit = full_tree / "units/market/unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("short_name: 市场监管", f"short_name: '{PAYLOAD}'"),
        encoding="utf-8",
    )
    code = main(["report", "--records", str(full_tree), "--today", "2026-12-31", "--format", "markdown"])
    out = capsys.readouterr().out
    assert code == 0 and PAYLOAD in out
    html = _html(out)
    assert "<a " not in html and "<img" not in html and "<strong>" not in html and "<h2" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_fence_cannot_be_closed_from_inside():
    text = "a\n````\n<img src=x>\n```````\n[x](http://e)\n"
    html = _html(as_markdown_literal(text))
    assert html.count("<pre>") == 1 and "<img" not in html and "<a " not in html


def test_annotations_show_escape_codes_and_undecodable_file_names(full_tree, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    folder = os.fsencode(full_tree / "units" / "market")
    with open(os.path.join(folder, b"x\xff\x1b[31m.yaml"), "wb") as fh:
        fh.write(b"a: 1\n")
    code = main(["validate", "--github", "--records", str(full_tree)])
    out = capsys.readouterr()
    assert code == 0, out.err  # a warning (FILE_UNKNOWN), not an encoding failure of the output (2)
    assert "\x1b" not in out.out + out.err and "surrogates" not in out.err
    assert any(
        line.startswith("::warning file=") and "\\udcff\\u001b" in line for line in out.out.splitlines()
    )
