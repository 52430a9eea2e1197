"""Order of a draw, enforced: request before acceptance before entropy before the beacon round.

The rules (docs/draw-protocol.md §3, issue 11):

* ``request`` names a drand round whose time is after now plus the county's margin (and not absurdly
  far: at most ``MAX_AHEAD_DAYS`` ahead);
* CI's acceptance records the latest round it saw (``latest_round``) and the margin; a draw may only
  use round R if ``latest_round + margin < R``;
* ceremony digits and reveals (``entropy.yaml``) count only if CI accepted them (``entropy-accepted.yaml``)
  while round R did not exist yet: ``latest_round < R`` and ``accepted_at < time_of_round(R)``;
* a refused or failed draw is never drawn again (a new request supersedes it).

Functions here are pure: they take the parsed files and return ``Problem`` values, so ``draw``,
``verify`` and the PR dry-run apply exactly the same rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.draw import DrawError, check_round_is_future
from generator.draw.beacon import QUICKNET

MAX_AHEAD_DAYS = 400
CHINA = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class Problem:
    code: str  # generator/workflow/catalog.py
    message: str  # Chinese, names the draw's numbers


def chain_for(name: str | None) -> dict:
    """The drand chain a source names: quicknet, or (any other name) a demo chain (protocol §3.1),
    whose beacons ``generator/draw/demo_beacon.py`` signs on its own genesis and period."""
    from generator.draw.beacon import CHAINS
    from generator.draw.demo_beacon import GENESIS_TIME, PERIOD

    known = CHAINS.get(name or "quicknet")
    return known if known else {"beacon_id": name, "genesis_time": GENESIS_TIME, "period": PERIOD}


def chain_of(request: dict) -> dict:
    """The chain of the request's drand source; a v2 source's own (digested) genesis and period win."""
    for s in request.get("sources") or []:
        if isinstance(s, dict) and s.get("kind") == "drand":
            chain = dict(chain_for(str(s.get("name", "quicknet"))))
            for key in ("genesis_time", "period"):
                value = s.get(key)
                if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**40:
                    chain[key] = value
            return chain
    return QUICKNET


def time_of(round_number: int, chain: dict) -> int:
    return chain["genesis_time"] + (round_number - 1) * chain["period"]


def round_at(unix: int, chain: dict) -> int:
    return 0 if unix < chain["genesis_time"] else (unix - chain["genesis_time"]) // chain["period"] + 1


def when(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, CHINA).strftime("%Y-%m-%d %H:%M:%S（北京时间）")


def utc_text(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text) -> int | None:
    if isinstance(text, dt.datetime):
        moment = text
    elif isinstance(text, str):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        return None
    return int(moment.timestamp())


def drand_source(request: dict) -> tuple[str, int] | None:
    """(chain name, round) of the request's drand source, or None; a malformed round gives round 0."""
    for s in request.get("sources") or []:
        if isinstance(s, dict) and s.get("kind") == "drand":
            r = s.get("round")
            ok = isinstance(r, int) and not isinstance(r, bool) and 0 < r < 2**63
            return str(s.get("name", "quicknet")), (r if ok else 0)
    return None


def future_round_problem(round_number: int, now: int, margin: int, chain: dict) -> Problem | None:
    """Why ``round_number`` cannot be requested or accepted at unix time ``now``."""
    if round_number < 1:
        return Problem("REGISTRY_ROUND_INVALID", "drand 轮次必须是小于 2^63 的正整数。")
    earliest = round_at(now, chain) + margin + 1
    if round_number < earliest:
        return Problem(
            "REGISTRY_ROUND_NOT_FUTURE",
            f"drand 第 {round_number} 轮的时间是 {when(time_of(round_number, chain))}，不在未来"
            f"（现在 {when(now)}，加提前量 {margin} 轮后最早可用第 {earliest} 轮）。请改用更晚的轮次。",
        )
    latest = round_at(now + MAX_AHEAD_DAYS * 86400, chain)
    if round_number > latest:
        return Problem(
            "REGISTRY_ROUND_TOO_FAR",
            f"drand 第 {round_number} 轮在 {MAX_AHEAD_DAYS} 天之后（最晚可用第 {latest} 轮）。请改用近期的轮次。",
        )
    return None


