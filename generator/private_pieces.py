"""The privacy scan of a page or a Pagefind text, piece by piece: ``find`` on the pieces that may
hold a number instead of the whole text (issue 18: the scan of 51,055 record pages was half of their
cost). ``find_in_pieces`` finds exactly what ``find(text, numerals=False)`` finds; why a cut changes
nothing is told at ``_CUT``, and tests/site/test_markup_scan.py checks it on random markup and on
every page of the built sites."""

from __future__ import annotations

import re

from generator.private_data import _CANDIDATE, _SEVERAL_DIGITS, Hit, find, unbroken

# Where a text can be cut without changing what ``find`` sees (``numerals=False``): before an ASCII
# letter other than X, or a CJK ideograph, that follows an ASCII character which is no letter, digit
# or ``_`` (`` 电话`` ``<td`` ``"value``). No number runs through such a place: a chain holds digits,
# separators and a final X, never the letter. A label (身份证, 注册号, tel) is made of letters, so it
# cannot hold the ASCII character before the cut: it lies wholly on one side, and ``tel`` right after
# the cut reads the same with its ``^`` as with that character before it. A chain never ends right
# before a cut (it ends on a digit or X, the cut follows an ASCII separator), so the character after
# it is read where it is. NFKC leaves both characters as they are and joins neither to the other
# (an ASCII character and a letter or ideograph are starters that no composition takes second), so
# normalising the pieces one by one gives the pieces of the normalised whole; format characters and
# blank letters are replaced one for one.
_CUT_CLASSES = r"(?<=[\x00-/:-@\[-^`{-\x7f])[A-WYZa-wyz\u4e00-\u9fff]"
_CUT = re.compile(_CUT_CLASSES)
_LAST_CUT = re.compile(r"(?s:.*)" + _CUT_CLASSES)  # ends just after the last cut (backtracks from the end)


def find_in_pieces(text: str, spaced: bool = True) -> list[Hit]:
    """The numbers ``find(text, numerals=False)`` finds, normalising only the pieces of ``text`` (see
    ``_CUT``) in which the quick test sees eleven digits: a page of 10,000 characters usually has one
    or two (a digest in an attribute, a date with its time), tens of characters long. ``spaced=False``
    drops the numbers that hold white space once normalised (a Pagefind text, whose table cells are
    only spaces apart). Spans refer to the piece, not the text. tests/site/test_markup_scan.py holds
    it equal to ``find`` on random text and markup and on every page of the built sites.

    Not used on machine-written data (``find(data=True)``): draw bundles are dense with long numbers,
    and finding every candidate in them cost more than normalising them whole.

    >>> [h.masked for h in find_in_pieces('<td data-x="0cc61a0172a65021420397ca">电话 138 1234 5678</td>')]
    ['138****5678']
    >>> [h.masked for h in find_in_pieces("<p>138<!---->1234</>5678</p><i>x</i>13912345678")]
    ['138****5678', '139****5678']
    >>> [h.masked for h in find_in_pieces("电话 138 1234 5678 与 13912345678", spaced=False)]
    ['139****5678']
    """
    if _SEVERAL_DIGITS.search(text):  # ㉑ or ½ counts as one character, not two digits: read whole
        hits = find(text, numerals=False)
        return hits if spaced else unbroken(text, hits)
    hits = []
    done = 0  # the end of the last piece read
    for m in _CANDIDATE.finditer(text):
        if m.start() < done:
            continue
        last = _LAST_CUT.match(text, done, m.start())
        start = last.end() - 1 if last else done
        cut = _CUT.search(text, m.end())
        done = cut.start() if cut else len(text)
        piece = text[start:done]
        found = find(piece, numerals=False)
        hits += found if spaced else unbroken(piece, found)
    return hits
