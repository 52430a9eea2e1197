"""The search page's exact lookup: 统一社会信用代码 or full object name -> that object's page.

Full-text search cannot be trusted with these queries: Pagefind splits a code into ``91321323`` +
``MA22J6KL15`` and segments a full name differently at index time (jieba) and query time (the
browser's ``Intl.Segmenter``), so the one page asked for ranked hundreds deep or not at all. The
search page therefore looks the query up first in a small static map written at build time.

The map holds only what the site already publishes: the name and code of each object that has a
page (``SiteData.with_page``). It is split into 16^k shards by the first k hex digits of the key's
FNV-1a hash (k grows with the site so a shard stays a few KB), so the first query fetches one small
file whatever the county's size. ``search.js`` computes the same key and hash.

A key is the text NFKC-folded (full-width letters and digits, full-width parentheses), with all
white space removed and letters in upper case; a name and a code never collide because a code
has no CJK character and a name that looks like a code would still point at a real page.
"""

from __future__ import annotations

import json
import unicodedata

from generator.rules.uscc import check_uscc
from generator.site.page import url_for
from generator.site.site_data import SiteData
from generator.site.slugs import object_slug

FOLDER = "search/lookup"
KEYS_PER_SHARD = 256  # the shard count grows (x16) once the average shard would exceed this


def key(text: str) -> str:
    """>>> key(" 泗阳县 苇岭ｋｔｖ有限公司（城厢）")
    '泗阳县苇岭KTV有限公司(城厢)'
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the UTF-8 bytes (the browser side does the same with TextEncoder).

    >>> f"{fnv1a('91321323MA22J6KL15'):08x}", f"{fnv1a(''):08x}"
    ('1019dca2', '811c9dc5')
    """
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def entries(site_data: SiteData) -> dict[str, list[list[str]]]:
    """key -> [[name, url relative to the site root], ...] (two objects may share a name)."""
    out: dict[str, list[list[str]]] = {}
    for oid in sorted(site_data.with_page):
        obj = site_data.objects[oid]
        target = [obj["name"], url_for(f"objects/{object_slug(oid)}.md")]
        keys = {key(obj["name"])}
        if obj.get("id_kind", "统一社会信用代码") == "统一社会信用代码":
            code, problem, _ = check_uscc(oid)
            if problem is None:
                keys.add(code)
        for k in sorted(keys):
            if k and target not in out.setdefault(k, []):
                out[k].append(target)
    return out


def digits_for(count: int) -> int:
    digits = 1
    while count > KEYS_PER_SHARD * 16**digits and digits < 4:
        digits += 1
    return digits


def lookup_files(site_data: SiteData) -> tuple[dict[str, bytes], int]:
    """({site path: JSON bytes} for every shard, empty ones included, and the prefix length).

    Every shard exists, so a miss is an ordinary (small) response and never a 404."""
    table = entries(site_data)
    digits = digits_for(len(table))
    return shard_files(FOLDER, table, digits), digits


def shard_files(folder: str, table: dict, digits: int) -> dict[str, bytes]:
    """``table`` cut into ``16**digits`` JSON files under ``folder`` by the first hex digits of each
    key's FNV-1a hash (what search.js fetches): every file exists, empty ones included."""
    shards: dict[str, dict] = {f"{i:0{digits}x}": {} for i in range(16**digits)}
    for k, value in table.items():
        shards[f"{fnv1a(k):08x}"[:digits]][k] = value
    return {
        f"{folder}/{prefix}.json": json.dumps(
            shard, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode("utf-8")
        for prefix, shard in shards.items()
    }
