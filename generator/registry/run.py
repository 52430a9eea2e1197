"""Run due draws and verify published ones: the ``draw`` and ``verify`` commands' logic."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import bounded
from generator import draw as engine
from generator.registry import evidence, result_text, store
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
    # ``read(..., defer=True)`` (verify) leaves the two large files for later: result.yaml as text
    # (parsed, with its lines, only if it differs from the recomputation) and the pools' path.
    result_text: str | None = None
    pools_file: Path | None = None
    lines: dict = field(default_factory=dict)  # file name -> {field path: (line, column)}

    @property
    def has_result(self) -> bool:
        return self.result is not None or self.result_text is not None

    @property
    def closed(self) -> bool:
        """Refused, failed or drawn: nothing more will ever happen to this draw."""
        return self.has_result or self.failed is not None or self.refused is not None

    def load_pools(self) -> dict | None:
        """The frozen pools, read now if they were deferred (raises bounded.FileRefused)."""
        if self.pools is None and self.pools_file is not None:
            self.pools = store.read_json(self.pools_file)
            self.pools_file = None
        return self.pools

    def load_result(self) -> dict | None:
        """The published result, parsed now (with its lines) if it was deferred."""
        if self.result is None and self.result_text is not None:
            self.result, loaded = bounded.read_yaml_marked(self.path / store.RESULT, text=self.result_text)
            self.lines[store.RESULT] = loaded.locs
        return self.result

    def line_of(self, name: str, path: tuple = ()) -> int | None:
        """The line of ``path`` in file ``name`` (its closest known parent), if the file was read."""
        locs = self.lines.get(name)
        if locs is None:
            return None
        while path and path not in locs:
            path = path[:-1]
        return locs.get(path, (1, 1))[0]

    @property
    def engine_request(self) -> dict:
        return engine_view(self.request)

    @property
    def engine_entropy(self) -> dict:
        from generator.registry.order import entropy_unused

        e = self.entropy or {}
        out: dict = {}
        if e.get("drand"):
            out["drand"] = e["drand"]
        if entropy_unused(self.request, self.entropy, self.entropy_accepted):
            return out  # never accepted before round R: not used (order.entropy_unused)
        if e.get("ceremony"):
            out["ceremony"] = {k: str(v) for k, v in e["ceremony"].items()}
        if e.get("reveals"):
            out["reveals"] = dict(e["reveals"])
        return out


def read(records: Path, draw_id: str, defer: bool = False) -> DrawFiles:
    """A draw folder's files, parsed; with ``defer`` the pools and the result wait (``verify``)
    and the small files keep their lines for messages."""
    path = store.folder(records, draw_id)
    lines: dict = {}

    def opt(name, reader=None):
        p = path / name
        # lexists: a dangling link is refused by the reader, not taken for "not written yet".
        if not os.path.lexists(p):
            return None
        if reader is not None:
            return reader(p)
        value, loaded = bounded.read_yaml_marked(p, parents=3)
        lines[name] = loaded.locs
        return value

    request = opt(store.REQUEST)
    if request is None:
        store.read_yaml(path / store.REQUEST)  # raises FileNotFoundError naming the file
    files = DrawFiles(
        draw_id,
        path,
        request,
        None if defer else opt(store.POOLS, store.read_json),
        opt(store.ACCEPTED),
        opt(store.ENTROPY),
        None if defer else opt(store.RESULT, store.read_yaml),
        opt(store.REFUSED),
        opt(store.FAILED),
        opt(store.ENTROPY_ACCEPTED),
        lines=lines,
    )
    if defer:
        files.pools_file = path / store.POOLS if os.path.lexists(path / store.POOLS) else None
        files.result_text = opt(store.RESULT, lambda p: bounded.read_text(p, parents=3))
    return files


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
        raise engine.DrawError("DRAW_POOL_MISSING", draw_id=files.draw_id, file=store.POOLS)
    output = engine.draw(
        files.engine_request,
        files.pools,
        files.engine_entropy,
        verify_beacon=verify_beacon,
        acceptance=evidence.acceptance(files),
    )
    return result_record(files, output, drawn_on)


def result_record(files: DrawFiles, output: dict, drawn_on: dt.date) -> dict:
    """What result.yaml holds for the engine's ``output`` (``write_result`` writes it)."""
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


