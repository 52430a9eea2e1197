"""Find mobile numbers and resident ID numbers in text, however they are spelled.

Used twice: by ``validate`` on every public free-text field (rules/privacy.py, with file:line) and
by the final scan of the built site (site/privacy.py). A careless clerk types a number the way it is
printed on a card; the scan must see through that:

* invisible format characters (Unicode Cf: zero-width spaces and joiners, soft hyphens, the BOM,
  bidi marks) are removed first: a number pasted from a web page or a chat often carries them, and
  some pages put one between every digit;
* NFKC next: full-width digits, plus signs, dashes, dots and spaces become ASCII; Chinese numerals
  (〇 零 幺 一 … 九) become digits too (``一三八 一二三四 五六七八``);
* digit groups separated by up to three separators are joined, a separator being any character
  that is neither a letter, a digit nor ``X`` (a run of white space, new lines included, counts as
  one): ``138-1234-5678``, ``138，1234，5678``, ``138、1234～5678``, ``(+86) 138.1234.5678``; in
  machine-written files (``data=True``) ASCII commas and brackets separate values instead;
* a ``86`` or ``0086`` country prefix is dropped: ``+8613812345678``, ``0086 13812345678``; so is
  the trunk ``0`` a landline dials before a mobile of another city: ``013812345678``;
* every run of consecutive groups is tried, so ``2026 13812345678`` is found too.
* digits of any script become ASCII: NFKC makes circled ①, parenthesised ⑴ and superscript ¹
  decimal, Arabic-Indic ``١٣٨`` and the other scripts' decimal digits are mapped one for one.

What is *not* a hit, to keep ids and digests quiet: a group touching an ASCII letter or digit on its
outer side (USCCs ``91321323MA1YB3R18F``, SHA-256 digests, draw seeds), unless the letters before
it are an English phone label (``Tel13812345678``, ``Mobile…``, ``Phone…``), runs whose joined length is
not that of a mobile (11, or 13/15 with the prefix) or an ID number (18, a province code, GB 11643
check digit and a plausible birth date; or 15, a province code and a real 19YY birth date, see
``_id_15`` for the 注册号 of the same length), mobile numbers not starting ``1[3-9]``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

# A separator is any character that is neither a letter, a digit nor a mark (after NFKC): people
# type ``，`` ``、`` ``~`` ``|`` ``:`` ``/`` ``*`` between digit groups as readily as a dash, and a list
# of separators to extend every time someone finds a new one is the class of bug this replaces
# (red team: ``138，1234，5678`` was published). A run of white space (new lines included) counts as
# one separator; up to three separators may lie between two groups (``138 , 1234``).
SEPARATORS = (
    " \t-.·()+_/\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fb，、~～|:;*#'\"。\n\x85"  # examples
)
# A run of punctuation counts as one separator, as a run of white space does: ``138……1234`` (NFKC
# makes the ellipsis six dots) and ``138 -- 1234`` are one gap each (red team: both were published).
_GAP = r"(?>(?:\s++|[^\w\s]++|_++){1,3})"  # atomic: a separator can never be a digit, no backtracking
# In machine-written files (JSON, JS, CSV, SVG) an ASCII comma or bracket separates values, not the
# groups of one number: ``[6,9,96,134,72,1,101,3,4,2]`` in a vendored script read as 134-7211-0134.
# Record text is read with the full class by ``validate`` (the build refuses records it rejects),
# so ``138,1234,5678`` typed into a field is still stopped before it reaches any file.
DATA_PUNCTUATION = ",[]{}"
_DATA_GAP = r"(?>(?:\s++|[^\w\s,\[\]{}]++|_++){1,3})"
_GROUP = re.compile(r"\d+[Xx]?")
# Unicode category Cf (format characters), as ranges: computing it at import costs half a second.
# tests/site/test_private_data.py checks it against the running Python's Unicode database.
FORMAT_BMP = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
FORMAT_CHARS = FORMAT_BMP + (
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_FORMAT = re.compile("[" + FORMAT_CHARS + "]")
# Characters NFKC leaves as they are whatever surrounds them (UAX #15's "stable" code points): each
# is its own NFKC form, of combining class 0, no format character, and never the second of a
# canonical pair, so nothing before it composes with it and no mark is reordered across it. Removing
# the format characters and normalising only the clusters of other characters, each with the
# character before it (a base a combining mark may join), gives the string normalising the whole would: draw
# bundles and open data are ASCII and ideographs with a few （）：, and normalising them whole cost as
# much as finding their numbers. tests/test_stable_nfkc.py checks the class against the running
# Python's Unicode database and the result against the whole text's on random text.
STABLE = "\x00-\x7f\u00b7\u2014\u2018\u2019\u201c\u201d\u3001\u3002\u3008-\u3011\u4e00-\u9fff"
# A cluster: runs of other characters less than 64 stable ones apart, normalised in one call (a
# Pagefind text has a U+200B between every two words: run by run, it cost 1.7x the whole text).
_UNSTABLE_CLUSTER = re.compile(f"[^{STABLE}]++(?:[{STABLE}]{{1,64}}+[^{STABLE}]++)*+")


def nfkc_without_format(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)`` with the format characters (Cf) removed first.

    >>> nfkc_without_format("电话（１３８\u200b１２３４）cafe\u0301")
    '电话(1381234)café'
    """
    if len(text) < 4096:  # one call costs less than the loop on a short text
        return unicodedata.normalize("NFKC", _FORMAT.sub("", text))
    out = []
    done = 0  # the end of the last cluster normalised
    for m in _UNSTABLE_CLUSTER.finditer(text):
        start = max(m.start() - 1, done)
        out.append(text[done:start])
        out.append(unicodedata.normalize("NFKC", _FORMAT.sub("", text[start : m.end()])))
        done = m.end()
    out.append(text[done:])
    return "".join(out)


