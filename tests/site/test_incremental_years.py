"""serve's preview over several years (issue 18): what it keeps between edits — per-year figures,
per-file rule findings, file reads — is never stale. After each edit, every page model the preview's
cached assembly makes equals the one a fresh assembly (no cache: what ``build`` does) makes; page
bytes are a function of the model (tests/site/test_incremental.py compares written pages)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

EPOCH = 1798675200  # 2027-01-01: every window of both years has closed
YEARS = [2025, 2026]

# a long 2025 holiday over the spring inspections: their entries' working days change
HOLIDAYS_2025 = """year: 2025
source: 测试用安排
published_on: 2024-11-12
holidays:
  - {name: 测试长假, from: 2025-04-01, to: 2025-05-31}
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    import generator.samplegen as samplegen

    out = tmp_path_factory.mktemp("years") / "records"
    samplegen.generate(out, 1, YEARS)
    return out


@pytest.fixture
def records(sample, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    root = tmp_path / "records"
    shutil.copytree(sample, root)
    return root


def _assembled(records: Path, cache) -> tuple[dict | None, list[str] | None]:
    from generator.site.assemble import RecordsInvalid, assemble

    try:
        return assemble(records, EPOCH, cache, extras=False).pages, None
    except RecordsInvalid as refused:
        return None, refused.lines


def _same_as_fresh(records: Path, cache, partial: bool | None = None) -> dict | None:
    """The cached assembly's page models (or refusal) equal a fresh one's; ``partial``: whether
    the results-only path must (True) or must not (False) have been taken."""
    fresh, fresh_lines = _assembled(records, None)
    cached, cached_lines = _assembled(records, cache)
    assert cached_lines == fresh_lines
    if fresh is None:
        return None
    assert cached.keys() == fresh.keys()
    stale = [path for path in fresh if cached[path] != fresh[path]]
    assert not stale
    if partial is not None:
        assert (cache.remade is not None) is partial
    return cached


def _results(records: Path, year: int, unit: str = "market") -> Path:
    return sorted((records / "units" / unit / "results").glob(f"T{year}-*.yaml"))[0]


def _late(text: str) -> str:
    """The first entry entered two months after it was inspected (late on every calendar)."""
    text, n = re.subn(r"entered_on: (\d{4})-\d\d-\d\d", r"entered_on: \1-08-31", text, count=1)
    assert n == 1
    text, n = re.subn(r"published_on: (\d{4})-\d\d-\d\d", r"published_on: \1-08-31", text, count=1)
    assert n == 1
    return text


def test_attack_per_year_figures_follow_every_edit(records):
    """Edits of a 2025 result, then a 2026 one, then the reverts; county.yaml's entry deadline and
    a recorded holiday schedule (every on-time figure moves); a results file deleted and added
    back. The hubs, 统计, 合规, 年度总结 and unit pages equal a fresh build's after each."""
    from generator.site.record_cache import RecordCache

    cache = RecordCache()
    original = _same_as_fresh(records, cache)
    old, new = _results(records, 2025), _results(records, 2026)
    old_text, new_text = old.read_text("utf-8"), new.read_text("utf-8")

    old.write_text(_late(old_text), "utf-8")
    first = _same_as_fresh(records, cache, partial=True)
    assert first["summary.md"] != original["summary.md"]  # a 2025 figure moved
    new.write_text(_late(new_text), "utf-8")
    second = _same_as_fresh(records, cache, partial=True)
    assert second["summary.md"] != first["summary.md"]
    old.write_text(old_text, "utf-8")
    _same_as_fresh(records, cache, partial=True)
    new.write_text(new_text, "utf-8")
    assert _same_as_fresh(records, cache, partial=True) == original
    # a result category changed: the search page's filter counts (updated, not recounted) move
    recategorised = re.sub(r"categories:\n  - '1'", "categories:\n  - '3'", new_text, count=1)
    assert recategorised != new_text
    new.write_text(recategorised, "utf-8")
    assert _same_as_fresh(records, cache, partial=True)["search.md"] != original["search.md"]
    new.write_text(new_text, "utf-8")
    assert _same_as_fresh(records, cache, partial=True) == original

    county = records / "county.yaml"
    settings = county.read_text("utf-8")
    county.write_text(
        settings.replace("result_entry_working_days: 10", "result_entry_working_days: 3"), "utf-8"
    )
    tighter = _same_as_fresh(records, cache, partial=False)
    assert tighter["stats.md"] != original["stats.md"]
    county.write_text(settings, "utf-8")
    assert _same_as_fresh(records, cache) == original

    (records / "holidays").mkdir()
    (records / "holidays" / "2025.yaml").write_text(HOLIDAYS_2025, "utf-8")
    holidays = _same_as_fresh(records, cache, partial=False)
    assert holidays["compliance.md"] != original["compliance.md"]
    shutil.rmtree(records / "holidays")
    assert _same_as_fresh(records, cache) == original

    gone = _results(records, 2025, "development-reform")
    kept = gone.read_bytes()
    gone.unlink()
    _same_as_fresh(records, cache)
    gone.write_bytes(kept)
    assert _same_as_fresh(records, cache) == original
