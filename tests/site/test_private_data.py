"""The normalising privacy scan: numbers however typed are found; ids, digests and dates are not."""

from __future__ import annotations

import shutil

import pytest

from generator.corpus import load
from generator.private_data import find
from generator.site import opendata, privacy
from generator.site.public import internal_values
from generator.site.site_data import build_site_data
from generator.validation import validate_corpus
from tests.site.conftest import FIXTURE_RECORDS

MOBILES = [
    "13812345678",
    "+8613812345678",
    "+86 138 1234 5678",
    "0086 138-1234-5678",
    "008613812345678",
    "8613812345678",
    "138-1234-5678",
    "138 1234 5678",
    "138.1234.5678",
    "１３８１２３４５６７８",
    "１３８－１２３４－５６７８",
    "（+86）138 1234 5678",
    "138　1234　5678",  # ideographic spaces
    "联系人张三13812345678",
    "电话:138—1234—5678。",
    "2026 13812345678",
    # the trunk prefix 0 a landline dials before a mobile from another city
    "外地请拨013812345678",
    "0 138 1234 5678",
    "(0)138-1234-5678",
    # an English label typed straight against the number
    "Tel13812345678",
    "TEL13812345678",
    "mobile:13812345678",
    "Mobile13812345678",
    "Phone13812345678",
    # pasted from a web page or a chat: zero-width and other invisible format characters inside
    "138\u200b1234\u200b5678",
    "\ufeff13812345678",
    "138\u00ad1234\u00ad5678",
    "1\u200b3\u200b8\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8",
    "138-\u2060\u200c\u200d1234\u200e5678",
    # any separator, not a list of them (red team: these were published): full-width comma, the
    # enumeration comma, tildes, bars, colons, Chinese full stops, runs of white space and new lines,
    # C1 controls, box-drawing and hyphen bullets, all before and after NFKC
    "138，1234，5678",
    "138、1234、5678",
    "138~1234~5678",
    "138～1234～5678",
    "138 , 1234 , 5678",
    "138,1234,5678",
    "138:1234:5678",
    "138；1234；5678",
    "138 | 1234 | 5678",
    "138*1234*5678",
    "138。1234。5678",
    "138 1234      5678",
    "138\n1234\n5678",
    "138\r\n    1234\r\n    5678",
    "138\x851234\x855678",
    "138\x9f1234\x805678",
    "138 ─ 1234 ─ 5678",
    "138⁃1234⁃5678",
    "【138】1234-5678",
    "+86（138）1234～5678",
    "００８６－１３８，１２３４，５６７８",
    "一三八，一二三四，五六七八",
    "13\u03038\u03031234\u03035678",  # combining marks between digits
    "138\u31641234\uffa05678",  # Hangul fillers: letters that show as nothing
    "138\u115f1234\u11605678",
    # digits of other forms and scripts: circled, parenthesised, superscript, Arabic-Indic
    "①③⑧①②③④⑤⑥⑦⑧",
    "⑴⑶⑻-1234-5678",
    "¹³⁸¹²³⁴⁵⁶⁷⁸",
    "١٣٨١٢٣٤٥٦٧٨",
    "१३८ १२३४ ५६७८",
    # runs of punctuation are one separator; dash-like letters; financial and mixed numerals
    "138……1234……5678",
    "138 -- 1234 -- 5678",
    "138——1234——5678",
    "138ー1234ー5678",
    "138ｰ1234ｰ5678",
    "壹叁捌壹贰叁肆伍陆柒捌",
    "壹參捌 壹貳叁肆 伍陸柒捌",
    "一三 八一 二三 四五 六七 八",
    "13八1234 5678",
]
ID_NUMBERS = [
    "11010519491231002X",
    "110105、19491231、002X",
    "110105～19491231～002X",
    "110105 19491231 002X",
    "110105-19491231-002x",
    "110105 -- 19491231 -- 002X",
    "110105……19491231……002X",
    "１１０１０５１９４９１２３１００２Ｘ",
    "身份证110105194912310029号",  # check digit wrong: not a hit
]
NOT_PRIVATE = [
    # hex digests and codes that end in eleven digits a mobile could start with stay quiet
    "fc95e02dc842ea233adcc7d1a5261dff6d02ddccd145910c73acd4519a9dfe13812345678",
    "ABCDEF13812345678",
    "T2026-market-0113812345678",
    "91321323MA1YB3R18F",  # 统一社会信用代码
    "913213231234567890",
    "fc95e02dc842ea233adcc7d1a5261dff6d02ddccd145910c73acd4519a9dfed3",  # a digest
    "sdr-draw/1/request.6a424ab884be1aa6cd1ac4a411e9aa9ff95cf0aca9cb1521139a6c76fd0dd740/drand.quicknet.1000.fe29/",
    "0.17125785871341773434778956586630005138555557241099986046078368399318467141417",  # a ticket
    "2026-03-05 2026-04-30",
    "D2026-0001 T2026-market-01 SCJG-001",
    "32132300101",  # a badge number (11 digits, not 1[3-9])
    "0527-88888888",  # an office phone: public on purpose
    "检查对象 12 户，发现问题 3 户",
    "12345678901",
    # machine-written data: commas separate values, not groups (a vendored script's OID bytes)
    "var pn=r=>({oid:Uint8Array.from([6,9,96,134,72,1,101,3,4,2,r])})",
    "[13, 1234, 5678]",
    "2026-03-15 13:45:12",
    # numerals in names and ordinary text, dates and amounts with long punctuation
    "张三、李四、王五",
    "一、二、三、四、五、六、七、八、九、十、十一",
    "二〇二六年一月一日",
    "共 138 户……其中 1234 户……5678 元",
    "2026……2027……2028",
    "第三条 一至三项",
]


