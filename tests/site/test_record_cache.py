"""serve's record cache (issue 18): a rebuild parses again only the files whose bytes changed, and
what it hands back is exactly what a fresh read of the tree gives — after an edit, an edit that keeps
the old size and modification time, an added, a deleted and a broken file; the preview reports a
broken file like a full build and recovers once it is fixed."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

from generator.corpus import load
from generator.site import draws
from generator.site.assemble import RecordsInvalid, assemble
from generator.site.record_cache import RecordCache
from generator.site.rule_cache import ALL_KINDS, ANY, FILES
from generator.validation import checks, validate_corpus
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS

RESULT = "units/market/results/T2026-market-01.yaml"
OLD_FINDING = "食品留样记录不完整，已当场责令改正。"
SAME_LENGTH = "食品留样记录不齐全，已当场责令改正。"  # same bytes count: size alone cannot tell
DRAW = "draws/2026/D2026-0001"


def _state(corpus, cache: RecordCache | None = None) -> tuple:
    """Everything a corpus hands the rules and the site, after the rules ran (``uscc`` rewrites ids
    in place: a cached record must come out of it as a fresh one does), plus what they found —
    with a cache, through its rule cache (rules whose inputs did not change are not run)."""
    found = validate_corpus(corpus, cache and cache.rules.runner(corpus, cache.signatures))
    records = {
        kind: [(r.data, r.file, r.prefix, r.owner, r.header, r.loc()) for r in rows]
        for kind, rows in corpus.records.items()
    }
    return records, corpus.files, [f.key + (f.message,) for f in corpus.findings], found.keys()


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    monkeypatch.chdir(tmp_path)  # display prefixes relative to here, as serve shows them
    root = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    return root


@pytest.fixture
def cache(tree):
    """A cache that has been through one whole assembly (rules, draw pages, page models): whatever
    that does to the records it holds must not leak into the next read."""
    made = RecordCache()
    assemble(tree, int(FIXTURE_EPOCH), made).cancel()
    assert made.parsed_files  # the first read parsed everything
    again = load(tree, cache=made)
    assert made.parsed_files == []  # the second nothing
    _state(again, made)
    # and ran only the rules that read the disk beyond the records (draw folders; teams reads the
    # frozen pools, so an officer's later move never flips a drawn team): nothing any other rule
    # read changed
    assert made.rules.ran == ["teams", "registry.substitutions"]
    return made


def _findings(corpus) -> list[str]:
    return [e.get("findings") for r in corpus.of("results") for e in r.data.get("entries", [])]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_is_parsed_again_and_nothing_else(tree, cache):
    _replace(tree / RESULT, OLD_FINDING, "冷藏柜内缺 2 份留样。")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    assert "冷藏柜内缺 2 份留样。" in _findings(cached)
    assert _state(cached, cache) == _state(load(tree))


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tree, cache):
    path = tree / RESULT
    before = path.stat()
    _replace(path, OLD_FINDING, SAME_LENGTH)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    assert SAME_LENGTH in _findings(cached)
    assert _state(cached, cache) == _state(load(tree))


def test_an_added_and_a_deleted_file(tree, cache):
    shutil.copy(tree / RESULT, tree / "units/health/results/T2026-market-01.yaml")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == ["units/health/results/T2026-market-01.yaml"]
    added = _state(cached, cache)
    assert added == _state(load(tree))
    assert any("units/health/results/T2026-market-01.yaml" in key[1] for key in added[3])  # its findings too
    entries = len(cache)
    (tree / RESULT).unlink()
    cached = load(tree, cache=cache)
    assert cache.parsed_files == []
    assert len(cache) == entries - 1  # the deleted file's parse is dropped, not kept for ever
    assert not any(r.file.endswith(RESULT) for r in cached.of("results"))
    assert _state(cached, cache) == _state(load(tree))


def test_a_broken_file_is_reported_as_a_fresh_read_reports_it(tree, cache):
    path = tree / RESULT
    good = path.read_text(encoding="utf-8")
    clean = _state(load(tree, cache=cache), cache)
    path.write_text(good.replace("inspected_on: 2026-04-20", "inspected_on: 2026-13-45"), encoding="utf-8")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    state = _state(cached, cache)
    assert state == _state(load(tree))
    assert any(key[1].endswith(RESULT) for key in set(state[3]) - set(clean[3]))
    path.write_text(good + "\n: [\n", encoding="utf-8")  # not YAML at all
    state = _state(load(tree, cache=cache), cache)
    assert state == _state(load(tree))
    assert any(key[1].endswith(RESULT) and key[0].startswith("YAML") for key in state[3]), state[3]
    path.write_text(good, encoding="utf-8")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == [RESULT]
    assert _state(cached, cache) == _state(load(tree)) == clean


def test_a_draw_folder_is_read_again_only_when_its_bytes_change(tree, cache):
    fresh = draws.read_all(tree)
    assert draws.read_all(tree, cache) == fresh and cache.read_draws == []
    result = tree / DRAW / "result.yaml"
    before = result.stat()
    text = result.read_text(encoding="utf-8")
    changed = text.replace("2026", "2025", 1)
    assert changed != text and len(changed) == len(text)
    result.write_text(changed, encoding="utf-8")
    os.utime(result, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = draws.read_all(tree, cache)
    assert cache.read_draws == ["D2026-0001"]
    assert again == draws.read_all(tree) != fresh


def test_a_linked_draw_file_is_refused_with_or_without_the_cache(tree, cache):
    from generator.bounded import FileRefused

    request = tree / DRAW / "request.yaml"
    elsewhere = tree.parent / "request.yaml"
    shutil.move(request, elsewhere)
    request.symlink_to(elsewhere)
    for use in (None, cache):
        with pytest.raises(FileRefused):
            draws.read_all(tree, use)


def test_the_preview_reports_a_broken_result_like_a_full_build_and_recovers(tree, tmp_path):
    from generator.site.incremental import Preview

    preview = Preview(tree, tmp_path / "site")
    preview.full()
    path = tree / RESULT
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("inspected_on: 2026-04-20", "inspected_on: 2026-13-45"), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as raised:
        preview.update()
    with pytest.raises(RecordsInvalid) as reference:
        assemble(tree, int(FIXTURE_EPOCH))  # what a full build reports
    assert raised.value.lines == reference.value.lines
    assert any(RESULT in line and "2026-13-45" in line for line in raised.value.lines)
    path.write_text(good.replace(OLD_FINDING, "冷藏柜内缺 2 份留样。"), encoding="utf-8")
    try:
        written = preview.update()
    finally:
        preview.close()
    assert "tasks/T2026-market-01/index.html" in written
    page = (preview.site_dir / "tasks/T2026-market-01/index.html").read_text(encoding="utf-8")
    assert "冷藏柜内缺 2 份留样。" in page and OLD_FINDING not in page


def test_a_rule_reruns_when_a_file_it_reads_changes_and_reports_in_a_file_that_did_not(tree, cache):
    """The attack on skipping rules: deleting an object from the directory breaks the results that
    name it. Only objects.csv changed, yet the finding is in the results file, whose own parse is
    reused: the reference rule read the objects, so it runs again; the rules that read neither
    objects nor every kind (dates, calendar …) do not."""
    directory = tree / "units/market/objects.csv"
    clean = _state(load(tree, cache=cache), cache)
    kept = directory.read_text(encoding="utf-8")
    directory.write_text("".join(x for x in kept.splitlines(True) if "91321323MA20C4T28X" not in x), "utf-8")
    cached = load(tree, cache=cache)
    assert cache.parsed_files == ["units/market/objects.csv"]
    state = _state(cached, cache)
    assert state == _state(load(tree))
    assert "references" in cache.rules.ran and "calendar" not in cache.rules.ran
    new = set(state[3]) - set(clean[3])
    assert any(key[1].endswith(RESULT) for key in new), new  # found in the file that did not change
    directory.write_text(kept, encoding="utf-8")
    assert _state(load(tree, cache=cache), cache) == _state(load(tree)) == clean


def test_a_changed_date_reruns_every_rule(tree, cache, monkeypatch):
    """Rules compare dates with "today" (SOURCE_DATE_EPOCH): a new epoch reuses nothing."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXTURE_EPOCH) + 86400 * 400))
    cached = load(tree, cache=cache)
    assert _state(cached, cache) == _state(load(tree))
    assert len(cache.rules.ran) == len(list(checks()))


