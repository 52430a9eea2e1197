"""Values that must come from a county dictionary: townships and 检查方式.

county.yaml lists the county's townships and inspection methods; an object's township, an
inspector's townships and an item's methods must be one of them, whether they arrived by import or
by a hand edit. Without county.yaml (or an empty list) there is nothing to compare with: the
county file's own checks report that.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding

# kind -> (field, dictionary key in county.yaml, code)
CHECKS = (
    ("objects", "township", "townships", "DICT_TOWNSHIP_UNKNOWN"),
    ("inspectors", "townships", "townships", "DICT_TOWNSHIP_UNKNOWN"),
    ("items", "methods", "inspection_methods", "DICT_METHOD_UNKNOWN"),
)


def check(corpus) -> Iterator[Finding]:
    county = corpus.county
    if county is None:
        return
    for kind, name, key, code in CHECKS:
        allowed = tuple(county.data.get(key) or ())
        if not allowed:
            continue
        known = set(allowed)
        expected = "、".join(allowed)
        for r in corpus.of(kind):
            value = r.data.get(name)
            values = value if isinstance(value, list) else [value]
            for i, v in enumerate(values):
                if v is None or v in known:
                    continue
                path = (name, i) if isinstance(value, list) else (name,)
                line, col = r.loc(*path)
                yield finding(code, r.file, line, col, path, v, expected=expected)