@pytest.mark.parametrize("text", MOBILES)
def test_mobiles_in_any_spelling(text):
    hits = find(text)
    assert [h.kind for h in hits] == ["mobile"] and hits[0].number == "13812345678", text
    assert hits[0].masked == "138****5678"


@pytest.mark.parametrize("text", ID_NUMBERS)
def test_id_numbers_in_any_spelling(text):
    hits = find(text)
    if "0029" in text:
        assert hits == []
    else:
        assert [h.kind for h in hits] == ["id_number"] and hits[0].number == "11010519491231002X"


@pytest.mark.parametrize("text", NOT_PRIVATE)
def test_ids_digests_and_dates_are_quiet(text):
    assert find(text, data=True) == []
    if "[" not in text:
        assert find(text) == []


# First-generation (15-digit) ID numbers: area code, YYMMDD birth date, 3 sequence digits, no check
# digit. An old 15-digit 工商注册号 (GS 15-2006) has the same length: its last digit is an ISO 7064
# MOD 11,10 check digit. Rule: ID-shaped and not a valid 注册号 -> an ID number (error, like 18
# digits); ID-shaped and a valid 注册号 -> an ID number when 身份证 is written before it, nothing when
# 注册号 is, otherwise "id_or_reg_no" (validate warns, the site scan lets it through).
ID15_NOT_REG = "320102550412051"  # 1955-04-12; its last digit is not a 注册号 check digit
ID15_ALSO_REG = "110105491231002"  # 1949-12-31; happens to pass the 注册号 check


def test_first_generation_id_numbers():
    from generator.private_data import is_id_card_15, is_registration_number

    assert is_id_card_15(ID15_NOT_REG) and not is_registration_number(ID15_NOT_REG)
    assert is_id_card_15(ID15_ALSO_REG) and is_registration_number(ID15_ALSO_REG)
    for spelling in (
        ID15_NOT_REG,
        "320102-550412-051",
        "３２０１０２５５０４１２０５１",
        "320102，550412，051",
    ):
        assert [(h.kind, h.masked) for h in find(f"当事人{spelling}")] == [("id_number", "320102******051")]
    assert [h.kind for h in find(f"身份证号：{ID15_ALSO_REG}")] == ["id_number"]
    assert [h.kind for h in find(f"备注 {ID15_ALSO_REG}")] == ["id_or_reg_no"]
    assert find(f"注册号：{ID15_ALSO_REG}") == []
    # 注册号 whose middle digits are no birth date, and numbers of other lengths, stay quiet
    assert find("注册号 321323000012345 / 321323600045678") == []
    assert find("320102550432051 320102551312051 990102550412051") == []


