"""A record page's HTML is reused from ``build --cache`` (part ``pages``) only when everything it was
rendered from is unchanged (issue 18's warm build): real builds of the fixture records, compared
file by file with builds that use no cache at all.

The hard part is what the templates read besides the page model (``site_data``: other records'
names, a unit's short name, category labels, county fields, page membership). Two proofs:

* each kind of such value is edited in the records, and the warm build must equal a cold one
  (``test_an_edit_of_what_a_page_reads_from_site_data_…``);
* generically, every value of ``site_data`` that no recorded read of a page covers is changed at
  once, and the page must render the same (``test_a_value_no_recorded_read_covers_…``): whatever
  the templates read, they read it through the view.

Entries are believed only when signed under the build's key (``SSJ_CACHE_KEY``); the attacks on
that are in ``test_page_cache_signing.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from generator.site import build_cache, cache_signing, page_cache, page_reads, record_writer
from generator.site.builder import build_site
from generator.site.page_reads import SiteDataView, essential
from generator.site.render import make_env, render_page
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS
from tests.site.test_build import UNORDERED_INDEX

RESULTS = "units/market/results/T2026-market-01.yaml"
OLD_FINDING = "食品留样记录不完整，已当场责令改正。"
KEY = "a-page-cache-test-key-of-enough-length"


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)
    monkeypatch.setenv(cache_signing.KEY_ENV, KEY)


def _build(records: Path, out: Path, cache: Path | None = None) -> dict[str, bytes]:
    """Every file of the site but the few Pagefind writes in hash-map order (tests/site/test_build)."""
    build_site(records, out, cache=cache)
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    return {name: data for name, data in files.items() if not UNORDERED_INDEX.fullmatch(name)}


def _cache(tmp_path: Path) -> Path:
    return build_cache.check_folder(tmp_path / "cache")


def _entries(cache: Path) -> dict[str, bytes]:
    """Each entry's page and signed header, by key."""
    part = cache / page_cache.PART
    return {
        p.name: p.read_bytes() + b"|" + (part / (p.name + page_cache.SIG)).read_bytes()
        for p in part.iterdir()
        if len(p.name) == 64 and p.is_file() and not p.is_symlink()
    }


