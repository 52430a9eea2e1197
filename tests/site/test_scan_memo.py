"""The scan memo (``generator/site/scan_memo.py``): a warm build looks again only at texts that
changed, and at every text for a needle that is new; a memo not signed under the build's key, or
made by another scan, is not believed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.site import build_cache, privacy, scan_memo
from tests.site.conftest import FIXTURE_EPOCH, FIXTURE_RECORDS

KEY = "a-test-key-of-enough-length"
PAGE = '<main><p>许可证编号 ZX20260001</p><p title="x">某某超市</p></main>'
NUMBER_PAGE = "<main><p>内部编号 XK-2025 第 7 号</p></main>"


@pytest.fixture
def part(tmp_path, monkeypatch):
    monkeypatch.setenv(scan_memo.KEY_ENV, KEY)
    folder = build_cache.check_folder(tmp_path / "cache")
    return build_cache.part(folder, scan_memo.PART)


def _scanner(internal: dict[str, set[str]], part: Path | None, public: set[str] = frozenset()):
    scanner = privacy.Scanner(internal, set(public))
    scanner.remember(part)
    return scanner


def _clean_build(part: Path, texts: dict[str, str], internal: dict[str, set[str]]) -> None:
    scanner = _scanner(internal, part)
    for rel, text in texts.items():
        assert scanner.text(rel, text) == []
    scan_memo.save(part, scanner.context(), scanner.cleared, scanner.needle_digests())


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    whole = privacy.Scanner._scan

    def counted(self, rel, text):
        calls.append(rel)
        return whole(self, rel, text)

    monkeypatch.setattr(privacy.Scanner, "_scan", counted)
    return calls


def test_a_remembered_text_is_not_scanned_again_and_a_changed_one_is(part, monkeypatch):
    internal = {"inspectors.phone": {"19900394306"}}
    _clean_build(part, {"a/index.html": PAGE, "data/x.csv": "名称\n某某超市\n"}, internal)
    calls = _counting(monkeypatch)
    scanner = _scanner(internal, part)
    assert scanner.text("a/index.html", PAGE) == []
    assert scanner.text("data/x.csv", "名称\n某某超市\n") == []
    assert calls == []
    # one character more, or the same text under another name (read another way), is scanned
    assert scanner.text("a/index.html", PAGE + " ") == []
    assert scanner.text("b/x.txt", PAGE) == []
    assert calls == ["a/index.html", "b/x.txt"]
    assert len(scanner.cleared) == 4


def test_a_needle_added_since_is_found_in_a_remembered_text(part, monkeypatch):
    """A clean text stays clean only for the needles it was scanned for: an internal value added
    by the merge (an inspector's declared conflict that a page already quotes) is looked for in
    every text, remembered or not, and reported as a full scan reports it."""
    _clean_build(
        part, {"a/index.html": PAGE, "n/index.html": NUMBER_PAGE}, {"inspectors.phone": {"19900394306"}}
    )
    internal = {"inspectors.phone": {"19900394306"}, "inspectors.conflicts": {"ZX20260001", "XK-2025 第 7"}}
    calls = _counting(monkeypatch)
    remembered = _scanner(internal, part)
    assert remembered.fresh_tokens == {"ZX20260001"} and remembered.fresh_others == ["XK-2025 第 7"]
    found = remembered.text("a/index.html", PAGE) + remembered.text("n/index.html", NUMBER_PAGE)
    assert calls == []
    full = _scanner(internal, None)
    assert full.memo is None
    expected = full.text("a/index.html", PAGE) + full.text("n/index.html", NUMBER_PAGE)
    assert found == expected
    assert [line.split(":")[0] for line in found] == ["a/index.html", "n/index.html"]
    assert "inspectors.conflicts" in found[0]
    assert remembered.cleared == []  # a text with a finding is never remembered clean


def test_a_memo_signed_under_another_key_or_tampered_with_is_not_read(part, monkeypatch):
    internal = {"inspectors.phone": {"19900394306"}}
    _clean_build(part, {"a/index.html": PAGE}, internal)
    memo = part / scan_memo.FILE
    good = memo.read_bytes()
    assert _scanner(internal, part).memo.clean

    monkeypatch.setenv(scan_memo.KEY_ENV, "another-key-of-enough-length")
    assert not _scanner(internal, part).memo.clean
    monkeypatch.setenv(scan_memo.KEY_ENV, KEY)
    for at in (0, len(scan_memo.FORMAT) + 3, len(good) - 40, len(good) - 1):  # header, context, entry, mac
        bad = bytearray(good)
        bad[at] ^= 1
        memo.write_bytes(bytes(bad))
        assert scan_memo.load(part, _scanner(internal, None).context()) is None
    memo.write_bytes(good[:-17] + good[-16:])  # one byte short
    assert scan_memo.load(part, _scanner(internal, None).context()) is None
    memo.unlink()
    memo.symlink_to(part / "elsewhere")
    (part / "elsewhere").write_bytes(good)
    assert scan_memo.load(part, _scanner(internal, None).context()) is None  # never through a link


def test_no_key_no_memo(tmp_path, monkeypatch):
    monkeypatch.delenv(scan_memo.KEY_ENV, raising=False)
    monkeypatch.setenv(build_cache.ENV, str(build_cache.check_folder(tmp_path / "cache")))
    assert scan_memo.folder() is None
    monkeypatch.setenv(scan_memo.KEY_ENV, "short")  # a key too short to be a secret is no key
    assert scan_memo.folder() is None
    monkeypatch.setenv(scan_memo.KEY_ENV, KEY)
    assert scan_memo.folder() == tmp_path / "cache" / scan_memo.PART


def test_a_memo_made_by_another_scan_is_not_read(part, monkeypatch):
    """Another context: the labels the scan looks for, the published values that carry one (which
    let a label pass), or the scan's code."""
    internal = {"inspectors.phone": {"19900394306"}}
    _clean_build(part, {"a/index.html": PAGE}, internal)
    assert _scanner(internal, part).memo.clean
    carrier = {"按信用风险分类开展差异化抽查"}  # a published value naming an internal label
    assert not _scanner(internal, part, public=carrier).memo.clean
    monkeypatch.setattr(privacy, "internal_labels", lambda: ["信用风险分类", "手机号"])
    assert not _scanner(internal, part).memo.clean
    monkeypatch.undo()
    monkeypatch.setenv(scan_memo.KEY_ENV, KEY)
    monkeypatch.setattr(scan_memo, "code_fingerprint", lambda: b"\0" * 32)
    assert not _scanner(internal, part).memo.clean


def _build(records: Path, out: Path, cache: Path):
    from generator.site.builder import build_site

    return build_site(records, out, cache=cache)


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH)


