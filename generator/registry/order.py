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

from generator.calendar import CHINA
from generator.catalog.registry import render
from generator.draw import DrawError, check_round_is_future
from generator.draw.beacon import QUICKNET, round_at  # order.round_at: the one clock, any chain

MAX_AHEAD_DAYS = 400


@dataclass(frozen=True)
class Problem:
    code: str  # generator/catalog/registry.py
    message: str  # Chinese, names the draw's numbers; published (refused.yaml, the public log)
    # Facts for the joint office only, printed by the command in the access-controlled repository's
    # CI log, never written to a public file: how many people recusals removed would let anyone
    # who knows the public rosters infer that someone declared a conflict with a candidate.
    internal: str = ""

    @property
    def shown(self) -> str:
        """The message as a command prints it for the joint office (internal facts included)."""
        return f"{self.message}（内部核对，不公开：{self.internal}）" if self.internal else self.message


def problem(code: str, **params: object) -> Problem:
    """A registry problem rendered from its catalog template."""
    return Problem(code, render(code, **params))


def chain_for(name: str | None) -> dict:
    """The drand chain a source names: quicknet, or (any other name) a demo chain (protocol §3.1),
    whose beacons ``generator/demo_chain.py`` signs on its own genesis and period."""
    from generator.demo_chain import GENESIS_TIME, PERIOD
    from generator.draw.beacon import CHAINS

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
        return problem("REGISTRY_ROUND_INVALID", round=round_number)
    earliest = round_at(now, chain) + margin + 1
    if round_number < earliest:
        return problem(
            "REGISTRY_ROUND_NOT_FUTURE",
            round=round_number,
            round_time=when(time_of(round_number, chain)),
            basis=f"现在 {when(now)}，",
            margin=margin,
            earliest=earliest,
        )
    latest = round_at(now + MAX_AHEAD_DAYS * 86400, chain)
    if round_number > latest:
        return problem("REGISTRY_ROUND_TOO_FAR", round=round_number, days=MAX_AHEAD_DAYS, latest=latest)
    return None


def acceptance_problem(round_number: int, accepted: dict) -> Problem | None:
    """Why an acceptance record does not allow round R: ``latest_round + margin < R`` must hold."""
    latest, margin = accepted.get("latest_round"), accepted.get("margin_rounds", 0)
    if not isinstance(latest, int) or isinstance(latest, bool) or not isinstance(margin, int):
        return problem("REGISTRY_ACCEPTANCE_NO_ROUND")
    try:
        check_round_is_future(round_number, latest, margin)  # the engine's rule, applied by CI too
    except DrawError:
        return problem("REGISTRY_ACCEPTANCE_LATE", latest=latest, margin=margin, round=round_number)
    return None


def needs_entropy_acceptance(entropy: dict | None) -> bool:
    """Entropy written by people (ceremony digits, reveals) must be accepted by CI."""
    return bool(entropy) and bool(entropy.get("ceremony") or entropy.get("reveals"))


def names_ceremony(request: dict) -> bool:
    return any(isinstance(s, dict) and s.get("kind") == "ceremony" for s in request.get("sources") or [])


def entropy_unused(request: dict, entropy: dict | None, entropy_accepted: dict | None) -> bool:
    """People-written entropy CI never accepted, of a request that names no ceremony: it is not
    used (reveals count as missing, by each source's rule). Were it a reason to refuse the draw, a
    party could send it after round R, once the outcome is computable, to withdraw a draw it
    dislikes and have it re-requested. (A request naming a ceremony is refused without accepted
    digits either way: ``accept.ceremony_overdue``.)"""
    return needs_entropy_acceptance(entropy) and entropy_accepted is None and not names_ceremony(request)


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
    if not needs_entropy_acceptance(entropy) or entropy_unused(request, entropy, entropy_accepted):
        return None
    source = drand_source(request)
    deadline = f" drand 第 {source[1]} 轮" if source else "抽取"
    if entropy_accepted is None:
        return problem("REGISTRY_ENTROPY_NOT_ACCEPTED", detail="缺 entropy-accepted.yaml", deadline=deadline)
    if entropy_accepted.get("entropy_digest") != entropy_digest(entropy):
        return problem("REGISTRY_ENTROPY_CHANGED")
    if source is None:
        return None
    chain = chain_of(request)
    r = source[1]
    latest = entropy_accepted.get("latest_round")
    at = parse_utc(entropy_accepted.get("accepted_at"))
    if not isinstance(latest, int) or at is None:
        return problem(
            "REGISTRY_ENTROPY_NOT_ACCEPTED",
            detail="entropy-accepted.yaml 缺少受理时的 drand 最新轮次或受理时间，无法证明数字早于信标",
            deadline=deadline,
        )
    if latest >= r or at >= time_of(r, chain):
        return problem(
            "REGISTRY_ENTROPY_LATE",
            round=r,
            round_time=when(time_of(r, chain)),
            state=f"尚未受理（受理于 {when(at)}，当时最新轮次 {latest}）",
        )
    return None


def draw_blockers(files) -> list[Problem]:
    """Everything that forbids drawing (or trusting) this draw, in the order the rules apply."""
    if files.refused is not None:
        return [problem("REGISTRY_REFUSED", reason=str(files.refused.get("reason", "")).rstrip("。"))]
    if files.accepted is None:
        return [problem("REGISTRY_NOT_ACCEPTED")]
    out = []
    source = drand_source(files.request)
    if source is not None:
        found = acceptance_problem(source[1], files.accepted)
        if found:
            out.append(found)
    found = entropy_problem(files.request, files.entropy, files.entropy_accepted)
    if found:
        out.append(found)
    return out
