"""What a draw page tells a citizen, in plain words: the timeline, the randomness sources with links to
check them, the pool and its exclusions, the drawn and reserve lists, the teams and what the verify
button checks (issue 14 point 3).

Every number shown comes from the public bundle the page's verify button downloads (or, for a refused
or failed draw, from the public request and refusal), so the in-browser check can compare the page's
own lists with the bundle (site_templates/theme/assets/verify-page-lists.js reads the data-
attributes the template puts on them).
"""

from __future__ import annotations

import datetime as dt

from generator.draw.beacon import QUICKNET
from generator.registry import order

DRAND_ROUND_URL = "https://api.drand.sh/{chain}/public/{round}"
EXCLUSION_LABELS = {
    "DEREGISTERED": "已注销、吊销或迁出",
    "RESULT_RECOGNISED": "近期已有其他部门检查结果（结果互认）",
    "ANNUAL_CAP_REACHED": "本年度被检查次数已达上限（避免重复打扰）",
    "RECENTLY_INSPECTED": "本单位近期已检查过",
}


def _drand(request: dict) -> dict | None:
    for s in request.get("sources") or []:
        if isinstance(s, dict) and s.get("kind") == "drand":
            return s
    return None


def _utc_to_china(text) -> str:
    """``2026-06-01T09:00:00Z`` -> ``2026-06-01 17:00:00（北京时间）``; anything else as it is."""
    unix = order.parse_utc(text)
    return order.when(unix) if unix is not None else str(text or "")


def sources(request: dict, entropy: dict, witnesses: list, drawn: bool = True) -> list[dict]:
    """The randomness sources in the order they enter the seed, each in plain words (``drawn``: the
    draw took place, so a reveal that is absent was dropped)."""
    out = []
    for s in request.get("sources") or []:
        kind, name = s.get("kind"), s.get("name", "")
        if kind == "drand":
            r = s.get("round")
            chain = order.chain_of(request)
            at = order.when(order.time_of(r, chain)) if isinstance(r, int) else ""
            if s.get("demo") or name != "quicknet":
                out.append(
                    {
                        "kind": "demo",
                        "name": name,
                        "title": f"演示随机信标“{name}”第 {r} 轮",
                        "text": f"约 {at}产生。这是本县示例数据使用的演示链，不是真实的 drand 公共随机信标："
                        "它的密钥由链名公开推导，签名不能证明任何事，只用于演示和培训。",
                        "value": (entropy.get("drand") or {}).get("randomness", ""),
                        "link": None,
                    }
                )
            else:
                out.append(
                    {
                        "kind": "drand",
                        "name": name,
                        "title": f"drand 公共随机信标 quicknet 第 {r} 轮",
                        "text": f"由国际上多家机构共同运行的 drand 网络在 {at} 产生，事先谁也无法知道。"
                        "点击链接可直接从 drand 网络查看这一轮的随机数，与下面的数值对照。",
                        "value": (entropy.get("drand") or {}).get("randomness", ""),
                        "link": DRAND_ROUND_URL.format(chain=QUICKNET["chain_hash"], round=r),
                    }
                )
        elif kind == "ceremony":
            seen = "，见证人：" + "、".join(map(str, witnesses)) if witnesses else ""
            out.append(
                {
                    "kind": "ceremony",
                    "name": name,
                    "title": f"现场摇号数字（{name}）",
                    "text": f"在协调会议现场当众摇出并登记{seen}。",
                    "value": str((entropy.get("ceremony") or {}).get(name, "")),
                    "link": None,
                }
            )
        elif kind == "commit_reveal":
            reveal = (entropy.get("reveals") or {}).get(name)
            text = (
                f"参与方“{name}”在申请时只公开了封存值的指纹（承诺值 {s.get('commitment', '')}），"
                "随机数产生后再公开封存值；任何人可核对两者相符。"
            )
            if reveal is None and drawn:
                text += "该参与方未公开封存值，按申请规则不计入。"
            out.append(
                {
                    "kind": "reveal",
                    "name": name,
                    "title": f"事先封存的随机值（{name}）",
                    "text": text,
                    "value": str(reveal or ""),
                    "link": None,
                }
            )
    return out