# Characters record text must not hold (TEXT_CONTROL_CHAR, one class for the YAML rule
# rules/text_chars.py and the CSV reader sources.py, which also refuses the Unicode line/paragraph
# separators: YAML reads them as line breaks): C0 controls other than tab/LF/CR, DEL, the C1
# controls (U+0080-U+009F: pasted from old GBK/Latin-1 systems, or put there to split a number),
# bidi embeddings/overrides/isolates and marks ("Trojan Source"),
# and the invisible format characters (soft hyphen, zero-width space/joiners, word joiner and
# invisible operators, a BOM inside text) a number or a word is split with to get past a scan or a
# search, and the Hangul filler letters that show as nothing. Chinese administrative text never
# needs any of them.
TEXT_CONTROL_CLASS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u115f\u1160\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0"
)
# Quick test on the raw text (``\d`` is any Unicode decimal digit, full-width included): eleven
# digits with nothing but separators (and format characters, removed later) between them. No hit
# is possible without it, and it spares the Cf removal and the NFKC pass on almost every page. The
# format characters of the astral planes are \W too, so they are covered.
# Chinese numerals as digits: a number written 一三八一二三四五六七八 (幺 for 1 as it is read out,
# 〇/零 for 0) is the usual way to slip a phone past a filter, and a clerk may copy one from a letter.
# The financial forms (壹贰叁…, 貳參陸 in traditional script) read the same. One character for one, so
# spans stay the same; only where a number is being written: three or more numerals in a chain (a
# phone is written in groups, ``一三 八一 二三``), or numerals between digits (``13八1234``), so a
# numeral in a name (张三) never joins the digits typed after it.
NUMERALS = "〇零幺一二三四五六七八九壹贰貳叁參叄肆伍陆陸柒捌玖"
CHINESE_DIGITS = str.maketrans(NUMERALS, "0011234567891223334566789")
# Digits NFKC makes decimal: super- and subscripts, circled, parenthesised and dotted (①, ⑴, ⒈, ❶).
_COMPAT_DIGITS = "\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089\u2460-\u249b\u24ea-\u24ff\u2776-\u2793"
# Characters NFKC turns into one decimal digit, alone or with letters or punctuation (㏤ 5日, 🄉 8,,
# ㋃ 4月), into several (㉑ 21, ½ 1⁄2, ㏾ 31日), and letters it turns into blanks or marks only (ﱞ,
# ͺ, the Hangul fillers): the quick tests read the raw text, so they count each as what it becomes
# (red team: ``138㉑㉒3456`` and ``138ͺ1234ͺ5678`` passed every scan). The union over Unicode
# 14.0-15.1 (Python 3.11-3.13); tests/site/test_private_data.py checks that the running Python's
# database has no such character outside them.
NFKC_DIGIT = (
    "\u00b2-\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u215f\u2460-\u2468\u2474-\u247c\u2488-\u2490"
    "\u24ea\u32c0-\u32c8\u3358-\u3361\u3378-\u3379\u339f-\u33a6\u33a8\u33af\u33e0-\u33e8"
    "\U0001f100-\U0001f10a"
)
NFKC_DIGITS = (
    "\u00bc-\u00be\u2150-\u215e\u2189\u2469-\u2473\u247d-\u2487\u2491-\u249b\u3251-\u325f\u32b1-\u32bf"
    "\u32c9-\u32cb\u3362-\u3370\u33e9-\u33fe"
)
NFKC_GAP = "\u037a\u3164\ufc5e-\ufc63\ufe70\ufe72\ufe74\ufe76\ufe78\ufe7a\ufe7c\ufe7e\uff70\uff9e-\uffa0"
# A character that is several digits once normalised: a text holding one is read whole (rare).
_SEVERAL_DIGITS = re.compile(f"[{NFKC_DIGITS}]")
_D = rf"[\d{_COMPAT_DIGITS}{NFKC_DIGIT}]"
# Letters that show as nothing (the Hangul fillers, U+FFA0 is NFKC U+3164): a blank that regular
# expressions see as a letter, so ``138ㅤ1234ㅤ5678`` was no chain. They become spaces before the scan.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"
# Letters that are dashes to a reader: the katakana prolonged sound mark (``138ー1234``; NFKC makes
# the half-width ｰ this one). They become ``-`` before the scan.
DASH_LETTERS = "\u30fc\uff70"
_CANDIDATE = re.compile(rf"{_D}(?:[\W_{BLANK_LETTERS}{DASH_LETTERS}{NFKC_GAP}]*?{_D}){{10}}")
_DATA_CANDIDATE = re.compile(
    rf"{_D}(?:(?:[^\w,\[\]{{}}]|[_{BLANK_LETTERS}{DASH_LETTERS}{NFKC_GAP}])*?{_D}){{10}}"
)
# Decimal digits of other scripts (Arabic-Indic ١٣٨, Devanagari, Thai, …): NFKC leaves them, a
# reader still reads the number. ``\d`` matches them, so they join chains as they are; a joined
# number is made ASCII (``_ascii``) only when it is not already (a pass over every page cost more).
# The same for numbers in Chinese numerals (a separate, cheaper pattern: 一 is common in any text).
_CN_D = rf"[{NUMERALS}\d{_COMPAT_DIGITS}{NFKC_DIGIT}]"
_CANDIDATE_CN = re.compile(
    rf"{_CN_D}(?:(?:[\W_{BLANK_LETTERS}{NFKC_GAP}]++|[{DASH_LETTERS}]){{0,3}}{_CN_D}){{10}}"
)
_NUMERAL_CHAIN = re.compile(rf"[{NUMERALS}](?:(?:[^\w\n]|_){{0,3}}[{NUMERALS}]){{2,}}")
_NUMERAL_INSIDE = re.compile(rf"(?<=\d)[{NUMERALS}]+(?=\d)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Hit:
    kind: str  # "mobile", "id_number", or "id_or_reg_no" (15 digits that may be either, see is_id_card_15)
    number: str  # normalised: 11 digits, or 18 characters, or 15 digits
    start: int  # span in the NFKC-normalised text
    end: int

    @property
    def masked(self) -> str:
        """Safe to print in CI logs: ``138****5678``, ``110105********002X``."""
        if self.kind == "mobile":
            return self.number[:3] + "****" + self.number[-4:]
        if len(self.number) == 15:
            return self.number[:6] + "******" + self.number[-3:]
        return self.number[:6] + "********" + self.number[-4:]

    @property
    def label(self) -> str:
        return {"mobile": "手机号码", "id_number": "身份证号码"}.get(self.kind, "身份证号码或注册号")


# GB/T 2260 province codes, the first two digits of every resident ID number (71 台湾, 81 香港,
# 82 澳门, 83 the residence permits of 台湾 residents). An 18-digit 统一社会信用代码 of a market
# subject starts with 9 (GB 32100: 9 = 工商): no province, so never an ID number. Without this, a
# real enterprise code of a county whose code ends in 19 or 20 (延庆区 110119, 奉贤区 310120: the
# code's digits 7-10 then read 19xx/20xx) passed the date and check tests about once per thousand
# numeric codes, and the build's final scan stopped the whole site on it.
PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66)]
    + [71, 81, 82, 83]
)


