"""Protocol v2: the acceptance a bundle carries and its inclusion in the public registry log.

docs/draw-protocol.md §9 ("Registry log") is the specification; the registry (generator/registry)
writes the log, this module defines its hashes and checks what a bundle claims:

* ``entry_digest(entry)`` = SHA-256 of the canonical bytes of the entry's public part;
* the chain: ``h_0`` = 32 zero bytes, ``h_k = SHA-256(h_{k-1} ‖ d_k)`` over raw 32-byte values,
  the head is ``hex(h_n)``;
* an inclusion proof ``{"entry", "prev", "after", "head"}``: ``prev`` = ``hex(h_{i-1})``, ``after`` =
  the entry digests ``d_{i+1} … d_n`` — folding them onto ``h_i`` must give ``head``;
* ``check_acceptance``: the acceptance names this request (draw id, request digest) and was
  recorded before the beacon round could be known: ``recorded_round + margin < R``.
"""

from __future__ import annotations

import hashlib
import re

from .canonical import digest
from .errors import DrawError

GENESIS = "0" * 64
HEX64 = re.compile(r"^[0-9a-f]{64}$")
ACCEPTANCE_FIELDS = ("accepted_at", "draw_id", "margin", "recorded_round", "request_digest")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def entry_digest(entry: dict) -> str:
    """``d`` of a log entry: SHA-256 (hex) of the canonical bytes of its public part."""
    return digest(entry)


def chain_step(prev: str, entry_hash: str) -> str:
    """``h_k = SHA-256(h_{k-1} ‖ d_k)`` on the raw 32-byte values, hex."""
    return hashlib.sha256(bytes.fromhex(prev) + bytes.fromhex(entry_hash)).hexdigest()


def heads(entries: list[dict]) -> list[str]:
    """``h_1 … h_n`` of a log whose entries are ``entries`` (in log order)."""
    out, head = [], GENESIS
    for entry in entries:
        head = chain_step(head, entry_digest(entry))
        out.append(head)
    return out


def inclusion(entries: list[dict], index: int) -> dict:
    """The inclusion proof of ``entries[index]`` (0-based) in the log's current head."""
    chain = heads(entries)
    return {
        "entry": entries[index],
        "prev": chain[index - 1] if index else GENESIS,
        "after": [entry_digest(e) for e in entries[index + 1 :]],
        "head": chain[-1],
    }


def _problem(field: str, problem: str) -> DrawError:
    return DrawError("DRAW_LOG_PATH_INVALID", field=f"registry.{field}", problem=problem)


def check_inclusion(proof) -> str:
    """The head ``proof`` leads to (= its ``head``), or ``DRAW_LOG_PATH_INVALID``."""
    if not isinstance(proof, dict) or not isinstance(proof.get("entry"), dict):
        raise _problem("entry", "缺少登记簿条目")
    after = proof.get("after")
    values = [proof.get("prev"), proof.get("head"), *(after if isinstance(after, list) else [None])]
    if not all(isinstance(v, str) and HEX64.match(v) for v in values):
        raise _problem("after", "prev、after、head 须为 64 位小写十六进制")
    head = chain_step(proof["prev"], entry_digest(proof["entry"]))
    for entry_hash in after:
        head = chain_step(head, entry_hash)
    if head != proof["head"]:
        raise _problem("head", "由条目和其后的条目摘要算出的登记簿头与公布的 head 不符")
    return head


def check_acceptance(acceptance, draw_id: str, request_digest: str, beacon_round: int | None) -> None:
    """The acceptance belongs to this request and precedes the beacon round (§9.2)."""
    if acceptance is None:
        raise DrawError("DRAW_ACCEPTANCE_MISSING", draw_id=draw_id, field="acceptance")
    if not isinstance(acceptance, dict) or sorted(acceptance) != sorted(ACCEPTANCE_FIELDS):
        raise DrawError(
            "DRAW_ACCEPTANCE_INVALID",
            field="acceptance",
            problem="字段应恰为 " + "、".join(ACCEPTANCE_FIELDS),
        )
    for key, ok in (
        ("draw_id", acceptance["draw_id"] == draw_id),
        ("request_digest", acceptance["request_digest"] == request_digest),
        ("accepted_at", isinstance(acceptance["accepted_at"], str) and TIME.match(acceptance["accepted_at"])),
    ):
        if not ok:
            raise DrawError(
                "DRAW_ACCEPTANCE_INVALID", field=f"acceptance.{key}", problem="与抽取申请不符或格式不对"
            )
    for key in ("recorded_round", "margin"):
        value = acceptance[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
            raise DrawError("DRAW_ACCEPTANCE_INVALID", field=f"acceptance.{key}", problem="应为非负整数")
    recorded, margin = acceptance["recorded_round"], acceptance["margin"]
    if beacon_round is None or recorded + margin >= beacon_round:
        raise DrawError(
            "DRAW_ACCEPTANCE_LATE", field="acceptance", recorded=recorded, margin=margin, round=beacon_round
        )


def check_entry(proof: dict, acceptance: dict, request: dict, request_digest: str) -> None:
    """The log entry is this request's acceptance entry (§9.1)."""
    entry = proof["entry"]
    for key, expected in (
        ("kind", "accepted"),
        ("draw_id", request.get("draw_id")),
        ("request_digest", request_digest),
        ("acceptance", acceptance),
    ):
        if entry.get(key) != expected:
            raise _problem(f"entry.{key}", "登记簿条目与数据包的抽取申请或受理记录不符")
