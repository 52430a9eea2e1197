"""Names of randomness sources are published: validate must read them in the pull request.

A unit's ``request --commit 参与方=承诺值`` names a third party, and ``entropy --reveal 参与方=…`` repeats
the name. Names of ``[a-z0-9_-]{1,32}`` (protocol §3) are printed on the draw page
(``data-source-name``), in the public bundle, the registry log and, once drawn, in the seed. A party
named ``13800138000`` (a mobile number) or ``11010519491231002x`` (an ID number) passed validate:
the build's final scan then refused every unit's site, and the request is in the append-only
registry, which ``ci site`` cannot leave out, so no later pull request could publish anything
(red team, fifth round). Validate reports the name where it is written, at the request and the
entropy record, before they are merged.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.corpus import load
from generator.registry import store
from generator.validation import validate_corpus
from tests.support.tree import BASE, make_request

TASK = "T2026-market-01"
DAY = dt.date(2026, 4, 29)


def _requested(root: Path, party: str) -> str:
    """The base tree with a request naming ``party`` (accepted) and its entropy (accepted), undrawn."""
    shutil.copytree(BASE, root)
    return make_request(root, TASK, DAY, party=party)


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("party", "code"), [("13800138000", "PRIVACY_MOBILE"), ("11010519491231002x", "PRIVACY_ID_NUMBER")]
)
def test_a_party_named_by_a_private_number_is_reported_at_the_request_and_the_entropy(tmp_path, party, code):
    root = tmp_path / "records"
    draw_id = _requested(root, party)
    folder = store.folder(root, draw_id)
    found = sorted(f.key for f in validate_corpus(load(root, display_prefix="")))
    request, entropy = (f"draws/2026/{draw_id}/{name}" for name in ("request.yaml", "entropy.yaml"))
    assert found == sorted(
        [
            (code, request, _line_of(folder / "request.yaml", party)),
            (code, entropy, _line_of(folder / "entropy.yaml", party)),
        ]
    )
    messages = [f.message for f in validate_corpus(load(root, display_prefix=""))]
    assert all(party not in m for m in messages), messages  # masked, as every privacy finding


def test_an_ordinary_party_name_is_no_finding(tmp_path):
    root = tmp_path / "records"
    _requested(root, "jijian-2026")
    assert [f.key for f in validate_corpus(load(root, display_prefix=""))] == []