def timeline(files, bundle: dict | None) -> list[dict]:
    """申请 → 受理（固定随机数轮次）→ 随机数产生 → 抽取 → 公示, each with its date and what happened."""
    request, accepted = files.request, files.accepted or {}
    drand = _drand(request)
    steps = [
        {
            "step": "申请",
            "when": _date(request.get("requested_on")),
            "text": f"发起单位登记抽取申请（第 {request.get('seq')} 号）：抽查任务、抽取规则、候选名单的指纹和将要使用的随机源。",
        }
    ]
    if files.refused is not None:
        steps.append(
            {
                "step": "不予受理",
                "when": _utc_to_china(files.refused.get("refused_at") or files.refused.get("refused_on")),
                "text": "申请未获受理（原因见上），不会抽取。",
            }
        )
        return steps
    if accepted:
        text = "申请已受理并写入公开登记簿，此后名单和规则不能再改。"
        if drand is not None and accepted.get("latest_round") is not None:
            ahead = drand["round"] - accepted["latest_round"]
            beacon = "drand" if drand.get("name") == "quicknet" and not drand.get("demo") else "演示信标"
            text += (
                f"受理时{beacon}最新为第 {accepted['latest_round']} 轮，本次固定使用第 {drand['round']} 轮，"
                f"比受理时晚 {ahead} 轮（约 {_duration(ahead * order.chain_of(request)['period'])}），受理时谁也不知道它的值。"
            )
        steps.append({"step": "受理", "when": _utc_to_china(accepted.get("accepted_at")), "text": text})
    else:
        steps.append(
            {
                "step": "受理",
                "when": "",
                "text": "本次抽取按协议第 1 版进行，没有单独的受理记录；申请的提交记录保存在代码仓库中。",
            }
        )
    if files.entropy_accepted:
        steps.append(
            {
                "step": "随机源登记",
                "when": _utc_to_china(files.entropy_accepted.get("accepted_at")),
                "text": "现场摇号数字和封存随机值在随机信标产生之前登记受理。"
                if drand is not None
                else "现场摇号数字和封存随机值登记受理，写入公开登记簿。",
            }
        )
    if drand is not None:
        at = order.when(order.time_of(drand["round"], order.chain_of(request)))
        steps.append({"step": "随机数产生", "when": at, "text": f"第 {drand['round']} 轮随机信标产生。"})
    elif files.entropy:
        steps.append(
            {
                "step": "随机数产生",
                "when": _date(files.entropy.get("recorded_on")),
                "text": "现场摇号、参与方公开封存值。",
            }
        )
    if files.failed is not None:
        steps.append(
            {
                "step": "抽取失败",
                "when": _date(files.failed.get("failed_on")),
                "text": files.failed.get("reason", ""),
            }
        )
        return steps
    if files.result:
        result = bundle["result"] if bundle else {}
        steps.append(
            {
                "step": "抽取",
                "when": _date(files.result.get("drawn_on")),
                "text": f"按种子计算票号，抽中 {len(result.get('objects', []))} 个对象并组成检查组。",
            }
        )
        steps.append(
            {
                "step": "公示",
                "when": _date(files.result.get("drawn_on")),
                "text": "抽取结果和公开数据包在本页公开，任何人可下载核验。",
            }
        )
    return steps


def _date(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")


def _duration(seconds: int) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} 天"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} 小时"
    return f"{max(1, seconds // 60)} 分钟"


def pool(bundle: dict) -> dict:
    """Pool size, exclusions by reason, drawn and reserve counts — exactly the bundle's numbers."""
    strata = bundle["public_pools"]["objects"]["strata"]
    eligible = sum(len(s["refs"]) for s in strata)
    reasons: dict[str, int] = {}
    for s in strata:
        for e in s["excluded"]:
            reasons[e["reason"]] = reasons.get(e["reason"], 0) + 1
    excluded = [
        {"reason": code, "label": EXCLUSION_LABELS.get(code, code), "count": n}
        for code, n in sorted(reasons.items())
    ]
    result = bundle["result"]
    return {
        "candidates": eligible + sum(reasons.values()),
        "eligible": eligible,
        "excluded_total": sum(reasons.values()),
        "excluded": excluded,
        "drawn": sum(len(s["drawn"]) for s in result["strata"].values()),
        "reserve": sum(len(s["reserve"]) for s in result["strata"].values()),
        "sealed": list(result["strata"]) == ["sealed"] and bundle["request"]["algorithm"] == "sdr-draw/2",
        "strata": len(result["strata"]),
    }


def reserves(bundle: dict) -> list[str]:
    """Reserve refs in stratum order then ticket order: salted commitments until a reserve is used."""
    return [e["ref"] for s in bundle["result"]["strata"].values() for e in s["reserve"]]


def checks(bundle: dict) -> list[str]:
    """What the verify button checks for this draw, in plain words (only what applies to it)."""
    request = bundle["request"]
    drand = _drand(request)
    out = ["候选名单和检查人员名单与抽取前登记的指纹一致，申请本身没有被改动；"]
    if bundle.get("acceptance") is not None:
        out.append("申请在随机数产生之前已受理，受理记录在公开登记簿中（逐条核对登记簿哈希链）；")
    if drand is not None and (drand.get("demo") or drand.get("name") != "quicknet"):
        out.append("演示随机信标的签名有效（演示链不是真实的 drand，只说明计算方法）；")
    elif drand is not None:
        out.append(f"drand 第 {drand['round']} 轮随机数的签名确实来自 drand 网络；")
    kinds = {s.get("kind") for s in request.get("sources", [])}
    if "ceremony" in kinds or "commit_reveal" in kinds:
        out.append("现场摇号数字和封存随机值与种子中使用的一致，封存值与事先公开的承诺值相符；")
    out += [
        "每个抽中对象和备选对象的票号、抽取数量和顺序都可由种子重算；抽中对象都在登记的候选名单中；",
        "检查组成员合格、来自参与单位、组长来自牵头单位，且就是按规则排在最前面的人员；",
        "本页列出的抽中对象、备选名单、检查组和名单数字与公开数据包完全一致。",
    ]
    return out


def registry(bundle: dict, head: str) -> dict | None:
    """The draw's place in the registry log (v2): its line number and how far the proof reaches (to
    the last line of the year it was accepted in, §9.3)."""
    proof = bundle.get("registry")
    if not proof:
        return None
    return {
        "index": proof["index"],
        "following": len(proof["following"]),
        "last": proof["index"] + len(proof["following"]),  # the line whose hash ``head`` is (§9.3)
        "head": proof["head"],
        "site_head": head,
    }
