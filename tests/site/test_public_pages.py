"""What a government site's readers expect on every page, read back from the built fixture site:
no placeholder values, footer (主办, contact, 关于, 异议, 公示系统, 网站标识码, ICP 备案号), 关于本站 with the
policy basis and links, 异议申诉 with the county's channel, favicon, a sitemap of absolute addresses,
absolute Atom ids, public wording on 合规 — and the same without ``site.base_url``.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.corpus import load
from generator.validation import validate_corpus
from tests.site.conftest import FIXTURE_RECORDS, build_fixture_site
from tests.site.placeholders import scan_html, scan_site


def html_pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("pagefind/")
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._text.strip(), self._href))
            self._href = None


def links(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


# ---- placeholders ---------------------------------------------------------------------------


def test_no_placeholder_in_any_page(built_site):
    assert len(html_pages(built_site)) >= 20  # every page kind; objects only when drawn or inspected
    assert scan_site(built_site) == {}


@pytest.mark.parametrize(
    "html",
    [
        "<td>5% None 户</td>",  # issue 14: a plan entry without a count
        "<td>5%  户</td>",  # the same with the None dropped but the gap left
        "<dd>null</dd>",
        "<p>问题发现率 NaN%</p>",
        "<li>检查对象 undefined 户</li>",
        "<td>nan</td>",
        "<td>张三（）</td>",
        "<dd>联系方式：</dd>",
        '<a href="">公示系统</a>',
        '<span title="None">x</span>',
    ],
)
def test_scanner_catches_placeholders(html):
    assert scan_html(html) != []


@pytest.mark.parametrize(
    "html",
    [
        "<td>个体工商户</td>",
        "<td>户外广告设施</td>",
        "<td>6%，4 户</td>",
        "<p>已检查对象（户）</p>",
        "<p>Nancy annual nullable</p>",
        "<code>None</code>",
        '<td>□ 发现问题：<span class="blank"></span></td>',
        "<p>任何人都可以核对：</p>",
    ],
)
def test_scanner_leaves_real_text_alone(html):
    assert scan_html(html) == []


# ---- footer and the pages it links ----------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["index.html", "tasks/T2026-market-01/index.html", "objects/91321323MA1YB3R18F/index.html"]
)
def test_footer_on_hub_and_record_pages(built_site, page):
    html = (built_site / page).read_text(encoding="utf-8")
    footer = html[html.index('<footer class="site-footer">') :]
    text = text_of(footer)
    assert "泗阳县“双随机、一公开”监管联席会议办公室" in text
    assert "联系方式：泗阳县市场监督管理局（联席办）" in text
    assert "网站标识码：3213230001" in text
    found = dict(links(footer))
    assert found["苏ICP备00000000号"] == "https://beian.miit.gov.cn/"
    assert found["国家企业信用信息公示系统"] == "https://www.gsxt.gov.cn/"
    here = (built_site / page).parent
    assert (here / found["关于本站"]).resolve() == (built_site / "about").resolve()
    assert (built_site / "about/index.html").is_file() and (built_site / "objection/index.html").is_file()
    assert (here / found["对检查结果有异议"]).resolve() == (built_site / "objection").resolve()
    assert "以国家企业信用信息公示系统为准" in text


def test_about_page_policy_basis_contact_and_register(built_site):
    html = (built_site / "about/index.html").read_text(encoding="utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    found = links(main)
    policy = [(t, h) for t, h in found if "双随机" in t]
    assert policy == [
        (
            "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》",
            "https://www.gov.cn/zhengce/content/2019-02/15/content_5365900.htm",
        )
    ]  # the county document has no url in county.yaml: named, not linked
    text = text_of(main)
    assert "国发〔2019〕5号" in text and "泗政办发〔2022〕31号" in text
    assert "《泗阳县全面推行“双随机、一公开”跨部门联合监管工作机制实施方案》" in text
    assert "电子邮箱：ssj@siyang.example" in text
    assert ("国家企业信用信息公示系统", "https://www.gsxt.gov.cn/") in found
    assert "网站标识码：3213230001" in text and "苏ICP备00000000号" in text


def test_objection_page_shows_the_countys_channel(built_site):
    county = yaml.safe_load((FIXTURE_RECORDS / "county.yaml").read_text(encoding="utf-8"))
    html = (built_site / "objection/index.html").read_text(encoding="utf-8")
    paragraphs = re.findall(r"<p>([^<]*)</p>", html)
    for line in county["site"]["objection"].splitlines():
        assert line in paragraphs
    assert "泗阳县卫生健康委员会" in text_of(html)  # who to turn to: every member unit, linked


def test_compliance_page_speaks_to_the_public(built_site):
    text = text_of((built_site / "compliance/index.html").read_text(encoding="utf-8"))
    for word in ("report", "命令", "仓库", "validate", "git"):
        assert word not in text, word


def test_favicon_files(built_site):
    ico = (built_site / "favicon.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and len(ico) > 1000  # an ICO with one image
    assert (built_site / "assets/favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    for page in ("index.html", "tasks/T2026-market-01/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        href = re.search(r'<link rel="icon" href="([^"]+)"', html)[1]
        assert (built_site / page).parent.joinpath(href).resolve() == (
            built_site / "assets/favicon.svg"
        ).resolve()


def test_sitemap_lists_every_page_absolutely(built_site):
    xml = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    pages = {p[: -len("index.html")] for p in html_pages(built_site) if p.endswith("index.html")}
    assert {loc.removeprefix("https://ssj.siyang.example/") for loc in locs} == pages
    assert all(loc.startswith("https://ssj.siyang.example/") for loc in locs)
    assert "https://ssj.siyang.example/objects/91321323MA1YB3R18F/" in locs


def test_atom_ids_are_absolute(built_site):
    ids = re.findall(r"<id>([^<]+)</id>", (built_site / "feed.xml").read_text(encoding="utf-8"))
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(i.startswith("https://ssj.siyang.example/") for i in ids)


@pytest.fixture(scope="module")
def site_without_address(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("nobase")
    records = tmp / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    county = records / "county.yaml"
    text = county.read_text(encoding="utf-8")
    county.write_text(re.sub(r"\n  base_url: .*", "", text), encoding="utf-8")
    return build_fixture_site(tmp / "site", records)


def test_without_base_url_no_sitemap_and_tag_ids(site_without_address):
    site = site_without_address
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    ids = re.findall(r"<id>([^<]+)</id>", (site / "feed.xml").read_text(encoding="utf-8"))
    assert ids[0] == "tag:ssj.siyang.example,2019:feed.xml"
    assert ids[1] == "tag:ssj.siyang.example,2019:tasks/T2026-market-01/#market"
    assert scan_site(site) == {}


def test_policy_link_must_be_a_web_address(tmp_path):
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    county = records / "county.yaml"
    text = county.read_text(encoding="utf-8")
    bad = text.replace("url: https://www.gov.cn/", 'url: "javascript:alert(1)//https://www.gov.cn/')
    bad = bad.replace("content_5365900.htm", 'content_5365900.htm"')
    county.write_text(bad, encoding="utf-8")
    line = bad.splitlines().index(next(x for x in bad.splitlines() if "javascript:" in x)) + 1
    findings = validate_corpus(load(records))
    hits = [(f.code, Path(f.file).name, f.line) for f in findings.errors]
    assert hits == [("FIELD_PATTERN", "county.yaml", line)]
