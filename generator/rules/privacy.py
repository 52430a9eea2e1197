"""Private data typed into public fields: mobile numbers and resident ID numbers, in any spelling.

Every field not marked internal is published (pages, open data, the feed). A unit's clerk who puts
``联系人 张三 138-1234-5678`` in an address or a note would publish it; the build's final scan would
stop the site, but only ``validate`` can name the record's file:line in the pull request. Walks the
schema's declarations, so a new field is covered without touching this file. Not scanned: internal
fields, choices, machine-written data, and an object id that is a 统一社会信用代码 with letters
(checked by its own rule; one of digits alone may be an ID number, and is scanned). Fields with a pattern are scanned too (``patterned_texts``): a shape does not rule a
phone out (``office_phone: 13812345678`` fits ``[0-9-]{7,20}``, a 事项编码 or platform number
``138-1234-5678`` fits theirs), and the build's final scan stops the whole site on such a value, so
a record that passed ``validate`` would block every unit's publication after its merge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from fractions import Fraction
from urllib.parse import unquote

from generator.errors import Finding, finding
from generator.private_data import FORMAT_CHARS, TEXT_CONTROL_CLASS, find
from generator.records import BY_NAME
from generator.rules.base_url import web_url
from generator.schema.fields import Field, Integer, ListOf, MapOf, Obj, Ratio, Text, format_ratio

CODES = {"mobile": "PRIVACY_MOBILE", "id_number": "PRIVACY_ID_NUMBER", "id_or_reg_no": "PRIVACY_ID_OR_REG_NO"}


def public_texts(fields, data, path=()) -> Iterator[tuple[tuple, Field, Text, str]]:
    """(path, field, its text type, text) of every public free-text value in ``data``."""
    return _texts(fields, data, path, _is_free_text)


def patterned_texts(fields, data, path=()) -> Iterator[tuple[tuple, Field, str]]:
    """(path, field, text) of every public text value held by a field with a pattern (codes,
    phones, numbers), and every integer and ratio as the pages print it: what ``public_texts``
    leaves out, and the final scan of the site still reads."""
    for where, f, _, text in _texts(fields, data, path, _is_patterned):
        yield where, f, text


def _texts(fields, data, path, leaf) -> Iterator[tuple[tuple, Field, Text, str]]:
    """The public values in ``data`` whose declared type passes ``leaf``, walking objects, lists
    and maps of them."""
    if not isinstance(data, dict):
        return
    for f, flat in _plan(fields, leaf):
        value = data.get(f.name)
        if value is None:
            continue
        if flat:  # the common case, a plain text field: no walk
            if isinstance(value, str):
                yield path + (f.name,), f, f.type, value
            elif (shown := _published(f.type, value)) is not None:
                yield path + (f.name,), f, f.type, shown
            continue
        yield from _values(f, f.type, value, path + (f.name,), leaf)


_PLANS: dict[tuple, tuple] = {}


def _plan(fields, leaf) -> tuple[tuple[Field, bool], ...]:
    """The public fields that can hold a ``leaf`` value, each with whether it is one itself.

    Computed once per field list and leaf (a 100,000-row directory walks the same declaration
    each row)."""
    entry = _PLANS.get((id(fields), leaf))
    if entry is None or entry[0] is not fields:
        plan = tuple((f, leaf(f.type)) for f in fields if not f.internal and _may_hold(f.type, leaf))
        entry = _PLANS[(id(fields), leaf)] = (fields, plan)
    return entry[1]


def _is_free_text(ftype) -> bool:
    return type(ftype) is Text and ftype.pattern is None


def _is_patterned(ftype) -> bool:
    # integers and ratios are published as their digits (plan and task counts and ratios in pages
    # and open data): one that read as a mobile number made the build's final scan refuse every
    # unit's site after validate had passed it (a phone number pasted into 计划抽查数量)
    return (isinstance(ftype, Text) and ftype.pattern is not None) or isinstance(ftype, Integer | Ratio)


def _published(ftype, value) -> str | None:
    """An integer's or a ratio's text as the pages print it (None for any other value)."""
    if isinstance(ftype, Integer) and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(ftype, Ratio) and isinstance(value, Fraction):
        return format_ratio(value)
    return None


def _may_hold(ftype, leaf) -> bool:
    if hasattr(ftype, "field_for"):  # an amendment's changes: each value typed like the field it replaces
        return True
    if isinstance(ftype, Obj):
        return any(not f.internal and _may_hold(f.type, leaf) for f in ftype.fields)
    if isinstance(ftype, ListOf):
        return _may_hold(ftype.item, leaf)
    if isinstance(ftype, MapOf):
        return _may_hold(ftype.value, leaf)
    return leaf(ftype)


def _values(f, ftype, value, path, leaf):
    if isinstance(ftype, Obj):
        yield from _texts(ftype.fields, value, path, leaf)
    elif isinstance(ftype, ListOf) and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _values(f, ftype.item, item, path + (i,), leaf)
    elif isinstance(ftype, MapOf) and isinstance(value, dict):
        for key, item in value.items():
            yield from _values(f, ftype.value, item, path + (key,), leaf)
    elif hasattr(ftype, "field_for") and isinstance(value, dict):
        # An amendment's new values replace the entry's on every page and in the open data (red team,
        # fifth round: a mobile in ``changes: {disposition: …}`` passed validate, then stopped every
        # unit's site at the build's scan; in Chinese numerals it was published). Each is read as the
        # field it replaces, by name or label, so its label shows in the message.
        for key, item in value.items():
            target = ftype.field_for(key)
            if target is not None and not target.internal and _may_hold(target.type, leaf):
                yield from _values(target, target.type, item, path + (key,), leaf)
    elif leaf(ftype) and isinstance(value, str):
        yield path, f, ftype, value
    elif leaf(ftype) and (shown := _published(ftype, value)) is not None:
        yield path, f, ftype, shown


# Each record's findings come from that record alone (serve's preview keeps them per file:
# site/rule_cache.py).
PER_RECORD = True


def folded(text: str) -> str:
    """``text`` as a reader sees it: compatibility forms, invisible characters and case dropped."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).upper()


