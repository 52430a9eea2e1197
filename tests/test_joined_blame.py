"""Who is blamed for a number cut across two units' values (PRIVACY_NUMBER_ACROSS_RECORDS): `ci site`
leaves out the blamed files, so the blame must land on the value that joins several units' values,
never on an innocent value a hostile unit aimed at from two of its own files (review of red team 7)."""

from __future__ import annotations

from types import SimpleNamespace

from generator.rules.joined_numbers import _blamed, _joined


def _at(file: str):
    parts = file.split("/")
    owner = {"unit": parts[1]} if parts[0] == "units" else {}
    return (SimpleNamespace(file="records/" + file, owner=owner), ("name",), None)


def test_a_tail_planted_in_two_files_of_one_unit_does_not_make_the_innocent_value_the_hub():
    tails = {
        "农药经营的检查1380013800": [_at("units/agriculture/items.yaml")],
        "2026 年种子经营抽查1380013800": [_at("units/agriculture/plans/2026.yaml")],
    }
    heads = {"7天": [_at("units/market/objects.csv")]}
    joined = _joined(tails, heads)
    assert len(joined) == 2
    blamed = _blamed(joined, tails, heads)
    for tail, head, _ in joined:
        assert tail in blamed[(tail, head)]  # the planted values are always reported


def test_a_tail_planted_in_a_unit_file_and_a_joint_file_does_not_make_the_innocent_value_the_hub():
    tails = {
        "农药经营的检查1380013800": [_at("units/agriculture/items.yaml")],
        "会议决定1380013800": [_at("joint/meetings/2026-12-18.yaml")],
    }
    heads = {"7天": [_at("units/market/objects.csv")]}
    joined = _joined(tails, heads)
    blamed = _blamed(joined, tails, heads)
    assert len(joined) == 2 and all(t in blamed[(t, h)] for t, h, _ in joined)


def test_a_value_joining_several_units_values_is_blamed_alone():
    tails = {"甲局第1380013800": [_at("units/agriculture/unit.yaml")]}
    heads = {
        "7天连锁": [_at("units/market/objects.csv")],
        "7号楼": [_at("units/health/objects.csv")],
    }
    joined = _joined(tails, heads)
    blamed = _blamed(joined, tails, heads)
    assert len(joined) == 2
    assert all(blamed[(t, h)] == {"甲局第1380013800"} for t, h, _ in joined)
