"""The search page's name-part lookup: part of an object's name -> every object whose name holds it.

A reader looking for a shop types its 字号 or half its name (泓川种业, 柘禾商贸), not the full
registered name the exact lookup (``lookup.py``) needs. Pagefind cannot be trusted with that
either: the index cuts a name with jieba and the browser cuts the query with ICU, and a part of a
name is often not a word of either cut (泓川种业店 found nothing at county size). This index answers
the question exactly, as a substring test, from small static files:

* Every object with a page contributes its name's key (``lookup.key``: NFKC, no white space, upper
  case) and every two-character piece of that key (a *bigram*, counted in code points).
* A bigram held by at most ``LIST_LIMIT`` names maps to the list of those names, each
  ``[name, url]``, sorted. A bigram held by more (泗阳, 公司, 有限) maps to the number of names only:
  its list would cost more to fetch than it narrows.
* The bigrams are spread over ``16**digits`` files by the first hex digits of the bigram's FNV-1a
  hash (the same hash as the exact lookup), so a query fetches one small file per bigram it has.

The browser (``search.js``) cuts the query's key into bigrams and fetches their files. A bigram no
file names means no object name holds the query. Otherwise every name holding the query is in each
listed bigram's list (the list is complete), so the shortest list, filtered by "the name's key holds
the query's key", is exactly the answer. When every bigram of the query is too common to list, the
index cannot answer and says so (the search falls back to full text alone).

Only names the site already publishes (objects with a page) are in it, as in the exact lookup.
"""

from __future__ import annotations

import json

from generator.site.lookup import fnv1a, key, shard_files
from generator.site.page import url_for
from generator.site.site_data import SiteData
from generator.site.slugs import object_slug

FOLDER = "search/names"
LIST_LIMIT = 128  # names a piece may list: 3.6 MB of files for the county's 50,087 names, a query
# fetches ~0.2-17 KB (at 256: 9.7 MB and up to 76 KB, which would put the first search over 300 KB)
NAME_CHARS = 64  # a name is indexed (and listed) on its first 64 characters: a unit's 2,000-character
# name would otherwise add ~2,000 lists of itself (4 MB); the longest real names are ~40
SHARD_BYTES = 4096  # the shard count grows (x16) while the average file would exceed this


def bigrams(text_key: str) -> set[str]:
    """>>> sorted(bigrams("泓川种业"))
    ['川种', '泓川', '种业']
    """
    return {text_key[i : i + 2] for i in range(len(text_key) - 1)}


def shard_of(gram: str, digits: int) -> str:
    """The file a bigram lives in: the first ``digits`` hex digits of its FNV-1a hash."""
    return f"{fnv1a(gram):08x}"[:digits]


def _targets(site_data: SiteData) -> list[tuple[str, str]]:
    return sorted(
        (site_data.objects[oid]["name"], url_for(f"objects/{object_slug(oid)}.md"))
        for oid in site_data.with_page
    )


def indexed(name: str) -> str:
    """The part of a name the index holds and lists (see NAME_CHARS)."""
    return name[:NAME_CHARS]


def name_files_for(targets: list[tuple[str, str]], limit: int = LIST_LIMIT) -> tuple[dict[str, bytes], int]:
    """({site path: JSON bytes} for every shard, empty ones included, and the prefix length), from
    sorted (name, url) pairs; a bigram held by more than ``limit`` names is counted, not listed.
    Lists stay sorted: the pairs are, and cutting names to NAME_CHARS keeps their order."""
    holders: dict[str, list[list[str]]] = {}
    for name, url in targets:
        shown = indexed(name)
        for gram in bigrams(key(shown)):
            holders.setdefault(gram, []).append([shown, url])
    table: dict[str, list[list[str]] | int] = {
        gram: (names if len(names) <= limit else len(names)) for gram, names in holders.items()
    }
    size = sum(
        len(gram.encode()) + (sum(len(n.encode()) + len(u) + 6 for n, u in v) if isinstance(v, list) else 8)
        for gram, v in table.items()
    )
    digits = 1
    while size > SHARD_BYTES * 16**digits and digits < 4:
        digits += 1
    return shard_files(FOLDER, table, digits), digits


def name_files(site_data: SiteData) -> tuple[dict[str, bytes], int]:
    return name_files_for(_targets(site_data))


def matches(files: dict[str, bytes], digits: int, query: str) -> list[list[str]] | None:
    """What search.js answers for ``query``: [[name, url], ...] sorted, or None when the index
    cannot tell (a key under two characters, or every bigram too common to list). The browser test
    holds search.js to the same answers; tests hold this to a plain substring search."""
    wanted = key(query)
    grams = bigrams(wanted)
    if not grams:
        return None
    lists = []
    for gram in grams:
        shard = json.loads(files[f"{FOLDER}/{shard_of(gram, digits)}.json"])
        if gram not in shard:
            return []
        if isinstance(shard[gram], list):
            lists.append(shard[gram])
    if not lists:
        return None
    return [t for t in min(lists, key=len) if wanted in key(t[0])]
