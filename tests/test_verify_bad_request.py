"""One malformed request.yaml never stops ``verify`` for the whole registry (red team 7).

request.yaml is append-only, so a broken one can only be a file committed past the checks (an
administrator's merge, a repaired history). ``verify`` checks the public log against every accepted
request on every pull request (``verify --base`` still reads the whole log): a request whose
``pool_digests`` was text, whose ``parameters`` was null or whose ``sources`` was a number made it
stop with 程序内部错误 (AttributeError/TypeError), so no draw of the county was verified and every
unit's pull request failed. Now that draw is reported with its file and code, and the rest verified.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from generator.cli import main
from tests.support.tree import build_full


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return build_full(tmp_path_factory.mktemp("full") / "records")


@pytest.mark.parametrize(
    "field, value",
    [("pool_digests", "x"), ("parameters", None), ("sources", -1), ("parameters", {"task": None})],
)
def test_a_request_committed_past_the_checks_is_reported_not_a_crash(master, tmp_path, capsys, field, value):
    root = tmp_path / "records"
    shutil.copytree(master, root)
    path = root / "draws" / "2026" / "D2026-0001" / "request.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[field] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code = main(["verify", "--records", str(root), "--no-beacon-check"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1, text
    assert "程序内部错误" not in text and "Traceback" not in text, text
    assert "draws/2026/D2026-0001/request.yaml" in text and "核验未通过" in text, text
