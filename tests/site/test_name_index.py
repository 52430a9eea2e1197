"""The name-part lookup (generator/site/name_index.py): exactly the objects whose name holds the query.

The index answers "which paged objects' names hold these characters" from bigram files; these tests
hold its answer (``name_index.matches``, which search.js mirrors — the browser test in
test_search_cases.py holds the page to the same answers) to a plain substring search over the
names, including when lists are cut off as too common and when names repeat."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site import lookup, name_index
from generator.site.assemble import assemble
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS


def _plain(targets, query):
    wanted = lookup.key(query)
    cut = [[name_index.indexed(n), u] for n, u in sorted(targets)]
    return [t for t in cut if wanted in lookup.key(t[0])]


# A small alphabet so that pieces repeat and cross the list limit; full-width letters and spaces
# test the folding, a non-BMP character the code-point counting.
ALPHABET = "泗阳县泓川种业店ktvＫＴＶ（）() 𠀋"
names = st.text(ALPHABET, min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(names, st.sampled_from(["objects/a/", "objects/b/", "objects/c/"])), max_size=40),
    st.one_of(names, st.text(ALPHABET, max_size=4)),
    st.integers(min_value=1, max_value=6),
)
def test_the_answer_is_a_substring_search_or_none(targets, query, limit):
    targets = sorted(set(targets))
    files, digits = name_index.name_files_for(targets, limit)
    got = name_index.matches(files, digits, query)
    wanted = lookup.key(query)
    if got is None:
        # only when it cannot tell: under two characters, or every piece too common to list
        grams = name_index.bigrams(wanted)
        held = {g: sum(g in lookup.key(name_index.indexed(n)) for n, _ in targets) for g in grams}
        assert not grams or all(count > limit for count in held.values()), held
    else:
        assert got == _plain(targets, query)


def test_common_pieces_are_counted_not_listed():
    targets = sorted((f"泗阳县{c}店", f"objects/{i}/") for i, c in enumerate("甲乙丙"))
    files, digits = name_index.name_files_for(targets, limit=2)
    table = {k: v for body in files.values() for k, v in json.loads(body).items()}
    assert table["泗阳"] == 3 and table["甲店"] == [["泗阳县甲店", "objects/0/"]]
    assert name_index.matches(files, digits, "泗阳县") is None  # every piece too common: cannot tell
    assert name_index.matches(files, digits, "县乙") == [["泗阳县乙店", "objects/1/"]]
    assert name_index.matches(files, digits, "县丁") == []  # 县丁 is in no name
    assert name_index.matches(files, digits, "乙") is None  # one character: full text answers


def test_shards_grow_with_the_names_and_every_shard_exists():
    few, digits = name_index.name_files_for([("泗阳县甲店", "objects/a/")])
    assert digits == 1 and len(few) == 16  # a miss is a small file, never a 404
    many = [(f"泗阳县{chr(0x4E00 + i)}{chr(0x4F00 + i)}店", f"objects/{i}/") for i in range(3000)]
    files, digits = name_index.name_files_for(sorted(many))
    assert digits == 2 and len(files) == 256
    for path, body in files.items():  # each piece sits in the file its hash names
        for gram in json.loads(body):
            assert name_index.shard_of(gram, digits) == path.rsplit("/", 1)[1].removesuffix(".json")


def test_the_files_are_the_same_bytes_for_the_same_names():
    targets = sorted((f"泗阳县{chr(0x4E00 + i)}店", f"objects/{i}/") for i in range(50))
    assert name_index.name_files_for(targets) == name_index.name_files_for(list(targets))


@pytest.fixture(scope="module")
def fixture_bundle():
    bundle = assemble(FIXTURE_RECORDS, int(FIXTURE_EPOCH))
    bundle.cancel()
    return bundle


def test_the_site_indexes_the_names_of_paged_objects_only(fixture_bundle):
    site_data = fixture_bundle.site_data
    files = {p: b for p, b in fixture_bundle.files.items() if p.startswith(name_index.FOLDER + "/")}
    digits = fixture_bundle.pages["search.md"].data["search_digits"]["names"]
    listed = {
        n for body in files.values() for v in json.loads(body).values() if isinstance(v, list) for n, _ in v
    }
    paged = {site_data.objects[o]["name"] for o in site_data.with_page}
    assert listed == paged  # the fixture is small: no piece is too common to list
    for oid in set(site_data.objects) - site_data.with_page:
        name = site_data.objects[oid]["name"]
        assert name not in listed
        hits = name_index.matches(files, digits, name) or []
        assert all(n != name for n, _ in hits)
    for name in sorted(n for n in paged if len(n) >= 4):  # a part of each name finds it
        assert name in {n for n, _ in name_index.matches(files, digits, name[1:-1])}


def test_a_long_name_costs_what_its_first_characters_cost():
    """Who controls a name: any unit. A 2,000-character name (the text limit) must not list itself
    under 2,000 pieces: it is indexed and listed on its first NAME_CHARS characters."""
    long_name = "".join(chr(0x4E00 + i) for i in range(2000))
    files, digits = name_index.name_files_for([(long_name, "objects/x/")])
    assert sum(map(len, files.values())) < 20_000
    head = long_name[: name_index.NAME_CHARS]
    assert name_index.matches(files, digits, long_name[10:20]) == [[head, "objects/x/"]]
    assert name_index.matches(files, digits, long_name[100:110]) == []
