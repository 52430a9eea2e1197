"""Unit tests of the loader's limits and messages, and of the path checks, beyond the corpus cases."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from generator import paths
from generator.rules.results import reference_date
from generator.sources import load_csv, load_yaml
from generator.yamlerrors import explain

CJK = re.compile(r"[\u4e00-\u9fff]")

BROKEN_YAML = {
    "a: b: c\n": 1,
    "a:\n\tb: 1\n": 2,
    'a: "abc\nb: 1\n': 1,
    "a: 'abc\n": 1,
    "a:\n  b: 1\n c: 2\n": 3,
    "a: 1\n- b\n": 2,
    "a: [1, 2\n": 1,
    "a: {b: 1\n": 1,
    "a: 1\n---\nb: 2\n": 2,
    'a: "\\q"\n': 1,
    "a: @x\n": 1,
    "a: `x\n": 1,
    "- a\nb: 1\n": 2,
    "a: !x!y 1\n": 1,
    "%YAML 1.3\na: 1\n": 1,
    "%FOO\n---\na: 1\n": 1,
    "a: 1\n\ufeffb: 2\n": 2,
    "a: \x07\n": 1,
    "a: [" * 2000 + "\n": 1,
}


@pytest.mark.parametrize("text", list(BROKEN_YAML), ids=range(len(BROKEN_YAML)))
def test_every_libyaml_message_is_chinese_with_a_line(text):
    loaded = load_yaml(text, "x.yaml")
    assert [f.code for f in loaded.findings] == ["YAML_SYNTAX"]
    f = loaded.findings[0]
    assert f.line == BROKEN_YAML[text] and f.column >= 1
    detail = f.message.split("YAML 语法错误：", 1)[1]
    assert CJK.search(detail.split("解析器原文")[0]), f.message


def test_an_unknown_libyaml_message_still_gets_chinese_and_a_place():
    mark = yaml.Mark("x", 10, 3, 4, "", 0)
    exc = yaml.MarkedYAMLError(
        context="while doing something new", problem="found a brand new problem", problem_mark=mark
    )
    line, col, detail = explain(exc, "a: 1\n" * 5)
    assert (line, col) == (4, 5)
    assert CJK.search(detail) and "found a brand new problem" in detail


def test_an_unclosed_quote_is_reported_where_it_opens():
    text = 'id: x\nname: "县市场\nshort: 市场\norder: 1\nnote: "y"\nmore: 2\n'
    f = load_yaml(text, "x.yaml").findings[0]
    assert (f.code, f.line) == ("YAML_SYNTAX", 2) and "引号没有闭合" in f.message


def test_scalars_keep_their_written_text_only_when_conversion_changes_it():
    loaded = load_yaml("a: 05270123\nb: 2026\nc: 1:30\nd: 2026-03-05\ne: '010'\nf: 1.50\n", "x.yaml")
    assert loaded.scalars == {("a",): "05270123", ("c",): "1:30", ("f",): "1.50"}


def test_aliases_are_never_expanded():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    loaded = load_yaml(bomb, "x.yaml")
    assert loaded.value is None and {f.code for f in loaded.findings} == {"YAML_ANCHOR"}


def test_csv_rows_are_located_at_their_first_line():
    text = 'id,name\n1,"two\nlines"\n2,b\n'
    loaded = load_csv(text, "x.csv")
    assert loaded.row_lines == [2, 4] and loaded.findings == []


def test_a_future_source_date_epoch_moves_the_reference_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2099, 1, 2, tzinfo=dt.UTC).timestamp())))
    assert reference_date() == dt.date(2099, 1, 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01, the pinned build epoch
    beijing = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()  # the county's "today"
    assert reference_date() == max(beijing, dt.date(2026, 1, 1))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9" * 30)
    assert reference_date() == beijing


def test_output_dir_refuses_dangerous_targets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    records = tmp_path / "records"
    records.mkdir()
    for target in (Path("/"), Path.home(), Path("."), records, records / "site"):
        with pytest.raises(paths.PathRefused):
            paths.output_dir(target, records)
    assert paths.output_dir(tmp_path / "a" / "site", records) == tmp_path / "a" / "site"


def test_inside_refuses_a_link_out_of_the_records(tmp_path):
    records = tmp_path / "records"
    (records / "units").mkdir(parents=True)
    (records / "units" / "evil").symlink_to(tmp_path)
    with pytest.raises(paths.PathRefused):
        paths.inside(records, records / "units" / "evil" / "x.yaml")
    assert paths.inside(records, records / "units" / "market" / "x.yaml")


def test_unit_folder_suggests_the_nearest_unit(full_tree):
    with pytest.raises(paths.PathRefused, match="是否指“health”"):
        paths.unit_folder(full_tree, "helth")
    with pytest.raises(paths.PathRefused, match="格式不对"):
        paths.unit_folder(full_tree, "Market/..")
    assert paths.unit_folder(full_tree, "market") == full_tree / "units" / "market"


def test_the_loaders_resolver_gives_pyyamls_tag_for_every_kind_of_scalar():
    """sources._Loader.resolve answers text at once for a quoted scalar or one whose first character
    no implicit resolver is keyed by; for every other it asks PyYAML. Both give the same tag."""
    import random

    import yaml

    from generator.sources import _Loader

    values = ["", "~", "null", "Null", "yes", "No", "on", "OFF", "true", "False", "0", "010", "0x1F"]
    values += ["0o17", "1_000", "1:30", "-1", "+2", ".5", "-.inf", ".NaN", "1e3", "2026-03-05", "2026-3-5"]
    values += [
        "2026-03-05T09:00:00Z",
        "<<",
        "=",
        "!x",
        "&a",
        "*b",
        "中文",
        "泗阳县",
        "x",
        "Tom",
        "１２３",
        "ｙｅｓ",
    ]
    rng = random.Random(9)
    alphabet = "0123456789.+-:_eExXoOyYnNtTfF~ 中a"
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(3000)]
    loader = _Loader("")
    try:
        for value in values:
            for implicit in ((True, False), (False, True), (True, True), (False, False)):
                got = loader.resolve(yaml.ScalarNode, value, implicit)
                assert got == yaml.resolver.BaseResolver.resolve(loader, yaml.ScalarNode, value, implicit), (
                    value
                )
    finally:
        loader.dispose()
