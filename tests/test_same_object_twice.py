"""One object, one ticket (red team 7): a unit registered the firm it wanted inspected under more ids.

A draw gives each candidate id one ticket. ``测试县幼儿园食堂`` registered again as ``X-0005`` and
``x-0005`` (其他编号, the same name and address up to spaces and full width) passed validate; ``request``
froze all three rows, so the firm had three tickets in its stratum (three times the chance, and it could
be drawn twice in one task). Ten such rows make a firm all but certain to be drawn: hand-picking by
directory edit. Now the second row of a firm (same name and address, another id, anywhere in the
county, products and projects aside) is ``OBJECT_SAME_AS_ANOTHER`` and ``request`` refuses.
"""

from __future__ import annotations

import shutil

import pytest

from generator.registry import store
from tests.support.tree import BASE
from tests.test_registry_order import BEFORE, COMMIT, TASK, R, run

KINDERGARTEN = (
    "9132132397R5NQ72JU,统一社会信用代码,测试县幼儿园食堂,企业,众兴街道,示例路5号,学校食堂,存续,D,否\n"
)


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "records"
    shutil.copytree(BASE, out)
    return out


@pytest.mark.parametrize(
    "rows",
    [
        ["X-0005,其他编号,测试县幼儿园食堂,企业,众兴街道,示例路5号,学校食堂,存续,D,否\n"],
        ["x-0005,其他编号,测试县幼儿园食堂 ,企业,众兴街道,示例路 5 号,学校食堂,存续,D,否\n"],
        ["X-0006,其他编号,测试县幼儿园食堂,企业,众兴街道,示例路５号,学校食堂,存续,D,否\n"],
    ],
    ids=["other-id", "spaces", "full-width"],
)
def test_a_firm_registered_again_under_another_id_gets_no_second_ticket(root, capsys, rows):
    objects = root / "units" / "market" / "objects.csv"
    text = objects.read_text(encoding="utf-8")
    assert KINDERGARTEN in text
    objects.write_text(text + "".join(rows), encoding="utf-8")
    code, out = run(capsys, "validate", "--records", root)
    assert code == 1 and "OBJECT_SAME_AS_ANOTHER" in out and "objects.csv:8:" in out, out
    code, out = run(
        capsys, "request", TASK, "--records", root, "--date", "2026-04-29", "--drand-round", R,
        "--now", BEFORE, "--commit", f"jijian={COMMIT}",
    )  # fmt: skip
    assert code == 1 and store.all_draw_ids(root) == []


def test_products_of_one_maker_and_one_firm_in_several_units_stay_allowed(root, capsys):
    """Legitimate repeats: the same firm in two units' directories under its one id (a joint task's
    pool keeps one row), and products or projects named after their maker."""
    objects = root / "units" / "market" / "objects.csv"
    text = objects.read_text(encoding="utf-8")
    objects.write_text(
        text
        + "P-0001,产品编号,测试县幼儿园食堂,企业,众兴街道,示例路5号,学校食堂,存续,D,否\n"
        + "P-0002,产品编号,测试县幼儿园食堂,企业,众兴街道,示例路5号,学校食堂,存续,D,否\n",
        encoding="utf-8",
    )
    health = root / "units" / "health" / "objects.csv"
    header = text.splitlines(keepends=True)[0]
    health.write_text(header + KINDERGARTEN, encoding="utf-8")
    code, out = run(capsys, "validate", "--records", root)
    assert "OBJECT_SAME_AS_ANOTHER" not in out, out


def test_a_copy_in_another_units_directory_is_a_warning_at_each_never_an_error(root, capsys):
    """Two reviews of red team 7: as an error, the finding landed on whichever row sorted second (so
    health, sorting before market, could copy market's firm and have market's directory withheld),
    then on the id that looked less like the firm's own (a copy under a valid-looking code tied, two
    colluding units outvoted one). Which unit is right cannot be told from the records: across units
    each row gets a warning and no file is withheld; a copy adds at most one ticket in a joint pool."""
    market = (root / "units" / "market" / "objects.csv").read_text(encoding="utf-8")
    header = market.splitlines(keepends=True)[0]
    health = root / "units" / "health" / "objects.csv"
    health.write_text(header + KINDERGARTEN.replace("9132132397R5NQ72JU,统一社会信用代码", "X-9001,其他编号"))
    code, out = run(capsys, "validate", "--records", root)
    warned = [line for line in out.splitlines() if "OBJECT_SAME_FIRM_OTHER_ID" in line]
    assert code == 0 and "OBJECT_SAME_AS_ANOTHER" not in out, out
    assert len(warned) == 2 and any("units/health/objects.csv:2:" in w for w in warned), out
    assert any("units/market/objects.csv:" in w and "9132132397R5NQ72JU" in w for w in warned), out


@pytest.mark.parametrize(
    "row",
    [
        "X-0902,其他编号,测试县幼儿园食堂,企业,众兴街道,示例路5号（门店）,学校食堂,存续,D,否\n",
        "X-0903,其他编号,测试县幼儿园食堂（仓库）,企业,众兴街道,示例路5号,学校食堂,存续,D,否\n",
    ],
    ids=["address-suffix", "name-suffix"],
)
def test_the_same_firm_under_a_varied_name_or_address_is_still_one_firm(root, capsys, row):
    """Review of red team 7: the name with a premises suffix at the same address, or the address with
    one, gave the firm more tickets."""
    objects = root / "units" / "market" / "objects.csv"
    objects.write_text(objects.read_text(encoding="utf-8") + row, encoding="utf-8")
    code, out = run(capsys, "validate", "--records", root)
    same = [line for line in out.splitlines() if "OBJECT_SAME_AS_ANOTHER" in line]
    assert code == 1 and len(same) == 1 and row.split(",")[0] in same[0], out
