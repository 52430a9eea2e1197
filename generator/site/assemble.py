"""Assemble the whole site from a records tree: page models plus the extra files (open data, feed,
draw bundles, verifier). MkDocs-independent; the hook only hands the result to MkDocs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from generator import parallel
from generator.corpus import display_prefix, load
from generator.errors import Findings
from generator.records import KINDS
from generator.site import (
    build_cache,
    draw_cache,
    draws,
    feed,
    lookup,
    name_index,
    opendata,
    parse_cache,
    partial,
    scan_memo,
    withheld,
)
from generator.site.models_about import about_pages
from generator.site.models_hubs import NAV, hub_pages
from generator.site.models_records import record_pages
from generator.site.models_reports import build_date, report_pages
from generator.site.page import PageModel
from generator.site.phases import phase
from generator.site.site_data import SiteData, build_site_data


class RecordsInvalid(Exception):
    """The records do not validate; the site is not built from invalid data."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class SiteBundle:
    site_data: SiteData
    pages: dict[str, PageModel]  # by source path
    files: dict[str, bytes] = field(default_factory=dict)  # extra output files by site path
    internal_values: dict[str, set[str]] = field(default_factory=dict)
    public_values: set[str] = field(default_factory=set)
    # the open-data export, feed and draw bundles, still being made (and privacy-scanned in memory)
    # in the background: call ``collect_files`` once (after the pages are written) or ``cancel`` if
    # the build fails
    pending: parallel.Pending | None = None
    trace: object = None  # () -> {number: "file:line"}: where a number found by the final scan came from
    scan_problems: list[str] = field(default_factory=list)  # what the scan of those files found
    scan_cleared: list[bytes] = field(default_factory=list)  # those it found clean (scan_memo)

    def collect_files(self) -> dict[str, bytes]:
        """The extra files made in the background (site path -> bytes), in path order; the scan's
        findings on them are in ``scan_problems`` afterwards."""
        pending, self.pending = self.pending, None
        if pending is None:
            return {}
        files, self.scan_problems, self.scan_cleared = pending.result()
        return dict(sorted(files.items()))

    def cancel(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.cancel()


def records_dir() -> Path:
    return Path(os.environ.get("SSJ_RECORDS", "records"))


def assemble(root: Path | str, epoch: int | None = None, cache=None, extras: bool = True) -> SiteBundle:
    """``cache`` (serve's preview: ``record_cache.RecordCache``): reuse the parse of every record
    file and draw folder whose bytes did not change since the last call with it. ``extras=False``
    (the preview's update, which writes pages only): the open data, feed and bundles are not made."""
    from generator.rules.drawn import read_pools
    from generator.site.privacy import Scanner, trace_numbers
    from generator.validation import apply_rewrites, validate_corpus, validate_share

    # the draw folders need no corpus: read on the other core while this one loads
    # (with a cache they are read here, where the cache lives: only changed folders are parsed);
    # with ``build --cache`` each drawn folder's bundle is kept there (``draw_cache``)
    early = checking = pools = None
    if cache is None:
        part = build_cache.part(build_cache.root(), draw_cache.PART)
        early = parallel.in_background(draws.read_all_or_none, Path(root), part)
        # the people of the frozen pools, which validation's rules judge drawn teams by: parsed
        # beside the records too, not in validation's process after them (rules/drawn.read_pools)
        pools = parallel.in_background(read_pools, Path(root))
    try:
        with phase("读取记录"):
            # a build with ``--cache DIR`` and a key decodes unchanged YAML files' parses (parse_cache)
            corpus = load(root, cache=cache, reuse=None if cache is not None else parse_cache.for_build())
        if cache is None:
            corpus.pools_read = _pools_read(pools)
            # the rules read the corpus and change nothing the site is made from: they run on the
            # other core while the draws and page models are made here, and the records are
            # refused (``_checked``) before any page is written or any file is made from them
            checking = [parallel.in_background(validate_share, corpus, share) for share in (0, 1)]
            apply_rewrites(corpus)  # what the rules change, made here too (validation.REWRITING)
            findings = None
        else:
            with phase("抽取包"):  # the draw folders, hashed (or known by lstat) before the rules
                try:
                    read = draws.read_all(Path(root), cache)
                except Exception:  # noqa: BLE001 - invalid records can break the read: the rules say why
                    read = None
            # the frozen pools drawn teams are judged by are read again only when a folder changed
            # (302 pools at county size: ~12 CPU-s that every preview edit spent again)
            folders = cache.draws_key(Path(root))
            corpus.pools_read = cache.derived("pools", folders and folders[0], lambda: read_pools(Path(root)))
            with phase("校验"):
                # a rule whose inputs did not change gives its last findings (rule_cache)
                findings = _checked(
                    root, validate_corpus(corpus, cache.rules.runner(corpus, cache.signatures))
                )
        with phase("抽取包"):
            if cache is None:
                read = _draw_files(early)
            elif read is None:  # the records passed the rules: now the read may raise as before
                read = draws.read_all(Path(root), cache)
            if cache is None:
                draw_data = draws.load_draws(corpus, read)
                log = draws.load_registry_log(corpus.root)
            else:  # the same folders, log, inspectors and substitutions: the same draw data
                folders = cache.draws_key(Path(root))
                key = folders and (folders, cache.kinds_key("inspectors", "draw_substitutions"))
                draw_data = cache.derived("draws", key, lambda: draws.load_draws(corpus, read))
                log_key = folders and folders[1]
                log = cache.derived("log", log_key, lambda: draws.load_registry_log(corpus.root))
        with phase("页面模型"):
            site_data = build_site_data(corpus, {d: v["page"] for d, v in draw_data.items()}, cache)
            site_data.registry_log = log
        internal, public = _privacy_values(corpus, site_data, cache)
        if checking is not None:
            with phase("校验"):  # what is left of it once the page models are made
                findings = _checked(root, _findings(checking, root))
    except RecordsInvalid:
        raise
    except Exception:
        # invalid records can break what is made from them: their findings say why, not this
        if checking is not None:
            _checked(root, _findings(checking, root))
        raise
    finally:
        for pending in (early, *(checking or ()), pools):
            if pending is not None:
                pending.cancel()
    # no page depends on these files' bytes: they are made and scanned on the other core while the
    # pages are assembled and written, and collected only then
    exported = None
    if extras:
        scanner = Scanner(internal, public, lambda: trace_numbers(corpus))
        if cache is None:  # the preview scans what it writes; a build may remember (scan_memo)
            scanner.remember(scan_memo.folder())
        exported = parallel.in_background(_extra_files_scanned, site_data, draw_data, epoch, scanner)
    try:
        bundle = _bundle(corpus, findings, site_data, epoch, exported, cache, draw_data)
        bundle.internal_values, bundle.public_values = internal, public
        bundle.trace = lambda: trace_numbers(corpus)
        return bundle
    except BaseException:
        if exported is not None:
            exported.cancel()
        raise


def _findings(checking: list[parallel.Pending], root):
    """The findings the two shares made (``validation.validate_share``), in order; made here if a
    share's process died (killed, out of memory), from the records read again: this process's corpus
    has been normalised and read from since."""
    from generator.validation import validate_corpus

    findings = Findings()
    try:
        for pending in checking:
            findings.extend(pending.result())
    except parallel.ChildDied:
        return validate_corpus(load(root))
    return findings


def _checked(root, findings):
    """``findings``, or RecordsInvalid when they hold an error ``ci site`` does not expect."""
    expected = _consequence_test(root)  # the list is read once, not once per error
    refused = [f for f in findings.sorted() if f.severity == "error" and not expected(f)]
    if refused:
        raise RecordsInvalid([f.render() for f in refused])
    return findings


def _consequence_test(root):
    """Whether an error is one ``ci site`` expects in the trimmed tree it builds: the draw registry
    naming a record of a file it left out (site/withheld.py, cli/ci_steps/withhold.py). Exactly those
    findings, by code, file, line, field and value; any other error still refuses the records."""
    keys = withheld.consequences()
    prefix = display_prefix(Path(root))

    def expected(f) -> bool:
        rel = f.file[len(prefix) :] if f.file.startswith(prefix) else f.file
        return (f.code, rel, f.line, f.path, f.value) in keys

    return expected


def _pools_read(pools: parallel.Pending) -> dict:
    """What the background read of the frozen pools sent; empty (each pool is read where it is
    needed, as before) if its process died or failed."""
    try:
        return pools.result()
    except Exception:  # noqa: BLE001 - any failure there costs only reading the pools again
        return {}


def _draw_files(early: parallel.Pending) -> dict | None:
    """What the background read sent, or None (read again here) if it failed or its process died."""
    try:
        return early.result()
    except parallel.ChildDied:
        return None


def _bundle(
    corpus, findings, site_data: SiteData, epoch: int | None, exported, cache=None, draw_data=None
) -> SiteBundle:
    with phase("页面模型"):
        # the intake templates depend on the code and the epoch only: made once per preview
        if cache is None:
            templates = opendata.template_files(epoch)
        else:
            templates = cache.kept(("templates", epoch), opendata.template_files, epoch)
        last = partial.last_if_reusable(cache, site_data, draw_data, epoch)
        hubs = hub_pages(site_data, templates)
        hubs += report_pages(corpus, site_data.years, build_date(epoch), findings, site_data.figures)
        about = about_pages(site_data)
        if last is None:
            pages = hubs + record_pages(site_data) + about
            shards, digits = lookup.lookup_files(site_data)
            names, name_digits = name_index.name_files(site_data)
            shards, digits = {**shards, **names}, {"lookup": digits, "names": name_digits}
            if cache is not None:
                cache.remade = None
        else:  # only results files changed (serve's preview): their pages and the hubs are made
            fresh = {p.path for p in hubs + about}
            pages = hubs + partial.record_pages_after(cache, site_data, fresh) + about
            shards, digits = last["lookup"]  # the objects and those with a page are the same
        filter_counts = _set_search_filters(pages, last)
        files: dict[str, bytes] = {path: body for path, _, body in templates}
        files.update(shards)
        for page in pages:
            if page.template == "search.html":
                page.data["search_digits"] = digits
        by_path = {p.path: p for p in pages}
        if cache is not None:
            cache.rotate()
            cache.last = {
                "epoch": epoch,
                "signatures": cache.signatures,
                "draw_data": draw_data,
                "site_data": site_data,
                "pages": by_path,
                "lookup": (shards, digits),
                "filter_counts": filter_counts,
            }
        return SiteBundle(site_data, by_path, dict(sorted(files.items())), pending=exported)


def _privacy_values(corpus, site_data: SiteData, cache) -> tuple[dict[str, set[str]], set[str]]:
    """What the privacy scan looks for (internal values) and lets pass (published values); with a
    cache, each kind's part is made again only when that kind's files changed."""
    from generator.site.public import internal_values

    if cache is None:
        return internal_values(corpus), opendata.public_value_set(site_data)
    internal: dict[str, set[str]] = {}
    public: set[str] = set()
    for kind in KINDS:
        key = cache.kinds_key(kind.name)
        internal.update(
            cache.derived(f"internal:{kind.name}", key, lambda k=kind: _internal(corpus, k, cache))
        )
        part = opendata.PUBLIC_PARTS.get(kind.name)
        if part == "results":  # a list of public dicts, each the same object while its file is
            public |= cache.derived(f"public:{kind.name}", key, lambda: _published(site_data.results, cache))
        elif part is not None:
            public |= cache.derived(
                f"public:{kind.name}", key, lambda p=part: opendata.public_value_set(site_data, [p])
            )
    return internal, public


def _internal(corpus, kind, cache) -> dict[str, set[str]]:
    from generator.site.public import record_internal_values

    out: dict[str, set[str]] = {}
    for record in corpus.of(kind.name):
        for key, texts in cache.memo("internal", record, lambda r: record_internal_values(kind, r)):
            out.setdefault(key, set()).update(texts)
    return out


def _published(results: list[dict], cache) -> set[str]:
    out: set[str] = set()
    for result in results:
        out |= cache.memo("published", result, lambda r: opendata.public_value_set_of(r))
    return out


def _extra_files_scanned(site_data: SiteData, draw_data: dict, epoch: int | None, scanner) -> tuple:
    """The extra files and what the privacy scan finds in them, scanned from memory as made (the
    same texts the scan of the written site reads: ``privacy.memory_texts``)."""
    files = _extra_files(site_data, draw_data, epoch)
    mark = len(scanner.cleared)
    return files, scanner.files(files), scanner.cleared[mark:]


def _extra_files(site_data: SiteData, draw_data: dict, epoch: int | None) -> dict[str, bytes]:
    files = opendata.export_all(site_data, epoch)
    files.update(draws.bundle_files(draw_data))
    if site_data.registry_log.get("text"):
        files[site_data.registry_log["path"]] = site_data.registry_log["text"].encode("utf-8")
    files["feed.xml"] = feed.atom(site_data).encode("utf-8")
    files.update(opendata.verifier_files())
    return files


def _set_search_filters(pages: list[PageModel], last: dict | None = None) -> dict[str, dict[str, int]]:
    """Give the search page its filter options with Pagefind's counts (pages indexed per value);
    returns the counts.

    Rendered into the page so the first search does not download every filter chunk of the index
    (about 90 KB at county scale) just to fill the drop-down lists. ``last`` (serve's preview after
    an edit of results files alone: ``site.partial``): the last assembly, whose counts are updated
    with the pages that are not its very page objects (made again) instead of counted anew."""
    if last is None or "filter_counts" not in last:
        counts: dict[str, dict[str, int]] = {}
        for page in pages:
            _quote_filters(page)
            _count_filters(counts, page, 1)
    else:
        counts = {key: dict(values) for key, values in last["filter_counts"].items()}
        before: dict[str, PageModel] = last["pages"]
        for page in pages:
            old = before.get(page.path)
            if old is page:
                continue  # the same object, its filters as counted then
            _quote_filters(page)
            if old is not None:
                _count_filters(counts, old, -1)
            _count_filters(counts, page, 1)
        now = {page.path for page in pages}
        for path, old in before.items():
            if path not in now:
                _count_filters(counts, old, -1)
        counts = {k: {v: n for v, n in vs.items() if n} for k, vs in counts.items()}
        counts = {k: vs for k, vs in counts.items() if vs}
    for page in pages:
        if page.template == "search.html":
            page.data["filters"] = {k: sorted(v.items()) for k, v in sorted(counts.items())}
    return counts


def _quote_filters(page: PageModel) -> None:
    # Pagefind's filtered search never matches a value holding an ASCII double quote (its
    # filters() lists it, search finds 0 pages); the full-width quote reads the same.
    page.filters = {k: [v.replace('"', "＂") for v in vs] for k, vs in page.filters.items()}


def _count_filters(counts: dict[str, dict[str, int]], page: PageModel, step: int) -> None:
    if page.searchable:
        for key, values in page.filters.items():
            for value in dict.fromkeys(values):
                counts.setdefault(key, {})[value] = counts.setdefault(key, {}).get(value, 0) + step


def nav() -> list[dict]:
    return [{title: path} for title, path in NAV]
