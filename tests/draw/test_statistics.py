"""Selection frequencies over many fixed seeds match each stratum's ratio (chi-square, stdlib)."""

from fractions import Fraction

from generator.draw.model import ObjectRule, Stratum
from generator.draw.objects import draw_strata

# Upper 0.1 % points of the chi-square distribution (df = N - 1); fixed seeds make this deterministic.
CRITICAL_0_001 = {19: 43.820, 9: 27.877}


def test_selection_frequencies_match_ratio():
    rule = ObjectRule(
        "open",
        (Stratum("A", Fraction(1, 10), None), Stratum("D", Fraction(1, 2), None)),
        0,
        1,
        "2025-01-01",
        0,
        None,
    )
    view = {
        "strata": [
            {"name": "A", "refs": [f"a{i:02d}" for i in range(20)], "excluded": []},
            {"name": "D", "refs": [f"d{i:02d}" for i in range(10)], "excluded": []},
        ]
    }
    seeds = [f"chi-square seed {k}" for k in range(600)]
    hits = {ref: 0 for entry in view["strata"] for ref in entry["refs"]}
    for seed in seeds:
        for entry in draw_strata(rule, view, seed).values():
            for d in entry["drawn"]:
                hits[d["ref"]] += 1
    for stratum, entry in zip(rule.strata, view["strata"], strict=False):
        size = len(entry["refs"])
        expected = len(seeds) * stratum.ratio  # each object's inclusion probability is exactly the ratio
        assert sum(hits[r] for r in entry["refs"]) == len(seeds) * size * stratum.ratio
        statistic = sum(Fraction((hits[r] - expected) ** 2) / expected for r in entry["refs"])
        assert statistic < CRITICAL_0_001[size - 1], (stratum.name, float(statistic))
