"""The texts the privacy scan reads from the built site (``privacy.Scanner``): each output file as
text (HTML, XML, JSON, CSV, SVG, JS), the XML parts of a workbook, a ``.gz`` file as the file it
holds, and the text of every page Pagefind indexed (its ``.pf_fragment`` files: gzip,
``pagefind_dcd`` and JSON). A file in memory and the same file once written read the same texts."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path, PurePosixPath

TEXT_SUFFIXES = {".html", ".xml", ".json", ".jsonl", ".csv", ".svg", ".js", ".txt", ".css"}
SEARCH_INDEX = "pagefind"  # Pagefind's bundles: read by ``search_index`` once Pagefind has run
FRAGMENT = ".pf_fragment"
PAGEFIND_MAGIC = b"pagefind_dcd"


def _texts(site: Path, skip: set[str] = frozenset(), only: list[str] | None = None):
    """(relative path, text) of the files under ``site``, or of the files ``only`` names; without
    ``only``, Pagefind's page texts too (``search_index_texts``)."""
    paths = sorted(site.rglob("*")) if only is None else [site / rel for rel in sorted(set(only))]
    for path in paths:
        if not path.is_file() or SEARCH_INDEX in path.relative_to(site).parts[:1]:
            continue
        rel = path.relative_to(site).as_posix()
        if rel in skip:
            continue
        yield from memory_texts(rel, path.read_bytes())
    if only is None:
        yield from search_index_texts(site)


def file_texts(rel: str, content: bytes):
    """(name, text) of one output file: text files decoded, the XML parts of a workbook, a ``.gz``
    file as the file it holds (``sitemap.xml.gz!sitemap.xml``)."""
    suffix = PurePosixPath(rel).suffix
    if suffix in TEXT_SUFFIXES:
        yield rel, content.decode("utf-8", errors="replace")
    elif suffix == ".xlsx":
        yield from _xlsx_texts(rel, io.BytesIO(content))
    elif suffix == ".gz":
        inner = PurePosixPath(rel).stem
        yield from ((f"{rel}!{name}", text) for name, text in file_texts(inner, _gunzip(content)))


def _gunzip(content: bytes) -> bytes:
    try:
        return gzip.decompress(content)
    except (OSError, EOFError):  # not gzip after all: read as it is
        return content


def fragments(site: Path) -> list[Path]:
    """Pagefind's page texts under ``site/pagefind``, in path order."""
    folder = site / SEARCH_INDEX
    return sorted(folder.rglob(f"*{FRAGMENT}")) if folder.is_dir() else []


def search_index_texts(site: Path, paths: list[Path] | None = None):
    """(name, text) of every page text in Pagefind's bundles under ``site/pagefind`` (or of the
    fragments ``paths`` names): each fragment's content, title and other meta and filter values, one
    per line (``.txt``: read like page text)."""
    for path in fragments(site) if paths is None else paths:
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(site).as_posix()
        yield fragment_text(rel, path.read_bytes())


def fragment_text(rel: str, content: bytes) -> tuple[str, str]:
    """(name, text) of one Pagefind fragment file's bytes."""
    raw = _gunzip(content).removeprefix(PAGEFIND_MAGIC)
    try:
        data = json.loads(raw.decode("utf-8", errors="replace"))
    except ValueError:
        return f"{rel}!.txt", raw.decode("utf-8", errors="replace")
    return f"{rel}!.txt", "\n".join(_strings(data))


def _fragment_texts(rel: str, content: bytes) -> list[tuple[str, str]]:
    return [fragment_text(rel, content)]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k != "url":  # the page's own address: its id, already scanned in every link to it
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _xlsx_texts(rel: str, file):
    with zipfile.ZipFile(file) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".xml"):
                yield f"{rel}!{name}", z.read(name).decode("utf-8", errors="replace")


def memory_texts(rel: str, content: bytes):
    """(name, text) of one file, in memory or as ``_texts`` reads it once written (``file_texts``,
    text decoded with universal newlines)."""
    for name, text in file_texts(rel, content):
        yield name, text.replace("\r\n", "\n").replace("\r", "\n")
