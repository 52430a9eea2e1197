"""What a public bundle needs from the registry: the acceptance and its inclusion in the public log.

The engine's bundle format (docs/draw-protocol.md, owned with the engine) decides where these go;
this module only gathers them from a draw folder and ``draws/log.jsonl``.
"""

from __future__ import annotations

from generator.registry import log, store
from generator.registry.run import DrawFiles


def acceptance(files: DrawFiles) -> dict | None:
    """The acceptance as a bundle carries it: latest round seen, margin, time (UTC)."""
    a = files.accepted
    if a is None:
        return None
    out = {"accepted_at": a.get("accepted_at")}
    if a.get("latest_round") is not None:
        out.update(latest_round=a["latest_round"], margin_rounds=a.get("margin_rounds", 0))
    return out


def evidence(records, files: DrawFiles) -> dict:
    """{"acceptance", "inclusion"}: the log entry of the acceptance chained to the current head."""
    path = store.log_path(records)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    number = log.find(text, "accepted", files.draw_id)
    return {
        "acceptance": acceptance(files),
        "inclusion": log.inclusion(text, number) if number else None,
    }
