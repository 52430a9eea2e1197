"""rules/internal_text.py looks for exactly the internal values the build's final scan looks for
(site/public.py), less the mobile and ID numbers the PRIVACY_* checks already find in any public
text: a value one of them misses is a site refused after validate passed."""

from __future__ import annotations

from pathlib import Path

from generator.corpus import load
from generator.private_data import find
from generator.rules import internal_text
from generator.site.public import internal_values

RECORDS = Path(__file__).resolve().parents[1] / "records"


def test_the_rule_looks_for_what_the_build_scan_looks_for(tmp_path):
    corpus = load(RECORDS)
    # the sample's assistants and officers have mobiles only; give some landlines and odd numbers
    for i, r in enumerate(corpus.of("assistants")):
        if i % 3 == 0:
            r.data["phone"] = f"0527-8{i:07d}"
    for i, r in enumerate(corpus.of("inspectors")):
        if i % 7 == 0:
            r.data["phone"] = f"12{i:09d}"  # 1\d{10}, not a mobile's 1[3-9]
    scanned = {v for values in internal_values(corpus).values() for v in values if not find(v)}
    assert scanned and set(internal_text.internal_values(corpus)) == scanned


def test_the_kinds_published_whole_are_those_the_scan_lets_pass():
    from generator.site.opendata import PUBLIC_PARTS

    assert internal_text.PUBLISHED_WHOLE == set(PUBLIC_PARTS)
