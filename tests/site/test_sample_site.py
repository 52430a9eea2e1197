"""The bundled sample (records/, the county-scale demonstration) built as the public site: where
issue 14 found ``5% None 户`` and figures that disagreed between pages.

One build per session (about 40 s on two cores): no placeholder anywhere, every unit's figures the same
on its page, 年度总结 and 统计, the home page's totals the summary's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.placeholders import scan_site
from tests.site.test_figures_agree import assert_units_agree, home_and_summary_totals

SAMPLE = Path(__file__).resolve().parents[2] / "records"
SAMPLE_EPOCH = "1798675200"  # 2026-12-31, the demo year complete (scripts/test.sh)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    from generator.site.builder import build_site

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SAMPLE_EPOCH)
        return build_site(SAMPLE, tmp_path_factory.mktemp("sample") / "site")


def test_sample_site_has_no_placeholder(sample_site):
    found = scan_site(sample_site)
    assert found == {}, {k: v[:3] for k, v in list(found.items())[:10]}


def test_sample_unit_figures_agree(sample_site):
    assert assert_units_agree(sample_site) >= 25


def test_sample_home_totals_are_the_summarys(sample_site):
    home, summary = home_and_summary_totals(sample_site)
    assert home["抽查任务"] == int(summary["tasks"])
    assert home["部门联合抽查"] == int(summary["joint"])
    assert home["已检查对象（户）"] == int(summary["objects"])
    assert home["公示检查结果（条）"] == int(summary["results"])
    assert int(summary["inspections"]) >= int(summary["objects"])  # 户次 counts repeat visits


def test_the_sample_pages_scan_the_same_in_pieces_as_whole(sample_site):
    """The build's page scan normalises only the pieces between tags that may hold a number
    (``private_data.find_in_markup``): on every page of the sample it finds what the whole page holds."""
    from tests.site.test_markup_scan import assert_pages_scan_the_same

    assert assert_pages_scan_the_same(sample_site) > 500
