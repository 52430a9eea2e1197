"""Protocol v2: the acceptance a bundle carries and its inclusion path in the public registry log.

docs/draw-protocol.md §9 ("Registry log") is the specification: log lines and their hash chain
(§9.1), the acceptance and its ``recorded_round + margin < R`` (§9.2), the inclusion path
``{"index", "entry", "following", "head"}`` (§9.3). The registry writes the log
(``generator/registry/log.py``); this module re-implements only what a verifier needs.
"""

from __future__ import annotations

import hashlib
import json
import re

from .canonical import canonical_bytes
from .errors import DrawError

HEX64 = re.compile(r"^[0-9a-f]{64}$")
ACCEPTANCE_FIELDS = ("accepted_at", "draw_id", "margin", "recorded_round", "request_digest")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
MAX_LINES = 1_000_000
ENTRY_OF_ACCEPTANCE = (  # log entry field <- acceptance field (§9.1, §9.3)
    ("draw_id", "draw_id"),
    ("request_digest", "request_digest"),
    ("latest_round", "recorded_round"),
    ("margin_rounds", "margin"),
    ("at", "accepted_at"),
)


def line_of(entry: dict) -> str:
    """The log line of an entry (its canonical JSON without the trailing LF)."""
    return canonical_bytes(entry).decode("utf-8")[:-1]


def line_hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def _problem(field: str, problem: str) -> DrawError:
    return DrawError("DRAW_LOG_PATH_INVALID", field=f"registry.{field}", problem=problem)


def _parse(line, field: str) -> dict:
    if not isinstance(line, str):
        raise _problem(field, "应为一行规范化 JSON 文本")
    try:
        value = json.loads(line)
        ok = isinstance(value, dict) and line_of(value) == line
    except (ValueError, DrawError, RecursionError):
        ok = False
    if not ok:
        raise _problem(field, "不是规范化 JSON（键排序、无空格、NFC、无浮点数）")
    return value


def check_inclusion(path) -> str:
    """The head ``path`` leads to (= its ``head``), or ``DRAW_LOG_PATH_INVALID``."""
    if not isinstance(path, dict) or not isinstance(path.get("entry"), str):
        raise _problem("entry", "缺少登记簿条目")
    following, head, index = path.get("following"), path.get("head"), path.get("index")
    if not isinstance(following, list) or len(following) > MAX_LINES:
        raise _problem("following", "应为其后各行的列表")
    if not isinstance(head, str) or not HEX64.match(head):
        raise _problem("head", "应为 64 位小写十六进制")
    if isinstance(index, bool) or not isinstance(index, int) or not 1 <= index < 2**63:
        raise _problem("index", "应为正整数（条目在登记簿中的行号）")
    _parse(path["entry"], "entry")
    current = line_hash(path["entry"])
    for number, line in enumerate(following):
        if _parse(line, f"following[{number}]").get("prev") != current:
            raise _problem(f"following[{number}]", "prev 不是上一行的哈希：登记簿被改写或路径不完整")
        current = line_hash(line)
    if current != head:
        raise _problem("head", "由条目和其后各行算出的登记簿头与公布的 head 不符")
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


def check_entry(path: dict, acceptance: dict) -> None:
    """The path's entry is the ``accepted`` event of this acceptance (§9.3)."""
    entry = _parse(path["entry"], "entry")
    if entry.get("event") != "accepted":
        raise _problem("entry.event", "登记簿条目不是受理（accepted）记录")
    for key, source in ENTRY_OF_ACCEPTANCE:
        if entry.get(key) != acceptance[source]:
            raise _problem(f"entry.{key}", f"登记簿条目的 {key} 与数据包的受理记录 {source} 不符")
