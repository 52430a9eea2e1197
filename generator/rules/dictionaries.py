"""Values that must come from a county dictionary: townships, 检查方式 and 后续处置.

county.yaml lists the county's townships, inspection methods and dispositions; an object's
township, an inspector's townships, an item's methods, and a result entry's methods and
disposition (as entered and in each appended amendment) must be one of them, whether they arrived
by import or by a hand edit. Without county.yaml (or an empty list) there is nothing to compare
with: the county file's own checks report that.

Red team 7: a result entry's methods and disposition were never compared with the dictionaries
their field descriptions name, so ``disposition: 已处罚并吊销营业执照`` or ``methods: [上门喝茶]``
was published as the county's wording on the task and object pages and in the 公示 export.
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
# fields of a result entry (and of an amendment's ``changes``) -> (dictionary key, code)
RESULT_CHECKS = (
    ("methods", "inspection_methods", "DICT_METHOD_UNKNOWN"),
    ("disposition", "dispositions", "DICT_DISPOSITION_UNKNOWN"),
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
    yield from _results(corpus, county)
    yield from _category_dispositions(county)


def _category_dispositions(county) -> Iterator[Finding]:
    """A result category's dispositions come from the county's dictionary (review of red team 7:
    ``dispositions: 未发现问题或…、已改正…`` written on one line was read as a list split at 、, and
    every unit's results became RESULT_DISPOSITION_CONFLICT errors, withheld, with nothing at county.yaml)."""
    allowed = county.data.get("dispositions") or ()
    if not isinstance(allowed, list) or not allowed:
        return
    known, expected = set(allowed), "、".join(str(a) for a in allowed)
    categories = county.data.get("result_categories") or []
    for i, category in enumerate(categories if isinstance(categories, list) else []):
        listed = category.get("dispositions") if isinstance(category, dict) else None
        for j, value in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(value, str) and value not in known:
                path = ("result_categories", i, "dispositions", j)
                line, col = county.loc(*path)
                yield finding(
                    "COUNTY_CATEGORY_DISPOSITION_UNKNOWN",
                    county.file,
                    line,
                    col,
                    path,
                    value,
                    category=category.get("code", i + 1),
                    expected=expected,
                )


def _results(corpus, county) -> Iterator[Finding]:
    for name, key, code in RESULT_CHECKS:
        allowed = tuple(county.data.get(key) or ())
        if not allowed:
            continue
        known, expected = set(allowed), "、".join(allowed)
        for r in corpus.of("results"):
            for i, entry in enumerate(r.data.get("entries", []) or []):
                if not isinstance(entry, dict):
                    continue
                places = [(("entries", i), entry)]
                for k, amendment in enumerate(entry.get("amendments", []) or []):
                    changes = amendment.get("changes") if isinstance(amendment, dict) else None
                    if isinstance(changes, dict):
                        places.append((("entries", i, "amendments", k, "changes"), changes))
                for here, values in places:
                    yield from _values(r, here, values, name, known, code, expected)


def _values(r, here, values: dict, name, known, code, expected) -> Iterator[Finding]:
    value = values.get(name)
    listed = value if isinstance(value, list) else [value]
    for j, v in enumerate(listed):
        if v is None or not isinstance(v, str) or v in known:
            continue
        path = here + ((name, j) if isinstance(value, list) else (name,))
        line, col = r.loc(*path)
        yield finding(code, r.file, line, col, path, v, expected=expected)