def _reads(tree, cache, read) -> frozenset:
    corpus = load(tree, cache=cache)
    run = cache.rules.runner(corpus, cache.signatures)
    run("probe", lambda c: [read(c)], corpus)
    inputs = cache.rules._kept["probe"][0]
    return frozenset({ANY}) if inputs is None else inputs[1]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        (lambda c: c.of("objects"), {"objects"}),
        (lambda c: c.index("tasks"), {"tasks"}),
        (lambda c: c.records["items"], {"items"}),
        (lambda c: c.records.get("plans"), {"plans"}),
        (lambda c: list(c.records.values()), {ALL_KINDS}),
        (lambda c: [k for k in c.records], {ALL_KINDS}),
        (lambda c: (c.units, c.county, c.objects_by_id), {"unit", "county", "objects"}),
        (lambda c: c.files, {FILES}),
        (lambda c: c.root, {ANY}),  # the draw folders and registry on disk: never reused
        (lambda c: c.findings, {ANY}),  # anything not listed: never reused
    ],
)
def test_what_a_rule_reads_is_tracked_through_every_way_into_the_corpus(tree, cache, read, expected):
    assert _reads(tree, cache, read) == expected


def test_a_memo_left_on_the_corpus_carries_what_it_was_made_from(tree, cache):
    """``settings(corpus)`` memoises ``corpus._settings`` from county.yaml: a later rule that only
    reads the memo depends on county.yaml too."""
    from generator.rules.settings import settings

    corpus = load(tree, cache=cache)
    run = cache.rules.runner(corpus, cache.signatures)
    run("first", lambda c: [sorted(settings(c))], corpus)
    run("second", lambda c: [sorted(settings(c))], corpus)
    assert cache.rules._kept["first"][0][1] >= {"county"}
    assert cache.rules._kept["second"][0][1] >= {"county"}


