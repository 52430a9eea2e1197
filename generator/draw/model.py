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

from .canonical import normalise
from .errors import DrawError

ALGORITHM = "sdr-draw/1"
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


@dataclass(frozen=True)
class Source:
    """A randomness source named in the request before it exists (order = segment order of the seed)."""

    kind: str  # "drand" | "ceremony" | "commit_reveal"
    name: str  # chain ("quicknet"), ceremony name or party name
    round: int | None = None
    commitment: str | None = None
    missing: str | None = None  # for commit_reveal: "drop" or "fail"


@dataclass(frozen=True)
class Request:
    """A registered draw request. ``pool_digests`` pins the pools before the randomness exists."""

    draw_id: str
    task: Task
    objects: ObjectRule
    teams: TeamRule
    sources: tuple[Source, ...]
    pool_digests: dict


def _need(data: dict, key: str, where: str):
    if key not in data:
        raise DrawError("DRAW_FIELD_MISSING", f"{where} 缺少字段 {key}", {"where": where, "field": key})
    return data[key]


def _int(value, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DrawError(
            "DRAW_FIELD_INVALID", f"{where} 必须是不小于 {minimum} 的整数，实为 {value!r}", {"where": where}
        )
    return value


def _date(value, where: str) -> str:
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise DrawError(
            "DRAW_FIELD_INVALID", f"{where} 必须是 YYYY-MM-DD 日期，实为 {value!r}", {"where": where}
        )
    return value


def parse_ratio(text: str, where: str = "比例") -> Fraction:
    """Parse "p/q" (0 ≤ p ≤ q, q > 0) exactly; floats and percentages are refused.

    >>> parse_ratio("3/100")
    Fraction(3, 100)
    """
    match = re.fullmatch(r"(\d+)/(\d+)", text) if isinstance(text, str) else None
    if not match or int(match.group(2)) == 0 or int(match.group(1)) > int(match.group(2)):
        raise DrawError(
            "DRAW_RATIO_INVALID", f"{where} 必须写成分数“p/q”（0≤p≤q），实为 {text!r}", {"ratio": text}
        )
    return Fraction(int(match.group(1)), int(match.group(2)))


def parse_request(data: dict) -> Request:
    """Validate a request dict (docs/draw-protocol.md §4.1) and return a ``Request``."""
    data = normalise(data)
    if data.get("algorithm") != ALGORITHM:
        raise DrawError(
            "DRAW_ALGORITHM_UNSUPPORTED",
            f"不支持的抽取算法版本 {data.get('algorithm')!r}，本程序实现 {ALGORITHM}",
            {"algorithm": data.get("algorithm")},
        )
    t = _need(data, "task", "抽取请求")
    units = tuple(Unit(u["id"], u.get("name", u["id"])) for u in _need(t, "units", "task"))
    initiating = _need(t, "initiating_unit", "task")
    if not units or initiating not in [u.id for u in units]:
        raise DrawError(
            "DRAW_FIELD_INVALID", f"发起单位 {initiating} 不在参与单位中", {"initiating_unit": initiating}
        )
    units = tuple(sorted(units, key=lambda u: u.id != initiating))  # initiating first, others as listed
    window = _need(t, "window", "task")
    task = Task(
        id=t["id"],
        name=t.get("name", t["id"]),
        items=tuple(t.get("items", [])),
        units=units,
        initiating_unit=initiating,
        window_start=_date(window["start"], "task.window.start"),
        window_end=_date(window["end"], "task.window.end"),
    )
    o = _need(data, "objects", "抽取请求")
    strata = []
    for s in _need(o, "strata", "objects"):
        where = f"分层 {s.get('name')}"
        if ("ratio" in s) == ("count" in s):
            raise DrawError(
                "DRAW_FIELD_INVALID", f"{where} 须且只须给出 ratio 或 count 之一", {"stratum": s.get("name")}
            )
        ratio = parse_ratio(s["ratio"], where) if "ratio" in s else None
        count = _int(s["count"], where) if "count" in s else None
        strata.append(Stratum(s["name"], ratio, count))
    if len({s.name for s in strata}) != len(strata) or not strata:
        raise DrawError("DRAW_FIELD_INVALID", "分层名称必须唯一且至少一个", {})
    privacy = o.get("privacy", "commit")
    if privacy not in ("commit", "open"):
        raise DrawError("DRAW_FIELD_INVALID", f"objects.privacy 只能是 commit 或 open，实为 {privacy!r}", {})
    exclusion = o.get("exclusion", {})
    cap = exclusion.get("annual_cap")
    objects = ObjectRule(
        privacy=privacy,
        strata=tuple(strata),
        reserve_count=_int(o.get("reserve_count", 10), "objects.reserve_count"),
        batches=_int(o.get("batches", 1), "objects.batches", 1),
        reference_date=_date(_need(exclusion, "reference_date", "objects.exclusion"), "reference_date"),
        recent_months=_int(exclusion.get("recent_months", 0), "objects.exclusion.recent_months"),
        annual_cap=None if cap is None else _int(cap, "objects.exclusion.annual_cap", 1),
    )
    tm = data.get("teams", {})
    mode = tm.get("mode", "unit")
    if mode not in ("unit", "township"):
        raise DrawError("DRAW_FIELD_INVALID", f"teams.mode 只能是 unit 或 township，实为 {mode!r}", {})
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
        assistant_qualification=tm.get("assistant_qualification"),
    )
    sources = tuple(parse_source(s) for s in _need(data, "sources", "抽取请求"))
    return Request(data["draw_id"], task, objects, teams, sources, dict(data.get("pool_digests", {})))