def test_a_warm_build_publishes_the_same_bytes_and_rescans_only_what_changed(tmp_path, monkeypatch, epoch):
    monkeypatch.setenv(scan_memo.KEY_ENV, KEY)
    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    cache = build_cache.check_folder(tmp_path / "cache")
    cold = _build(records, tmp_path / "cold", cache)
    calls = _counting(monkeypatch)
    warm = _build(records, tmp_path / "warm", cache)
    assert scan_memo.LAST_RUN["remembered"] > 100
    assert _tree(cold) == _tree(warm)
    assert calls == []  # in this process: hub and record pages, MkDocs's files, search texts
    # an edited result: its pages and the texts that list it are scanned again, nothing else
    result = records / "units" / "market" / "results" / "T2026-market-01.yaml"
    text = result.read_text(encoding="utf-8")
    assert "已当场责令改正。" in text
    result.write_text(text.replace("已当场责令改正。", "已当场责令改正，复查合格。"), encoding="utf-8")
    _build(records, tmp_path / "edited", cache)
    assert 0 < len(calls) < 60, calls


def _tree(site: Path) -> dict[str, bytes]:
    # Pagefind's filter files are hash-ordered (docs/scale.md); every other file must be the same
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and "pagefind" not in p.parts
    }


def _leaky_templates(tmp_path: Path) -> Path:
    from generator.site.render import TEMPLATES

    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    unit = copy / "pages" / "unit.html"
    unit.write_text(unit.read_text(encoding="utf-8") + "<p>{{ d.unit.liaison.mobile }}</p>", encoding="utf-8")
    return copy


def test_a_forged_memo_does_not_let_a_leak_through(tmp_path, monkeypatch, epoch):
    """Whoever can write the CI cache can write a memo naming the very pages that leak. Unless it is
    signed under the publishing job's key it is not read, and the build is refused as without it;
    signed under the key (the control: what the signature is for) it would have let them through."""
    from generator.site import builder, public

    records = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, records)
    original = public._clean

    def leaky(fields, data):  # a whitelist bug and a template that shows the leaked value
        out = original(fields, data)
        out.update({k: v for k, v in data.items() if k in ("mobile",)})
        return out

    monkeypatch.setattr(public, "_clean", leaky)
    monkeypatch.setattr("generator.site.render.TEMPLATES", _leaky_templates(tmp_path))
    # the leaking site, as it would be published with the scan switched off, and the scan's context
    contexts = []
    with monkeypatch.context() as off:
        off.setattr(privacy.Scanner, "_scan", lambda self, rel, text: [])
        off.setattr(privacy.Scanner, "_needles", lambda self, *a: [])
        off.setattr(scan_memo, "save", lambda part, ctx, *a: contexts.append(ctx))
        leaked = _build(records, tmp_path / "leaked", None)
    texts = [
        scan_memo.digest(p.relative_to(leaked).as_posix(), p.read_text(encoding="utf-8"))
        for p in leaked.rglob("*.html")
    ]
    cache = build_cache.check_folder(tmp_path / "cache")
    part = build_cache.part(cache, scan_memo.PART)
    (ctx,) = contexts
    for key, refused in (("the-attackers-own-key-123", True), (KEY, False)):
        monkeypatch.setenv(scan_memo.KEY_ENV, key)
        scan_memo.save(part, ctx, texts, [])
        monkeypatch.setenv(scan_memo.KEY_ENV, KEY)
        out = tmp_path / f"site-{refused}"
        with pytest.raises(builder.BuildFailed) as err:  # the open data leaks too, and is scanned
            _build(records, out, cache)
        assert "data/units.csv: 疑似手机号码" in str(err.value) and not out.exists()
        assert ("units/market/index.html: 疑似手机号码" in str(err.value)) is refused