def test_a_rule_is_reused_only_while_the_kinds_it_read_are_the_same(tree, cache):
    def objects(c):
        return [len(c.of("objects"))]

    def tasks(c):
        return [len(c.of("tasks"))]

    corpus = load(tree, cache=cache)
    run = cache.rules.runner(corpus, cache.signatures)
    counted = run("objects", objects, corpus), run("tasks", tasks, corpus)
    directory = tree / "units/market/objects.csv"
    text = directory.read_text(encoding="utf-8")
    directory.write_text("".join(x for x in text.splitlines(True) if "91321323MA20C4T28X" not in x), "utf-8")
    corpus = load(tree, cache=cache)
    run = cache.rules.runner(corpus, cache.signatures)
    again = run("objects", objects, corpus), run("tasks", tasks, corpus)
    assert cache.rules.ran == ["objects"]
    assert again == ([counted[0][0] - 1], counted[1])


PLANTED = '"留样不全\\x0b联系人 13812345678"'  # YAML's escape for U+000B, and a mobile number


def _per_record_rules() -> list[tuple[str, object]]:
    from generator.site.rule_cache import per_record

    return [(name, check) for name, check in checks() if per_record(check)]


def test_the_rules_declared_per_record_find_per_file_what_they_find_on_the_whole_corpus(tree):
    """A PER_RECORD rule run file by file gives, in the corpus' order, the list one run over every
    file gives — with problems of its kind planted in two files of different kinds."""
    from generator.corpus import Corpus
    from generator.errors import Findings
    from generator.site.rule_cache import context_of, file_groups

    assert {name for name, _ in _per_record_rules()} == {
        "identity",
        "text_chars",
        "privacy",
        "id_text",
        "references",
        "results",
        "outcomes",
        "teams.certificates",
        "joint.results",
        "conflict_text",
    }
    _replace(tree / RESULT, OLD_FINDING, PLANTED)
    _replace(tree / RESULT, 'categories: ["3"]', 'categories: ["3", "99"]')  # an unknown category
    _replace(tree / RESULT, "disposition: 无需处置", "disposition: 无需处置\n    published_on: 2026-05-01")
    _replace(
        tree / "units/market/inspectors.csv",
        "32132300101,2023-01-01,2028-12-31",
        "32132300101,2023-01-01,2026-04-21",
    )
    plan = next(tree.glob("units/market/plans/*.yaml"))
    _replace(plan, "object_scope: 全县中小学校食堂", "object_scope: 全县中小学校食堂 13812345678")
    _replace(tree / RESULT, "object: 91321323MA20C4T28X", "object: 91321323MA20C4T29X")  # no such object
    # a result filed in another unit's name, and a conflict SCJG-001 declared, told in a health result
    _replace(tree / RESULT, "unit: market", "unit: health")
    health = tree / "units/health/results/T2026-market-01.yaml"
    _replace(health, "findings: ", "findings: 张伟与91321323MA22E6W41Q有利害关系，")
    corpus = load(tree)
    for name, check in _per_record_rules():
        whole = list(check(corpus))
        one_by_one = []
        context = context_of(check)
        for kind, _, rows in file_groups(corpus):
            sub = Corpus(corpus.root, {k: [] for k in corpus.records}, Findings(), [])
            sub.records[kind] = rows
            one_by_one += list(check(sub) if context is None else check(corpus, sub.records, context(corpus)))
        assert one_by_one == whole, name
    found = [(f.code, f.file.rsplit("/", 2)[-2]) for _, check in _per_record_rules() for f in check(corpus)]
    assert {
        ("TEXT_CONTROL_CHAR", "results"),
        ("PRIVACY_MOBILE", "results"),
        ("PRIVACY_MOBILE", "plans"),
        ("REF_UNKNOWN", "results"),
        ("RESULT_CATEGORY_UNKNOWN", "results"),
        ("RESULT_PUBLISHED_BEFORE_ENTRY", "results"),
        # the certificate that ends before the inspection belongs to a published entry: a later roster
        # change is that entry's warning, found by the same per-record rule (teams.certificates)
        ("RESULT_ROSTER_CHANGED_LATER", "results"),
        ("UNIT_FOLDER_MISMATCH", "results"),
        ("PRIVACY_CONFLICT_DISCLOSED", "results"),
    } <= set(found)


