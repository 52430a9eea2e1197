"""The printable check sheet (检查表): one A4 page per drawn object, prefilled from the draw.

Every team member of the object's drawn group gets a row with name, unit, 执法证号 and a signature
line (it used to be one signature line for a three-person, three-unit team), and the sheet names the
draw and the group. Printed by Chromium to PDF: N objects -> N pages.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser

import pytest

from tests.site.conftest import FIXTURE_RECORDS

SHEET = "tasks/T2026-market-01-sheet/"


class Sheets(HTMLParser):
    """Each <section class="sheet">: its text and its rows (cell texts, blanks counted as '_')."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sheets: list[dict] = []
        self._depth = 0
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "sheet" in (a.get("class") or "").split():
            self.sheets.append({"text": "", "rows": []})
            self._depth = 1
        elif self._depth and tag == "section":
            self._depth += 1
        elif self._depth and tag == "tr":
            self._row = []
        elif self._depth and tag in ("td", "th") and self._row is not None:
            self._row.append("")
        elif self._depth and tag == "span" and a.get("class") == "blank" and self._row:
            self._row[-1] += "_"

    def handle_endtag(self, tag):
        if self._depth and tag == "section":
            self._depth -= 1
        elif self._depth and tag == "tr" and self._row is not None:
            self.sheets[-1]["rows"].append([c.strip() for c in self._row])
            self._row = None

    def handle_data(self, data):
        if self._depth:
            self.sheets[-1]["text"] += data
            if self._row:
                self._row[-1] += data


def inspectors() -> dict[str, dict]:
    out = {}
    for path in sorted(FIXTURE_RECORDS.glob("units/*/inspectors.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out[row["人员编号"]] = row
    return out


def test_every_member_signs_with_badge_number_draw_id_and_group(built_site):
    html = (built_site / SHEET / "index.html").read_text(encoding="utf-8")
    parser = Sheets()
    parser.feed(html)
    bundle = json.loads((built_site / "draws/D2026-0001/bundle.json").read_text(encoding="utf-8"))
    teams = bundle["result"]["teams"]
    people = inspectors()
    assert len(parser.sheets) == len(teams) == 2
    for group, (sheet, team) in enumerate(zip(parser.sheets, teams, strict=True), 1):
        assert team["object"] in sheet["text"]
        assert ["抽取编号", "D2026-0001", "检查组", f"第 {group} 组"] in sheet["rows"]
        signers = [r for r in sheet["rows"] if len(r) == 4 and r[3] == "_" and r[0] != "抽取编号"]
        expected = [
            [people[m]["姓名"], people[m]["执法证号"]] for m in team["members"]
        ]  # every member, in the draw's order
        assert [[r[1], r[2]] for r in signers] == expected
        assert len(expected) == len(team["members"]) >= 2
        assert "检查对象负责人（签字）" in sheet["text"] and "检查日期" in sheet["text"]
        # the items of the task with their 检查依据, and the result categories to tick
        assert "SCJG-01" in sheet["text"] and "WSJK-01" in sheet["text"]
        assert "□ 不配合检查情节严重" in sheet["text"]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


@pytest.mark.browser
def test_prints_one_a4_page_per_object(page, site_url):
    page.goto(site_url + SHEET)
    sheets = page.locator("section.sheet").count()
    assert sheets == 2
    pdf = page.pdf(format="A4", print_background=False, prefer_css_page_size=True)
    assert pdf_pages(pdf) == sheets
    # one object alone: one page (the others removed from the document before printing)
    page.evaluate("document.querySelectorAll('section.sheet:not(:first-of-type)').forEach((s) => s.remove())")
    assert pdf_pages(page.pdf(format="A4", prefer_css_page_size=True)) == 1


def test_pdf_page_counter_counts_pages():
    assert pdf_pages(b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type/Page >>") == 2


def test_a_drawn_object_missing_from_every_directory_shows_its_id_not_a_crash(tmp_path, monkeypatch):
    # Validation refuses this tree (DRAW_OBJECT_MISSING, tests/broken/draw_object_deleted.yaml); if it
    # is bypassed, the pages still build: the sheet names the object by its id. The build used to stop
    # with the raw Jinja message "'dict object' has no attribute 'name'".
    import shutil

    from generator import validation
    from generator.site.assemble import assemble
    from generator.site.render import make_env, render_page
    from tests.site.conftest import FIXTURE_EPOCH

    oid = "91321323MA1YB3R18F"
    root = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    for unit in ("health", "market"):
        path = root / "units" / unit / "objects.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(x for x in lines if not x.startswith(oid + ",")), encoding="utf-8")
    monkeypatch.setattr(validation, "validate_corpus", lambda corpus, run=None: validation.Findings())
    monkeypatch.setattr(validation, "validate_share", lambda corpus, share: validation.Findings())
    bundle = assemble(root, int(FIXTURE_EPOCH))
    bundle.cancel()
    env = make_env(bundle.site_data)
    html = {path: render_page(env, page) for path, page in bundle.pages.items()}
    sheet = Sheets()
    sheet.feed(html["tasks/T2026-market-01-sheet.md"])
    (found,) = [s for s in sheet.sheets if oid in s["text"]]
    assert ["检查对象", oid, "对象编号", oid] in found["rows"]
