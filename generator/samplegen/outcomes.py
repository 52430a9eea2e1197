"""Inspection outcomes of the sample: what each department found, on its own items only.

Findings come from the check points of the item the entering department inspected
(samplegen/guidance.py), so they always fit the unit, the item and the object. 无法联系 happens only
to registered market subjects, and to the whole joint team at once. A problem awaiting follow-up is
closed later by an appended amendment (most of them), a matter in another department's remit is
referred to a unit that shares the field on the joint list, and the receiving unit acknowledges most
referrals in its own record. Everything is drawn from the caller's seeded ``random.Random``.
"""

from __future__ import annotations

import datetime as dt

from generator.samplegen.guidance import POINTS
from generator.samplegen.items import BY_CODE
from generator.samplegen.units import BY_ID

LATE_SHARE = 0.04  # share of entries made after the 10-working-day deadline
PROBLEM_SHARE = 0.12
UNREACHABLE_SHARE = 0.02
UNCOOPERATIVE_SHARE = 0.005
CLOSE_SHARE = 0.75  # follow-ups closed by an amendment before the year's end
ACK_SHARE = 0.7  # referrals the receiving unit acknowledges
YEAR_END = dt.date(2026, 12, 15)
REGISTERED = ("企业", "个体工商户", "农民专业合作社")
OK_DISPOSITION = "未发现问题或相关问题已规范、已改正，无需后续处置"
ORDERED = "违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责"
CASE = "发现案件线索，移送办案机构"
REFER = "违反其他部门相关规定，抄告相关部门"
STOP = "停止检查，反馈至日常监管部门依法依规处理"
# The 公示系统's sub-category for a problem under one's own rules (market items by field).
MARKET_FIELDS = {
    "SCJG-01": "D",
    "SCJG-02": "D",
    "SCJG-03": "B",
    "SCJG-04": "3",
    "SCJG-05": "3",
    "SCJG-06": "3",
    "SCJG-08": "3",
}


def own_items(items: list[str], unit: str) -> list[str]:
    return [c for c in items if BY_CODE[c].unit == unit]


def team_state(rng, obj: dict) -> str:
    """What the whole team met at the object: normal, unreachable or refused."""
    roll = rng.random()
    if obj.get("kind") in REGISTERED and roll < UNREACHABLE_SHARE:
        return "unreachable"
    if roll > 1 - UNCOOPERATIVE_SHARE:
        return "refused"
    return "normal"


def _sub(unit: str, code: str) -> str:
    if unit == "market":
        return MARKET_FIELDS.get(code, "4")
    return "G" if unit == "public-security" else "5"


def department_entry(
    rng, unit: str, items: list[str], participants, obj: dict, members, day, calendar, state
):
    """(entry, referral or None) for one department's inspection of one object."""
    points = [(c, p) for c in items for p in POINTS.get(c, ())]
    methods = sorted({BY_CODE[c].methods[0] for c in items})
    entry = {"object": obj["id"], "items": list(items), "inspectors": members, "inspected_on": day}
    late = rng.random() < LATE_SHARE
    entry["entered_on"] = calendar.add_working_days(day, rng.randint(11, 18) if late else rng.randint(1, 9))
    entry["published_on"] = calendar.add_working_days(entry["entered_on"], rng.randint(0, 2))
    entry["methods"] = methods
    referral = None
    if state == "unreachable":
        entry |= {
            "categories": ["6"],
            "findings": "按登记的住所（经营场所）无法联系到该主体。",
            "disposition": STOP,
        }
    elif state == "refused":
        entry |= {
            "categories": ["8"],
            "findings": "检查对象拒绝提供相关资料，不配合检查，情节严重。",
            "disposition": STOP,
        }
    elif rng.random() >= PROBLEM_SHARE or not points:
        checked = "；".join(p.content for _, p in points[:3])
        entry |= {
            "categories": ["1"],
            "findings": f"逐项检查：{checked}。未发现问题。",
            "disposition": OK_DISPOSITION,
        }
    else:
        code, point = rng.choice(points)
        others = [u for u in BY_CODE[code].joint if u not in participants and u in BY_ID]
        roll = rng.random()
        if roll < 0.5:
            entry |= {
                "categories": ["E"],
                "findings": f"检查“{point.content}”：{point.problem}，已当场责令改正，复查已整改到位。",
                "disposition": ORDERED,
            }
        elif roll < 0.72 or not others:
            entry |= {
                "categories": ["A", _sub(unit, code)],
                "findings": f"检查“{point.content}”：{point.problem}（{point.basis}），已立案调查。",
                "disposition": CASE,
                "penalty": True,
            }
            closed = calendar.add_working_days(day, rng.randint(15, 40))
            if closed is not None and closed < entry["entered_on"]:
                # A late entry: the closure is recorded after the entry, never before it
                # (AMENDMENT_ORDER; first met at scale 43). Same draws from rng, so every sample
                # that was valid keeps its bytes.
                closed = calendar.add_working_days(entry["entered_on"], 5)
            # None: past the last year whose holiday schedule is known (scale 10 reaches it)
            if rng.random() < CLOSE_SHARE and closed is not None and closed <= YEAR_END:
                entry["amendments"] = [
                    {
                        "date": closed,
                        "reason": "后续处理已办结：已作出行政处罚决定，当事人已整改到位。",
                        "changes": {"categories": ["E"], "disposition": ORDERED},
                    }
                ]
        else:
            to = rng.choice(others)
            referral = {
                "unit": to,
                "matter": f"检查中发现疑似属于{BY_ID[to].name}职责的问题（{BY_CODE[code].domain}），请依法处理。",
                "date": calendar.add_working_days(day, rng.randint(1, 3)),
            }
            entry |= {
                "categories": ["5"],
                "findings": f"检查“{point.content}”：{point.problem}；涉及{BY_ID[to].name}职责的问题已抄告移交。",
                "disposition": REFER,
                "referrals": [referral],
            }
    return entry, referral, int(late)


def receipt(rng, calendar, referral: dict, sender: str, obj_id: str) -> dict | None:
    """The receiving unit's acknowledgement, or None (left open for the compliance report)."""
    if rng.random() >= ACK_SHARE:
        return None
    return {
        "object": obj_id,
        "from_unit": sender,
        "received_on": calendar.add_working_days(referral["date"], rng.randint(1, 8)),
        "handling": "已登记接收，转本单位日常监管依法处理。",
    }