def test_a_per_record_rule_runs_again_on_the_edited_file_only(tree, cache):
    """The attack on keeping findings per file: an edit that adds an error, one that moves it, and
    the revert; each time the findings equal a fresh validation's and only the edited file is
    checked again."""
    path = tree / RESULT
    good = path.read_text(encoding="utf-8")
    clean = _state(load(tree, cache=cache), cache)
    assert all(cache.rules.files_checked[name] == [] for name, _ in _per_record_rules())
    for text in (
        good.replace(OLD_FINDING, PLANTED),
        "# 新增一行，错误下移\n" + good.replace(OLD_FINDING, PLANTED),
        good,
    ):
        path.write_text(text, encoding="utf-8")
        state = _state(load(tree, cache=cache), cache)
        assert state == _state(load(tree))
        for name, _ in _per_record_rules():
            assert [f.rsplit("/", 1)[-1] for f in cache.rules.files_checked[name]] == [
                RESULT.rsplit("/", 1)[-1]
            ], name
        if text != good:
            assert {"TEXT_CONTROL_CHAR", "PRIVACY_MOBILE"} <= {key[0] for key in state[3]}
    assert state == clean


@pytest.mark.parametrize(
    ("rule", "names", "code"),
    [
        ("teams", ["teams", "teams.certificates", "teams.inspecting"], "TEAM_TOO_SMALL"),
        ("results", ["results", "results.holidays"], "HOLIDAY_SCHEDULE_MISSING"),
        # a department's own officers are counted with the units the draw froze (rules/results.py)
        ("results", ["results", "results.holidays"], "TEAM_DEPARTMENT_TOO_SMALL"),
        ("outcomes", ["outcomes", "outcomes.receipts"], "RESULT_PUBLISHED_BEFORE_ENTRY"),
        ("joint", ["joint", "joint.results"], "TASK_PER_UNIT_BELOW_MINIMUM"),
    ],
)
def test_a_rule_split_in_parts_finds_what_the_whole_rule_finds(tree, rule, names, code):
    """A rule in parts (``teams``: drawn teams, which read no results, then inspecting teams'
    certificates per file and their sizes; ``results`` and ``outcomes``: per file, then what
    reads every file): the parts' findings, in order, are the rule's."""
    module = importlib.import_module(f"generator.rules.{rule}")
    _replace(tree / RESULT, "inspectors: [SCJG-002]", "inspectors: []")  # a team too small
    _replace(tree / "county.yaml", "min_per_department: 1", "min_per_department: 2")
    # an entry in a year whose holiday schedule nobody knows yet, published before it was entered
    _replace(
        tree / RESULT,
        "inspected_on: 2026-04-22\n    entered_on: 2026-05-15",
        "inspected_on: 2031-04-22\n    entered_on: 2031-05-15\n    published_on: 2031-05-01",
    )
    corpus = load(tree)
    parts = [f for name, check in checks() if name.split(".")[0] == rule for f in check(corpus)]
    assert parts == list(module.check(corpus)) and any(f.code == code for f in parts)
    assert [name for name, _ in checks() if name.split(".")[0] == rule] == names