def _records(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    return records


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_warm_build_equals_a_cold_one_byte_for_byte(tmp_path):
    reference = _build(FIXTURE_RECORDS, tmp_path / "reference")
    cache = _cache(tmp_path)
    assert _build(FIXTURE_RECORDS, tmp_path / "cold", cache) == reference
    pages = record_writer.LAST["pages"]
    assert pages >= 10 and record_writer.LAST["stored"] == pages and record_writer.LAST["reused"] == 0
    assert _build(FIXTURE_RECORDS, tmp_path / "warm", cache) == reference
    assert record_writer.LAST["reused"] == pages and record_writer.LAST["stored"] == 0
    assert len(_entries(cache)) == pages


def test_a_warm_build_after_a_results_edit_equals_a_cold_build_of_the_edit(tmp_path):
    records = _records(tmp_path)
    cache = _cache(tmp_path)
    _build(records, tmp_path / "before", cache)
    pages = record_writer.LAST["pages"]
    _replace(records / RESULTS, OLD_FINDING, "食品留样记录不完整，已当场责令改正，复查合格。")
    reference = _build(records, tmp_path / "reference")
    assert _build(records, tmp_path / "warm", cache) == reference
    # the task, its units and the object inspected render again; the rest is reused
    assert 0 < record_writer.LAST["reused"] < pages
    assert len(_entries(cache)) == pages  # the entries of the pages as they were are pruned


# Each kind of value a record page shows from site_data, edited in the records. ``via_reads``: the
# edit changes a page whose model stays the same (only its recorded reads can tell).
EDITS = {
    "another unit's name": (
        "units/health/unit.yaml",
        "name: 泗阳县卫生健康委员会",
        "name: 泗阳县卫生健康委员会办公室",
        True,
    ),
    "a unit's short name": ("units/health/unit.yaml", "short_name: 卫生健康", "short_name: 卫健", True),
    "a task name": (
        "units/market/tasks/T2026-market-01.yaml",
        "name: 2026 年学校食堂食品安全部门联合抽查",
        "name: 2026 年学校食堂食品安全联合抽查（第一批）",
        False,  # every page naming the task holds the task in its model here
    ),
    "an object's name": (
        ("units/health/objects.csv", "units/market/objects.csv"),  # its rows agree (OBJECT_ROWS_DISAGREE)
        "泗阳县爱园中学食堂,企业",
        "泗阳县爱园初级中学食堂,企业",
        True,
    ),
    "an object's page membership": (
        "county.yaml",
        "  domain: ssj.siyang.example\n",
        "  domain: ssj.siyang.example\n  object_pages: 名录库全部对象\n",
        False,
    ),
    "a category label": (
        "county.yaml",
        "label: 发现问题已责令改正, problem: true}",
        "label: 发现问题已责令整改, problem: true}",
        True,
    ),
    "a county field": (
        "county.yaml",
        "result_entry_working_days: 10",
        "result_entry_working_days: 11",
        True,
    ),
}


@pytest.mark.parametrize("kind", EDITS)
def test_an_edit_of_what_a_page_reads_from_site_data_gives_the_cold_builds_page(tmp_path, kind):
    path, old, new, via_reads = EDITS[kind]
    records = _records(tmp_path)
    cache = _cache(tmp_path)
    before = _build(records, tmp_path / "before", cache)
    stored = _entries(cache)
    for one in (path,) if isinstance(path, str) else path:
        _replace(records / one, old, new)
    reference = _build(records, tmp_path / "reference")
    changed = {k for k in reference if k.endswith("index.html") and reference[k] != before.get(k)}
    assert changed  # the edit shows on the site
    assert _build(records, tmp_path / "warm", cache) == reference
    # pages rendered again under the same key: same model and context, a recorded read differs
    again = {k for k, data in _entries(cache).items() if k in stored and data != stored[k]}
    assert bool(again) == via_reads, again


def _flip(value):
    """Another value of the same type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "※"
    if isinstance(value, int | Fraction):
        return value + 1
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    return value


def _mutate_unread(site_data, reads) -> tuple[object, int]:
    """A copy of ``site_data`` in which every value no recorded read covers is another: each plain
    value not under a ``get``, each set member not asked for, and a new key in each dict whose
    size nobody read. Returns (the copy, how many values changed)."""
    got = {path for op, path in reads if op == "get"}
    asked = {path for op, path in reads if op == "has"}
    sized = {path for op, path in reads if op == "len"}
    changed = 0

    def covered(path):
        return any(path[:n] in got for n in range(1, len(path) + 1))

    def walk(value, path, listed):
        nonlocal changed
        if covered(path if listed is None else listed):
            return value
        if type(value) is dict:
            out = {k: walk(v, path + (k,), listed) for k, v in value.items()}
            if listed is not None or path not in sized:
                out["※extra"] = "※"
                changed += 1
            return out
        if isinstance(value, list | tuple):
            return type(value)(walk(v, path + (i,), listed or path) for i, v in enumerate(value))
        if type(value) in (set, frozenset):
            kept = {v for v in value if path + (v,) in asked} if listed is None else set(value)
            if listed is not None or path not in sized:
                kept.add("※member")
            changed += len(value ^ kept)
            return type(value)(kept)
        flipped = _flip(value)
        changed += flipped != value
        return flipped

    copies = {}
    for field in dataclasses.fields(site_data):
        value = getattr(site_data, field.name)
        if isinstance(value, dict | list | set | frozenset):
            copies[field.name] = walk(value, (field.name,), None)
    return dataclasses.replace(site_data, **copies), changed


def _record_models(records: Path, epoch: str = FIXTURE_EPOCH):
    from generator.site.assemble import assemble

    os.environ["SOURCE_DATE_EPOCH"] = epoch  # restored by the autouse fixture
    bundle = assemble(records, int(epoch))
    bundle.cancel()
    return bundle.site_data, [p for p in bundle.pages.values() if not p.in_nav]


def _check_untracked_values_do_not_matter(site_data, models) -> None:
    view = SiteDataView(site_data)
    watched, plain = make_env(view), make_env(site_data)
    for model in models:
        view.begin()
        body = render_page(watched, model)
        reads = view.end()
        assert body == render_page(plain, model), model.path  # the view changes nothing
        assert reads is not None, model.path
        reads = essential(reads)  # what an entry keeps
        mutated, changed = _mutate_unread(site_data, reads)
        assert changed > 0
        assert render_page(make_env(mutated), model) == body, model.path


def test_a_value_no_recorded_read_covers_does_not_change_the_page():
    site_data, models = _record_models(FIXTURE_RECORDS)
    assert {m.template for m in models} >= {"unit.html", "task.html", "check_sheet.html", "object.html"}
    _check_untracked_values_do_not_matter(site_data, models)


def test_a_value_no_recorded_read_covers_does_not_change_the_page_of_the_sample():
    """The sample's richer records (five draws of every kind, several years): a few pages of each
    template."""
    from tests.site.test_sample_site import SAMPLE_EPOCH

    site_data, models = _record_models(Path(__file__).resolve().parents[2] / "records", SAMPLE_EPOCH)
    some: dict[str, list] = {}
    for model in models:
        if len(some.setdefault(model.template, [])) < 4:
            some[model.template].append(model)
    _check_untracked_values_do_not_matter(site_data, [m for ms in some.values() for m in ms])


def test_a_page_the_scan_refuses_is_not_stored(tmp_path):
    """The real writer and scanner, the scanner given one page's title as an internal value."""
    from mkdocs.config import load_config

    from generator.site.builder import CONFIG
    from generator.site.privacy import Scanner

    site_data, models = _record_models(FIXTURE_RECORDS)
    theme_env = load_config(str(CONFIG)).theme.get_env()
    theme_env.globals["ssj"] = {"site_name": "泗阳县", "csp": "", "withheld": []}
    victim = next(m for m in models if m.template == "task.html")
    folder = build_cache.part(build_cache.check_folder(tmp_path / "cache"), page_cache.PART)
    cache = page_cache.PageCache(folder, site_data, theme_env, [])
    scanner = Scanner({"secret": {victim.title}}, set())
    problems = record_writer.write_pages(
        tmp_path / "site", models, None, theme_env, [], scanner, workers=1, cache=cache
    )
    flagged = {p.split(": ")[0] for p in problems}
    refused = [m for m in models if m.url + "index.html" in flagged]
    assert victim in refused and len(refused) < len(models)
    assert record_writer.LAST["stored"] == len(models) - len(refused)
    for model in refused:
        assert cache.key(model) not in cache.used and cache.key(model) not in _entries(tmp_path / "cache")


def test_the_key_covers_the_code_the_context_and_every_model_field(tmp_path):
    from mkdocs.config import load_config

    from generator.site.builder import CONFIG

    site_data, models = _record_models(FIXTURE_RECORDS)
    theme_env = load_config(str(CONFIG)).theme.get_env()
    theme_env.globals["ssj"] = {"site_name": "泗阳县", "withheld": []}
    folder = build_cache.part(build_cache.check_folder(tmp_path / "cache"), page_cache.PART)
    model = next(m for m in models if m.template == "object.html")
    key = page_cache.PageCache(folder, site_data, theme_env, []).key(model)
    for field in dataclasses.fields(model):
        value = getattr(model, field.name)
        other = dataclasses.replace(model, **{field.name: _other(value)})
        assert page_cache.PageCache(folder, site_data, theme_env, []).key(other) != key, field.name
    # the same values as other objects: the same key (no dependence on which strings are shared)
    copied = dataclasses.replace(model, data=json.loads(json.dumps(model.data, default=str)))
    assert page_cache.PageCache(folder, site_data, theme_env, []).key(copied) != key  # dates are not text
    same = dataclasses.replace(model, data=_deep_copy(model.data))
    assert page_cache.PageCache(folder, site_data, theme_env, []).key(same) == key
    theme_env.globals["ssj"] = {"site_name": "泗阳县", "withheld": ["units/x/results/a.yaml"]}
    assert page_cache.PageCache(folder, site_data, theme_env, []).key(model) != key
    assert page_cache.context_fingerprint(theme_env, []) != page_cache.context_fingerprint(
        theme_env, [dataclasses.make_dataclass("Page", ["title", "url"])("首页", "")]
    )


def _other(value):
    if isinstance(value, dict):
        return {**value, "※": ["※"]}
    return _flip(value)


def _deep_copy(value):
    if isinstance(value, dict):
        return {"".join(list(k)) if isinstance(k, str) else k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    if isinstance(value, str):
        return "".join(list(value))  # an equal string, another object
    return value


def test_code_changes_make_new_keys(tmp_path, monkeypatch):
    before = page_cache.code_fingerprint()
    root = tmp_path / "repo"
    for rel in ("generator/site", "site_templates/pages", "site_templates/theme"):
        (root / rel).mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (root / "generator/site/render.py").write_text("A = 1\n", encoding="utf-8")
    (root / "site_templates/pages/task.html").write_text("{{ d.task }}\n", encoding="utf-8")
    monkeypatch.setattr(page_cache, "ROOT", root)
    first = page_cache.code_fingerprint()
    assert first != before
    for rel, text in (("generator/site/render.py", "A = 2\n"), ("site_templates/pages/task.html", "x\n")):
        (root / rel).write_text(text, encoding="utf-8")
        assert page_cache.code_fingerprint() != first
        first = page_cache.code_fingerprint()
    os.rename(root / "site_templates/pages/task.html", root / "site_templates/pages/unit.html")
    assert page_cache.code_fingerprint() != first


def test_the_cache_code_never_loads_a_pickle():
    """pickle only serialises our own values to hash them; an entry is JSON and text."""
    for module in (page_cache, __import__("generator.site.page_reads", fromlist=["x"])):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "pickle.load" not in source and "Unpickler" not in source and "marshal" not in source


# Red team, tenth round. A view read under a key of another type (an int beside the strings a
# record's ids are) made ``end()`` compare them while sorting: TypeError out of the page writer's
# ``finally``, a traceback instead of a render.
def test_reads_under_keys_of_mixed_types_cost_no_build():
    from generator.site.site_data import SiteData

    site_data = SiteData(
        county={},
        units={},
        items=[],
        objects={},
        inspectors={},
        plans=[],
        tasks={},
        results=[],
        categories={"1": {"label": "未发现问题"}},
    )
    view = SiteDataView(site_data)
    view.begin()
    assert 1 not in view.categories
    assert "1" in view.categories
    reads = view.end()
    assert reads is not None and {("has", ("categories", 1)), ("has", ("categories", "1"))} <= set(reads)


# Red team, tenth round. Jinja keeps a template imported *without* context as one module per
# process: what its top level read from site_data is read by the first page only, later pages
# record nothing and keep showing the first answer, so an edit of that value left their entries
# current. The page cache is not used at all while any page template imports without context.
_IMPORTS = {
    "m.html": "{% set n = site_data.county.name %}{% macro x() %}{{ n }}{% endmacro %}",
    "shared.html": "{% from 'm.html' import x %}[{{ x() }}]",
    "own.html": "{% from 'm.html' import x with context %}[{{ x() }}]",
}


def test_a_module_imported_without_context_is_read_by_the_first_page_only():
    import jinja2

    from generator.site.site_data import SiteData

    site_data = SiteData(
        county={"name": "甲"}, units={}, items=[], objects={}, inspectors={}, plans=[], tasks={}, results=[]
    )
    view = SiteDataView(site_data)
    env = jinja2.Environment(loader=jinja2.DictLoader(_IMPORTS))
    env.globals["site_data"] = view
    seen = []
    for name in ("shared.html", "shared.html", "own.html", "own.html"):
        view.begin()
        env.get_template(name).render(page=None)
        seen.append(("get", ("county", "name")) in view.end())
    assert seen == [True, False, True, True]  # why such a template must not be cached


def test_the_page_cache_refuses_templates_imported_without_context():
    import jinja2

    from generator.site.site_data import SiteData

    real = SiteData(county={}, units={}, items=[], objects={}, inspectors={}, plans=[], tasks={}, results=[])
    page_cache.imports_with_context(make_env(real))  # the real page templates pass
    for name in ("shared.html", "own.html"):
        env = jinja2.Environment(
            loader=jinja2.DictLoader({"m.html": _IMPORTS["m.html"], name: _IMPORTS[name]})
        )
        if name == "own.html":
            page_cache.imports_with_context(env)
        else:
            with pytest.raises(page_reads.Uncacheable):
                page_cache.imports_with_context(env)


# Red team, tenth round. The view is not a dict: a filter it does not serve (``|last`` wants
# ``reversed``, ``|tojson`` a real dict) raised on a page that renders without a cache, so the same
# records built with ``--cache`` and the key failed. Whatever raises through the view is rendered
# from ``site_data`` itself and not stored; what fails without a cache still fails.
def test_a_page_the_view_cannot_render_is_rendered_from_site_data():
    import jinja2

    from generator.site.page import PageModel
    from generator.site.site_data import SiteData

    site_data = SiteData(
        county={},
        units={"a": {"name": "甲"}, "b": {"name": "乙"}},
        items=[],
        objects={},
        inspectors={},
        plans=[],
        tasks={},
        results=[],
    )
    templates = {
        "last.html": "{{ site_data.units|last }} {{ site_data.units|tojson }}",
        "plain.html": "{{ site_data.units.a.name }}",
        "broken.html": "{{ site_data.units.a.name|no_such_filter_result() }}{{ 1 // 0 }}",
    }
    view = SiteDataView(site_data)
    envs = []
    for data in (site_data, view):
        env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
        env.globals["site_data"] = data
        envs.append(env)
    plain, watched = envs
    model = PageModel("units/a.md", "甲", "last.html", "单位")
    body, reads = record_writer.page_body(plain, watched, view, model)
    assert body == render_page(plain, model) and reads is None  # as without a cache, and not stored
    model = PageModel("units/a.md", "甲", "plain.html", "单位")
    body, reads = record_writer.page_body(plain, watched, view, model)
    assert body == "甲" and ("get", ("units", "a", "name")) in reads
    with pytest.raises(Exception) as raised:
        render_page(plain, PageModel("units/a.md", "甲", "broken.html", "单位"))
    with pytest.raises(type(raised.value)):
        record_writer.page_body(plain, watched, view, PageModel("units/a.md", "甲", "broken.html", "单位"))


def test_no_page_cache_while_a_page_template_imports_without_context(tmp_path, monkeypatch):
    import jinja2

    from generator.site import render
    from generator.site.site_data import SiteData

    pages = tmp_path / "site_templates" / "pages"
    shutil.copytree(render.TEMPLATES / "pages", pages)
    site_data = SiteData(
        county={}, units={}, items=[], objects={}, inspectors={}, plans=[], tasks={}, results=[]
    )
    monkeypatch.setattr(render, "TEMPLATES", tmp_path / "site_templates")
    folder = _cache(tmp_path) / page_cache.PART
    page_cache.PageCache(folder, site_data, jinja2.Environment(), [])  # the templates as they are
    (pages / "extra.html").write_text(
        "{% from '_macros.html' import unit_link %}{{ unit_link('x') }}", encoding="utf-8"
    )
    with pytest.raises(page_reads.Uncacheable):
        page_cache.PageCache(folder, site_data, jinja2.Environment(), [])
