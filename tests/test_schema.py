"""Every field type checks itself, however deeply it is nested."""

from __future__ import annotations

from generator.schema.fields import (
    INVALID,
    Check,
    Date,
    Field,
    Integer,
    ListOf,
    MapOf,
    Obj,
    Text,
    check_fields,
    fields_json_schema,
)


class Collect(Check):
    def __init__(self):
        self.found: list[tuple[str, tuple, object]] = []

    def report(self, code, path, value, **params):
        self.found.append((code, path, value))


VISIT = Obj((Field("n", "次数", "检查次数。", Integer()), Field("on", "日期", "检查日期。", Date())))
FIELDS = (
    Field("visits", "检查", "按单位记录的检查。", MapOf(Text(), VISIT)),
    Field("history", "历史", "逐次记录。", ListOf(VISIT), required=False),
)


def check(data):
    ctx = Collect()
    return check_fields(FIELDS, data, (), ctx, "测试"), ctx.found


def test_a_mapping_of_objects_checks_each_object():
    cleaned, found = check({"visits": {"market": {"n": "many", "on": "2026-02-30", "extra": 1}}})
    assert sorted(found) == [
        ("FIELD_DATE", ("visits", "market", "on"), "2026-02-30"),
        ("FIELD_TYPE", ("visits", "market", "n"), "many"),
        ("FIELD_UNKNOWN", ("visits", "market", "extra"), "extra"),
    ]
    assert cleaned == {"visits": {"market": {}}}


def test_a_mapping_of_objects_cleans_good_values():
    cleaned, found = check({"visits": {"market": {"n": "3", "on": "2026年3月5日"}}})
    assert found == []
    assert cleaned["visits"]["market"]["n"] == 3 and str(cleaned["visits"]["market"]["on"]) == "2026-03-05"


def test_a_missing_field_inside_a_mapped_object_is_required():
    _, found = check({"visits": {"market": {"n": 1}}})
    assert [(c, p) for c, p, _ in found] == [("FIELD_REQUIRED", ("visits", "market"))]


def test_a_list_of_objects_is_not_split_from_text_nor_deduplicated():
    same = {"n": 1, "on": "2026-03-05"}
    cleaned, found = check({"visits": {}, "history": [same, same]})
    assert found == [] and len(cleaned["history"]) == 2
    _, found = check({"visits": {"a": {"n": 1, "on": "2026-03-05"}}, "history": "a;b"})
    assert found == [("FIELD_TYPE", ("history",), "a;b")]


def test_a_mapping_that_is_not_a_mapping_is_invalid():
    ctx = Collect()
    f = FIELDS[0]
    assert f.type.check(["x"], ("visits",), f, ctx) is INVALID
    assert ctx.found == [("FIELD_TYPE", ("visits",), ["x"])]


def test_json_schema_of_nested_types():
    schema = fields_json_schema(FIELDS)
    visits = schema["properties"]["visits"]["additionalProperties"]
    assert visits["required"] == ["n", "on"] and visits["additionalProperties"] is False
    assert schema["properties"]["history"]["items"] == fields_json_schema(VISIT.fields)


def test_a_message_never_shows_a_python_repr(tmp_path):
    """A list or mapping where text belongs is shown as a clerk would write it."""
    import shutil

    from generator.corpus import load
    from tests.support.tree import BASE

    root = tmp_path / "records"
    shutil.copytree(BASE, root)
    unit = root / "units" / "market" / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name:"))
    unit.write_text(text.replace(name, "name: [市场监管局, {简称: 市场监管}]"), encoding="utf-8")
    found = [f for f in load(root).findings if f.file.endswith("unit.yaml") and f.code == "FIELD_TYPE"]
    assert found, "a list as the unit name is reported"
    for f in found:
        assert "[" not in f.message and "'" not in f.message and "{" not in f.message, f.message
    assert "市场监管局、简称：市场监管" in found[0].message
