"""Input shapes of the draw engine (sdr-draw/1), parsed from plain dicts into frozen dataclasses.

The I/O layer reads YAML/CSV and hands the engine plain dicts; ``parse_*`` validates them and
returns these dataclasses. Field names are the dict keys documented in docs/draw-protocol.md §4.
Dates are ISO ``YYYY-MM-DD`` strings (compared as strings, which is date order for that form).
Nothing here reads a file or a clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain, repeat
from operator import attrgetter, methodcaller

from .canonical import nfc, normalise
from .errors import DrawError

ALGORITHM = "sdr-draw/1"
ALGORITHM_V2 = "sdr-draw/2"  # acceptance + registry log, drand last, chain key in the request (§0)
ALGORITHMS = (ALGORITHM, ALGORITHM_V2)
HEX_G2 = re.compile(r"^[0-9a-f]{192}$")
QUICKNET_CHAIN = {  # protocol §3: the production chain, as a v2 request names it in full
    "public_key": "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510"
    "d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
    "genesis_time": 1692803367,
    "period": 3,
}
NAME_RE = re.compile(r"^[a-z0-9_-]{1,32}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SALT_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Stratum:
    """One stratum: ``ratio`` ("p/q", count = ceil(N·p/q), ≥1 if N>0, ≤N) or absolute ``count`` (≤N)."""

    name: str
    ratio: Fraction | None
    count: int | None

    @property
    def rule_text(self) -> str:
        return (
            f"ratio {self.ratio.numerator}/{self.ratio.denominator}"
            if self.ratio is not None
            else f"count {self.count}"
        )


@dataclass(frozen=True)
class Unit:
    """A participating unit (member department): stable id and Chinese display name."""

    id: str
    name: str


@dataclass(frozen=True)
class Task:
    """The inspection task: items to check, participating units (initiating first), time window."""

    id: str
    name: str
    items: tuple[str, ...]
    units: tuple[Unit, ...]
    initiating_unit: str
    window_start: str
    window_end: str

    def unit_name(self, unit_id: str) -> str:
        return next((u.name for u in self.units if u.id == unit_id), unit_id)


@dataclass(frozen=True)
class ObjectRule:
    """How objects are drawn: privacy mode, strata, reserve length, batches and exclusion parameters."""

    privacy: str  # "commit": refs are salted commitments; "open": refs are object ids
    strata: tuple[Stratum, ...]
    reserve_count: int
    batches: int
    reference_date: str
    recent_months: int  # 0 disables the same-unit recency rule
    annual_cap: int | None  # None: no 扰民 cap
    strata_disclosure: str = (
        "public"  # v2: "sealed" (default) publishes no stratum label, size or count (§10)
    )

    @property
    def sealed(self) -> bool:
        return self.strata_disclosure == "sealed"


@dataclass(frozen=True)
class TeamRule:
    """How teams are staffed: ``mode`` "unit" or "township", sizes and per-person caps (None = no cap)."""

    mode: str
    team_size: int
    per_unit_min: int
    max_objects_per_inspector: int | None
    assistants_per_team: int
    max_objects_per_assistant: int | None
    assistant_qualification: str | None
    officer_draw: str = "central"  # §11: "central" or "per_department" (each department its own prefix)
    per_department_min: int | None = None  # §11: replaces per_unit_min when set

    @property
    def unit_min(self) -> int:
        """Officers every participating department supplies per team (§6, §11)."""
        return self.per_unit_min if self.per_department_min is None else self.per_department_min

    def prefix(self, unit_id: str) -> str:
        """Ranking prefix of a department's step: ``team`` (central) or ``team|<unit>`` (§11)."""
        return "team" if self.officer_draw == "central" else f"team|{unit_id}"


