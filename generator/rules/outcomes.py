"""Result consistency, follow-up closure and referral acknowledgement.

* The county's category table (county.yaml ``result_categories``) says which categories exclude
  each other (``excludes``) and which allow no action at all (``no_action``: 未发现问题 with a
  referral, a penalty, a 失信 listing or a 司法 referral is a contradiction). Checked on the entry as
  entered and after each appended amendment.
* Referrals are dated on or after the inspection.
* A ``follow_up`` category (发现问题待后续处理) stays open until an amendment replaces it (已办结), on
  its own date. ``closes`` categories are the only ones 结果互认 may recognise (registry/facts.py).
* A referral is acknowledged by the receiving unit's own record (records/referrals.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.rules.settings import settings

ACTION_FIELDS = ("referrals", "penalty", "dishonest_listed", "judicial_referral")
ACTION_LABELS = {
    "referrals": "移交",
    "penalty": "行政处罚",
    "dishonest_listed": "纳入失信名单",
    "judicial_referral": "移送司法机关",
}


def category_table(corpus) -> dict[str, dict]:
    return {str(c.get("code")): c for c in settings(corpus).get("result_categories", [])}


def states(entry: dict) -> Iterator[tuple[tuple, dict, dt.date | None]]:
    """(where, effective entry, since) for the entry as entered and after each amendment."""
    current = dict(entry)
    yield (), dict(current), entry.get("entered_on")
    for k, amendment in enumerate(entry.get("amendments", [])):
        current.update(amendment.get("changes") or {})
        yield ("amendments", k, "changes"), dict(current), amendment.get("date")


def effective(entry: dict) -> dict:
    """A result entry with its amendments applied in order: what counts (the original stays on the
    record and on its page; corrections are appended, never edited in). The one definition: the
    published figures read it as ``generator.reports.figures.effective_entry``."""
    out = dict(entry)
    for amendment in entry.get("amendments", []) or []:
        out.update(amendment.get("changes") or {})
    return out


def effective_value(entry: dict, key: str, default=None):
    """``effective(entry).get(key, default)`` without copying the entry (read for every entry of
    the county by the 合规 page and the receipts check)."""
    value = entry.get(key, default)
    for amendment in entry.get("amendments", []) or []:
        changes = amendment.get("changes") or {}
        if not isinstance(changes, dict):
            return effective(entry).get(key, default)
        if key in changes:
            value = changes[key]
    return value


def closes_matter(entry: dict, table: dict[str, dict]) -> bool:
    """True when the (amended) entry closes the matter: every category ``closes``, none open."""
    cats = [str(c) for c in effective(entry).get("categories", [])]
    return bool(cats) and all(table.get(c, {}).get("closes") for c in cats)


def open_follow_up(entry: dict, table: dict[str, dict]) -> bool:
    return any(table.get(str(c), {}).get("follow_up") for c in effective_value(entry, "categories", []))


def check(corpus) -> Iterator[Finding]:
    yield from check_entries(corpus)
    yield from check_receipts(corpus)


def check_entries(corpus, records: dict | None = None, table: dict | None = None) -> Iterator[Finding]:
    """Each result entry against the category table (default: every results record, the corpus'
    table): a function of the record and the table alone."""
    table = category_table(corpus) if table is None else table
    known = frozenset(d for d in settings(corpus).get("dispositions") or () if isinstance(d, str))
    for r in corpus.of("results") if records is None else records.get("results", []):
        for i, entry in enumerate(r.data.get("entries", [])):
            here = ("entries", i)
            every = list(states(entry))
            for k, (where, state, _) in enumerate(every):
                yield from _consistency(r, here, where, state, table)
                # a published entry is corrected by an amendment, never edited: only the state that
                # stands (the last) is held to the dispositions (a county may add them later)
                if k == len(every) - 1 or not entry.get("published_on"):
                    yield from _dispositions(r, here + (where or ("categories",)), state, table, known)
            yield from _referral_dates(r, here, entry)


def check_receipts(corpus) -> Iterator[Finding]:
    """Each referral receipt against the referrals of every result."""
    yield from _acknowledgements(corpus)


# ``check`` in two parts, in its order: serve's preview re-checks only the edited results files'
# entries while the category table is equal (site/rule_cache.py)
check_entries.PER_RECORD = True  # type: ignore[attr-defined]
check_entries.CONTEXT = category_table  # type: ignore[attr-defined]
PARTS = (("outcomes", check_entries), ("outcomes.receipts", check_receipts))


def _consistency(r, here, where, state, table) -> Iterator[Finding]:
    cats = [str(c) for c in state.get("categories", []) if not isinstance(c, (dict, list))]
    at = here + (where or ("categories",))
    for a in cats:
        for b in cats:
            if a < b and (
                b in table.get(a, {}).get("excludes", []) or a in table.get(b, {}).get("excludes", [])
            ):
                line, col = r.loc(*at)
                yield finding(
                    "RESULT_CATEGORY_CONFLICT",
                    r.file,
                    line,
                    col,
                    at,
                    f"{a}、{b}",
                    first=table[a].get("label", a),
                    second=table[b].get("label", b),
                )
    for code in cats:
        if not table.get(code, {}).get("no_action"):
            continue
        actions = [ACTION_LABELS[f] for f in ACTION_FIELDS if state.get(f)]
        if actions:
            line, col = r.loc(*at)
            yield finding(
                "RESULT_ACTION_CONFLICT",
                r.file,
                line,
                col,
                at,
                code,
                label=table[code].get("label", code),
                actions="、".join(actions),
            )


def _dispositions(r, at, state, table, known=frozenset()) -> Iterator[Finding]:
    """A category may name the dispositions that go with it (county.yaml ``dispositions``): 未发现问题
    with 发现案件线索，移送办案机构 contradicted itself on the pages and in the 公示 (red team 7). A
    category naming one the dictionary (``known``) does not list is county.yaml's mistake, reported
    there (COUNTY_CATEGORY_DISPOSITION_UNKNOWN), never at every unit's results."""
    cats = [str(c) for c in state.get("categories", []) if not isinstance(c, (dict, list))]
    disposition = state.get("disposition")
    for code in cats:
        allowed = table.get(code, {}).get("dispositions") or []
        if known and not known.issuperset(a for a in allowed if isinstance(a, str)):
            continue
        if allowed and isinstance(disposition, str) and disposition not in allowed:
            line, col = r.loc(*at)
            yield finding(
                "RESULT_DISPOSITION_CONFLICT",
                r.file,
                line,
                col,
                at,
                disposition,
                category=code,
                label=table[code].get("label", code),
                expected="、".join(str(a) for a in allowed),
            )


