"""Fetch drand quicknet beacons over HTTP, with timeouts, retries and a declared relay order.

Fallback rule (declared here, before any draw, and printed in the docs): relays are tried in the order
of ``RELAYS``; each gets ``retries`` extra attempts for timeouts, connection errors and 5xx answers,
with a growing pause between them. A relay that answers with a beacon that does not verify is
skipped at once (it is broken or lying, retrying will not help). Every beacon is checked offline with
``generator.draw.beacon.verify_quicknet`` before it is returned, so a relay can delay a draw but never
choose its randomness. When no relay delivers, the draw stays pending and the next scheduled run
tries again — there is no fallback to any other source of randomness.

Deployments that cannot reach the default relays set ``SSJ_DRAND_RELAYS`` (comma-separated base
URLs) — the beacon's validity does not depend on who serves it. Relays must be ``https://``; plain
``http://`` is accepted only for a loopback address (a mirror or test relay on the same machine).

``latest()`` also cross-checks the relay against the clock: the round it serves must be within
``MAX_SKEW_ROUNDS`` of ``round_at(now)`` (genesis and period of the chain). A validly signed but stale
beacon (a relay serving round 123 today) or one from the far future is refused like a bad signature,
so CI's acceptance never records a "latest" round that is not the network's present.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from generator.draw.beacon import QUICKNET, round_at, verify_quicknet
from generator.draw.errors import DrawError
from generator.workflow.catalog import REGISTRY_CATALOG

RELAYS = (
    "https://api.drand.sh",
    "https://api2.drand.sh",
    "https://api3.drand.sh",
    "https://drand.cloudflare.com",
)
USER_AGENT = "shuangsuiji-generator (drand quicknet client)"
MAX_SKEW_ROUNDS = 20  # 60 s of quicknet: relay lag plus CI clock skew
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _message(code: str, **params) -> str:
    """The catalog's message for a relay problem (docs/errors.md)."""
    return REGISTRY_CATALOG[code].template.format(**params)


class RelayNotHttps(ValueError):
    """A configured relay address is not https (code BEACON_RELAY_NOT_HTTPS)."""


def check_relay(url: str) -> str:
    """The relay URL if it is https (or http on loopback); raises RelayNotHttps otherwise.

    >>> check_relay("https://api.drand.sh")
    'https://api.drand.sh'
    >>> check_relay("http://api.drand.sh")
    Traceback (most recent call last):
    generator.workflow.beacon_client.RelayNotHttps: drand 中继地址必须使用 https：http://api.drand.sh（BEACON_RELAY_NOT_HTTPS）。请把地址改为 https://…（本机测试可用 http://127.0.0.1）。
    """
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return url
    raise RelayNotHttps(_message("BEACON_RELAY_NOT_HTTPS", url=url))


@dataclass(frozen=True)
class Beacon:
    round: int
    signature: str
    randomness: str
    relay: str

    def entropy(self) -> dict:
        """The ``drand`` part of entropy.yaml."""
        return {
            "chain": QUICKNET["beacon_id"],
            "chain_hash": QUICKNET["chain_hash"],
            "round": self.round,
            "signature": self.signature,
            "randomness": self.randomness,
            "relay": self.relay,
        }


class BeaconUnavailable(Exception):
    """No relay delivered a verified beacon; ``attempts`` lists what each relay did (Chinese)."""

    def __init__(self, what: str, attempts: list[str]):
        self.what, self.attempts = what, attempts
        super().__init__(f"无法取得 {what}：" + "；".join(attempts))


class _NotYet(Exception):
    """The relay says the round does not exist yet (404/425): no point retrying it now."""


def relays_from_env() -> tuple[str, ...]:
    raw = os.environ.get("SSJ_DRAND_RELAYS", "").strip()
    return tuple(r.strip().rstrip("/") for r in raw.split(",") if r.strip()) or RELAYS


