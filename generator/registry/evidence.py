"""What a public bundle needs from the registry: the acceptance and its inclusion in the public log.

The bundle format is the engine's (docs/draw-protocol.md §9): ``acceptance`` =
``{draw_id, request_digest, recorded_round, margin, accepted_at}`` built from ``accepted.yaml``, and
``registry`` = the inclusion path ``{index, entry, following, head}`` of the draw's ``accepted`` line
in ``draws/log.jsonl`` (``log.inclusion``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.draw import digest
from generator.registry import log, store

if TYPE_CHECKING:
    from generator.registry.run import DrawFiles


def records_of(files: DrawFiles) -> Path:
    """The records root of a draw folder ``<records>/draws/<year>/<id>``."""
    return files.path.parents[2]


def acceptance(files: DrawFiles) -> dict | None:
    """The acceptance as the engine and a bundle carry it (§9.2); None without a recorded round."""
    a = files.accepted
    if a is None or a.get("latest_round") is None:
        return None
    try:
        request_digest = digest(files.engine_request)
    except Exception:  # noqa: BLE001 - a malformed request has no digest; the engine refuses it anyway
        request_digest = None
    return {
        "draw_id": files.draw_id,
        "request_digest": request_digest,
        "recorded_round": a["latest_round"],
        "margin": a.get("margin_rounds", 0),
        "accepted_at": a.get("accepted_at"),
    }


def evidence(records, files: DrawFiles) -> dict:
    """{"acceptance", "inclusion"}: the log entry of the acceptance chained to the last line of its year (``log.inclusion``)."""
    path = store.log_path(Path(records))
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    number = log.find(text, "accepted", files.draw_id)
    return {
        "acceptance": acceptance(files),
        "inclusion": log.inclusion(text, number) if number else None,
    }
