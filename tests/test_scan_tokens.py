"""The privacy scan's token pass (issue 18): ``long_tokens(n)`` finds exactly the ``TOKEN`` matches
of ``n`` characters or more, so the needles (internal phone and ID numbers) it can find are the same."""

from __future__ import annotations

import random

from generator.site.privacy import TOKEN, Scanner, long_tokens


def test_long_tokens_are_the_long_token_matches():
    rng = random.Random(18)
    alphabet = 'ab9X_- .<>="中1'
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        n = rng.randint(1, 12)
        assert long_tokens(n).findall(text) == [t for t in TOKEN.findall(text) if len(t) >= n], (n, text)


def test_the_scan_finds_a_needle_of_the_shortest_length_as_a_whole_token_only():
    scanner = Scanner({"inspectors.phone": {"05278123456", "13812345678"}}, set())
    found = ["objects/x/index.html: 内部字段 inspectors.phone 的值出现在公开内容中"]
    for page in ("<p>座机 05278123456。</p>", "<p>_-05278123456</p>", '<a href="tel:05278123456">'):
        assert scanner.text("objects/x/index.html", page) == found, page
    for page in ("<p>a-05278123456 x05278123456 0527812345 052781234567</p>",):
        assert scanner.text("objects/x/index.html", page) == [], page
