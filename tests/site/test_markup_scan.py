"""The page scan normalises only the pieces of a page that can hold a number (``find_in_pieces``);
it must find exactly what ``find`` finds reading the whole page: on random markup built to cut
numbers, labels and compositions across tags and words, and on every page of the built sites."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter

from generator.private_data import _FORMAT, find
from generator.private_pieces import find_in_pieces
from tests.site.test_private_data import ID_NUMBERS, MOBILES, NOT_PRIVATE

# Pieces a page is made of, and the ones built to break a cut: tags with and without a letter after
# ``<`` (``<!---->`` and ``</>`` may stand inside a number), labels that must stay next to their
# digits (身份证, 注册号, tel after a letter or not), ``<`` followed by a combining overlay (NFKC makes
# ≮), compatibility characters NFKC rewrites (① ㈠ … ﬁ ｰ), invisible format characters and the
# Hangul filler, ``X`` that ends an ID number, and whole numbers in every spelling the tests know.
TAGS = [
    "<td>",
    "</td>",
    "<p>",
    "</p>",
    "<br>",
    "<!---->",
    "</>",
    "< ",
    "<1",
    "<",
    ">",
    '<b class="a">',
    "</b>",
]
ATTRIBUTES = ['<span data-v="0cc61a0172a65021420397ca6d91d380">', '<a href="../13812345678/">']
WORDS = [
    "身份证",
    "身份证号码：",
    "注册号",
    "注册号码 ",
    "tel",
    "Tel:",
    "hotel",
    "phone",
    "张三",
    "电话",
    "a",
    "X",
    "_",
    "Z",
]
# ⾝ (a Kangxi radical) and 豈 (a compatibility ideograph) are symbols or letters NFKC turns into
# ordinary ideographs: ``⾝份证`` reads 身份证 once normalised, so no cut may fall after ⾝
ODD = [
    "\u0338",
    "\u0301",
    "①",
    "㈠",
    "…",
    "ﬁ",
    "ｰ",
    "ー",
    "\u200b",
    "\u00ad",
    "\u3164",
    "\uffa0",
    "&amp;",
    "&#49;",
]
ODD += ["⾝", "⾝份证", "豈", "ᄀ", "\u1161", "Ｔｅｌ", "ｔｅｌ"]
# what NFKC makes digits or blanks (red team, fourth round): ㉑ 21, ½ 1⁄2, 🄉 9, and ﱞ ͺ blanks
ODD += ["㉑", "½", "🄉", "㏤", "\ufc5e", "\u037a", "℡"]
DIGITS = list("0123456789") + ["１", "３", "８", "٣"]
SEPARATORS = [" ", "-", "，", "、", "~", ".", "\n", "——", "……"]
NUMBERS = MOBILES + ID_NUMBERS + NOT_PRIVATE + ["110105491231002", "110108000000016"]


def _found(hits) -> Counter:
    return Counter((h.kind, h.number) for h in hits)


def _random_markup(rng: random.Random) -> str:
    pools = [TAGS, ATTRIBUTES, WORDS, ODD, DIGITS, DIGITS, DIGITS, SEPARATORS, NUMBERS]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 40)))


def _unbroken(text: str, hits) -> list:
    """The definition ``spaced=False`` keeps: hits with no white space in the normalised whole."""
    norm = unicodedata.normalize("NFKC", _FORMAT.sub("", text))
    return [h for h in hits if not any(c.isspace() for c in norm[h.start : h.end])]


def test_pieces_find_what_the_whole_text_finds():
    rng = random.Random(2026)
    with_hits = unbroken = 0
    for _ in range(40000):
        text = _random_markup(rng)
        whole = find(text, numerals=False)
        assert _found(find_in_pieces(text)) == _found(whole), repr(text)
        kept = _unbroken(text, whole)
        assert _found(find_in_pieces(text, spaced=False)) == _found(kept), repr(text)
        with_hits += bool(whole)
        unbroken += bool(kept)
    # the random texts did hold numbers, some across tags and labels, some with and some without spaces
    assert with_hits > 7000 and 1000 < unbroken < with_hits


def test_numbers_across_letterless_tags_and_labels_before_tags():
    cases = {
        "<p>138<!---->1234<!---->5678</p>": [("mobile", "13812345678")],
        "<td>138</>1234</>5678</td>": [("mobile", "13812345678")],
        "<td>hotel13812345678</td>": [],  # letters glued to the digits: a code, not a phone
        "<td>tel13812345678</td>": [("mobile", "13812345678")],
        # a tag's letter stands between the label and the digits: 15 digits that may be a 注册号
        "<b>身份证：</b>110105491231002": [("id_or_reg_no", "110105491231002")],
        "身份证：110105491231002": [("id_number", "110105491231002")],
        "<td>0cc61a0172a65021420397ca</td>": [],
    }
    for text, expected in cases.items():
        assert sorted(_found(find(text, numerals=False))) == expected, text
        assert sorted(_found(find_in_pieces(text))) == expected, text


def assert_pages_scan_the_same(site) -> int:
    """Every HTML page of ``site`` read both ways finds the same; returns the pages read."""
    pages = sorted(site.rglob("*.html"))
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert _found(find_in_pieces(text)) == _found(find(text, numerals=False)), path
    return len(pages)


def test_every_page_of_the_built_sites_scans_the_same(built_site, draw_site):
    assert assert_pages_scan_the_same(built_site) + assert_pages_scan_the_same(draw_site) > 40
    # a number planted in a page is found by both readings
    page = (built_site / "index.html").read_text(encoding="utf-8")
    planted = page.replace("</main>", "<p>电话 138<!---->1234 5678</p></main>")
    assert planted != page
    assert _found(find_in_pieces(planted)) == _found(find(planted, numerals=False)) != Counter()


def test_the_search_index_scan_reads_every_fragment_on_every_core(tmp_path):
    """Past 2,000 fragments the scan of Pagefind's page texts is split over the cores; a number in
    any fragment, whichever worker reads it, still stops the site (written unbroken: Pagefind joins
    table cells with spaces, so a spaced number there is read in the page itself)."""
    import gzip
    import json

    from generator.site import privacy

    folder = tmp_path / "pagefind" / "fragment"
    folder.mkdir(parents=True)
    planted = {0, 1, 1234, 2499}
    for i in range(2500):
        content = f"第 {i} 页 联系电话 1381234{5000 + i}" if i in planted else f"第 {i} 页 检查结果 合格"
        body = privacy.PAGEFIND_MAGIC + json.dumps({"url": f"/p{i}/", "content": content}).encode()
        (folder / f"zh-cn_{i:05d}{privacy.FRAGMENT}").write_bytes(gzip.compress(body))
    problems = privacy.Scanner({}, set()).search_index(tmp_path)
    assert [p.split(":")[0] for p in problems] == [
        f"pagefind/fragment/zh-cn_{i:05d}{privacy.FRAGMENT}!.txt" for i in sorted(planted)
    ]
    assert all("疑似手机号码" in p for p in problems)
