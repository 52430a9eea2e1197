"""Build a records tree seeded with injection payloads in every public free-text field.

Generated from the field declarations (``generator.rules.privacy.public_texts`` walks the schemas),
so a field added to any record kind gets a payload without touching this file. Each distinct text
value of the fixture records becomes ``value + payload``; the same replacement is applied to every
file structurally (YAML, CSV, JSON), so references between records (a township named in objects, a
task name frozen in a draw request) stay consistent. Two product objects get hostile non-ASCII ids
that differ in one character (their pages must not collide).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import yaml

from generator.corpus import load
from generator.records import BY_NAME
from generator.rules.privacy import public_texts
from generator.schema.fields import Choice, ListOf, Obj, Text

HERE = Path(__file__).parent
SPEC = yaml.safe_load((HERE / "payloads.yaml").read_text(encoding="utf-8"))
PAYLOADS: list[str] = SPEC["payloads"]
OBJECT_IDS: list[str] = SPEC["object_ids"]
MUST_NOT_APPEAR: list[str] = SPEC["must_not_appear"]
MUST_APPEAR: list[str] = SPEC["must_appear"]
# Left alone: the site address has its own rule (SITE_BASE_URL) and a fixed tricky value below.
SKIP = {("county", ("site", "base_url"))}
BASE_URL = "https://ssj.siyang.example/?a=1&b=2"


def _product_rows(ids: list[str]) -> str:
    # No credit-risk class: the classification covers market subjects only (OBJECT_CREDIT_CLASS_NOT_APPLICABLE).
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for i, oid in enumerate(ids):
        w.writerow([oid, "产品编号", f"示例产品{i}", "产品", "众兴镇", "", "", "存续", "", "否"])
    return out.getvalue()


def _protected(fields, data, out: set[str]) -> None:
    """Strings held by fields that are not free text (choices, codes, references): never replaced."""
    if not isinstance(data, dict):
        return
    for f in fields:
        value = data.get(f.name)
        ftype = f.type.item if isinstance(f.type, ListOf) else f.type
        values = value if isinstance(value, list) else [value]
        if isinstance(ftype, Obj):
            for v in values:
                _protected(ftype.fields, v, out)
        elif isinstance(ftype, Choice) or (
            isinstance(ftype, Text) and (ftype.pattern or type(ftype) is not Text)
        ):
            out.update(v for v in values if isinstance(v, str))


def replacements(root: Path) -> dict[str, str]:
    """Every public free-text value of the tree -> the value with a payload appended (the next
    payload that fits the field's maximum length, in turn)."""
    corpus = load(root)
    protected: set[str] = set()
    found: dict[str, int] = {}  # value -> the smallest max_length among the fields holding it
    for kind_name, records in sorted(corpus.records.items()):
        kind = BY_NAME.get(kind_name)
        if kind is None:
            continue
        if kind_name.startswith("draw_"):
            # written by CI and the engine (algorithm names, digests, log heads): never a clerk's
            # text; the task and unit names they copy are seeded where the clerk wrote them
            for r in records:
                _protected(kind.fields, r.data, protected)
                protected.update(text for _, _, _, text in public_texts(kind.fields, r.data))
            continue
        for r in records:
            _protected(kind.fields, r.data, protected)
            for path, _, ftype, text in public_texts(kind.fields, r.data):
                if (kind_name, path) in SKIP or (path == ("id",) and kind_name == "objects"):
                    continue
                found[text] = min(found.get(text, ftype.max_length), ftype.max_length)
    table, turn = {}, 0
    for value, limit in found.items():
        if value in protected:
            continue
        for k in range(len(PAYLOADS)):
            payload = PAYLOADS[(turn + k) % len(PAYLOADS)]
            if len(value + payload) <= limit:
                table[value] = value + payload
                turn += k + 1
                break
    return table


def _swap(value, table: dict[str, str]):
    if isinstance(value, str):
        if value not in table and ";" in value:  # a CSV list cell ("众兴镇;王集镇"): item by item
            return ";".join(table.get(v, v) for v in value.split(";"))
        return table.get(value, value)
    if isinstance(value, list):
        return [_swap(v, table) for v in value]
    if isinstance(value, dict):
        return {_swap(k, table): _swap(v, table) for k, v in value.items()}
    return value


def _rewrite(path: Path, table: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".yaml":
        data = _swap(yaml.safe_load(text), table)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    elif path.suffix == ".csv":
        rows = [_swap(row, table) for row in csv.reader(io.StringIO(text))]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps(_swap(json.loads(text), table), ensure_ascii=False), encoding="utf-8")


def build_hostile_tree(source: Path, dest: Path) -> dict[str, str]:
    """Copy ``source`` to ``dest`` and seed it; returns the replacement table used."""
    shutil.copytree(source, dest)
    objects = dest / "units" / "market" / "objects.csv"
    with objects.open("a", encoding="utf-8") as f:
        f.write(_product_rows(OBJECT_IDS))
    table = replacements(dest)
    for path in sorted(dest.rglob("*")):
        if path.is_file():
            _rewrite(path, table)
    county = yaml.safe_load((dest / "county.yaml").read_text(encoding="utf-8"))
    county.setdefault("site", {})["base_url"] = BASE_URL
    # Every hostile object gets a page (not only drawn or inspected ones): the slugs are under test.
    county["site"]["object_pages"] = "名录库全部对象"
    (dest / "county.yaml").write_text(yaml.safe_dump(county, allow_unicode=True, sort_keys=False), "utf-8")
    return table