def acceptance_problem(round_number: int, accepted: dict) -> Problem | None:
    """Why an acceptance record does not allow round R: ``latest_round + margin < R`` must hold."""
    latest, margin = accepted.get("latest_round"), accepted.get("margin_rounds", 0)
    if not isinstance(latest, int) or isinstance(latest, bool) or not isinstance(margin, int):
        return Problem(
            "REGISTRY_ACCEPTANCE_NO_ROUND",
            "受理记录 accepted.yaml 没有记录受理时的 drand 最新轮次 latest_round，无法证明申请早于随机值。",
        )
    try:
        check_round_is_future(round_number, latest, margin)  # the engine's rule, applied by CI too
    except DrawError:
        return Problem(
            "REGISTRY_ACCEPTANCE_LATE",
            f"受理时 drand 最新轮次 {latest} 加提前量 {margin} 不早于申请指定的第 {round_number} 轮：申请登记时随机值可能已公开。",
        )
    return None


def needs_entropy_acceptance(entropy: dict | None) -> bool:
    """Entropy written by people (ceremony digits, reveals) must be accepted by CI."""
    return bool(entropy) and bool(entropy.get("ceremony") or entropy.get("reveals"))


def entropy_digest(entropy: dict) -> str:
    """SHA-256 of the people-written part (ceremony digits, reveals) as canonical JSON."""
    from generator.draw import digest

    part = {k: entropy[k] for k in ("ceremony", "reveals") if entropy.get(k)}
    return digest(_iso(part))


def _iso(value):
    if isinstance(value, dict):
        return {str(k): _iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def entropy_problem(request: dict, entropy: dict | None, entropy_accepted: dict | None) -> Problem | None:
    if not needs_entropy_acceptance(entropy):
        return None
    if entropy_accepted is None:
        return Problem(
            "REGISTRY_ENTROPY_NOT_ACCEPTED",
            "现场摇号数字或第三方揭示值尚未经 CI 受理（缺 entropy-accepted.yaml），不能用于抽取。",
        )
    if entropy_accepted.get("entropy_digest") != entropy_digest(entropy):
        return Problem(
            "REGISTRY_ENTROPY_CHANGED",
            "现场摇号数字或揭示值与 CI 受理时记录的摘要不符：受理后被改动。",
        )
    source = drand_source(request)
    if source is None:
        return None
    chain = chain_of(request)
    r = source[1]
    latest = entropy_accepted.get("latest_round")
    at = parse_utc(entropy_accepted.get("accepted_at"))
    if not isinstance(latest, int) or at is None:
        return Problem(
            "REGISTRY_ENTROPY_NOT_ACCEPTED",
            "随机源受理记录缺少受理时的 drand 最新轮次或受理时间，无法证明数字早于信标。",
        )
    if latest >= r or at >= time_of(r, chain):
        return Problem(
            "REGISTRY_ENTROPY_LATE",
            f"现场摇号数字或揭示值在 drand 第 {r} 轮产生之后才受理（受理时最新轮次 {latest}，"
            f"{when(at)}）：它们可能是在已知信标后选定的，不能使用。",
        )
    return None


def draw_blockers(files) -> list[Problem]:
    """Everything that forbids drawing (or trusting) this draw, in the order the rules apply."""
    if files.refused is not None:
        return [Problem("REGISTRY_REFUSED", f"申请已被拒绝：{files.refused.get('reason', '')}")]
    if files.accepted is None:
        return [Problem("REGISTRY_NOT_ACCEPTED", "申请尚未经 CI 受理（缺 accepted.yaml），不能抽取。")]
    out = []
    source = drand_source(files.request)
    if source is not None:
        problem = acceptance_problem(source[1], files.accepted)
        if problem:
            out.append(problem)
    problem = entropy_problem(files.request, files.entropy, files.entropy_accepted)
    if problem:
        out.append(problem)
    return out
