"""One definition per figure: the 统计 series, the 合规 report and the 年度总结 read the same numbers,
and "on time" follows the working-day calendar with the joint office's holiday overrides."""

from __future__ import annotations

import datetime as dt
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from generator.corpus import load
from generator.reports.compliance import compliance
from generator.reports.figures import Figures, percent_text
from generator.reports.stats import home_figures, year_stats
from generator.reports.summary import annual_summary
from generator.validation import validate_corpus

FIXTURE = Path(__file__).parents[1] / "site" / "fixtures" / "records"
# market's second entry: inspected 2026-04-22, entered 2026-05-15 = 15 working days on the package's
# calendar (late). A recorded schedule that makes 04-23..05-08 a holiday leaves 5 working days.
HOLIDAYS_2026 = """year: 2026
source: 测试用节假日安排
published_on: 2025-11-01
holidays:
  - {name: 测试长假, from: 2026-04-23, to: 2026-05-08}
"""


def with_holidays(tmp_path: Path) -> Path:
    root = tmp_path / "records"
    shutil.copytree(FIXTURE, root)
    (root / "holidays").mkdir()
    (root / "holidays" / "2026.yaml").write_text(HOLIDAYS_2026, encoding="utf-8")
    return root


def per_unit_on_time(corpus) -> dict[str, tuple[str | None, str | None, str | None]]:
    figures = Figures(corpus)
    stats = year_stats(figures, 2026)["on_time"]
    summary = {r["name"]: r["on_time"]["percent"] for r in annual_summary(corpus, 2026, figures)["units"]}
    check = compliance(corpus, 2026, dt.date(2026, 12, 31), validate_corpus(corpus), figures)
    report = {r["name"]: r["on_time"]["percent"] for r in check["results"]["by_unit"]}
    return {
        name: (
            percent_text(stats[name].numerator, stats[name].denominator) if name in stats else None,
            summary[name],
            report[name],
        )
        for name in summary
    }


def test_on_time_is_one_number_everywhere():
    rates = per_unit_on_time(load(FIXTURE))
    assert rates == {"市场监管": ("50.0%",) * 3, "卫生健康": ("100.0%",) * 3}


def test_holiday_overrides_count_on_every_page(tmp_path):
    """The issue's case: with holidays/2026.yaml the late entry is on time on 统计 as well."""
    corpus = load(with_holidays(tmp_path))
    assert not validate_corpus(corpus).errors
    assert per_unit_on_time(corpus) == {"市场监管": ("100.0%",) * 3, "卫生健康": ("100.0%",) * 3}
    check = compliance(corpus, 2026, dt.date(2026, 12, 31), validate_corpus(corpus))
    assert check["results"]["late"] == []


def test_totals_agree_between_home_summary_and_compliance():
    corpus = load(FIXTURE)
    figures = Figures(corpus)
    home = home_figures(figures, 2026)
    totals = annual_summary(corpus, 2026, figures)["totals"]
    check = compliance(corpus, 2026, dt.date(2026, 12, 31), validate_corpus(corpus), figures)
    assert home["objects"] == totals["objects_inspected"] == 2
    assert home["inspections"] == totals["inspections"] == 2
    assert home["results"] == totals["results"] == 4
    assert home["problems"] == totals["problems_found"] == 2
    assert home["problem_rate"] == Fraction(1, 2)
    assert home["joint_tasks"] == totals["joint_tasks"] == check["joint_share"]["joint"] == 1
    assert home["tasks"] == totals["tasks"] == check["joint_share"]["tasks"] == 1
    assert totals["on_time"] == check["results"]["on_time"] == {"num": 3, "den": 4, "percent": "75.0%"}


@pytest.fixture
def edited(tmp_path):
    """The fixture with one results file replaced by ``text`` (returns a loader)."""

    def make(text: str):
        root = tmp_path / "records"
        shutil.copytree(FIXTURE, root)
        (root / "units" / "health" / "results" / "T2026-market-01.yaml").write_text(text, encoding="utf-8")
        return load(root)

    return make


HEALTH = (FIXTURE / "units" / "health" / "results" / "T2026-market-01.yaml").read_text(encoding="utf-8")


def test_an_entry_belongs_to_the_year_it_was_inspected(edited):
    # the 2026 task's second school inspected on 2027-01-05: a 2027 figure, not a 2026 one
    text = HEALTH.replace("inspected_on: 2026-04-22", "inspected_on: 2027-01-05").replace(
        "entered_on: 2026-04-28", "entered_on: 2027-01-06"
    )
    figures = Figures(edited(text))
    assert (figures.results(2026, "health"), figures.results(2027, "health")) == (1, 1)
    assert figures.on_time(2026, "health") == {"num": 1, "den": 1, "percent": "100.0%"}


def test_an_entry_before_its_inspection_is_not_timed_nor_late(edited):
    text = HEALTH.replace("entered_on: 2026-04-28", "entered_on: 2026-04-21")
    figures = Figures(edited(text))
    assert figures.on_time(2026, "health") == {"num": 1, "den": 1, "percent": "100.0%"}
    assert figures.late(2026) and all(e.unit == "market" for e in figures.late(2026))


def test_an_unknown_calendar_year_is_counted_apart(edited):
    text = HEALTH.replace("inspected_on: 2026-04-22", "inspected_on: 2099-04-22").replace(
        "entered_on: 2026-04-28", "entered_on: 2099-05-12"
    )
    figures = Figures(edited(text))
    assert figures.calendar_unknown(2099) == 1 and figures.on_time(2099)["den"] == 0


def test_amended_categories_count_for_problems(edited):
    text = HEALTH.replace(
        "    findings: 未发现问题\n    disposition: 无需处置\n    referrals: []\n    penalty: false\n"
        "    dishonest_listed: false\n    judicial_referral: false\n    amendments: []",
        "    findings: 未发现问题\n    disposition: 无需处置\n    referrals: []\n    penalty: false\n"
        "    dishonest_listed: false\n    judicial_referral: false\n    amendments:\n"
        "      - {date: 2026-05-02, reason: 复核, changes: {categories: ['3']}}",
        1,
    )
    figures = Figures(edited(text))
    assert figures.problems(2026, "health") == 2