def test_sample_records_raise_no_privacy_finding():
    for root in (FIXTURE_RECORDS, FIXTURE_RECORDS.parents[3] / "records"):
        codes = {f.code for f in validate_corpus(load(root))}
        assert not codes & {"PRIVACY_MOBILE", "PRIVACY_ID_NUMBER"}, root


def test_build_scan_names_the_record(built_site, tmp_path):
    """An internal mobile number copied into the output: the scan names the record it came from."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
    corpus = load(FIXTURE_RECORDS)
    scanner = privacy.Scanner(
        internal_values(corpus),
        opendata.public_value_set(build_site_data(corpus)),
        lambda: privacy.trace_numbers(corpus),
    )
    assert scanner.site(site) == []
    page = site / "units" / "market" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<p>电话 139-1234-5678</p>", encoding="utf-8")
    problems = scanner.site(site)
    traced = [p for p in problems if "139****5678" in p]
    assert traced and "units/market/unit.yaml:8 [liaison.mobile]" in traced[0], problems
    # the same number written plainly is also an internal value: named with its record too
    page.write_text(page.read_text(encoding="utf-8") + "<p>13912345678</p>", encoding="utf-8")
    internal = [p for p in scanner.site(site) if "内部字段" in p]
    assert internal and all("unit.yaml:8" in p for p in internal), internal


def test_validate_finds_a_mobile_in_every_public_text_field(tmp_path):
    """Seed every public free-text value (from the schemas) with a mobile number: each one is a
    PRIVACY_MOBILE finding at its own file and field; internal fields are not scanned."""
    from generator.errors import format_path
    from generator.records import BY_NAME
    from generator.rules.privacy import public_texts
    from tests.hostile.site.tree import _protected, _rewrite

    root = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    phone = " 138-1234-5678"
    table, protected = {}, set()  # codes and choices that share a value with some text stay
    for kind_name, records in load(root).records.items():
        for r in records:
            _protected(BY_NAME[kind_name].fields, r.data, protected)
            for path, _, ftype, text in public_texts(BY_NAME[kind_name].fields, r.data):
                if path != ("id",) and len(text + phone) <= ftype.max_length:
                    table[text] = text + phone
    table = {k: v for k, v in table.items() if k not in protected}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            _rewrite(path, table)
    corpus = load(root, display_prefix="")
    expected = set()
    for kind_name, records in corpus.records.items():
        for r in records:
            for path, _, _, text in public_texts(BY_NAME[kind_name].fields, r.data):
                if text.endswith(phone):
                    expected.add((r.file, format_path(path)))
    found = {(f.file, f.path) for f in validate_corpus(corpus) if f.code == "PRIVACY_MOBILE"}
    assert len(expected) > 50
    assert found == expected


def test_format_characters_are_unicode_category_cf():
    import sys
    import unicodedata

    from generator.private_data import _FORMAT

    cf = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    listed = set(
        _FORMAT.findall("".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF))
    )
    assert cf - listed == set() and all(unicodedata.category(c) == "Cf" for c in listed)


def _chains_group_by_group(text: str) -> list[list]:
    """The definition of a chain, one digit group at a time (what ``_chains`` did before it became
    one regular-expression scan): a group joins the previous one when 1-3 separators lie between
    them and the previous group does not end in an X. A separator is a run of white space, a run of
    punctuation (``……``, ``--``) or a run of underscores."""
    import re

    from generator.private_data import _GROUP

    chains: list[list] = []
    for m in _GROUP.finditer(text):
        if chains:
            prev = chains[-1][-1]
            gap = text[prev.end() : m.start()]
            units = re.findall(r"\s+|[^\w\s]+|_+", gap)
            whole = "".join(units) == gap
            if whole and 1 <= len(units) <= 3 and prev[0][-1] not in "Xx":
                chains[-1].append(m)
                continue
        chains.append([m])
    return chains


def test_chains_match_the_group_by_group_definition():
    """Every chain that can hold a number (11 characters or more) is found with the same groups."""
    import random

    from generator.private_data import SEPARATORS, SHORTEST, _chains

    rng = random.Random(18)
    alphabet = "0123456789" * 3 + "Xx" + SEPARATORS + "a,:;年 \n\n"
    long_chains = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        spans = [[g.span() for g in c] for c in _chains(text)]
        expected = [
            [g.span() for g in c]
            for c in _chains_group_by_group(text)
            if c[-1].end() - c[0].start() >= SHORTEST
        ]
        assert spans == expected, text
        long_chains += len(spans)
    assert long_chains > 5000  # the random texts did exercise long chains


def test_validate_finds_a_mobile_in_every_public_field_with_a_pattern(tmp_path):
    """A pattern does not rule a phone out: ``office_phone: 138-1234-5678`` fits ``[0-9-]{7,20}``.
    The build's final scan stops the whole site on it, so a record that passed validate would block
    every unit's publication once merged. Every public patterned value whose pattern admits a mobile
    is seeded with one: each is a PRIVACY_MOBILE finding at its own file and field."""
    import re

    from generator.errors import format_path
    from generator.records import BY_NAME
    from generator.rules.privacy import patterned_texts
    from tests.hostile.site.tree import _rewrite

    root = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    phone = "138-1234-5678"
    table = {}
    for kind_name, records in load(root).records.items():
        if kind_name.startswith("draw_"):
            continue
        for r in records:
            for _, f, text in patterned_texts(BY_NAME[kind_name].fields, r.data):
                ftype = f.type.item if hasattr(f.type, "item") else f.type
                if getattr(ftype, "pattern", None) and re.fullmatch(ftype.pattern, phone):
                    table[text] = phone
    assert table, "the fixture has no public field whose pattern admits a mobile"
    for path in sorted(root.rglob("*")):
        if path.is_file() and "draws" not in path.parts:
            _rewrite(path, table)
    corpus = load(root, display_prefix="")
    expected = set()
    for kind_name, records in corpus.records.items():
        if kind_name.startswith("draw_"):
            continue
        for r in records:
            for path, _, text in patterned_texts(BY_NAME[kind_name].fields, r.data):
                if text == phone:
                    expected.add((r.file, format_path(path)))
    found = {(f.file, f.path) for f in validate_corpus(corpus) if f.code == "PRIVACY_MOBILE"}
    assert ("units/market/unit.yaml", "liaison.office_phone") in expected
    assert expected <= found


# Valid 统一社会信用代码 (GB 32100 check character) of market subjects in 延庆区 (110119) and 奉贤区
# (310120): digits 7-14 read as a birth date and the last digit happens to be a correct GB 11643
# check digit. About one numeric code in a thousand there; one was enough to stop the whole build.
USCC_SHAPED_LIKE_IDS = [
    "911101198405063266",
    "921101195803127809",
    "913101206807282778",
    "923101202809279744",
]


@pytest.mark.parametrize("code", USCC_SHAPED_LIKE_IDS)
def test_an_enterprise_code_is_not_an_id_number(code):
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(charset.index(c) * (3**i % 31) for i, c in enumerate(code[:17]))
    assert charset[(31 - total % 31) % 31] == code[17]  # a real code, by its own check character
    assert find(f"检查对象 {code} 的检查结果") == []


def test_id_numbers_of_every_province_are_still_found():
    from generator.private_data import ID_CHECK, ID_WEIGHTS, PROVINCES

    for province in sorted(PROVINCES):
        first17 = f"{province}010519491231002"
        number = first17 + ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]
        assert [h.kind for h in find(f"身份证 {number}")] == ["id_number"], number


def test_record_text_naming_an_internal_field_does_not_stop_the_build(tmp_path):
    """A task named 按信用风险分类开展差异化抽查 (the county plan's own wording) and a finding that
    mentions 申报的利害关系 passed validate, then the label scan stopped the whole site on them."""
    from tests.site.conftest import build_fixture_site

    root = tmp_path / "records"
    shutil.copytree(FIXTURE_RECORDS, root)
    task = root / "units" / "market" / "tasks" / "T2026-market-01.yaml"
    task.write_text(
        task.read_text(encoding="utf-8").replace(
            "name: 2026 年学校食堂食品安全部门联合抽查", "name: 2026 年按信用风险分类开展的学校食堂<联合>抽查"
        ),
        encoding="utf-8",
    )
    result = root / "units" / "market" / "results" / "T2026-market-01.yaml"
    result.write_text(
        result.read_text(encoding="utf-8").replace(
            "findings: 食品留样记录不完整，已当场责令改正。",
            "findings: |-\n      检查人员均无申报的利害关系。\n      食品留样记录不完整，已当场责令改正。",
        ),
        encoding="utf-8",
    )
    site = build_fixture_site(tmp_path / "site", root)
    assert "按信用风险分类开展的学校食堂&lt;联合&gt;抽查" in (
        site / "tasks" / "T2026-market-01" / "index.html"
    ).read_text(encoding="utf-8")


def test_an_internal_field_label_made_by_a_template_is_still_found():
    public = {"2026 年按信用风险分类开展的学校食堂抽查"}
    scanner = privacy.Scanner({}, public)
    page = "<h1>2026 年按信用风险分类开展的学校食堂抽查</h1>"
    assert scanner.text("tasks/x/index.html", page) == []
    leaked = page + "<table><tr><th>信用风险分类</th><td>D</td></tr></table>"
    assert scanner.text("tasks/x/index.html", leaked) == [
        "tasks/x/index.html: 页面出现内部字段“信用风险分类”"
    ]
    assert scanner.text("tasks/x/index.html", "<p>credit_risk: D</p>") == [
        "tasks/x/index.html: 页面出现内部字段“credit_risk”"
    ]


def test_the_build_scan_reads_any_separator_in_pages_and_values_in_data_files():
    """The final scan (second line of defence) sees what validate sees in a page, and in a data
    file a mobile typed with full-width separators; ASCII commas there separate values."""
    scanner = privacy.Scanner({}, set())
    assert scanner.text("objects/x/index.html", "<td>联系 138，1234，5678</td>") == [
        "objects/x/index.html: 疑似手机号码“138****5678”"
    ]
    assert scanner.text("data/objects.json", '{"地址":"示例路 139、1234～5678"}') == [
        "data/objects.json: 疑似手机号码“139****5678”"
    ]
    assert scanner.text("data/objects.csv", '"当事人 320102-550412-051"') == [
        "data/objects.csv: 疑似身份证号码“320102******051”"
    ]
    assert scanner.text("assets/x.js", "Uint8Array.from([6,9,96,134,72,1,101,3,4,2])") == []
    # may be an old 注册号 as well: validate's warning, not a reason to stop the site
    assert scanner.text("data/objects.csv", '"110105491231002"') == []


def test_the_build_scan_reads_the_registry_log(tmp_path):
    """draws/log.jsonl carries task names units wrote: it is scanned like the other data files."""
    (tmp_path / "draws").mkdir()
    (tmp_path / "draws" / "log.jsonl").write_text('{"task":{"name":"联系 138……1234……5678"}}\n', "utf-8")
    assert privacy.Scanner({}, set()).site(tmp_path) == ["draws/log.jsonl: 疑似手机号码“138****5678”"]


def test_characters_nfkc_makes_digits_or_blanks_are_listed():
    """Every character the running Python's NFKC turns into digits, or a letter it turns into blanks
    and marks only, is in the lists the quick tests read (``NFKC_DIGIT``, ``NFKC_DIGITS``,
    ``NFKC_GAP``): a new Unicode version that adds one fails here, not in a published page."""
    import re
    import sys
    import unicodedata

    from generator.private_data import NFKC_DIGIT, NFKC_DIGITS, NFKC_GAP

    word, digit = re.compile(r"\w"), re.compile(r"\d")
    one, several, gap = (re.compile(f"[{chars}]") for chars in (NFKC_DIGIT, NFKC_DIGITS, NFKC_GAP))
    blank = set("\u115f\u1160\u3164\u30fc")  # find makes these a space and a dash
    missing = []
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or digit.match(c):
            continue
        n = unicodedata.normalize("NFKC", c)
        if n == c:
            continue
        digits = sum(1 for ch in n if digit.match(ch))
        if digits >= 2 and not several.match(c) or digits == 1 and not one.match(c):
            missing.append(f"U+{cp:04X}")
        elif not digits and word.match(c) and not gap.match(c):
            if all(not word.match(ch) or ch == "_" or ch in blank for ch in n):
                missing.append(f"U+{cp:04X}")
    assert missing == []


# A number spelled with characters NFKC makes digits or blanks (red team, fourth round): the whole
# number must be found by find (validate's fields) and by the page scan in pieces.
NFKC_SPELLED = [
    "电话 138㉑㉒3456",  # circled 21 and 22: two digits each
    "电话 138\ufc5e1234\ufc5e5678",  # an Arabic ligature NFKC makes a space and marks
    "电话 138\u037a1234\u037a5678",  # Greek ypogegrammeni: a space and a mark
    "电话 1381234567\U0001f109",  # DIGIT NINE COMMA: 9,
    "电话 138½345678",  # ½ is 1⁄2
    "电话 13８①②③④⑤⑥⑦⑧",
]


@pytest.mark.parametrize("text", NFKC_SPELLED)
def test_numbers_spelled_with_characters_nfkc_makes_digits_are_found(text):
    from generator.private_pieces import find_in_pieces

    found = [h.kind for h in find(text)]
    assert found and set(found) <= {"mobile"}
    assert [h.kind for h in find_in_pieces("<i>x</i>13912345678 <p>" + text + "</p>")] == ["mobile", *found]


def test_the_quick_tests_never_rule_out_a_number():
    """``find``'s quick tests only skip texts ``normalised_hits`` finds nothing in."""
    import random

    from generator.private_data import NFKC_DIGIT, NFKC_DIGITS, NFKC_GAP, NUMERALS, normalised_hits

    def chars(ranges: str) -> list[str]:
        import re
        import sys

        pattern = re.compile(f"[{ranges}]")
        return [
            chr(c)
            for c in range(0x20, sys.maxunicode + 1)
            if not 0xD800 <= c <= 0xDFFF and pattern.match(chr(c))
        ]

    pools = [list("0123456789") * 4, chars(NFKC_DIGIT), chars(NFKC_DIGITS), chars(NFKC_GAP)]
    pools += [list(NUMERALS), list(" -.,，、…\n_X"), ["身份证", "注册号", "tel", "电话", "a", "\u200b"]]
    rng = random.Random(4)
    hits = 0
    for _ in range(30000):
        weights = [12, 1, 1, 1, 2, 3, 1]  # mostly digits: a number needs eleven
        text = "".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(rng.randint(8, 30)))
        for numerals, data in ((True, False), (False, False), (False, True)):
            whole = normalised_hits(text, numerals, data)
            assert find(text, numerals, data) == whole, (repr(text), numerals, data)
            hits += bool(whole)
    assert hits > 800  # the texts did hold numbers


def test_the_data_chain_finds_what_its_lookahead_first_form_found():
    """``_DATA_CHAIN`` opens with ``\\d`` (fast to skip to) instead of a lookahead on the same
    characters: on random machine-written text every match has the same span as the earlier form's."""
    import random
    import re

    from generator.private_data import _DATA_CHAIN, _DATA_GAP, SEPARATORS, SHORTEST

    earlier = re.compile(
        rf"(?=\d[\d\W_Xx]{{{SHORTEST - 1}}})(?=\d(?:[\dXx_]|[^\w,\[\]{{}}]){{{SHORTEST - 1}}})"
        rf"\d+(?:{_DATA_GAP}\d+)*[Xx]?"
    )
    rng = random.Random(1801)
    alphabet = "0123456789" * 4 + "Xx" + SEPARATORS + 'a,[]{}":;_ \n'
    matched = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        spans = [m.span() for m in _DATA_CHAIN.finditer(text)]
        assert spans == [m.span() for m in earlier.finditer(text)], text
        matched += len(spans)
    assert matched > 3000  # the random texts did make chains
