"""Start dates come before end dates, wherever a record has a pair."""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding

# (kind, path to the mapping or list of mappings holding the pair, start field, end field, labels)
PAIRS = (
    ("items", (), "effective_from", "effective_to", "失效日期", "生效日期"),
    ("inspectors", (), "badge_valid_from", "badge_valid_to", "执法证失效日期", "执法证生效日期"),
    ("tasks", ("window",), "from", "to", "结束日期", "开始日期"),
    ("plans", ("entries", "*", "window"), "from", "to", "结束日期", "开始日期"),
    ("plans", ("entries", "*", "batches", "*"), "from", "to", "结束日期", "开始日期"),
    ("holidays", ("holidays", "*"), "from", "to", "放假结束", "放假开始"),
)


def _mappings(data, path, prefix=()):
    if not path:
        if isinstance(data, dict):
            yield prefix, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for i, item in enumerate(data if isinstance(data, list) else []):
            yield from _mappings(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _mappings(data[head], rest, prefix + (head,))


def check(corpus) -> Iterator[Finding]:
    for kind, path, start, end, end_label, start_label in PAIRS:
        for r in corpus.of(kind):
            for where, m in _mappings(r.data, path):
                a, b = m.get(start), m.get(end)
                if a and b and b < a:
                    line, col = r.loc(*where, end)
                    yield finding(
                        "DATE_ORDER",
                        r.file,
                        line,
                        col,
                        where + (end,),
                        b.isoformat(),
                        label=end_label,
                        other_label=start_label,
                        other=a.isoformat(),
                    )