@dataclass(frozen=True)
class Source:
    """A randomness source named in the request before it exists (order = segment order of the seed)."""

    kind: str  # "drand" | "ceremony" | "commit_reveal"
    name: str  # chain ("quicknet"), ceremony name or party name
    round: int | None = None
    commitment: str | None = None
    missing: str | None = None  # for commit_reveal: "drop" or "fail"
    public_key: str | None = None  # drand (v2): the chain's G2 key, 192 hex; None = quicknet (v1)
    demo: bool = False  # drand (v2): a demonstration chain, never a real beacon


@dataclass(frozen=True)
class Request:
    """A registered draw request. ``pool_digests`` pins the pools before the randomness exists."""

    draw_id: str
    task: Task
    objects: ObjectRule
    teams: TeamRule
    sources: tuple[Source, ...]
    pool_digests: dict
    algorithm: str = ALGORITHM

    @property
    def drand_round(self) -> int | None:
        return next((s.round for s in self.sources if s.kind == "drand"), None)


def _need(data: dict, key: str, where: str):
    if key not in data:
        raise DrawError("DRAW_FIELD_MISSING", where=where, field=key)
    return data[key]


def _map(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise DrawError("DRAW_INPUT_NOT_MAPPING", where=where, value=type(value).__name__)
    return value


def _list(value, where: str) -> list:
    if not isinstance(value, list):
        raise DrawError("DRAW_FIELD_INVALID", where=where, field="", value=value, expected="列表")
    return value


def _text(value, where: str, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise DrawError("DRAW_FIELD_INVALID", where=where, field=field, value=value, expected="非空文本")
    return value


def _texts(value, where: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DrawError("DRAW_FIELD_INVALID", where=where, field=field, value=value, expected="文本列表")
    return tuple(value)


def _int(value, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DrawError("DRAW_INTEGER_INVALID", where=where, minimum=minimum, value=value)
    return value


def _date(value, where: str) -> str:
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise DrawError("DRAW_DATE_INVALID", where=where, value=value)
    return value


def parse_ratio(text: str, where: str = "比例") -> Fraction:
    """Parse "p/q" (0 ≤ p ≤ q, q > 0) exactly; floats and percentages are refused.

    >>> parse_ratio("3/100")
    Fraction(3, 100)
    """
    match = re.fullmatch(r"(\d+)/(\d+)", text) if isinstance(text, str) else None
    if not match or int(match.group(2)) == 0 or int(match.group(1)) > int(match.group(2)):
        raise DrawError("DRAW_RATIO_INVALID", where=where, value=text)
    return Fraction(int(match.group(1)), int(match.group(2)))


def parse_request(data: dict) -> Request:
    """Validate a request dict (docs/draw-protocol.md §4.1) and return a ``Request``."""
    data = normalise(_map(data, "抽取请求"))
    algorithm = data.get("algorithm")
    if algorithm not in ALGORITHMS:
        raise DrawError("DRAW_ALGORITHM_UNSUPPORTED", value=algorithm, expected=" 或 ".join(ALGORITHMS))
    t = _map(_need(data, "task", "抽取请求"), "task")
    units = []
    for u in _list(_need(t, "units", "task"), "task.units"):
        u = _map(u, "task.units[]")
        unit_id = _text(_need(u, "id", "task.units[]"), "task.units[]", "id")
        units.append(Unit(unit_id, _text(u.get("name", unit_id), "task.units[]", "name")))
    initiating = _need(t, "initiating_unit", "task")
    if not units or initiating not in [u.id for u in units]:
        raise DrawError("DRAW_INITIATOR_NOT_PARTICIPATING", value=initiating)
    units = tuple(sorted(units, key=lambda u: u.id != initiating))  # initiating first, others as listed
    window = _map(_need(t, "window", "task"), "task.window")
    task_id = _text(_need(t, "id", "task"), "task", "id")
    task = Task(
        id=task_id,
        name=_text(t.get("name", task_id), "task", "name"),
        items=_texts(t.get("items", []), "task", "items"),
        units=units,
        initiating_unit=initiating,
        window_start=_date(_need(window, "start", "task.window"), "task.window.start"),
        window_end=_date(_need(window, "end", "task.window"), "task.window.end"),
    )
    o = _map(_need(data, "objects", "抽取请求"), "objects")
    strata = []
    for s in _list(_need(o, "strata", "objects"), "objects.strata"):
        s = _map(s, "objects.strata[]")
        where = f"分层 {_text(_need(s, 'name', 'objects.strata[]'), 'objects.strata[]', 'name')} "
        if ("ratio" in s) == ("count" in s):
            raise DrawError("DRAW_STRATUM_RULE", stratum=s.get("name"))
        ratio = parse_ratio(s["ratio"], where) if "ratio" in s else None
        count = _int(s["count"], where) if "count" in s else None
        strata.append(Stratum(s["name"], ratio, count))
    if len({s.name for s in strata}) != len(strata) or not strata:
        raise DrawError("DRAW_STRATA_NAMES", value=[s.name for s in strata])
    privacy = o.get("privacy", "commit")
    if privacy not in ("commit", "open"):
        raise DrawError(
            "DRAW_CHOICE_INVALID", where="objects.privacy", expected="commit 或 open", value=privacy
        )
    disclosure = o.get("strata_disclosure", "sealed" if algorithm == ALGORITHM_V2 else "public")
    if algorithm == ALGORITHM and "strata_disclosure" in o or disclosure not in ("sealed", "public"):
        raise DrawError(
            "DRAW_CHOICE_INVALID",
            where="objects.strata_disclosure",
            expected="sealed 或 public（仅 sdr-draw/2）",
            value=disclosure,
        )
    if privacy == "open" and disclosure != "public":
        raise DrawError(
            "DRAW_CHOICE_INVALID", where="objects.privacy", expected="commit（分层保密时）", value=privacy
        )
    exclusion = _map(o.get("exclusion", {}), "objects.exclusion")
    cap = exclusion.get("annual_cap")
    objects = ObjectRule(
        privacy=privacy,
        strata=tuple(strata),
        reserve_count=_int(o.get("reserve_count", 10), "objects.reserve_count"),
        batches=_int(o.get("batches", 1), "objects.batches", 1),
        reference_date=_date(_need(exclusion, "reference_date", "objects.exclusion"), "reference_date"),
        recent_months=_int(exclusion.get("recent_months", 0), "objects.exclusion.recent_months"),
        annual_cap=None if cap is None else _int(cap, "objects.exclusion.annual_cap", 1),
        strata_disclosure=disclosure,
    )
    tm = _map(data.get("teams", {}), "teams")
    officer_draw = tm.get("officer_draw", "central")
    if officer_draw not in ("central", "per_department") or (
        algorithm != ALGORITHM_V2 and ("officer_draw" in tm or "per_department_min" in tm)
    ):
        raise DrawError(
            "DRAW_CHOICE_INVALID",
            where="teams.officer_draw",
            expected="central 或 per_department（仅 sdr-draw/2）",
            value=officer_draw,
        )
    per_dept = tm.get("per_department_min")
    mode = tm.get("mode", "unit")
    if mode not in ("unit", "township"):
        raise DrawError("DRAW_CHOICE_INVALID", where="teams.mode", expected="unit 或 township", value=mode)
    cap_i, cap_a = tm.get("max_objects_per_inspector"), tm.get("max_objects_per_assistant")
    teams = TeamRule(
        mode=mode,
        team_size=_int(tm.get("team_size", 2), "teams.team_size", 2),
        per_unit_min=_int(tm.get("per_unit_min", 1), "teams.per_unit_min", 1),
        max_objects_per_inspector=None
        if cap_i is None
        else _int(cap_i, "teams.max_objects_per_inspector", 1),
        assistants_per_team=_int(tm.get("assistants_per_team", 0), "teams.assistants_per_team"),
        max_objects_per_assistant=None
        if cap_a is None
        else _int(cap_a, "teams.max_objects_per_assistant", 1),
        assistant_qualification=None
        if tm.get("assistant_qualification") is None
        else _text(tm["assistant_qualification"], "teams", "assistant_qualification"),
        officer_draw=officer_draw,
        per_department_min=None if per_dept is None else _int(per_dept, "teams.per_department_min", 1),
    )
    sources = tuple(parse_source(s, algorithm) for s in _list(_need(data, "sources", "抽取请求"), "sources"))
    kinds = [s.kind for s in sources]
    if algorithm == ALGORITHM_V2 and (kinds.count("drand") != 1 or kinds[-1] != "drand"):
        raise DrawError(
            "DRAW_SOURCE_INVALID", field="sources", value="sdr-draw/2 须恰有一个 drand 随机源，且列在最后"
        )
    draw_id = _text(_need(data, "draw_id", "抽取请求"), "抽取请求", "draw_id")
    digests = _map(data.get("pool_digests", {}), "pool_digests")
    return Request(draw_id, task, objects, teams, sources, digests, algorithm)


def _chain(s: dict, name: str) -> dict:
    """The chain key of a v2 drand source: quicknet's, or a declared demo chain's (§3)."""
    chain = {k: s.get(k) for k in ("public_key", "genesis_time", "period")}
    if name == "quicknet":
        if chain != QUICKNET_CHAIN or s.get("demo", False) is not False:
            raise DrawError(
                "DRAW_SOURCE_CHAIN_UNKNOWN", value=name, expected="quicknet 的公钥、创世时间和周期"
            )
        return {"public_key": None, "demo": False}
    if (
        s.get("demo") is not True
        or not isinstance(chain["public_key"], str)
        or not HEX_G2.match(chain["public_key"])
    ):
        raise DrawError(
            "DRAW_SOURCE_CHAIN_UNKNOWN",
            value=name,
            expected="quicknet，或 demo: true 且带 192 位公钥的演示链",
        )
    _int(chain["genesis_time"], "drand genesis_time", 0)
    _int(chain["period"], "drand period", 1)
    return {"public_key": chain["public_key"], "demo": True}


def parse_source(s: dict, algorithm: str = ALGORITHM) -> Source:
    """Validate one entry of ``request.sources``."""
    s = _map(s, "sources[]")
    kind, name = s.get("kind"), s.get("name", s.get("chain", s.get("party")))
    if (
        kind not in ("drand", "ceremony", "commit_reveal")
        or not isinstance(name, str)
        or not NAME_RE.match(name)
    ):
        raise DrawError("DRAW_SOURCE_INVALID", field="sources", value=s)
    if kind == "drand":
        round_number = _int(s.get("round"), "drand 轮次", 1)
        if round_number >= 2**64:
            raise DrawError("DRAW_BEACON_BAD_ROUND", value=round_number)
        if algorithm == ALGORITHM_V2:
            return Source(kind, name, round=round_number, **_chain(s, name))
        if name != "quicknet":
            raise DrawError("DRAW_SOURCE_CHAIN_UNKNOWN", field="sources", value=name, expected="quicknet")
        return Source(kind, name, round=round_number)
    if kind == "commit_reveal":
        commitment, missing = s.get("commitment"), s.get("missing", "fail")
        if (
            not isinstance(commitment, str)
            or not SALT_RE.match(commitment)
            or missing not in ("drop", "fail")
        ):
            raise DrawError("DRAW_SOURCE_REVEAL_RULE", field="sources", name=name)
        return Source(kind, name, commitment=commitment, missing=missing)
    return Source(kind, name)


@dataclass(frozen=True)
class Person:
    """An inspector (执法检查人员) or an assistant (expert / testing institution).

    Only ``status == "有效"`` people whose certificate covers the whole window and who hold every
    required qualification are eligible. ``conflicts`` (object ids, 回避) and ``phone`` are internal.
    """

    id: str
    name: str
    unit: str = ""
    status: str = "有效"
    cert_valid_from: str = "0000-01-01"
    cert_valid_until: str = "9999-12-31"
    qualifications: tuple[str, ...] = ()
    office_townships: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    kind: str = ""
    phone: str = ""


PERSON_FIELDS = {f: d for f, d in Person.__dataclass_fields__.items()}
PRIVATE_PERSON_FIELDS = ("conflicts", "phone")


LIST_FIELDS = ("qualifications", "office_townships", "conflicts")


_PERSON_KEYS = frozenset(PERSON_FIELDS)
_LIST_KEYS = frozenset(LIST_FIELDS)
_DEFAULTS = {
    f: ("" if f in ("id", "name") else d.default) for f, d in PERSON_FIELDS.items()
}  # __init__ order
_BY_ID = attrgetter("id")


def _plain_roster(rows) -> list[Person] | None:
    """The people of ``rows`` when every row plainly passes ``parse_people``'s per-row checks (a
    dict of known text keys, text or lists of text, an id, a name, no id twice), else None: the
    row-by-row walk then names the first fault. Checked a field at a time over the whole roster,
    in C loops (``verify`` reads a county's rosters for every draw); ``test_fast_paths`` holds it
    equal to the walk on hostile rows."""
    if type(rows) is not list or not set(map(type, rows)) <= {dict}:
        return None
    keys = set().union(*rows)
    if not keys <= _PERSON_KEYS or not set(map(type, keys)) <= {str}:
        return None
    if not all(map(dict.__contains__, rows, repeat("name"))):
        return None
    columns = []
    for field, default in _DEFAULTS.items():  # a missing field reads as its default
        values = list(map(methodcaller("get", field, default), rows))
        if field in _LIST_KEYS:  # default (): a tuple given for a list reads as the walk reads it
            if not set(map(type, values)) <= {list, tuple}:
                return None
            items = list(chain.from_iterable(values))
            if not set(map(type, items)) <= {str}:
                return None
            values = list(map(tuple, values))
            if not all(map(str.isascii, items)):  # few distinct lists (townships): NFC each once
                table = {texts: tuple(map(nfc, texts)) for texts in set(values)}
                values = list(map(table.__getitem__, values))
        elif not set(map(type, values)) <= {str}:
            return None
        elif not all(map(str.isascii, values)):
            values = list(map(nfc, values))
        columns.append(values)
    ids = columns[0]
    if not all(ids) or len(set(ids)) != len(ids):
        return None
    return sorted(map(Person, *columns), key=_BY_ID)


def parse_people(rows, label: str = "执法检查人员库") -> list[Person]:
    """Validate inspector/assistant rows (text fields, lists of text); returned sorted by id."""
    plain = _plain_roster(rows)
    if plain is not None:
        return plain
    seen, out = set(), []
    for number, row in enumerate(_list(rows, label), 1):
        if not isinstance(row, dict):
            raise DrawError("DRAW_ROW_NOT_MAPPING", where=label, row=number)
        row = normalise(row)
        unknown = set(row) - set(PERSON_FIELDS)
        if unknown:
            raise DrawError("DRAW_FIELD_UNKNOWN", where=label, value=sorted(unknown), id=row.get("id"))
        if not isinstance(row.get("id"), str) or not row["id"]:
            raise DrawError("DRAW_ID_MISSING", where=label, row=number)
        where = f"{label} {row['id']} "
        for key, value in row.items():
            if key in LIST_FIELDS:
                row[key] = _texts(value, where, key)
            elif not isinstance(value, str):
                raise DrawError("DRAW_FIELD_INVALID", where=where, field=key, value=value, expected="文本")
        if "name" not in row:
            raise DrawError("DRAW_FIELD_MISSING", where=where, field="name")
        if row["id"] in seen:
            raise DrawError("DRAW_DUPLICATE_ID", where=label, id=row["id"])
        seen.add(row["id"])
        out.append(Person(**row))
    return sorted(out, key=lambda item: item.id)


def row_of(item) -> dict:
    """The full canonical row of a candidate/person: every field, lists for tuples, fixed names."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in item.__dict__.items()}
