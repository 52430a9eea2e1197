"""The draw registry on disk as the beacon command needs it: requests, their drand round, entropy.

Reads ``draws/<year>/<id>/request.yaml`` directly (not the whole corpus), so fetching a beacon never
depends on unrelated records being valid. The drand round is the one the request declared in
``sources`` (``{kind: drand, name: quicknet, round: R}``) before anyone could know its value.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.bounded import FileRefused, read_bytes, read_yaml
from generator.draw.beacon import QUICKNET, time_of_round
from generator.registry import store
from generator.registry.order import chain_of


@dataclass(frozen=True)
class PendingDraw:
    draw_id: str
    folder: Path
    round: int | None  # None: the request names no drand round
    has_drand: bool  # entropy.yaml already holds the drand part
    closed: bool = False  # refused, failed or drawn: no beacon is fetched for it
    chain: dict | None = None  # the request's drand chain (genesis_time, period); None: quicknet

    @property
    def due_at(self) -> int | None:
        """When round ``round`` appears on the request's own chain (a demo chain keeps its own clock)."""
        return None if self.round is None else time_of_round(self.round, self.chain or QUICKNET)


def _load(path: Path) -> dict:
    # The same bounded, link-refusing reader as draw and verify; a refused file reads as empty here
    # (validate reports it), so a beacon fetch never follows a link or a bomb.
    try:
        return read_yaml(path, parents=3)
    except (OSError, FileRefused):
        return {}


def drand_round(request: dict) -> int | None:
    for source in request.get("sources") or []:
        if isinstance(source, dict) and source.get("kind") == "drand":
            r = source.get("round")
            return r if isinstance(r, int) and not isinstance(r, bool) and r > 0 else None
    return None


def draws(records: Path) -> list[PendingDraw]:
    """Every draw folder that has a request, in registry order (folder name)."""
    out = []
    for request_path in sorted(records.glob("draws/*/*/request.yaml")):
        folder = request_path.parent
        request = _load(request_path)
        entropy = _load(folder / "entropy.yaml")
        closed = any((folder / n).exists() for n in ("refused.yaml", "failed.yaml", "result.yaml"))
        has_drand = isinstance(entropy.get("drand"), dict)
        out.append(
            PendingDraw(folder.name, folder, drand_round(request), has_drand, closed, chain_of(request))
        )
    return out


def find(records: Path, draw_id: str) -> PendingDraw | None:
    return next((d for d in draws(records) if d.draw_id == draw_id), None)


def write_drand(draw: PendingDraw, drand: dict, today: dt.date) -> Path:
    """Record the drand part of entropy.yaml; earlier bytes of an existing file are kept as they are.

    An existing entropy.yaml (e.g. ceremony digits from the coordination meeting's minutes) only gets
    the ``drand:`` block appended, so the append-only history of the file stays readable.
    """
    path = draw.folder / "entropy.yaml"
    block = yaml.safe_dump({"drand": drand}, allow_unicode=True, sort_keys=False)
    # Bounded read (a linked entropy.yaml is refused, never appended through) and an atomic write
    # that replaces the file itself: nothing outside the draw folder can be written.
    if os.path.lexists(path):
        text = read_bytes(path, parents=3).decode("utf-8")
        if text and not text.endswith("\n"):
            text += "\n"
        store.write_text(path, text + block, overwrite=True)
    else:
        head = yaml.safe_dump({"id": draw.draw_id}, allow_unicode=True, sort_keys=False)
        tail = yaml.safe_dump({"recorded_on": today}, allow_unicode=True, sort_keys=False)
        store.write_text(path, head + block + tail)
    return path