_INVISIBLE = re.compile(f"[{FORMAT_CHARS}{TEXT_CONTROL_CLASS}\\s]")


def _own_conflicts(kind, r, texts) -> Iterator[Finding]:
    """A person's declared conflicts (internal) quoted in the same person's public fields: the open
    data would pair the person with the object (``业务专长: 熟悉91321323J3Y7LLJY18``, ``所属科室: 回避…``).
    The build's scan lets an object id through (ids are public on their own), so only this can see it."""
    conflicts = r.data.get("conflicts")
    if not isinstance(conflicts, list) or not any(f.name == "conflicts" and f.internal for f in kind.fields):
        return
    wanted = {folded(c): c for c in conflicts if isinstance(c, str) and len(folded(c)) >= 4}
    for path, f, _, text in texts:
        seen = folded(text)
        for key, shown in wanted.items():
            if key in seen:
                line, col = r.loc(*path)
                person = r.data.get("id")
                yield finding(
                    "PRIVACY_CONFLICT_DISCLOSED", r.file, line, col, path, shown, label=f.label, person=person
                )


# The end of one value and the start of the next may be the halves of a number: digits (any script,
# full-width, Chinese numerals) then a few separators, and the mirror at the start (find decides).
_NUMERAL = "\\d〇零幺一二三四五六七八九"
_ENDS_IN_DIGITS = re.compile(f"[{_NUMERAL}][\\W_]{{0,8}}\\Z")
_STARTS_WITH_DIGITS = re.compile(f"[\\W_]{{0,8}}[{_NUMERAL}]")
WHAT = {"mobile": "手机号码", "id_number": "居民身份证号码"}


def _joinable(a: str, b: str) -> bool:
    return bool(
        (_ENDS_IN_DIGITS.search(a) and _STARTS_WITH_DIGITS.match(b))
        or (_ENDS_IN_DIGITS.search(b) and _STARTS_WITH_DIGITS.match(a))
    )


def _across(r, texts) -> Iterator[Finding]:
    """A number cut in two across neighbouring public values of one entry (``findings`` ends in
    ``手机 138 0013``, ``disposition`` starts with ``8000``): each passes alone, but the page shows
    them in adjacent cells and the search excerpt joins them into one line, where the build's final
    scan finds the number and stops the whole site. Named here, at the first value's line."""
    for before, (_, f, _, text) in _pairs(texts):
        if _joinable(before[2], text):
            alone = {h.number for h in find(before[2])} | {h.number for h in find(text)}
            # either order: a page may show them the other way round (an object's name, then its id)
            joined = find(before[2] + " " + text) + find(text + " " + before[2])
            for hit in {h.number: h for h in joined}.values():
                if hit.kind in WHAT and hit.number not in alone:
                    line, col = r.loc(*before[0])
                    yield finding(
                        "PRIVACY_NUMBER_ACROSS_FIELDS",
                        r.file,
                        line,
                        col,
                        before[0],
                        hit.masked,
                        label=before[1].label,
                        next=f.label,
                        what=WHAT[hit.kind],
                    )