def test_identitys_parts_find_what_the_whole_rule_finds(tree):
    """identity in three parts (per file: a record against its own path; the unique ids; the
    directories' one object, one id): in order, the rule's findings."""
    module = importlib.import_module("generator.rules.identity")
    _replace(tree / RESULT, "unit: market", "unit: health")  # filed in another unit's folder
    directory = tree / "units/health/objects.csv"
    _replace(
        directory, "泗阳县爱园中学食堂,企业,爱园镇", "泗阳县爱园中学食堂,企业,王集镇"
    )  # the same firm elsewhere
    roster = tree / "units/health/inspectors.csv"
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text + text.splitlines()[-1] + "\n", "utf-8")  # one officer listed twice
    corpus = load(tree)
    parts = [f for name, check in checks() if name.split(".")[0] == "identity" for f in check(corpus)]
    assert parts == list(module.check(corpus))
    assert {"UNIT_FOLDER_MISMATCH", "OBJECT_ROWS_DISAGREE", "ID_DUPLICATE"} <= {f.code for f in parts}
    assert [name for name, _ in checks() if name.split(".")[0] == "identity"] == [
        "identity",
        "identity.unique",
        "identity.objects",
    ]


HOLIDAYS_UNKNOWN = "inspected_on: 2031-04-22\n    entered_on: 2031-05-15"