@dataclass
class BeaconClient:
    relays: Sequence[str] = RELAYS
    timeout: float = 5.0
    retries: int = 2
    backoff: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    chain_hash: str = QUICKNET["chain_hash"]
    log: list[str] = field(default_factory=list)
    clock: Callable[[], float] = time.time

    def __post_init__(self):
        for relay in self.relays:
            check_relay(relay)

    def fetch(self, round_number: int) -> Beacon:
        """The verified beacon of ``round_number`` from the first relay that delivers one."""
        return self._first(
            f"/{self.chain_hash}/public/{round_number}", f"drand quicknet 第 {round_number} 轮", round_number
        )

    def latest(self) -> Beacon:
        """The newest verified beacon whose round agrees with the clock (it is "now")."""
        return self._first(
            f"/{self.chain_hash}/public/latest", "drand quicknet 最新轮次", None, self._check_clock
        )

    def _check_clock(self, beacon: Beacon) -> None:
        expected = round_at(int(self.clock()))
        if beacon.round < expected - MAX_SKEW_ROUNDS:
            raise ValueError(
                _message("BEACON_STALE", round=beacon.round, expected=expected, skew=MAX_SKEW_ROUNDS)
            )
        if beacon.round > expected + MAX_SKEW_ROUNDS:
            raise ValueError(
                _message("BEACON_FUTURE", round=beacon.round, expected=expected, skew=MAX_SKEW_ROUNDS)
            )

    def _first(self, path: str, what: str, expected_round: int | None, check=None) -> Beacon:
        attempts: list[str] = []
        for relay in self.relays:
            relay = relay.rstrip("/")
            try:
                beacon = self._from_relay(relay, path, expected_round)
                if check is not None:
                    check(beacon)
            except _NotYet as exc:
                attempts.append(f"{relay}：{exc}")
                continue
            except (OSError, ValueError, DrawError, http.client.HTTPException) as exc:
                attempts.append(f"{relay}：{_describe(exc)}")
                continue
            self.log = attempts + [f"{relay}：成功"]
            return beacon
        self.log = attempts
        raise BeaconUnavailable(what, attempts)

    def _from_relay(self, relay: str, path: str, expected_round: int | None) -> Beacon:
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * attempt)
            try:
                body = self._get(relay + path)
            except urllib.error.HTTPError as exc:
                if exc.code in (404, 425):
                    raise _NotYet(f"HTTP {exc.code}，该轮次尚未产生") from None
                if exc.code < 500 and exc.code != 429:
                    raise  # a client error will not go away by retrying
                last = exc
                continue
            except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
                last = exc
                continue
            return _parse_and_verify(body, relay, expected_round)
        assert last is not None
        raise last

    def _get(self, url: str) -> bytes:
        request = urllib.request.Request(
            url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - https relays
            return response.read(1_000_000)


def _parse_and_verify(body: bytes, relay: str, expected_round: int | None) -> Beacon:
    try:
        data = json.loads(body.decode("utf-8"))
        round_number, signature = data["round"], data["signature"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"返回的内容不是 drand 信标 JSON（{type(exc).__name__}）") from None
    if not isinstance(round_number, int) or isinstance(round_number, bool):
        raise ValueError(f"返回的轮次“{round_number}”不是整数")
    if expected_round is not None and round_number != expected_round:
        raise ValueError(f"请求第 {expected_round} 轮，返回的是第 {round_number} 轮")
    randomness = verify_quicknet(round_number, signature)
    claimed = data.get("randomness")
    if claimed is not None and claimed != randomness:
        raise ValueError("返回的 randomness 不等于 SHA-256(签名)")
    return Beacon(round_number, signature, randomness, relay)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, DrawError):
        return f"信标验证失败（{exc.code}）"
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            return "连接超时"
        return f"无法连接（{reason}）"
    if isinstance(exc, TimeoutError):
        return "读取超时"
    if isinstance(exc, ValueError):
        return str(exc)
    return f"{type(exc).__name__}：{exc}"