_DRAWN_ON = re.compile(r"^drawn_on: ([0-9]{4}-[0-9]{2}-[0-9]{2})$", re.M)


def verify(files: DrawFiles, verify_beacon: bool = True) -> list[engine.Mismatch]:
    """Every difference between the published result and a fresh recomputation.

    The draw is always recomputed from the request, the frozen pools and the entropy. If
    result.yaml is byte for byte what ``draw`` writes for the recomputation (``result_text``),
    it holds; otherwise it is parsed and compared field by field, which names each difference."""
    if not files.has_result:
        return []
    pools = files.load_pools()
    expected, error = None, None
    if pools is not None:
        try:
            expected = engine.draw(
                files.engine_request,
                pools,
                files.engine_entropy,
                verify_beacon=verify_beacon,
                acceptance=evidence.acceptance(files),
            )
        except engine.DrawError as exc:
            error = exc
    if expected is not None and _same_text(files, expected):
        return []
    published = files.load_result()
    output = published.get("output", {})
    problems = []
    for key in ("algorithm", "seed", "request_digest"):
        if published.get(key) != output.get(key):
            problems.append(engine.Mismatch(files.draw_id, key, output.get(key), published.get(key)))
    if published.get("task") != files.request.get("task"):
        problems.append(
            engine.Mismatch(files.draw_id, "task", files.request.get("task"), published.get("task"))
        )
    if pools is None:
        problems.append(engine.Mismatch(files.draw_id, store.POOLS, "冻结的候选池", "缺失"))
        return problems
    return problems + _differences(files.draw_id, expected, error, output)


def _same_text(files: DrawFiles, output: dict) -> bool:
    """result.yaml is exactly what ``write_result`` writes for ``output`` (on its own drawn_on)."""
    text = files.result_text
    # The first drawn_on line (near the top): the rendering has exactly one line starting so, so a
    # file with another one can never equal it and gets the full comparison anyway.
    found = _DRAWN_ON.search(text) if text is not None else None
    if found is None:
        return False
    if "task" not in files.request:  # the field-by-field comparison names it
        return False
    try:
        drawn_on = dt.date.fromisoformat(found[1])
    except ValueError:
        return False
    rendered = result_text.render(result_record(files, output, drawn_on))
    return rendered is not None and RESULT_HEADER + rendered == text


def _differences(draw_id: str, expected, error, published_output) -> list[engine.Mismatch]:
    """The engine's verify (generator/draw/engine.py) on a recomputation already made."""
    from generator.draw.canonical import normalise
    from generator.draw.engine import diff, error_field

    if error is not None:
        return [
            engine.Mismatch(draw_id, error_field(error), "可重现的抽取", f"{error.code}：{error.message}")
        ]
    try:
        published_output = normalise(published_output)
    except engine.DrawError as exc:
        return [engine.Mismatch(draw_id, "result", "可规范化的抽取结果", f"{exc.code}：{exc.message}")]
    return diff(expected, published_output, "", draw_id)


def public_bundle(files: DrawFiles, inclusion: bool = True) -> dict:
    """The citizen's self-contained bundle for verify_draw.py and the in-browser check; a v2 bundle
    carries the acceptance and the inclusion path of its log entry to the last line of its year (§9.3).
    ``inclusion=False`` leaves that path out (``registry: null``): it changes with every line the
    log gains while the draw's year lasts, so the site adds it to each build's bytes (site/draws.py)."""
    if inclusion:
        proof = evidence.evidence(evidence.records_of(files), files)
    else:
        proof = {"acceptance": evidence.acceptance(files), "inclusion": None}
    return engine.build_public_bundle(
        files.engine_request,
        files.pools,
        files.engine_entropy,
        (files.result or {}).get("output", {}),
        proof["acceptance"],
        proof["inclusion"],
    )