def test_attack_a_split_rule_keeps_no_stale_finding(tree, cache):
    """The per-file parts of results, outcomes and inspecting teams keep each file's findings
    while their context is equal; the cross-file parts read every file. After each edit the
    findings, in order, equal a fresh validation's: an error in the edited file's per-file part,
    one in a cross-file part (a team too small: the other unit's file is unchanged), an unknown
    holiday year in two files (reported once, in the first), then edits of what the per-file
    parts are checked against — inspectors.csv (a certificate expires), county.yaml (an entry
    deadline, category exclusions, officers per department) — whose findings land in unchanged
    results files."""
    path, other = tree / RESULT, tree / "units/health/results/T2026-market-01.yaml"
    good, other_good = path.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")
    clean = _state(load(tree, cache=cache), cache)

    def same(code: str | None = None) -> tuple:
        state = _state(load(tree, cache=cache), cache)
        assert state == _state(load(tree))
        if code is not None:
            assert code in {key[0] for key in state[3]}, code
        return state

    path.write_text(good.replace('categories: ["3"]', 'categories: ["99"]'), encoding="utf-8")
    same("RESULT_CATEGORY_UNKNOWN")
    assert [f.rsplit("/", 1)[-1] for f in cache.rules.files_checked["results"]] == [RESULT.rsplit("/", 1)[-1]]
    path.write_text(good.replace("inspectors: [SCJG-002]", "inspectors: []"), encoding="utf-8")
    same("TEAM_TOO_SMALL")
    path.write_text(
        good.replace("inspected_on: 2026-04-22\n    entered_on: 2026-05-15", HOLIDAYS_UNKNOWN),
        encoding="utf-8",
    )
    first = same("HOLIDAY_SCHEDULE_MISSING")
    assert [k[1].rsplit("/", 3)[-3] for k in first[3] if k[0] == "HOLIDAY_SCHEDULE_MISSING"] == ["market"]
    other.write_text(
        other_good.replace(
            "inspected_on: 2026-04-20\n    entered_on: 2026-04-27",
            "inspected_on: 2031-04-20\n    entered_on: 2031-04-27",
        ),
        encoding="utf-8",
    )
    state = same("HOLIDAY_SCHEDULE_MISSING")  # the health file comes first: reported there only
    assert [k[1].rsplit("/", 3)[-3] for k in state[3] if k[0] == "HOLIDAY_SCHEDULE_MISSING"] == ["health"]
    path.write_text(good, encoding="utf-8")
    other.write_text(other_good, encoding="utf-8")
    assert same() == clean

    people = tree / "units/market/inspectors.csv"
    roster = people.read_text(encoding="utf-8")
    people.write_text(
        roster.replace("32132300101,2023-01-01,2028-12-31", "32132300101,2023-01-01,2026-04-21"), "utf-8"
    )
    same("TEAM_CERT_INVALID")
    assert cache.parsed_files == ["units/market/inspectors.csv"]
    people.write_text(roster, "utf-8")
    county = tree / "county.yaml"
    settings = county.read_text(encoding="utf-8")
    county.write_text(
        settings.replace("result_entry_working_days: 10", "result_entry_working_days: 2"), "utf-8"
    )
    same("RESULT_ENTRY_LATE")
    path.write_text(good.replace('categories: ["3"]', 'categories: ["1", "3"]'), encoding="utf-8")
    same()
    county.write_text(
        settings.replace(
            "label: 未发现问题, problem: false", 'label: 未发现问题, problem: false, excludes: ["3"]'
        ),
        "utf-8",
    )
    same("RESULT_CATEGORY_CONFLICT")
    county.write_text(settings.replace("min_per_department: 1", "min_per_department: 2"), "utf-8")
    same("TEAM_DEPARTMENT_TOO_SMALL")
    county.write_text(settings, "utf-8")
    path.write_text(good, encoding="utf-8")
    assert same() == clean