def is_id_card(text: str) -> bool:
    """GB 11643: a province code, a plausible birth date and a correct check character.

    >>> is_id_card("11010519491231002X"), is_id_card("110105194912310021")
    (True, False)
    >>> is_id_card("913201200808204163")  # a valid 统一社会信用代码 (GB 32100), not a person
    False
    """
    if not re.fullmatch(r"\d{17}[\dXx]", text) or int(text[:2]) not in PROVINCES:
        return False
    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17].upper()


def is_id_card_15(text: str) -> bool:
    """A first-generation (15-digit, issued until 2004 and still met on old documents) resident ID:
    an area code of a province, a birth date ``YYMMDD`` (19YY) that exists, three sequence digits.
    It has no check digit, so its shape alone decides.

    >>> is_id_card_15("110105491231002"), is_id_card_15("110105491331002"), is_id_card_15("990105491231002")
    (True, False, False)
    """
    if not re.fullmatch(r"\d{15}", text) or int(text[:2]) not in PROVINCES:
        return False
    try:
        datetime.date(1900 + int(text[6:8]), int(text[8:10]), int(text[10:12]))
    except ValueError:
        return False
    return True


def is_registration_number(text: str) -> bool:
    """A valid 15-digit 工商注册号 (GS 15-2006): its last digit is the ISO 7064 MOD 11,10 check digit
    of the first fourteen. One random number in ten passes.

    >>> is_registration_number("110108000000016"), is_registration_number("110108000000017")
    (True, False)
    """
    if not re.fullmatch(r"\d{15}", text):
        return False
    p = 10
    for c in text[:14]:
        p = (((p + int(c)) % 10 or 10) * 2) % 11
    return (p + int(text[14])) % 10 == 1