def test_a_remembered_file_is_not_unpacked_unless_a_needle_is_new(part, monkeypatch):
    """Whole files (open data, bundles, Pagefind's fragments) are remembered by their bytes too, so
    an unchanged workbook is not even unzipped; a new needle still opens it."""
    import io

    from openpyxl import Workbook

    book = io.BytesIO()
    sheet = Workbook()
    sheet.active.append(["名称", "备注"])
    sheet.active.append(["某某超市", "编号 ZX20260001"])
    sheet.save(book)
    files = {"data/x.xlsx": book.getvalue(), "data/x.csv": "名称,备注\n某某超市,编号 ZX20260001\n".encode()}
    first = _scanner({"inspectors.phone": {"19900394306"}}, part)
    assert first.files(files) == []
    scan_memo.save(part, first.context(), first.cleared, first.needle_digests())

    opened = []
    real = privacy.memory_texts
    monkeypatch.setattr(
        privacy, "memory_texts", lambda rel, content: opened.append(rel) or real(rel, content)
    )
    again = _scanner({"inspectors.phone": {"19900394306"}}, part)
    assert again.files(files) == [] and opened == []
    new_needle = _scanner({"inspectors.phone": {"19900394306"}, "inspectors.conflicts": {"ZX20260001"}}, part)
    found = new_needle.files(files)
    assert opened == ["data/x.csv", "data/x.xlsx"]
    assert [line.split(":")[0] for line in found] == ["data/x.csv", "data/x.xlsx!xl/worksheets/sheet1.xml"]


def test_a_file_remembered_whole_stays_remembered_when_a_needle_comes_later(part, monkeypatch):
    """Red team 8: a build that remembered a file whole (no needle new) kept only the file's key, not
    its texts' keys; the next build with a new needle then found none of its texts in the memo and
    scanned every one of them whole (after a new inspector's phone, every fragment and open-data file
    of the county, as on a cold build). Texts of a file remembered whole are looked at for the new
    needles only, and found as a full scan finds them."""
    old = {"inspectors.phone": {"19900394306"}}
    files = {"data/x.csv": "名称,备注\n某某超市,编号 ZX20260001\n".encode(), "data/y.json": b'{"a": "b"}'}
    for _ in range(2):  # cold, then warm with nothing new: the files remembered whole
        scanner = _scanner(old, part)
        assert scanner.files(files) == []
        scan_memo.save(part, scanner.context(), scanner.cleared, scanner.needle_digests())
    calls = _counting(monkeypatch)
    new = {**old, "inspectors.conflicts": {"ZX20260001"}}
    found = _scanner(new, part).files(files)
    assert calls == []
    assert found == privacy.Scanner(new, set()).files(files) != []


def test_every_module_the_scan_imports_is_in_its_code_fingerprint():
    """The context holds the bytes of ``scan_memo.CODE``. A scan that grows a helper module outside
    it (a careless move of the ID check into ``generator/id_numbers.py``) would leave warm builds
    believing texts the new code flags, until they change: every generator module the scan's modules
    import, at the top or inside a function, is in CODE or named in ``BESIDE_CODE`` with its reason."""
    import ast

    root = Path(__file__).resolve().parents[2]
    code = {name.removesuffix(".py").replace("/", ".") for name in scan_memo.CODE}
    imported = set()
    for name in scan_memo.CODE:
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    imported.add(full if (root / (full.replace(".", "/") + ".py")).is_file() else node.module)
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names if a.name.startswith("generator")}
    assert imported - code - set(scan_memo.BESIDE_CODE) == set()
    assert set(scan_memo.BESIDE_CODE) <= imported  # no stale excuse