def test_a_file_whose_stat_is_unchanged_is_not_read_and_any_change_of_it_is(tree, cache, monkeypatch):
    """The preview's stat shortcut (like git's index): a settled file with the same lstat is not
    read again. An edit that restores size and mtime, a file replaced by a rename with the old
    mtime, a touch: each is read and hashed again (the change time moved), and the read equals a
    fresh one."""
    from generator.site import record_cache

    monkeypatch.setattr(record_cache, "SETTLED_NS", 0)
    load(tree, cache=cache)  # every stat taken now, the files settled (if not already)
    assert _state(load(tree, cache=cache), cache) == _state(load(tree))
    assert cache.hashed_files == [] and cache.parsed_files == []

    path = tree / RESULT
    before = path.stat()
    _replace(path, OLD_FINDING, SAME_LENGTH)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    cached = load(tree, cache=cache)
    assert cache.hashed_files == [RESULT] and cache.parsed_files == [RESULT]
    assert SAME_LENGTH in _findings(cached)
    assert _state(cached, cache) == _state(load(tree))

    swap = tree / "swap.tmp"  # an editor's save: a new file renamed over the old one
    swap.write_text(path.read_text(encoding="utf-8").replace(SAME_LENGTH, OLD_FINDING), encoding="utf-8")
    os.utime(swap, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(swap, path)
    cached = load(tree, cache=cache)
    assert cache.hashed_files == [RESULT] and cache.parsed_files == [RESULT]
    assert OLD_FINDING in _findings(cached)
    assert _state(cached, cache) == _state(load(tree))

    os.utime(path)  # touched, not changed: read and hashed, not parsed
    load(tree, cache=cache)
    assert cache.hashed_files == [RESULT] and cache.parsed_files == []
    load(tree, cache=cache)
    assert cache.hashed_files == []


def test_a_file_changed_just_before_it_was_read_is_read_every_time(tree, cache):
    """ "Racy git": a timestamp is one kernel tick, so a file written twice within one could keep
    its stat. A file that changed less than ``SETTLED_NS`` before its stat was taken is read and
    hashed on every load, however often its stat repeats."""
    from generator.site import record_cache

    assert record_cache.SETTLED_NS >= 10**9
    _replace(tree / RESULT, OLD_FINDING, SAME_LENGTH)
    for _ in range(2):
        load(tree, cache=cache)
        assert RESULT in cache.hashed_files


def test_a_draw_folder_is_hashed_again_only_when_a_stat_in_it_changes(tree, cache, monkeypatch):
    from generator.site import record_cache

    monkeypatch.setattr(record_cache, "SETTLED_NS", 0)
    fresh = draws.read_all(tree)
    assert draws.read_all(tree, cache) == fresh and cache.hashed_draws  # stats taken now
    assert draws.read_all(tree, cache) == fresh and cache.hashed_draws == [] and cache.read_draws == []
    result = tree / DRAW / "result.yaml"
    before = result.stat()
    text = result.read_text(encoding="utf-8")
    changed = text.replace("2026", "2025", 1)
    assert changed != text and len(changed) == len(text)
    result.write_text(changed, encoding="utf-8")
    os.utime(result, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = draws.read_all(tree, cache)
    assert cache.hashed_draws == cache.read_draws == ["D2026-0001"]
    assert again == draws.read_all(tree) != fresh
    (tree / DRAW / "extra.txt").write_text("x", encoding="utf-8")  # a file added to the folder
    assert draws.read_all(tree, cache) == draws.read_all(tree)
    assert cache.hashed_draws == ["D2026-0001"]


def test_the_preview_reads_the_frozen_pools_again_only_when_a_draw_folder_changed(tree, cache, monkeypatch):
    """serve's update after an edit of results: the pools the teams rules judge drawn teams by come
    from the last update (302 pools cost ~12 CPU-s per edit at county size) while no draw folder
    changed, and a changed pool is read again: the findings equal a fresh validation's each time."""
    from generator.rules import drawn

    calls: list[Path] = []
    real = drawn.pool_people
    monkeypatch.setattr(drawn, "pool_people", lambda path: calls.append(path) or real(path))
    _replace(tree / RESULT, OLD_FINDING, "冷藏柜内缺 2 份留样。")
    first = assemble(tree, int(FIXTURE_EPOCH), cache)
    first.cancel()
    calls.clear()
    _replace(tree / RESULT, "冷藏柜内缺 2 份留样。", "冷藏柜内缺 3 份留样。")
    again = assemble(tree, int(FIXTURE_EPOCH), cache)
    again.cancel()
    assert calls == []  # no pool read: the draw folders are the same
    assert _teams_found(cache) == _teams_fresh(tree)
    before = _teams_found(cache)
    pool = tree / DRAW / drawn.POOL
    data = pool.read_text(encoding="utf-8")
    pool.write_text(data.replace('"unit": "market"', '"unit": "health"', 1), encoding="utf-8")
    with pytest.raises(RecordsInvalid) as refused:  # the member the draw froze is now in another unit
        assemble(tree, int(FIXTURE_EPOCH), cache)
    assert "TEAM_UNIT_MISSING" in "\n".join(refused.value.lines)
    assert pool in calls  # the changed folder's pool was read again
    assert _teams_found(cache) == _teams_fresh(tree) != before


def _teams_found(cache) -> list:
    return [f.key for f in cache.rules._kept["teams"][1]]


def _teams_fresh(tree) -> list:
    from generator.rules import teams

    return [f.key for f in teams.check(load(tree))]


HEALTH_RESULT = "units/health/results/T2026-market-01.yaml"
# one half of a mobile (138 00138 000) in each unit's results: neither joins anything else (not even
# a task name's year), so neither is the common factor and both files are blamed (rules/joined_numbers)
TAIL = "findings: 已当场责令改正，负责人手机 138 00138"
HEAD = "findings: 000 号回执已告知，未发现问题"


def _file_part_rules() -> list[tuple[str, object]]:
    from generator.site.rule_cache import file_parts

    return [(name, check) for name, check in checks() if file_parts(check)]


def test_a_rule_kept_in_file_parts_finds_from_them_what_it_finds_on_the_whole_corpus(tree):
    """A FILE_PART rule's findings from every file's part, in the corpus' order, are its findings on
    the whole corpus — with a number cut across two units' results files."""
    from generator.site.rule_cache import file_groups, file_parts

    assert [name for name, _ in _file_part_rules()] == ["joined_numbers"]
    _replace(tree / RESULT, "findings: 食品留样记录不完整，已当场责令改正。", TAIL)
    _replace(tree / HEALTH_RESULT, "findings: 未发现问题", HEAD)
    corpus = load(tree)
    for name, check in _file_part_rules():
        part_of, combine = file_parts(check)
        whole = list(check(corpus))
        assert list(combine([part_of(kind, rows) for kind, _, rows in file_groups(corpus)])) == whole, name
    across = {(f.code, f.file) for f in whole}
    assert {("PRIVACY_NUMBER_ACROSS_RECORDS", RESULT), ("PRIVACY_NUMBER_ACROSS_RECORDS", HEALTH_RESULT)} <= {
        (code, file.split("records/", 1)[-1]) for code, file in across
    }


def test_a_file_part_rule_makes_again_only_the_edited_files_part_and_keeps_no_stale_finding(tree, cache):
    """The attack on keeping parts per file: one half of a number in one unit's file, then the other
    half in another's (the finding lands in the file that did not change), an edit that moves it down
    a line, and the reverts; each time the findings equal a fresh validation's and only the edited
    file's part is made again. With nothing changed, the rule is not run."""
    result, health = tree / RESULT, tree / HEALTH_RESULT
    good, health_good = result.read_text(encoding="utf-8"), health.read_text(encoding="utf-8")
    clean = _state(load(tree, cache=cache), cache)
    assert cache.rules.files_checked["joined_numbers"] == [] and "joined_numbers" not in cache.rules.ran
    halves = health_good.replace("findings: 未发现问题", HEAD)
    tailed = good.replace("findings: 食品留样记录不完整，已当场责令改正。", TAIL)
    for path, text, found in (
        (health, halves, False),
        (result, tailed, True),
        (result, "# 新增一行，数字下移\n" + tailed, True),
        (result, good, False),
        (health, health_good, False),
    ):
        path.write_text(text, encoding="utf-8")
        state = _state(load(tree, cache=cache), cache)
        assert state == _state(load(tree))
        assert cache.rules.files_checked["joined_numbers"] == [path.relative_to(tree.parent).as_posix()]
        across = {k[1].split("records/", 1)[-1] for k in state[3] if k[0] == "PRIVACY_NUMBER_ACROSS_RECORDS"}
        assert across == ({RESULT, HEALTH_RESULT} if found else set()), text
    assert state == clean
    _state(load(tree, cache=cache), cache)
    assert cache.rules.files_checked["joined_numbers"] == [] and "joined_numbers" not in cache.rules.ran
