"""Ceremony digits and reveals are checked when they arrive, not when the beacon is out (red team 7).

Ceremony digits typed in full width (``１２３４５６``, as a Chinese input method writes them) or in
another script's digits (``٣٧٠٢١٥``), or a reveal that does not open its commitment, passed ``entropy``,
validate and CI's acceptance; after round R the engine refused them and the draw was published as failed
(DRAW_CEREMONY_INVALID) — a draw failing after its randomness existed, which the registry promises never
happens. Now the command refuses them, validate fails the pull request, and CI refuses the entropy
before round R (REGISTRY_ENTROPY_INVALID).
"""

from __future__ import annotations

import shutil

import pytest

from generator.registry import store
from generator.registry.run import read
from tests.support.tree import BASE
from tests.test_registry_order import BEFORE, REVEAL, T_R, accept, beacon, request, run

D1 = "D2026-0001"


@pytest.fixture
def root(tmp_path):
    out = tmp_path / "records"
    shutil.copytree(BASE, out)
    return out


BAD = {
    "full-width": ("１２３４５６", REVEAL),
    "arabic-indic": ("٣٧٠٢١٥", REVEAL),
    "reveal-wrong": ("370215", REVEAL + "x"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_entropy_command_refuses_digits_or_a_reveal_the_draw_could_not_use(root, capsys, name):
    digits, reveal = BAD[name]
    assert request(capsys, root)[0] == 0
    argv = [
        "entropy",
        D1,
        "--records",
        root,
        "--ceremony",
        f"meeting={digits}",
        "--reveal",
        f"jijian={reveal}",
    ]
    code, out = run(capsys, *argv, "--date", "2026-05-01")
    assert code == 1 and "DRAW_ENTROPY_VALUE_INVALID" in out, out
    assert not (store.folder(root, D1) / store.ENTROPY).exists()


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_hand_written_entropy_file_is_refused_before_the_round_not_failed_after_it(root, capsys, name):
    digits, reveal = BAD[name]
    assert request(capsys, root)[0] == 0
    assert accept(capsys, root, BEFORE + 3600)[0] == 0
    text = (
        f"id: {D1}\nceremony:\n  meeting: '{digits}'\nreveals:\n  jijian: {reveal}\nrecorded_on: 2026-05-01\n"
    )
    (store.folder(root, D1) / store.ENTROPY).write_text(text, encoding="utf-8")
    code, out = run(capsys, "validate", "--records", root)
    assert code == 1 and "DRAW_ENTROPY_VALUE_INVALID" in out and "entropy.yaml:" in out, out
    code, out = accept(capsys, root, BEFORE + 7200)
    assert read(root, D1).refused["code"] == "REGISTRY_ENTROPY_INVALID", out
    beacon(root)
    code, out = run(capsys, "draw", "--due", "--records", root, "--now", T_R + 60)
    assert read(root, D1).failed is None and read(root, D1).result is None
    code, out = run(capsys, "validate", "--records", root)
    assert "DRAW_ENTROPY_VALUE_INVALID" not in out, out  # settled: history, not a finding for ever
