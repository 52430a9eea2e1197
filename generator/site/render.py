"""Render page models to body HTML with the Jinja2 templates in ``site_templates/pages``.

Independent of MkDocs: the same function can feed any static-site layer. Links are made relative
to the page so the site works from any base path (an intranet folder, GitHub Pages, a file share).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from fractions import Fraction
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.reports.figures import percent_text
from generator.site.models_records import object_slug, slug, township_slug
from generator.site.page import PageModel, url_for
from generator.site.site_data import SiteData

TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates"


def relative_url(from_url: str, to_url: str) -> str:
    """Link from page URL ``from_url`` (``tasks/T1/``) to ``to_url`` (``units/market/``).

    >>> relative_url("tasks/T1/", "units/market/")
    '../../units/market/'
    >>> relative_url("", "stats/")
    'stats/'
    >>> relative_url("stats/", "")
    '../'
    """
    depth = from_url.count("/")
    out = "../" * depth + to_url
    return out or "./"


def date_text(value) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{int(value[:4])}年{int(value[5:7])}月{int(value[8:])}日"
    return str(value or "")


def fmt_date(value) -> Markup:
    """A date that never breaks across lines (``202 / 6年 / 12月`` on a phone); empty stays empty."""
    text = date_text(value)
    return Markup('<span class="nowrap">%s</span>') % text if text else Markup("")


def fmt_percent(value) -> str:
    if value is None:
        return "—"
    value = Fraction(value)
    return percent_text(value.numerator, value.denominator)


def fmt_ratio(value) -> str:
    if value is None:
        return ""
    from generator.schema.fields import format_ratio

    return format_ratio(Fraction(value))


def make_env(site_data: SiteData) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "pages")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=fmt_date,
        percent=fmt_percent,
        ratio=fmt_ratio,
        unit_name=site_data.unit_name,
        unit_short=site_data.unit_short,
        category=site_data.category_label,
    )
    env.globals.update(
        site_data=site_data,
        slug=slug,
        object_slug=object_slug,
        township_slug=lambda n: township_slug(site_data, n),
    )
    return env


def render_page(env: jinja2.Environment, page: PageModel) -> Markup:
    here = page.url

    def link(path: str) -> str:
        """Relative link to another page by its source path (``units/market.md``) or a file."""
        target = url_for(path) if path.endswith(".md") else path
        return relative_url(here, target)

    def asset(path: str) -> str:
        return relative_url(here, posixpath.normpath(path))

    template = env.get_template(page.template)
    # The one place our HTML is marked safe: the output of an autoescaping environment, in which
    # record text is escaped. The layout (main.html, autoescaping too) inserts it as it is.
    return Markup(template.render(page=page, d=page.data, link=link, asset=asset))