def parse_source(s: dict) -> Source:
    """Validate one entry of ``request.sources``."""
    kind, name = s.get("kind"), s.get("name", s.get("chain", s.get("party")))
    if (
        kind not in ("drand", "ceremony", "commit_reveal")
        or not isinstance(name, str)
        or not NAME_RE.match(name)
    ):
        raise DrawError("DRAW_SOURCE_INVALID", f"随机源声明无效：{s!r}", {"source": repr(s)})
    if kind == "drand":
        if name != "quicknet":
            raise DrawError("DRAW_SOURCE_INVALID", f"只支持 drand quicknet 链，实为 {name}", {})
        return Source(kind, name, round=_int(s.get("round"), "drand 轮次", 1))
    if kind == "commit_reveal":
        commitment, missing = s.get("commitment"), s.get("missing", "fail")
        if (
            not isinstance(commitment, str)
            or not SALT_RE.match(commitment)
            or missing not in ("drop", "fail")
        ):
            raise DrawError(
                "DRAW_SOURCE_INVALID", f"承诺—揭示源 {name} 的 commitment 或 missing 规则无效", {}
            )
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


def _parse_rows(rows, cls, fields, label):
    seen, out = set(), []
    for row in rows:
        if not isinstance(row, dict):
            raise DrawError("DRAW_FIELD_INVALID", f"{label} 的每一行必须是字段表：{row!r}"[:200], {})
        row = normalise(row)
        unknown = set(row) - set(fields)
        if unknown:
            raise DrawError(
                "DRAW_FIELD_INVALID", f"{label} 有未知字段 {sorted(unknown)}", {"id": row.get("id")}
            )
        if row.get("id") in seen:
            raise DrawError("DRAW_DUPLICATE_ID", f"{label} 编号重复：{row.get('id')}", {"id": row.get("id")})
        seen.add(row.get("id"))
        out.append(cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}))
    return sorted(out, key=lambda item: item.id)


def parse_people(rows, label: str = "执法检查人员库") -> list[Person]:
    """Validate inspector/assistant rows; returned sorted by id."""
    return _parse_rows(rows, Person, PERSON_FIELDS, label)


def row_of(item) -> dict:
    """The full canonical row of a candidate/person: every field, lists for tuples, fixed names."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in item.__dict__.items()}
