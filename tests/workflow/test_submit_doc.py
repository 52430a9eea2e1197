"""The clerks' guide (docs/submit.md, issue 16): published on the site, linked from 公开数据, its
screenshots real renderings of the templates, and one inbox folder per unit to upload into.

The site cannot link into the records repository (it is access-controlled and the site does not know
its address), so the guide is also a hand-written page of the site (site_templates/content/submit.md),
kept equal to docs/submit.md with links to other maintainers' docs turned into text. Regenerate with
``python -m tests.workflow.test_submit_doc``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "submit.md"
PAGE = ROOT / "site_templates" / "content" / "submit.md"
IMAGES = re.compile(r"!\[[^\]]*\]\((img/[^)]+\.png)\)")


def site_page(text: str) -> str:
    return re.sub(r"\[([^\]]+)\]\(((?:import|errors|deploy)\.md)\)", r"\1（记录仓库 docs/\2）", text)


def test_the_site_page_is_the_guide_with_its_images():
    text = DOC.read_text(encoding="utf-8")
    assert PAGE.read_text(encoding="utf-8") == site_page(text), "run python -m tests.workflow.test_submit_doc"
    images = IMAGES.findall(text)
    assert len(images) == 3
    for rel in images:
        assert (PAGE.parent / rel).read_bytes() == (DOC.parent / rel).read_bytes(), rel


def test_the_screenshots_are_renderings_of_the_templates():
    """PNG files of a real size, written by docs/img/make_template_png.py (headless Chromium)."""
    script = (ROOT / "docs" / "img" / "make_template_png.py").read_text(encoding="utf-8")
    for rel in IMAGES.findall(DOC.read_text(encoding="utf-8")):
        data = (DOC.parent / rel).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", rel
        width = int.from_bytes(data[16:20], "big")
        assert width >= 800, rel
        assert Path(rel).name in script, f"{rel} is made by the script"


def test_the_data_page_links_to_the_guide():
    text = (ROOT / "site_templates" / "pages" / "data.html").read_text(encoding="utf-8")
    assert "link('submit.md')" in text


def test_every_unit_has_an_inbox_folder_and_every_folder_is_a_unit():
    units = {p.name for p in (ROOT / "records" / "units").iterdir() if (p / "unit.yaml").is_file()}
    folders = {p.name for p in (ROOT / "inbox").iterdir() if p.is_dir()}
    assert folders == units
    for unit in units:
        name = yaml.safe_load((ROOT / "records" / "units" / unit / "unit.yaml").read_text("utf-8"))["name"]
        readme = (ROOT / "inbox" / unit / "README.md").read_text(encoding="utf-8")
        assert readme.startswith(f"# {name}（{unit}）"), unit
    assert sorted(p.name for p in (ROOT / "inbox").iterdir() if p.is_file()) == ["README.md"]


def main() -> None:
    PAGE.write_text(site_page(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    for rel in IMAGES.findall(DOC.read_text(encoding="utf-8")):
        (PAGE.parent / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DOC.parent / rel, PAGE.parent / rel)


if __name__ == "__main__":
    main()