def _referral_dates(r, here, entry) -> Iterator[Finding]:
    day = entry.get("inspected_on")
    published, entered = entry.get("published_on"), entry.get("entered_on")
    if published and entered and published < entered:
        line, col = r.loc(*here, "published_on")
        yield finding(
            "RESULT_PUBLISHED_BEFORE_ENTRY",
            r.file,
            line,
            col,
            here + ("published_on",),
            published.isoformat(),
            expected=entered.isoformat(),
        )
    for k, referral in enumerate(entry.get("referrals", [])):
        when = referral.get("date")
        if day and when and when < day:
            path = here + ("referrals", k, "date")
            line, col = r.loc(*path)
            yield finding(
                "RESULT_REFERRAL_BEFORE_INSPECTION",
                r.file,
                line,
                col,
                path,
                when.isoformat(),
                expected=day.isoformat(),
            )


def referrals(corpus) -> dict[tuple[str, str, str, str], dt.date | None]:
    """(task, from unit, to unit, object) -> referral date, over every result entry (amended)."""
    out: dict[tuple[str, str, str, str], dt.date | None] = {}
    for r in corpus.of("results"):
        for entry in r.data.get("entries", []):
            for referral in effective_value(entry, "referrals", []) or []:
                if isinstance(referral, dict) and referral.get("unit"):
                    key = (r.data.get("task"), r.data.get("unit"), referral["unit"], entry.get("object"))
                    out.setdefault(key, referral.get("date"))
    return out


def receipts(corpus) -> dict[tuple[str, str, str, str], dt.date | None]:
    out = {}
    for rec in corpus.of("referrals"):
        for receipt in rec.data.get("receipts", []):
            key = (
                rec.data.get("task"),
                receipt.get("from_unit"),
                rec.data.get("unit"),
                receipt.get("object"),
            )
            out.setdefault(key, receipt.get("received_on"))
    return out


def _acknowledgements(corpus) -> Iterator[Finding]:
    sent = None  # every result's referrals, made at the first receipt (most trees have none)
    for rec in corpus.of("referrals"):
        for i, receipt in enumerate(rec.data.get("receipts", [])):
            if sent is None:
                sent = referrals(corpus)
            key = (
                rec.data.get("task"),
                receipt.get("from_unit"),
                rec.data.get("unit"),
                receipt.get("object"),
            )
            path = ("receipts", i)
            if key not in sent:
                line, col = rec.loc(*path)
                yield finding(
                    "REFERRAL_RECEIPT_UNKNOWN",
                    rec.file,
                    line,
                    col,
                    path,
                    receipt.get("object"),
                    task=key[0],
                    unit=key[1],
                )
            elif sent[key] and receipt.get("received_on") and receipt["received_on"] < sent[key]:
                line, col = rec.loc(*path, "received_on")
                yield finding(
                    "REFERRAL_RECEIPT_BEFORE_REFERRAL",
                    rec.file,
                    line,
                    col,
                    path + ("received_on",),
                    receipt["received_on"].isoformat(),
                    expected=sent[key].isoformat(),
                )