def _lists(r, texts) -> Iterator[Finding]:
    """A number cut into three or more items of one list (tags ``138``, ``0013``, ``8000``): every
    page shows a list in one line (``138、0013、8000``), the open data in one cell (``138;0013;8000``),
    and the build's final scan stopped every unit's site; two items at a time (``_across``) never held
    it (red team, seventh round). Named at the list's first item."""
    items: dict[tuple, list] = {}
    for path, f, _, text in texts:
        if len(path) > 1 and isinstance(path[-1], int):
            items.setdefault(path[:-1], []).append((path, f, text))
    for values in items.values():
        if len(values) < 3:
            continue
        known = set()  # hits of one item or of two neighbours: reported as such
        for i, (_, _, text) in enumerate(values):
            known |= {h.number for h in find(text)}
            if i:
                known |= {h.number for h in find(values[i - 1][2] + " " + text)}
        for hit in find("、".join(text for _, _, text in values)):
            if hit.kind in WHAT and hit.number not in known:
                path, f, _ = values[0]
                line, col = r.loc(*path)
                yield finding(
                    "PRIVACY_NUMBER_ACROSS_FIELDS",
                    r.file,
                    line,
                    col,
                    path,
                    hit.masked,
                    label=f.label,
                    next=f.label,
                    what=WHAT[hit.kind],
                )
                known.add(hit.number)


def _pairs(texts):
    """((path, field, text), next value) for neighbouring values of one parent, and for any two
    values of one result entry: its page row shows the findings, each amendment's reason under them
    and the amended values in the next cell (red team, fifth round: a reason ending ``联系人 138 0013``
    and an amended disposition starting ``8000`` passed validate and stopped every unit's site)."""
    done = set()
    for (p, f, _, t), b in zip(texts, texts[1:], strict=False):
        if p[:-1] == b[0][:-1]:
            done.add((p, b[0]))
            yield (p, f, t), b
    entries: dict[tuple, list] = {}
    for value in texts:
        if len(value[0]) > 2 and value[0][0] == "entries" and isinstance(value[0][1], int):
            entries.setdefault(value[0][:2], []).append(value)
    for values in entries.values():
        for i, (p, f, _, t) in enumerate(values):
            for b in values[i + 1 :]:
                if (p, b[0]) not in done:
                    yield (p, f, t), b


ENTROPY_VALUES = ("ceremony", "reveals")  # name -> value mappings people write (schema: Raw)


def _entropy_values(kind, r) -> Iterator[Finding]:
    """Ceremony digits and reveal values are published (the draw page, its bundle, the seed, the
    registry log) and the build's final scan refuses the site on one that reads as a mobile or ID
    number (eleven digits drawn as ``13800138000``, a reveal ``jijian-13912345678-…``). The file is
    in the append-only registry, which ci site cannot leave out: reported here, in the pull request
    that adds it, or every unit's site stopped for good."""
    for key in ENTROPY_VALUES:
        values = r.data.get(key)
        label = kind.field_named(key).label
        for name, value in values.items() if isinstance(values, dict) else ():
            # the name too: a party's name is on the draw page, in the bundle, the log and the seed
            for shown in (name, value):
                if isinstance(shown, str | int) and not isinstance(shown, bool):
                    for hit in find(str(shown)):
                        line, col = r.loc(key, name)
                        yield finding(
                            CODES[hit.kind], r.file, line, col, (key, name), hit.masked, label=label
                        )


SOURCE_NAMES = ("name", "chain", "party")  # the keys draw/model.parse_source reads a source's name from


def _source_names(kind, r) -> Iterator[Finding]:
    """A request's source names (``request --commit 13800138000=…`` names a third party) are
    published like the entropy's: on the draw page, in the bundle, the registry log and the seed. The
    request is append-only as the entropy is, so a name the build's scan refuses stops every unit's
    site for good: reported here, in the pull request that adds it (red team, fifth round)."""
    sources = r.data.get("sources")
    label = kind.field_named("sources").label
    for i, source in enumerate(sources if isinstance(sources, list) else ()):
        for key in SOURCE_NAMES:
            name = source.get(key) if isinstance(source, dict) else None
            if isinstance(name, str):
                for hit in find(name):
                    line, col = r.loc("sources", i, key)
                    yield finding(
                        CODES[hit.kind], r.file, line, col, ("sources", i, key), hit.masked, label=label
                    )


def _all_digits(text: str) -> bool:
    """An 18-character code of digits (the last may be X) in any width: it may be a resident ID
    number that also passes the 统一社会信用代码 check (about one in 31 do). The build's final scan
    refuses the site on it, so validate must report it at the record, or the file is not left out
    and every unit's site stops (a clerk typing the owner's ID number into a 个体工商户's code)."""
    folded = unicodedata.normalize("NFKC", text).strip().upper()
    return len(folded) == 18 and folded[:17].isdigit() and (folded[17].isdigit() or folded[17] == "X")


