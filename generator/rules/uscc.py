"""统一社会信用代码 (GB 32100-2015): shape and check character, for every registry code.

The code is 18 characters from the 31-character set ``0-9A-HJ-NPQRTUWXY`` (no I, O, S, V, Z):
position 1 the registry (1 机构编制, 5 民政, 9 市场监管, Y 其他 …), 2 the organisation category,
3–8 the GB/T 2260 region code (digits), 9–17 the organisation code, 18 the check character.
Weights are 3^(i-1) mod 31 and ``C18 = charset[(31 - Σ value_i·w_i mod 31) mod 31]``.

Unlike python-stdnum we accept every registry character (A–G and Y included) in positions 1–2.

>>> check_digit("91320214745555318")
'W'
>>> check_uscc("91350100M000100Y43")
('91350100M000100Y43', None, None)
>>> check_uscc("９１３２０２１４７４５５５５３１８ｗ")[0:2]
('91320214745555318W', None)
"""

from __future__ import annotations

import operator
import unicodedata

from generator.errors import finding

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ALLOWED = frozenset(CHARSET)


def check_digit(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError(f"check_digit needs 17 characters, got {len(first17)}")
    total = sum(map(operator.mul, map(VALUES.__getitem__, first17), WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def normalise(text: str) -> str:
    """Full-width folded, spaces removed, upper case."""
    if text.isascii() and text.isalnum():  # the common case: NFKC and the split change nothing
        return text.upper()
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def check_uscc(text: str) -> tuple[str, str | None, str | None]:
    """Returns ``(normalised, problem, expected_check)``; problem is None when valid.

    ``problem`` is a Chinese phrase for USCC_FORMAT, or ``"check"`` for a wrong check character.
    """
    code = normalise(text)
    if len(code) != 18:
        return code, f"长度为 {len(code)} 位", None
    if not _ALLOWED.issuperset(code):
        bad = next(ch for ch in code if ch not in VALUES)
        return code, f"含有不允许的字符“{bad}”", None
    if not code[2:8].isdigit():
        return code, "第 3–8 位（行政区划码）应为数字", None
    expected = check_digit(code[:17])
    if code[17] != expected:
        return code, "check", expected
    return code, None, None


USCC_KIND = "统一社会信用代码"


def canonical_id(text: str, id_kind: str = USCC_KIND) -> str:
    """The id validation files an object under: a 统一社会信用代码 that is valid once full width,
    spaces and case are folded is that folded code (``check`` below; USCC_NORMALISED only warns),
    so ``９2321323…`` and ``…499e`` name the same object as the code written plainly.

    >>> canonical_id("９１３２０２１４７４５５５５３１８ｗ"), canonical_id("p001", "产品编号")
    ('91320214745555318W', 'p001')
    """
    if id_kind != USCC_KIND:
        return text
    code, problem, _ = check_uscc(text)
    return code if problem is None else text


def findings_for(text: str, file: str, line: int, col: int, path) -> tuple[str, list]:
    """Findings for one code as written in a record (USCC_FORMAT, USCC_CHECK_DIGIT, USCC_NORMALISED)."""
    code, problem, expected = check_uscc(text)
    out = []
    if problem == "check":
        out.append(
            finding("USCC_CHECK_DIGIT", file, line, col, path, code, expected=expected, found=code[17])
        )
    elif problem:
        out.append(finding("USCC_FORMAT", file, line, col, path, text, detail=problem))
    elif code != text:
        out.append(finding("USCC_NORMALISED", file, line, col, path, text, expected=code))
    return code, out


def check(corpus):
    """Every object row whose id kind is 统一社会信用代码, and every referenced object id in results."""
    for r in corpus.of("objects"):
        raw = r.source.value[r.prefix[0]] if isinstance(r.source.value, list) else None
        original = _raw_id(raw) if raw else r.data.get("id")
        if r.data.get("id_kind", USCC_KIND) != USCC_KIND or not original:
            continue
        line, col = r.loc("id")
        code, found = findings_for(original, r.file, line, col, "id")
        yield from found
        if not found or found[0].code == "USCC_NORMALISED":
            r.data["id"] = code  # later rules and the site see the normalised code
    yield from check_conflicts(corpus)


def check_conflicts(corpus):
    """USCC_NORMALISED for a declared conflict (internal) written with full width, spaces or lower
    case: the rules compare it as the plain code (results.py), the engine letter by letter, so the
    roster must carry the plain code for the next draw to honour it."""
    for kind in ("inspectors", "assistants"):
        for r in corpus.of(kind):
            conflicts = r.data.get("conflicts")
            for text in conflicts if isinstance(conflicts, list) else []:
                if isinstance(text, str) and canonical_id(text) != text:
                    line, col = r.loc("conflicts")
                    yield finding(
                        "USCC_NORMALISED", r.file, line, col, "conflicts", text, expected=canonical_id(text)
                    )


def _raw_id(row: dict) -> str | None:
    for key in ("对象编号", "id"):
        if key in row and row[key].strip():
            return row[key]
    return None
