"""MkDocs hook (``hooks:`` in mkdocs.yml): the thin layer between the page models and MkDocs.

* on_config: load and validate the records, build the page models, set the hub-only nav;
* on_files: add the hub pages as in-memory ``File.generated`` and the Excel templates; record pages
  do not go through MkDocs (see ``record_writer``);
* on_page_markdown / on_page_content: skip Markdown, hand MkDocs the body rendered by ``render``;
* on_post_build: write the record pages (``record_writer``, scanned in memory; with ``build --cache``
  and the signing key an unchanged page is reused: ``page_cache``) and the extra files
  made in the background meanwhile (open data, feed, draw bundles), scan the other output files for
  private data, then index everything with Pagefind (extended binary);
* on_build_error: stop the background export.
"""

from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads hooks by path; make the repository importable when run as the ``mkdocs`` command.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from markupsafe import Markup  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, InclusionLevel  # noqa: E402

from generator.rules.base_url import web_url  # noqa: E402
from generator.site import (  # noqa: E402
    build_cache,
    csp,
    incremental,
    page_cache,
    privacy,
    record_writer,
    scan_memo,
    search_index,
    sitemap,
    withheld,
)  # noqa: E402
from generator.site.assemble import RecordsInvalid, assemble, nav, records_dir  # noqa: E402
from generator.site.models_about import GSXT_URL, MIIT_BEIAN_URL  # noqa: E402
from generator.site.phases import phase  # noqa: E402
from generator.site.render import make_env, render_page  # noqa: E402

_STATE: dict = {}


def on_config(config, **kwargs):
    import os

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or None
    try:
        bundle = assemble(records_dir(), epoch, incremental.capturing_cache())
    except RecordsInvalid as e:
        raise PluginError("记录校验未通过，网站未生成：\n" + "\n".join(e.lines)) from None
    _STATE.clear()
    _STATE.update(bundle=bundle, env=make_env(bundle.site_data))
    site = bundle.site_data.county.get("site", {})
    config["site_name"] = site.get("name") or config["site_name"]
    config["nav"] = nav()
    return config


def search_cache_folder() -> Path | None:
    """The search part of ``build --cache``'s folder (checked by the command before the build)."""
    return build_cache.part(build_cache.root(), "search")


def on_files(files, config, **kwargs):
    bundle = _STATE["bundle"]
    for path, page in bundle.pages.items():
        if page.in_nav:
            files.append(File.generated(config, path, content="", inclusion=InclusionLevel.INCLUDED))
    for path, content in bundle.files.items():
        files.append(File.generated(config, path, content=content))
    _STATE["files"] = files
    return files


def on_build_error(error, **kwargs):
    bundle = _STATE.get("bundle")
    if bundle is not None:
        bundle.cancel()  # the background export is no longer wanted


def on_nav(nav, config, files, **kwargs):
    _STATE["nav"] = nav
    return nav


def on_env(env, config, files, **kwargs):
    """The theme environment (main.html, 404.html, sitemap) escapes by default, like ours.

    MkDocs creates it without autoescape; every value the layout prints (titles, filters, county
    fields) is record text. Only our renderer's output (page.content, a Markup) and the 404 page's
    own inline assets arrive marked safe."""
    env.autoescape = True
    site_data = _STATE["bundle"].site_data
    site = site_data.county.get("site", {})
    base = web_url(site.get("base_url"))  # validate refuses anything else (SITE_BASE_URL)
    env.globals["ssj"] = csp.theme_globals() | {
        "site_name": site.get("name", config["site_name"]),
        "domain": site.get("domain", ""),
        "base_url": base.rstrip("/") + "/" if base else "",
        "site_id_code": site.get("site_id_code", ""),
        "icp_number": site.get("icp_number", ""),
        "contact": site.get("contact", ""),
        "gsxt_url": GSXT_URL,
        "beian_url": MIIT_BEIAN_URL,
        "demo": bool(site_data.county.get("demo")),
        "withheld": [withheld.shown(f) for f in withheld.files()],  # left out by ci site: on every page
        "county": site_data.county.get("name", ""),
        "joint_office": site_data.county.get("joint_office", ""),
    }
    _STATE["theme_env"] = env
    return env


def on_page_markdown(markdown, page, config, files, **kwargs):
    model = _STATE["bundle"].pages.get(page.file.src_uri)
    if model is None:
        return markdown
    page.meta = {"title": model.title, "model": model}
    return ""


def on_page_content(html, page, config, files, **kwargs):
    model = page.meta.get("model")
    if model is None:
        # Hand-written Markdown from site_templates/content (maintainers' own text, reviewed in
        # the repository; no record text): trusted like the templates themselves.
        return Markup(html)
    return render_page(_STATE["env"], model)


def on_post_build(config, **kwargs):
    site_dir = Path(config["site_dir"])
    bundle = _STATE["bundle"]
    scanner = privacy.Scanner(bundle.internal_values, bundle.public_values, bundle.trace)
    memo = scan_memo.folder()  # what the last clean build found clean (build --cache, a signing key)
    scanner.remember(memo)
    records = [p for p in bundle.pages.values() if not p.in_nav]
    try:
        theme_env, nav = _STATE["theme_env"], _STATE["nav"]
        # with build --cache and the key, a page rendered from the same inputs before is reused
        with phase("记录页面"), page_cache.session(bundle.site_data, theme_env, nav) as cache:
            problems = record_writer.write_pages(
                site_dir, records, _STATE["env"], theme_env, nav, scanner, cache=cache
            )
        with phase("公开数据等文件"):
            extra = bundle.collect_files()  # open data, feed, draw bundles: made in the background
    finally:
        bundle.cancel()
    with phase("公开数据等文件"):
        for path, content in extra.items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    site = bundle.site_data.county.get("site", {})
    # Record and hub pages, plus the Markdown content pages (关于本站's neighbours such as 如何提交)
    content = [f.url.removeprefix("./") for f in _STATE["files"] if f.is_documentation_page()]
    sitemap.write(site_dir, site.get("base_url"), [p.url for p in bundle.pages.values()] + content)
    # The extra files were scanned in memory as they were made (bundle.scan_problems). Everything
    # else MkDocs wrote: its files, its static templates (404.html, sitemap) and anything else at the
    # top level. Listing them beats walking tens of thousands of record directories.
    problems += bundle.scan_problems
    written = [f.dest_uri for f in _STATE["files"]]
    written += [p.name for p in site_dir.iterdir() if p.is_file() and p.name not in extra]
    with phase("隐私扫描"):
        problems += scanner.site(site_dir, only=written)
    if problems:
        raise PluginError("公开网站中发现不应公开的内容，网站未发布：\n" + "\n".join(sorted(problems)[:50]))
    with phase("Pagefind"):
        search_index.run_pagefind(
            site_dir, bundle.pages.values(), incremental.capturing_shard_pages(), search_cache_folder()
        )
    with phase("搜索索引扫描"):  # the page texts the search page shows as excerpts, as Pagefind wrote them
        problems = scanner.search_index(site_dir)
    if problems:
        raise PluginError(
            "站内搜索索引中发现不应公开的内容，网站未发布：\n" + "\n".join(sorted(problems)[:50])
        )
    scan_memo.save(memo, scanner.context(), scanner.cleared + bundle.scan_cleared, scanner.needle_digests())
    incremental.capture(bundle, _STATE["theme_env"], _STATE["nav"])  # serve's preview keeps these
