"""The page model: everything a page needs, as plain public data, independent of MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageModel:
    """One page. ``path`` is the site-relative Markdown-style source path (``tasks/T2026-x-01.md``)."""

    path: str
    title: str
    template: str  # body template under site_templates/pages/
    column: str  # 栏目 (ColumnName page tag)
    column_type: str = "信息公开"  # ColumnType page tag
    data: dict = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)  # Pagefind filters (单位, 年度, ...)
    pub_date: str = ""  # PubDate page tag, ISO date
    source: str = ""  # ContentSource page tag: the publishing unit
    in_nav: bool = False
    searchable: bool = True

    @property
    def url(self) -> str:
        """Directory-style URL relative to the site root (MkDocs use_directory_urls)."""
        stem = self.path[: -len(".md")]
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"


def url_for(path: str) -> str:
    return PageModel(path, "", "", "").url
