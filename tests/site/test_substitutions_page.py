"""The draw page shows how officers were drawn and each substitution (protocol §11), and publishes
the substitutions beside the bundle in the form verify_draw.py checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VERIFY = Path(__file__).parents[2] / "site_templates" / "verify" / "verify_draw.py"


def test_the_draw_page_lists_the_substitution_and_the_citizen_verifies_it(built_site):
    html = (built_site / "draws" / "D2026-0001" / "index.html").read_text("utf-8")
    assert "执法检查人员抽取方式：牵头单位统一抽取各部门人员" in html
    table = html[html.index("替补记录") :]
    assert "2026-04-08" in table and "91321323MA1YB3R18F" in table
    assert "病假" not in html  # the reason is internal (tests/site/test_privacy.py)
    folder = built_site / "draws" / "D2026-0001"
    assert 'href="substitutions.json"' in html or "substitutions.json" in html
    run = subprocess.run(
        [sys.executable, str(VERIFY), str(folder / "bundle.json"), str(folder / "substitutions.json")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout
    assert "1 条替补记录均为公布顺序中的下一名合格人员" in run.stdout
