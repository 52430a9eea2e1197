"""cache_signing: a signed body opens only under the same key and purpose, unchanged."""

from generator.site import cache_signing

KEY = "a-test-key-long-enough"


def test_a_signed_body_opens_under_its_key_and_purpose_only(monkeypatch):
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)
    data = cache_signing.sign(b"pages", b"<html>page</html>")
    assert data is not None and cache_signing.opened(b"pages", data) == b"<html>page</html>"
    assert cache_signing.opened(b"parse", data) is None  # another part's entry is not this part's
    flipped = bytes([data[0] ^ 1]) + data[1:]
    assert cache_signing.opened(b"pages", flipped) is None
    assert cache_signing.opened(b"pages", data[:-1]) is None
    assert cache_signing.opened(b"pages", data[-cache_signing.MAC :]) is None  # an empty body, another MAC
    monkeypatch.setenv(cache_signing.KEY_ENV, "another-key-long-enough")
    assert cache_signing.opened(b"pages", data) is None


def test_no_key_or_a_short_key_signs_and_opens_nothing(monkeypatch):
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)
    data = cache_signing.sign(b"pages", b"x")
    monkeypatch.delenv(cache_signing.KEY_ENV)
    assert cache_signing.sign(b"pages", b"x") is None and cache_signing.opened(b"pages", data) is None
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY[: cache_signing.MIN_KEY - 1])
    assert cache_signing.sign(b"pages", b"x") is None and cache_signing.opened(b"pages", data) is None


def test_the_key_is_not_handed_to_pagefind(monkeypatch):
    """Red team 9: the key is a secret of the build's own process (which signs); the Pagefind
    binary it starts (a third party's code, run on every shard) is not given it."""
    from generator.site import search_index

    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)
    monkeypatch.setenv("SSJ_OTHER_SETTING", "kept")
    env = search_index._environment()
    assert cache_signing.KEY_ENV not in env and env["SSJ_OTHER_SETTING"] == "kept"