# 15 digits that read as a first-generation ID number are a 注册号 when the text names them so
# right before them (``注册号：…``, ``注册号码``) and the check digit holds.
_REG_LABEL = re.compile(r"注册号码?[\W_]{0,3}$")
_ID_LABEL = re.compile(r"身份证(?:号码?)?[\W_]{0,3}$")


def _id_15(text: str, start: int, digits: str) -> str | None:
    """The kind of hit 15 digits make: an ID number when only an ID can have this shape (its last
    digit is not a 注册号 check digit), ``id_or_reg_no`` when it may be either, None otherwise."""
    if not is_id_card_15(digits):
        return None
    before = text[max(0, start - 8) : start]
    if not is_registration_number(digits) or _ID_LABEL.search(before):
        return "id_number"
    return None if _REG_LABEL.search(before) else "id_or_reg_no"


def _ascii(digits: str) -> str:
    """``digits`` with every decimal digit of any script as ASCII (``١٣٨`` -> ``138``)."""
    if digits.isascii():
        return digits
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in digits)


def _mobile(digits: str) -> str | None:
    for prefix in ("0086", "86", "0", ""):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix) :]):
            return digits[len(prefix) :]
    return None


# A chain: digit groups with 1-3 separator characters between any two, only the last group may end
# in an X (an ID number's check character ends its run). One C-level scan instead of a Python loop
# over every digit group: big draw bundles and open-data files hold millions of digits, nearly all
# in runs too short to be a number.
# The lookahead (the next 11 characters could all belong to a chain) rejects most short runs before
# they become matches; a run it skips is matched from a later start, still too short, and dropped.
SHORTEST = 11  # digits of a mobile number, the shortest hit
_CHAIN = re.compile(rf"(?=\d[\d\W_Xx]{{{SHORTEST - 1}}})\d+(?:{_GAP}\d+)*[Xx]?")
# The data form starts with the digit itself, not a lookahead: the same matches (the lookaheads test
# the ten characters after it), but a pattern opening with a character class lets the regex engine
# skip non-digits in C: the pattern's search over a county's bundles 25% faster, the scan of them 9%.
_DATA_CHAIN = re.compile(
    rf"\d(?=[\d\W_Xx]{{{SHORTEST - 1}}})(?=(?:[\dXx_]|[^\w,\[\]{{}}]){{{SHORTEST - 1}}})\d*(?:{_DATA_GAP}\d+)*[Xx]?"
)


def _chains(text: str, data: bool = False) -> list[list[re.Match]]:
    """The digit groups (``_GROUP`` matches) of every chain long enough to hold a hit.

    A chain whose span is shorter than ``SHORTEST`` cannot join to a mobile or ID number; it is
    skipped before its groups are listed. tests/site/test_private_data.py checks this against the
    group-by-group definition on random text."""
    return [
        list(_GROUP.finditer(text, m.start(), m.end()))
        for m in (_DATA_CHAIN if data else _CHAIN).finditer(text)
        if m.end() - m.start() >= SHORTEST
    ]


