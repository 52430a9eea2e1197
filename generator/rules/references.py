"""Every reference across kinds resolves.

References are declared in the schemas (``Ref(target=...)`` fields), so this module walks each
record's data alongside its fields and checks each referenced value against an index of that target.
Adding a reference to a schema is enough for it to be checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.records import BY_NAME
from generator.schema.fields import Field, ListOf, MapOf, Obj, Ref

TARGET_LABELS = {
    "unit": ("成员单位", "单位代号见 records/units/ 下的目录名。"),
    "item": ("抽查事项", "事项编号见各单位的 items.yaml。"),
    "object": ("检查对象", "对象编号须在某个单位的检查对象名录库（objects.csv）中。"),
    "inspector": ("执法检查人员", "人员编号须在某个单位的 inspectors.csv 中。"),
    "plan_entry": ("年度计划条目", "条目编号见各单位 plans/<年度>.yaml 的 entries。"),
    "task": ("抽查任务", "任务编号见发起单位 tasks/ 目录下的文件名。"),
    "draw": ("抽取", "抽取编号见 records/draws/<年度>/ 下的目录名。"),
}


def indexes(corpus) -> dict[str, set]:
    return {
        # A unit whose unit.yaml is broken or missing still exists: its folder says so (no cascade
        # of errors; a folder without unit.yaml is UNIT_FILE_MISSING, the one finding of the cause).
        "unit": set(corpus.units)
        | {f.split("/")[1] for f in corpus.files if f.startswith("units/") and f.count("/") >= 2},
        "item": set(corpus.items_by_code),
        "object": set(corpus.objects_by_id),
        "inspector": set(corpus.inspectors),
        "plan_entry": set(corpus.plan_entries),
        "task": set(corpus.tasks),
        "draw": {r.data.get("id") for r in corpus.of("draw_request")},
    }


def walk_refs(fields: tuple[Field, ...], data: dict, path: tuple = ()) -> Iterator[tuple[tuple, str, object]]:
    """Yield ``(path, target, value)`` for every reference value in ``data``."""
    for f in fields:
        if f.name not in data:
            continue
        value, t, here = data[f.name], f.type, path + (f.name,)
        if isinstance(t, Ref):
            yield here, t.target, value
        elif isinstance(t, Obj) and isinstance(value, dict):
            yield from walk_refs(t.fields, value, here)
        elif isinstance(t, ListOf) and isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(t.item, Ref):
                    yield here + (i,), t.item.target, v
                elif isinstance(t.item, Obj) and isinstance(v, dict):
                    yield from walk_refs(t.item.fields, v, here + (i,))
        elif hasattr(t, "field_for") and isinstance(value, dict):  # amendments: typed like their fields
            for key, new in value.items():
                inner = t.field_for(key)
                if inner is not None:
                    yield from walk_refs((inner,), {inner.name: new}, here)
        elif isinstance(t, MapOf) and isinstance(value, dict):
            for k, v in value.items():
                if isinstance(t.key, Ref):
                    yield here + (k,), t.key.target, k
                if isinstance(t.value, Ref):
                    yield here + (k,), t.value.target, v


# A record's findings come from that record and the ids ``indexes`` lists (serve's preview keeps
# them per file while the ids are the same: site/rule_cache.py).
PER_RECORD = True
CONTEXT = indexes


def check(corpus, records: dict | None = None, known: dict | None = None) -> Iterator[Finding]:
    """``records`` (kind -> records, default every record) checked against ``known`` (default
    ``indexes(corpus)``)."""
    known = indexes(corpus) if known is None else known
    for kind_name, rows in (corpus.records if records is None else records).items():
        kind = BY_NAME[kind_name]
        for r in rows:
            yield from _check_record(r, kind.fields, r.data, (), known)
            if kind.header_fields:
                for path, target, value in walk_refs(kind.header_fields, r.header):
                    if value not in known[target] and r.prefix[-1] == 0:  # report header once per file
                        line, col = r.source.loc(path)
                        yield _ref_finding(r.file, line, col, path, target, value, kind.header_fields)


def _check_record(r, fields, data, prefix, known) -> Iterator[Finding]:
    for path, target, value in walk_refs(fields, data, prefix):
        if value in known[target]:
            continue
        line, col = r.loc(*path)
        yield _ref_finding(r.file, line, col, path, target, value, fields)


def _ref_finding(file, line, col, path, target, value, fields) -> Finding:
    label = _label_at(fields, path)
    target_label, hint = TARGET_LABELS[target]
    return finding("REF_UNKNOWN", file, line, col, path, value, label=label, target=target_label, hint=hint)


def _label_at(fields, path) -> str:
    label = ""
    for part in path:
        if isinstance(part, int):
            continue
        f = next((f for f in fields if f.name == part), None)
        if f is None:
            break
        label = f.label
        t = f.type
        if isinstance(t, Obj):
            fields = t.fields
        elif isinstance(t, ListOf) and isinstance(t.item, Obj):
            fields = t.item.fields
        else:
            break
    return label
