"""Teams obey the law and the county's rules, both as drawn and as they actually inspected.

* As drawn (``result.yaml``): at least ``min_team_size`` people, one from each participating unit,
  led by the initiating unit; every member 有效, certified through the whole window, qualified for
  the items their own unit brings to the task, and without a declared conflict with the object —
  each judged by the facts the draw's frozen pool holds (rules/drawn.frozen_people), so a roster,
  an item or a conflict declared after the draw never turns CI's result.yaml into an error.
* As inspected (``results``): the inspectors all units entered for one object add up to a team of
  at least ``min_team_size``, each certified on the inspection date (《行政处罚法》第四十二条).

The draw engine enforces the same rules when it staffs teams; checking here too means a hand-edited
result or a roster changed after the fact is caught by ``validate``, not only by ``verify``.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Finding, finding
from generator.rules.drawn import frozen_people
from generator.rules.items import version_on
from generator.rules.settings import settings


def check(corpus) -> Iterator[Finding]:
    yield from check_drawn(corpus)
    yield from check_inspecting(corpus)


def check_drawn(corpus) -> Iterator[Finding]:
    yield from _drawn_teams(corpus, settings(corpus)["object_rules"]["min_team_size"])


def check_inspecting(corpus) -> Iterator[Finding]:
    yield from check_certificates(corpus)
    yield from check_team_sizes(corpus)


def inspector_data(corpus) -> dict[str, dict]:
    """Each inspector's data by id: what an inspecting team's certificates are checked against."""
    return {pid: person.data for pid, person in corpus.inspectors.items()}


def check_certificates(corpus, records: dict | None = None, people: dict | None = None) -> Iterator[Finding]:
    """TEAM_CERT_INVALID: each result entry's inspectors certified on the inspection date (default:
    every results record, the corpus' inspectors): a function of the record and ``people``. A
    published entry (CI dated it: it had no error then) is RESULT_ROSTER_CHANGED_LATER, a warning:
    the roster row carries one certificate, and a renewed one must not unpublish what the old
    one covered (the entry can never change)."""
    people = inspector_data(corpus) if people is None else people
    for r in corpus.of("results") if records is None else records.get("results", []):
        for i, entry in enumerate(r.data.get("entries", [])):
            obj, day = entry.get("object"), entry.get("inspected_on")
            if obj is None or day is None:
                continue
            for j, person_id in enumerate(entry.get("inspectors", [])):
                person = people.get(person_id)
                if person is None:
                    continue
                span = _cert_problem(person, day, day)
                if span:
                    line, col = r.loc("entries", i, "inspectors", j)
                    published = entry.get("published_on")
                    if published:  # CI dated it: certified by the roster then; renewed since
                        yield finding(
                            "RESULT_ROSTER_CHANGED_LATER",
                            r.file,
                            line,
                            col,
                            ("entries", i, "inspectors", j),
                            obj,
                            unit=r.data.get("unit"),
                            found=f"执法检查人员“{person_id}”的执法证有效期按现在的人员名录为 {span}，不含检查日期 {day}",
                            published=str(published),
                        )
                        continue
                    yield finding(
                        "TEAM_CERT_INVALID",
                        r.file,
                        line,
                        col,
                        ("entries", i, "inspectors", j),
                        person_id,
                        expected=span,
                        date=day.isoformat(),
                    )


def check_team_sizes(corpus) -> Iterator[Finding]:
    """TEAM_TOO_SMALL: the inspectors every unit entered for one object in one task, together."""
    yield from _inspecting_teams(corpus, settings(corpus)["object_rules"]["min_team_size"])


# ``check`` in parts, in its order: the drawn teams read no results, so serve's preview reuses
# their findings when only results change; the certificates are a function of each results record
# and the inspectors, kept per file (validation.checks, site/rule_cache.py)
check_certificates.PER_RECORD = True  # type: ignore[attr-defined]
check_certificates.CONTEXT = inspector_data  # type: ignore[attr-defined]
PARTS = (
    ("teams", check_drawn),
    ("teams.certificates", check_certificates),
    ("teams.inspecting", check_team_sizes),
)


def _cert_problem(person: dict, start, end) -> str | None:
    valid_from, valid_to = person.get("badge_valid_from"), person.get("badge_valid_to")
    if valid_from is None or valid_to is None:
        return None  # the schema already reports missing dates
    if valid_from > start or valid_to < end:
        return f"{valid_from} 至 {valid_to}"
    return None


def missing_qualification(corpus, person: dict, items: list[str], day) -> tuple[str, str] | None:
    """(item, qualification) the person lacks among the items their own unit brings, or None."""
    for code in items:
        item = version_on(corpus, code, day)
        if item is None or item.owner.get("unit") != person.get("unit"):
            continue
        for tag in item.data.get("qualifications", []):
            if tag not in person.get("qualifications", []):
                return code, tag
    return None


def _drawn_items(corpus) -> dict[str, list]:
    """draw id -> the task's items as its request froze them (a task edited since is
    TASK_CHANGED_AFTER_DRAW; its drawn teams are judged on what was drawn)."""
    out = {}
    for req in corpus.of("draw_request"):
        params = req.data.get("parameters")
        task = params.get("task") if isinstance(params, dict) else None
        items = task.get("items") if isinstance(task, dict) else None
        if isinstance(items, list):
            out[req.data.get("id")] = items
    return out


def _drawn_teams(corpus, min_team) -> Iterator[Finding]:
    drawn_items = _drawn_items(corpus)
    for r in corpus.of("draw_result"):
        task = corpus.tasks.get(r.data.get("task"))
        if task is None:
            continue
        t = task.data
        window = t.get("window", {})
        start, end = window.get("from"), window.get("to")
        for i, team in enumerate(r.data.get("output", {}).get("teams", [])):
            if not isinstance(team, dict):
                continue
            obj, members = team.get("object"), team.get("members", [])
            # a malformed file: its schema check says so; here it must only not crash
            members = list(members) if isinstance(members, list) else []
            path = ("output", "teams", i)
            line, col = r.loc(*path)
            if len(members) < min_team:
                yield finding(
                    "TEAM_TOO_SMALL", r.file, line, col, path, obj, found=len(members), expected=min_team
                )
            # Rows the loader could not read (e.g. wrong CSV width) carry only an id: already reported.
            # judged as the draw saw them (frozen pool), not as today's roster has them
            frozen = frozen_people(corpus).get(r.data.get("id"), {})
            known = {
                m: corpus.inspectors[m].data for m in members if isinstance(m, str) and m in corpus.inspectors
            }
            people = {m: {**d, **frozen.get(m, {})} for m, d in known.items() if "unit" in d}
            if len(people) < len(known):
                continue  # cannot judge a team with an unreadable member
            units = {p.get("unit") for p in people.values()}
            for unit in t.get("participants", []):
                if unit not in units:
                    yield finding("TEAM_UNIT_MISSING", r.file, line, col, path, obj, unit=unit)
            lead = team.get("leader")
            leader = people.get(lead, {}).get("unit") if isinstance(lead, str) else None
            if team.get("leader") and leader != t.get("initiator"):
                yield finding(
                    "TEAM_LEADER_UNIT",
                    r.file,
                    line,
                    col,
                    path,
                    obj,
                    expected=t.get("initiator"),
                    found=leader,
                )
            items = drawn_items.get(r.data.get("id"), t.get("items", []))
            for m, p in people.items():
                yield from _member(corpus, r, path, obj, m, p, start, end, items)


def _member(corpus, r, path, obj, member_id, person, start, end, items) -> Iterator[Finding]:
    line, col = r.loc(*path)
    if person.get("status", "有效") != "有效":  # a missing status is reported by the loader
        yield finding("TEAM_INSPECTOR_INACTIVE", r.file, line, col, path, member_id)
    if start and end:
        span = _cert_problem(person, start, end)
        if span:
            yield finding(
                "TEAM_CERT_INVALID",
                r.file,
                line,
                col,
                path,
                member_id,
                expected=span,
                date=f"{start} 至 {end}",
            )
    lacking = _lacking_as_drawn(corpus, person, items, start)
    if lacking:
        yield finding(
            "TEAM_NOT_QUALIFIED", r.file, line, col, path, member_id, item=lacking[0], expected=lacking[1]
        )
    if obj in person.get("conflicts", []):
        yield finding("TEAM_CONFLICT", r.file, line, col, path, member_id, object=obj)


def _lacking_as_drawn(corpus, person: dict, items: list[str], day) -> tuple[str, str] | None:
    """``missing_qualification`` as the draw saw it: the frozen pool lists the task's items the
    officer was qualified for (a roster or item edited after the draw changes nothing); without a
    readable pool, today's roster and items."""
    frozen = person.get("qualified_items")
    if not isinstance(frozen, list):
        return missing_qualification(corpus, person, items, day)
    for code in items:
        # a request's items are the unit's text, checked elsewhere: a code that is no text has no version
        if isinstance(code, str) and code not in frozen:
            item = version_on(corpus, code, day)
            tags = [t for t in (item.data.get("qualifications", []) if item else []) if isinstance(t, str)]
            return code, "、".join(tags) or "抽取时冻结的资质"
    return None


def _inspecting_teams(corpus, min_team) -> Iterator[Finding]:
    teams: dict[tuple[str, str], set[str]] = {}
    first_place: dict[tuple[str, str], tuple] = {}
    for r in corpus.of("results"):
        task_id = r.data.get("task")
        for i, entry in enumerate(r.data.get("entries", [])):
            obj = entry.get("object")
            if obj is None:
                continue
            key = (task_id, obj)
            teams.setdefault(key, set()).update(entry.get("inspectors", []))
            first_place.setdefault(key, (r, ("entries", i)))
    for key, members in teams.items():
        if len(members) < min_team:
            r, path = first_place[key]
            line, col = r.loc(*path)
            yield finding(
                "TEAM_TOO_SMALL", r.file, line, col, path, key[1], found=len(members), expected=min_team
            )
