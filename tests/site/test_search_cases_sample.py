"""The relevance set names sample objects that must have a page (drawn or inspected).

Fast guard for tests/site/search_cases.yaml: when the sample's draws change, this names the cases
to re-pick instead of leaving a browser test to fail with "没有找到".
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.corpus import load
from generator.site.site_data import build_site_data

ROOT = Path(__file__).resolve().parents[2]


def test_every_object_in_the_search_cases_has_a_page_in_the_sample():
    cases = yaml.safe_load((ROOT / "tests" / "site" / "search_cases.yaml").read_text(encoding="utf-8"))
    site_data = build_site_data(load(ROOT / "records"))
    wanted = {
        path.split("/")[2]: case["query"]
        for case in cases
        for path in [case.get("opens"), *(case.get("top") or []), *(case.get("names") or [])]
        if path and path.startswith("/objects/") and not path.split("/")[2].startswith("t")
    }
    assert len(wanted) >= 3
    missing = {oid: query for oid, query in wanted.items() if oid not in site_data.with_page}
    assert missing == {}, f"re-pick these cases from objects with a page: {missing}"
