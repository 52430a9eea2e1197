"""The privacy scan's normalisation of long texts, run by run (issue 18): ``nfkc_without_format``
must give exactly the string ``NFKC(text without format characters)`` gives, because every hit's
span refers to that string. Holds only if the ``STABLE`` class is what its comment claims, so the
class is checked against the running Python's Unicode database (CI runs several versions)."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest

from generator.private_data import _FORMAT, STABLE, find, nfkc_without_format

_IN_STABLE = re.compile(f"[{STABLE}]")


def _whole(text: str) -> str:
    return unicodedata.normalize("NFKC", _FORMAT.sub("", text))


def test_every_stable_character_is_stable_in_this_unicode_version():
    seconds = set()  # characters that are the second of a canonical pair: they compose with the one before
    for cp in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    stable = [chr(cp) for cp in range(sys.maxunicode + 1) if _IN_STABLE.match(chr(cp))]
    assert len(stable) > 20000
    unstable = [
        c
        for c in stable
        if unicodedata.normalize("NFKC", c) != c
        or unicodedata.combining(c)
        or unicodedata.category(c) == "Cf"
        or c in seconds
        or 0x1100 <= ord(c) <= 0x11FF  # Hangul jamo compose by rule, not by the table
    ]
    assert unstable == []


# What surrounds a stable character in real texts, and what could join across it: combining marks,
# format characters, full-width forms, compatibility ideographs, Hangul jamo, blank letters.
_ALPHABET = (
    '0123456789abcXx ,.:-\n"{}[]电话号码张三（）：，、。—“”·'
    "\u0301\u0308\u0327\u200b\u200d\u00ad\ufeff\u2060"
    "１２３ＡＢ①½²\uf900\u2f00\u1100\u1161\u11a8\uac00\u3164\uffa0\uff70\u30fc\u0e33\u0b47\u0b3e"
)


@pytest.mark.parametrize("seed", range(4))
def test_run_by_run_equals_the_whole_text(seed):
    rng = random.Random(seed)
    for _ in range(40):
        # longer than the short-text cut-off, so the runs are normalised one by one
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(4096, 9000)))
        assert nfkc_without_format(text) == _whole(text)


@pytest.mark.parametrize("seed", range(4))
def test_sparse_clusters_far_apart_equal_the_whole_text(seed):
    """Machine-written text: long stable stretches (ASCII, ideographs) with a few others between, so
    the text is cut into many clusters (the random texts above are one cluster each)."""
    rng = random.Random(100 + seed)
    stable = '0123456789abc ,:"{}[]\n电话张三、。'
    for _ in range(40):
        text = "".join(
            rng.choice(_ALPHABET) if rng.random() < 0.01 else rng.choice(stable)
            for _ in range(rng.randint(4096, 20000))
        )
        assert nfkc_without_format(text) == _whole(text)


def test_a_mark_after_a_stable_character_still_joins_it():
    text = "x" * 5000 + "e\u0301 1\u200b38 1234 5678" + "电" * 10
    assert nfkc_without_format(text) == _whole(text)
    assert "é" in nfkc_without_format(text)


def test_find_reads_a_long_machine_written_text_as_before():
    rng = random.Random(7)
    rows = []
    for i in range(2000):
        name = "".join(rng.choice("张王李赵（）分店ＡＢ１２") for _ in range(6))
        rows.append(f'{{"id": "X-{i:05d}", "name": "{name}", "n": {rng.randint(0, 10**9)}}}')
    rows[1234] = '{"note": "联系 １３８\u200b1234 5678"}'
    text = "[\n" + ",\n".join(rows) + "\n]"
    hits = find(text, numerals=False, data=True)
    assert [h.masked for h in hits] == ["138****5678"]
    assert _whole(text)[hits[0].start : hits[0].end].replace(" ", "") == "13812345678"
