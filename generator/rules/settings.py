"""County settings with defaults, so rules work even when county.yaml is missing or broken."""

from __future__ import annotations

from generator.records.county import KIND
from generator.schema.fields import Check
from generator.schema.kind import check_fields

SECTIONS = ("deadlines", "object_rules", "risk")


class _Silent(Check):
    def report(self, code, path, value, **params):
        pass  # county.yaml's own problems are reported by the loader


def settings(corpus) -> dict:
    """county.yaml's data with every default filled in (defaults alone if the file is missing)."""
    cached = getattr(corpus, "_settings", None)
    if cached is not None:
        return cached
    defaults = check_fields(tuple(f for f in KIND.fields if f.name in SECTIONS), {}, (), _Silent(), "")
    county = corpus.county
    data = dict(defaults) | (dict(county.data) if county else {})
    for key in SECTIONS:
        data[key] = defaults[key] | data.get(key, {})
    corpus._settings = data
    return data
