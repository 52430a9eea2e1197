"""The pages kept as golden files, and how to (re)write them."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "home.html": "index.html",
    "units.html": "units/index.html",
    "unit-market.html": "units/market/index.html",
    "items.html": "items/index.html",
    "plans.html": "plans/index.html",
    "task.html": "tasks/T2026-market-01/index.html",
    "check-sheet.html": "tasks/T2026-market-01-sheet/index.html",
    "object.html": "objects/91321323MA1YB3R18F/index.html",
    "draw.html": "draws/D2026-0001/index.html",
    "stats.html": "stats/index.html",
    "data.html": "data/index.html",
    "compliance.html": "compliance/index.html",
    "summary.html": "summary/index.html",
    "verify.html": "verify/index.html",
    "about.html": "about/index.html",
    "objection.html": "objection/index.html",
    "sitemap.xml": "sitemap.xml",
    "feed.xml": "feed.xml",
    "objects.csv": "data/objects.csv",
}


def write_golden(site: Path) -> list[str]:
    GOLDEN.mkdir(exist_ok=True)
    changed = []
    for name, rel in PAGES.items():
        new = (site / rel).read_bytes()
        path = GOLDEN / name
        if not path.exists() or path.read_bytes() != new:
            path.write_bytes(new)
            changed.append(name)
    return changed