# Texts about one object (a result entry, the object's own row, a referral receipt) that state its
# credit-risk class (internal): ``信用风险分类为D类``, ``C级企业``, ``信用风险较高的企业``. The class is
# what sealed strata hide; written into a finding it is published on the object's page and in the open
# data (red team, fifth round: ``该户信用风险分类为D类`` passed validate and was published). Tasks and
# plans may name the classes in general (``对D类企业提高比例``): they name no object.
ABOUT_ONE_OBJECT = ("results", "objects", "referrals")
_LEVEL = "(?:较高|一般|低|高)"
# Short forms too (red team, seventh round): ``该户为Ⓓ类``, ``信用风险等级：D``, ``风险分类结果为 C`` (no
# 企业 after the class, no 类 after the letter) were published. Not: ``A级纳税人`` (the tax rating,
# public), ``A类问题`` (a kind of finding).
_VERB = "(?:为|是|属于|属|定为|评为|列为|划为|归为|划入|列入|:)"
_NOT_A_KIND = "(?![A-Z0-9]|问题|事项|项目|检查|情形|违法|违规)"
_CLASS_TEXT = re.compile(
    rf"信用风险(?:分类|等级|类别|级别)?(?:结果)?{_VERB}?(?:[A-D][类级]|{_LEVEL})"
    rf"|风险(?:分类|等级|类别|级别)(?:结果)?{_VERB}?[A-D](?:类|级)?{_NOT_A_KIND}"
    r"|[A-D][类级](?:信用)?(?:风险)?(?:企业|主体|市场主体|对象|商户)"
    rf"|{_VERB}[A-D]类{_NOT_A_KIND}"
)


def class_named(text: str) -> str | None:
    """The words of ``text`` that state a credit-risk class, or None.

    >>> class_named("该户信用风险分类为 Ｄ 类"), class_named("c级企业"), class_named("按信用风险分类分层抽取")
    ('信用风险分类为D类', 'C级企业', None)
    """
    if "类" not in text and "级" not in text and "风险" not in text:
        return None
    m = _CLASS_TEXT.search(folded(text))
    return m[0] if m else None


def _hits(text: str) -> list:
    """``find`` on a value as it is shown: a web address also as a browser shows it, its percent
    escapes decoded (the status bar and address bar show ``%31%33%38…`` as ``138…``, where the scans
    read the groups ``31 33 38``; red team, seventh round)."""
    hits = find(text)
    if "%" in text and web_url(text.strip()):
        seen = {h.number for h in hits}
        hits += [h for h in find(unquote(text)) if h.number not in seen]
    return hits


def check(corpus) -> Iterator[Finding]:
    for kind_name, records in corpus.records.items():
        kind = BY_NAME.get(kind_name)
        if kind is None:
            continue
        for r in records:
            if r.data.get("conflicts"):
                texts = [*public_texts(kind.fields, r.data)]
                texts += [(p, f, None, t) for p, f, t in patterned_texts(kind.fields, r.data)]
                yield from _own_conflicts(kind, r, texts)
            texts = []
            for path, f, ftype, text in public_texts(kind.fields, r.data):
                if (
                    kind_name == "objects"
                    and path == ("id",)
                    and r.data.get("id_kind") == "统一社会信用代码"
                    and not _all_digits(text)
                ):
                    continue  # a code with letters is no ID number: checked by its own rule (uscc.py)
                texts.append((path, f, ftype, text))
                # an object's tags: OBJECT_TAG_NAMES_CREDIT_CLASS (rules/risk.py), which knows tags
                if kind_name in ABOUT_ONE_OBJECT and path[:1] != ("tags",) and (named := class_named(text)):
                    line, col = r.loc(*path)
                    yield finding("PRIVACY_CREDIT_CLASS", r.file, line, col, path, named, label=f.label)
                for hit in _hits(text):
                    line, col = r.loc(*path)
                    yield finding(CODES[hit.kind], r.file, line, col, path, hit.masked, label=f.label)
            if kind_name == "draw_entropy":
                yield from _entropy_values(kind, r)
            if kind_name == "draw_request":
                yield from _source_names(kind, r)
            if kind_name.startswith("draw_"):
                continue  # digests, seeds and ids written by CI and the engine, not by a clerk
            yield from _across(r, texts)
            yield from _lists(r, texts)
            for path, f, text in patterned_texts(kind.fields, r.data):
                for hit in _hits(text):
                    line, col = r.loc(*path)
                    yield finding(CODES[hit.kind], r.file, line, col, path, hit.masked, label=f.label)
