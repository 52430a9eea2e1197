"""Draw records for the site: a page model per draw and the public bundle its page verifies.

The bundle is exactly what ``generator/draw/verify_draw.py`` reads (engine.build_public_bundle):
public pools (salted object commitments, inspectors' public fields), entropy and the result. Internal
pool files (pool-internal.json) are never copied.
"""

from __future__ import annotations

import json

from generator.registry import run
from generator.registry.run import DrawFiles, public_bundle
from generator.registry.store import all_draw_ids


def read(root, draw_id: str) -> DrawFiles:
    """registry.run.read: the same bounded, link-refusing reads as draw and verify."""
    return run.read(root, draw_id)


def load_draws(corpus) -> dict[str, dict]:
    out = {}
    names = {r.data.get("id"): r.data.get("name") for r in corpus.of("inspectors")}
    for draw_id in all_draw_ids(corpus.root):
        files = read(corpus.root, draw_id)
        if not files.result:
            continue  # requested, not yet drawn: nothing to publish yet
        bundle = public_bundle(files)
        output = files.result.get("output", {})
        teams = []
        for i, team in enumerate(output.get("teams", []), 1):
            teams.append(
                {
                    "name": f"第 {i} 组",
                    "members": [
                        f"{names.get(m, m)}（组长）" if m == team.get("leader") else names.get(m, m)
                        for m in team.get("members", [])
                    ],
                    "objects": [team.get("object")],
                    "member_ids": list(team.get("members", [])),  # the check sheet's signature lines
                }
            )
        page = {
            "id": draw_id,
            "task": files.result.get("task"),
            "drawn_on": str(files.result.get("drawn_on", "")),
            "algorithm": files.result.get("algorithm"),
            "seed": files.result.get("seed"),
            "objects": [o["id"] for o in output.get("objects", [])],
            "reserves": [],  # reserves stay salted commitments until opened
            "teams": teams,
            "bundle_path": f"draws/{draw_id}/bundle.json",
        }
        out[draw_id] = {"page": page, "bundle": bundle}
    return out


def bundle_files(draw_data: dict) -> dict[str, bytes]:
    return {
        f"draws/{draw_id}/bundle.json": (
            json.dumps(d["bundle"], ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        ).encode("utf-8")
        for draw_id, d in sorted(draw_data.items())
    }