# An English label typed against the number: letters before the digits that are not part of a code.
_LABEL_BEFORE = re.compile(r"(?:^|[^A-Za-z0-9])(?:tel|phone|mobile|mob|cell|hp)$", re.IGNORECASE)


def _outer_ok(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if after.isascii() and after.isalnum():
        return False
    # The label is at most 6 letters plus one boundary character: look only that far back (a search
    # from 0 made every candidate cost the whole page, quadratic on big pages).
    return not (before.isascii() and before.isalnum()) or bool(
        _LABEL_BEFORE.search(text[max(0, start - 8) : start])
    )


def find(text: str, numerals: bool = True, data: bool = False) -> list[Hit]:
    """Every mobile or ID number in ``text`` (spans refer to its NFKC form without Cf characters).

    ``numerals=False`` skips numbers written in Chinese numerals: the build's final scan of whole
    pages uses it (a second pass over every page for a spelling only a record's text can carry, and
    ``validate`` reads every public record value with them, file:line included). ``data=True``: a
    machine-written file (JSON, JS, CSV, SVG), where ``,`` ``[`` ``]`` ``{`` ``}`` separate values.

    >>> [h.masked for h in find("电话：+86 138-1234-5678；备用 １３９１２３４５６７８")]
    ['138****5678', '139****5678']
    >>> [h.masked for h in find("联系人手机幺三八一二三四五六七八")], find("二〇二六年一月一日")
    (['138****5678'], [])
    >>> find("91321323MA1YB3R18F 2026-03-05 D2026-0001")
    []
    """
    if (
        not (_DATA_CANDIDATE if data else _CANDIDATE).search(text)
        and not (numerals and _CANDIDATE_CN.search(text))
        and not _SEVERAL_DIGITS.search(text)
    ):
        return []
    return normalised_hits(text, numerals, data)


def normalised_hits(text: str, numerals: bool = True, data: bool = False) -> list[Hit]:
    """``find`` without its quick tests (which only rule out texts this finds nothing in)."""
    text = nfkc_without_format(text)
    for blank in "\u115f\u1160\u3164":  # NFKC made U+FFA0 U+3164; str.translate was 3x slower
        if blank in text:
            text = text.replace(blank, " ")
    if "\u30fc" in text:  # NFKC made U+FF70 U+30FC
        text = text.replace("\u30fc", "-")
    if numerals:  # chains of three or more, or between digits: 张三13812345678 stays 张三 + 11 digits
        text = _NUMERAL_CHAIN.sub(lambda m: m[0].translate(CHINESE_DIGITS), text)
        text = _NUMERAL_INSIDE.sub(lambda m: m[0].translate(CHINESE_DIGITS), text)
    hits: list[Hit] = []
    taken = -1
    for chain in _chains(text, data):
        for i in range(len(chain)):
            if chain[i].start() < taken:
                continue
            # At most 19 digits make a number: only the groups that fit are joined (a long run of dates
            # or codes is one chain; trying every pair in it was cubic).
            last, digits = i, 0
            while last < len(chain) and digits + len(chain[last][0]) <= 19:
                digits += len(chain[last][0])
                last += 1
            for j in range(last - 1, i - 1, -1):  # longest first
                start, end = chain[i].start(), chain[j].end()
                joined = _ascii("".join(g[0] for g in chain[i : j + 1]))
                if len(joined) > 19 or not _outer_ok(text, start, end):
                    continue
                if any(g[0][-1] in "Xx" for g in chain[i:j]):
                    continue
                number = _mobile(joined) if joined.isdigit() else None
                if number:
                    hits.append(Hit("mobile", number, start, end))
                elif is_id_card(joined):
                    hits.append(Hit("id_number", joined.upper(), start, end))
                elif len(joined) == 15 and (kind := _id_15(text, start, joined)):
                    hits.append(Hit(kind, joined, start, end))
                else:
                    continue
                taken = end
                break
    return hits


def unbroken(text: str, hits: list[Hit]) -> list[Hit]:
    """The hits with no white space inside once ``text`` is normalised as ``find`` reads it."""
    if not hits:
        return hits
    norm = nfkc_without_format(text)
    return [h for h in hits if not any(c.isspace() for c in norm[h.start : h.end])]
