"""The speed-ups of a 100,000-row import (issue 12) agree with the plain definitions they shortcut.

Each fast path is compared with the slow code on generated input, so a shortcut that changes a
result fails here rather than in a clerk's import."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.intake.cells import _clean_text_fully, clean_text
from generator.rules.uscc import CHARSET, VALUES, WEIGHTS, check_digit
from generator.schema.fields import (
    INVALID,
    Boolean,
    Check,
    Choice,
    Date,
    Field,
    FieldMemo,
    ListOf,
    Ratio,
    Text,
    check_fields,
)

# Characters that clean_text treats specially, mixed with plain ones.
TRICKY = " \t\n\r\u00a0\u3000\u2002\u200b\ufeff\u2028\x1c\x85ＡＢ１２（），－ab12名称"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=TRICKY, max_size=12), st.booleans(), st.booleans())
def test_clean_text_fast_path_matches_the_full_cleaning(text, fold_all, keep_lines):
    assert clean_text(text, fold_all, keep_lines) == _clean_text_fully(text, fold_all, keep_lines)


@given(st.text(alphabet=CHARSET, min_size=17, max_size=17))
def test_check_digit_matches_the_standard_formula(body):
    total = sum(VALUES[ch] * w for ch, w in zip(body, WEIGHTS, strict=True))
    assert check_digit(body) == CHARSET[(31 - total % 31) % 31]


class Collect(Check):
    def __init__(self):
        self.found = []

    def report(self, code, path, value, **params):
        self.found.append((code, path, value))


FIELDS = (
    Field("name", "名称", "", Text(pattern=r"[A-Z]\d+")),
    Field("kind", "类型", "", Choice(values=("企业", "个体工商户"))),
    Field("on", "日期", "", Date(), required=False),
    Field("ok", "是否", "", Boolean(), required=False),
    Field("share", "比例", "", Ratio(), required=False),
    Field("tags", "标签", "", ListOf(item=Text()), required=False),
)
ROW_VALUES = {
    "name": st.sampled_from(["A1", "Ａ１", "a1", "", "B22 "]),
    "kind": st.sampled_from(["企业", "个体户", "企业 ", 1, True]),
    "on": st.sampled_from(["2026-03-05", "2026/3/5", "2026-02-30", dt.date(2026, 1, 1), 5]),
    "ok": st.sampled_from(["是", "否", 1, 1.0, True, "maybe"]),
    "share": st.sampled_from(["5%", "1/20", "150%", 0.05]),
    "tags": st.sampled_from(["a;b", "a;a", ["x", "y"], ["x", "x"], [1, "x"]]),
}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({}, optional=ROW_VALUES), min_size=1, max_size=8))
def test_memo_gives_each_row_the_same_values_and_findings_as_checking_it_alone(rows):
    memo, with_memo, alone = FieldMemo(limit=3), Collect(), Collect()
    for i, row in enumerate(rows):
        fast = check_fields(FIELDS, row, (i,), with_memo, "测试", memo)
        slow = check_fields(FIELDS, row, (i,), alone, "测试")
        assert fast == slow
        assert all(type(fast[k]) is type(slow[k]) for k in slow)
    assert with_memo.found == alone.found  # every bad value reported on its own row and path


def test_memo_hands_out_a_fresh_list_each_time():
    memo, ctx = FieldMemo(), Collect()
    first = check_fields(FIELDS, {"name": "A1", "kind": "企业", "tags": "a;b"}, (0,), ctx, "测试", memo)
    first["tags"].append("changed by the first row")
    second = check_fields(FIELDS, {"name": "A1", "kind": "企业", "tags": "a;b"}, (1,), ctx, "测试", memo)
    assert second["tags"] == ["a", "b"] and not ctx.found


def test_memo_keeps_types_apart_and_never_remembers_a_bad_value():
    memo, ctx = FieldMemo(), Collect()
    assert check_fields(FIELDS, {"name": "A1", "kind": "企业", "share": "5%"}, (0,), ctx, "", memo)[
        "share"
    ] == Fraction(1, 20)
    for i in range(3):
        check_fields(FIELDS, {"name": "a1", "kind": "企业"}, (i,), ctx, "", memo)
    assert [(c, p) for c, p, _ in ctx.found] == [("FIELD_PATTERN", (i, "name")) for i in range(3)]
    assert "a1" not in memo.by_field["name"][1]
    f = FIELDS[3]
    assert memo.check(f, 1, (), ctx) is True and memo.check(f, True, (), ctx) is True
    assert memo.check(f, "maybe", (), ctx) is INVALID
