"""Run due draws and verify published ones: the ``draw`` and ``verify`` commands' logic."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from generator import draw as engine
from generator.registry import evidence, store
from generator.registry.request import engine_view


@dataclass
class DrawFiles:
    """What one draw folder holds, parsed."""

    draw_id: str
    path: Path
    request: dict
    pools: dict | None
    accepted: dict | None
    entropy: dict | None
    result: dict | None
    refused: dict | None = None
    failed: dict | None = None
    entropy_accepted: dict | None = None

    @property
    def closed(self) -> bool:
        """Refused, failed or drawn: nothing more will ever happen to this draw."""
        return self.result is not None or self.failed is not None or self.refused is not None

    @property
    def engine_request(self) -> dict:
        return engine_view(self.request)

    @property
    def engine_entropy(self) -> dict:
        e = self.entropy or {}
        out: dict = {}
        if e.get("drand"):
            out["drand"] = e["drand"]
        if e.get("ceremony"):
            out["ceremony"] = {k: str(v) for k, v in e["ceremony"].items()}
        if e.get("reveals"):
            out["reveals"] = dict(e["reveals"])
        return out


def read(records: Path, draw_id: str) -> DrawFiles:
    path = store.folder(records, draw_id)

    def opt(name, reader):
        p = path / name
        # lexists: a dangling link is refused by the reader, not taken for "not written yet".
        return reader(p) if os.path.lexists(p) else None

    return DrawFiles(
        draw_id,
        path,
        store.read_yaml(path / store.REQUEST),
        opt(store.POOLS, store.read_json),
        opt(store.ACCEPTED, store.read_yaml),
        opt(store.ENTROPY, store.read_yaml),
        opt(store.RESULT, store.read_yaml),
        opt(store.REFUSED, store.read_yaml),
        opt(store.FAILED, store.read_yaml),
        opt(store.ENTROPY_ACCEPTED, store.read_yaml),
    )


def missing_entropy(files: DrawFiles) -> list[str]:
    """Sources whose values are not recorded yet (commit-reveal with rule 'drop' never blocks)."""
    e = files.engine_entropy
    out = []
    for s in files.request.get("sources", []):
        if s["kind"] == "drand" and e.get("drand", {}).get("round") != s.get("round"):
            out.append(f"drand 第 {s.get('round')} 轮")
        elif s["kind"] == "ceremony" and s["name"] not in e.get("ceremony", {}):
            out.append(f"现场摇号 {s['name']}")
        elif (
            s["kind"] == "commit_reveal"
            and s.get("missing") != "drop"
            and s["name"] not in e.get("reveals", {})
        ):
            out.append(f"{s['name']} 的揭示值")
    return out


def is_due(files: DrawFiles) -> bool:
    """Open, accepted, and every source recorded (order rules are checked by ``order.draw_blockers``)."""
    return (
        not files.closed
        and files.accepted is not None
        and files.entropy is not None
        and not missing_entropy(files)
    )


def make_result(files: DrawFiles, drawn_on: dt.date, verify_beacon: bool = True) -> dict:
    """Run the engine; raises generator.draw.DrawError with a Chinese message if it cannot."""
    if files.pools is None:
        raise engine.DrawError(
            "DRAW_POOL_MISSING", f"抽取 {files.draw_id} 缺少冻结的候选池文件 {store.POOLS}", {}
        )
    output = engine.draw(
        files.engine_request,
        files.pools,
        files.engine_entropy,
        verify_beacon=verify_beacon,
        acceptance=evidence.acceptance(files),
    )
    return {
        "id": files.draw_id,
        "task": files.request["task"],
        "algorithm": output["algorithm"],
        "seed": output["seed"],
        "drawn_on": drawn_on,
        "request_digest": output["request_digest"],
        "output": output,
    }


RESULT_HEADER = (
    "# 抽取结果：由抽取引擎生成（python -m generator draw），不得手工编辑。核验方法见“如何核验”页面。\n"
)


def write_result(files: DrawFiles, result: dict) -> Path:
    path = files.path / store.RESULT
    store.write_text(path, store.dump_yaml(result, RESULT_HEADER))
    return path


def verify(files: DrawFiles, verify_beacon: bool = True) -> list[engine.Mismatch]:
    """Every difference between the published result and a fresh recomputation."""
    if files.result is None:
        return []
    published = files.result
    output = published.get("output", {})
    problems = []
    for key in ("algorithm", "seed", "request_digest"):
        if published.get(key) != output.get(key):
            problems.append(engine.Mismatch(files.draw_id, key, output.get(key), published.get(key)))
    if published.get("task") != files.request.get("task"):
        problems.append(
            engine.Mismatch(files.draw_id, "task", files.request.get("task"), published.get("task"))
        )
    if files.pools is None:
        problems.append(engine.Mismatch(files.draw_id, store.POOLS, "冻结的候选池", "缺失"))
        return problems
    problems += engine.verify(
        files.engine_request,
        files.pools,
        files.engine_entropy,
        output,
        verify_beacon=verify_beacon,
        acceptance=evidence.acceptance(files),
    )
    return problems


def public_bundle(files: DrawFiles) -> dict:
    """The citizen's self-contained bundle for verify_draw.py and the in-browser check; a v2 bundle
    carries the acceptance and the inclusion path of its log entry to the current head (§9)."""
    proof = evidence.evidence(evidence.records_of(files), files)
    return engine.build_public_bundle(
        files.engine_request,
        files.pools,
        files.engine_entropy,
        (files.result or {}).get("output", {}),
        proof["acceptance"],
        proof["inclusion"],
    )
