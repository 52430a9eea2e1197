"""Deterministic test scenarios: a county with four credit-risk strata and two or three units."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.draw import commitment_of, compute_pool_digests, derive_salt
from generator.draw.registry_log import ENTRY_OF_ACCEPTANCE, line_hash, line_of

FIXTURES = Path(__file__).parent / "fixtures"
QUICKNET_VECTORS = json.loads((FIXTURES / "quicknet.json").read_text(encoding="utf-8"))
ROUND_1000 = next(v for v in QUICKNET_VECTORS["positive"] if v["round"] == 1000)
SECRET = b"joint-office-test-secret"
REVEAL = "jijian-0123456789abcdef"
UNITS = [
    {"id": "scjg", "name": "县市场监督管理局"},
    {"id": "xfjy", "name": "县消防救援大队"},
    {"id": "wsjk", "name": "县卫生健康委员会"},
]
TOWNSHIPS = ["城关镇", "河口镇", "青山乡"]


def uscc(i: int) -> str:
    """A made-up 18-character id in USCC shape (the check digit is not computed here)."""
    return f"91320{i % 1000:03d}MA{i:08d}X"


def make_objects(n: int, draw_id: str = "2025-联合-001", privacy: str = "commit") -> list[dict]:
    rows = []
    for i in range(n):
        digest = hashlib.sha256(f"obj{i}".encode()).digest()
        object_id = uscc(i)
        rows.append(
            {
                "id": object_id,
                "stratum": "ABCD"[digest[0] % 4],
                "salt": derive_salt(SECRET, draw_id, object_id) if privacy == "commit" else "",
                "township": TOWNSHIPS[digest[1] % 3],
                "deregistered": digest[2] < 8,
                "last_inspected_by_unit": "2024-11-15"
                if digest[3] < 20
                else ("2023-01-10" if digest[3] < 40 else None),
                "recognised_result": digest[4] < 5,
                "inspections_this_year": digest[5] % 5,
                "key_item": False,
                "previous_inspectors": ["P-scjg-01"] if digest[6] < 30 else [],
            }
        )
    return rows


def make_inspectors(per_unit: int = 8, units=UNITS) -> list[dict]:
    rows = []
    for unit in units:
        for k in range(1, per_unit + 1):
            rows.append(
                {
                    "id": f"P-{unit['id']}-{k:02d}",
                    "name": f"{unit['name'][1:3]}检查员{k}",
                    "unit": unit["id"],
                    "status": "有效" if k != per_unit else "失效",
                    "cert_valid_from": "2020-01-01",
                    "cert_valid_until": "2027-12-31" if k != per_unit - 1 else "2025-03-15",
                    "qualifications": ["A01", "B02"],
                    "office_townships": [TOWNSHIPS[k % 3], TOWNSHIPS[(k + 1) % 3]],
                    "conflicts": [uscc(k)] if k % 2 else [],
                    "phone": f"1380000{k:04d}",
                }
            )
    return rows


def make_assistants(n: int = 4) -> list[dict]:
    return [
        {"id": f"E-{k:02d}", "name": f"专家{k}", "kind": "专家", "qualifications": ["食品检验"], "phone": "1"}
        for k in range(1, n + 1)
    ]


def make_request(pools: dict, draw_id: str = "2025-联合-001", units=UNITS, **overrides) -> dict:
    request = {
        "algorithm": "sdr-draw/1",
        "draw_id": draw_id,
        "task": {
            "id": "T-2025-003",
            "name": "食品经营单位消防与食品安全联合检查",
            "items": ["A01", "B02"],
            "units": units[:2],
            "initiating_unit": "scjg",
            "window": {"start": "2025-04-01", "end": "2025-04-30"},
        },
        "objects": {
            "privacy": "commit",
            "strata": [
                {"name": "A", "ratio": "1/50"},
                {"name": "B", "ratio": "1/20"},
                {"name": "C", "ratio": "1/10"},
                {"name": "D", "count": 3},
            ],
            "reserve_count": 3,
            "batches": 2,
            "exclusion": {"reference_date": "2025-03-20", "recent_months": 12, "annual_cap": 4},
        },
        "teams": {"mode": "unit", "team_size": 2, "per_unit_min": 1, "max_objects_per_inspector": 3},
        "sources": [
            {"kind": "drand", "name": "quicknet", "round": 1000},
            {"kind": "ceremony", "name": "dice"},
            {
                "kind": "commit_reveal",
                "name": "jijian",
                "commitment": commitment_of(REVEAL),
                "missing": "drop",
            },
        ],
    }
    for key, value in overrides.items():
        section, _, field = key.partition("__")
        if field:
            request[section][field] = value
        else:
            request[section] = value
    request["pool_digests"] = compute_pool_digests(request, pools)
    return request


def make_entropy() -> dict:
    return {
        "drand": {
            "round": 1000,
            "signature": ROUND_1000["signature"],
            "randomness": ROUND_1000["randomness"],
        },
        "ceremony": {"dice": "31415926535897932384"},
        "reveals": {"jijian": REVEAL},
    }


def scenario(n_objects: int = 400, per_unit: int = 8):
    pools = {
        "objects": make_objects(n_objects),
        "inspectors": make_inspectors(per_unit),
        "assistants": make_assistants(),
    }
    request = make_request(pools)
    return request, pools, make_entropy()


# -- the registry log's writer side (§9.1), which the engine only verifies ------------------------
GENESIS = "0" * 64


def chain(publics: list[dict]) -> list[str]:
    """The log lines of ``publics`` (entries without ``prev``), each chained to the one before."""
    lines, prev = [], GENESIS
    for public in publics:
        lines.append(line_of({**public, "prev": prev}))
        prev = line_hash(lines[-1])
    return lines


def accepted_entry(acceptance: dict, **public) -> dict:
    """The ``accepted`` event (without ``prev``) that records ``acceptance`` (§9.1)."""
    entry = {"event": "accepted", **public}
    entry.update({key: acceptance[source] for key, source in ENTRY_OF_ACCEPTANCE})
    return entry


def inclusion(publics: list[dict], index: int) -> dict:
    """Inclusion path of entry ``index`` (0-based) of the log made of ``publics`` (entries without
    ``prev``, chained in order) to its head; the path's ``index`` is 1-based (the line number)."""
    lines = chain(publics)
    return {
        "index": index + 1,
        "entry": lines[index],
        "following": lines[index + 1 :],
        "head": line_hash(lines[-1]),
    }
