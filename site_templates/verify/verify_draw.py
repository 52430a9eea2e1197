#!/usr/bin/env python3
"""Standalone verifier of a public sdr-draw/1 or sdr-draw/2 bundle — Python standard library only.

Usage: ``python verify_draw.py DRAW.json`` prints ✓ or every mismatch in Chinese; exit code 1 on
mismatch, 2 on unreadable input. It re-implements docs/draw-protocol.md independently of the
``generator`` package (it must not import it) so that anyone can check a published draw:
canonical digests of the public pools, randomness = SHA-256(drand signature), commit–reveal
openings, the seed string, consistent-sampler tickets, counts, reserve list, batches, the opening
of drawn objects and the public team check (declared conflicts of interest are not in the
bundle: per object only ``blocked_previous`` and ``blocked_count``; protocol §7.3); for v2 the
acceptance (recorded round + margin < R), the registry log inclusion proof (§9) and sealed
strata (§10). The drand BLS signature is verified when a BLS library (py-arkworks-bls12381, or ``blspy``) is importable;
otherwise the script says clearly that this one check was skipped.

It sits with the site's published files: the build copies it to ``verify/verify_draw.py``
(generator/site/opendata.py); its in-browser twin is ``site_templates/theme/assets/verify-draw.js``.
"""

# ruff: noqa: UP031  (plain %-formatting keeps the script readable on any Python 3)
import hashlib
import json
import re
import sys
import unicodedata
from fractions import Fraction

FORMATS = {"sdr-draw/1": "sdr-draw-bundle/2", "sdr-draw/2": "sdr-draw-bundle/3"}
HEX64 = re.compile(r"[0-9a-f]{64}")
QUICKNET = {
    "public_key": "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510"
    "d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
    "genesis_time": 1692803367,
    "period": 3,
}
DST_G1 = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
ACCEPTANCE_KEYS = ["accepted_at", "draw_id", "margin", "recorded_round", "request_digest"]


class Fail(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")  # Python strings hold pairs as one character
NOT_TEXT = "文本中有不成对的代理字符（\\ud800–\\udfff），不是有效的 Unicode 文本"


def nfc(value):
    if isinstance(value, str):
        if LONE_SURROGATE.search(value):
            raise Fail("format", NOT_TEXT)
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, float):
        raise Fail("format", "数据中出现小数，协议不允许")
    return value


def canonical(value):
    """Protocol §2: sorted keys, no spaces, raw UTF-8, NFC strings, no floats (without the LF)."""
    return json.dumps(nfc(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(value):
    return sha256_hex(canonical(value) + "\n")


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ticket(seed_hash, ref):
    number = int.from_bytes(hashlib.sha256((seed_hash + ref).encode("utf-8")).digest(), "big")
    return "0." + ("%064d" % number)[::-1]


def bls_library():
    """A function (round, signature bytes, public key hex) -> bool, or None without a BLS library.

    The project's own library (py-arkworks-bls12381, wheels for Python 3.11-3.13) is tried first,
    then blspy; either checks e(sig, g2) == e(H(SHA-256(u64be(round))), pk) with DST_G1.
    """
    try:
        from py_arkworks_bls12381 import GT, G1Point, G2Point
    except ImportError:
        GT = None
    if GT is not None:

        def valid_ark(round_number, signature, public_key):
            try:
                sig = G1Point.from_compressed_bytes(signature)
                key = G2Point.from_compressed_bytes(bytes.fromhex(public_key))
                if key == G2Point.identity() or sig == G1Point.identity():
                    return False  # an identity key or signature verifies nothing
                message = hashlib.sha256(round_number.to_bytes(8, "big")).digest()
                hashed = G1Point.hash_to_curve(message, DST_G1)
                return bool(GT.pairing_check([sig, -hashed], [G2Point(), key]))
            except (ValueError, TypeError, OverflowError):  # points off the curve or subgroup
                return False

        return valid_ark
    try:
        from blspy import G1Element, G2Element
    except ImportError:
        return None

    def valid(round_number, signature, public_key):
        try:
            sig = G1Element.from_bytes(signature)
            key = G2Element.from_bytes(bytes.fromhex(public_key))
        except Exception:  # points off the curve or subgroup
            return False
        message = hashlib.sha256(round_number.to_bytes(8, "big")).digest()
        return sig.pair(G2Element.generator()) == G1Element.from_message(message, DST_G1).pair(key)

    return valid


def check_bls(request, entropy, valid):
    """The drand signature under the request's chain key (v2) or quicknet's (v1)."""
    for s in request["sources"]:
        if s["kind"] == "drand":
            key = s.get("public_key") or QUICKNET["public_key"]
            if not valid(s["round"], bytes.fromhex(entropy["drand"]["signature"]), key):
                raise Fail("entropy.drand", "drand 第 %d 轮的 BLS 签名验证失败" % s["round"])


def check_sources_v2(request):
    kinds = [s.get("kind") for s in request["sources"]]
    if kinds.count("drand") != 1 or kinds[-1] != "drand":
        raise Fail("sources", "sdr-draw/2 须恰有一个 drand 随机源，且列在最后")
    drand = request["sources"][-1]
    chain = {k: drand.get(k) for k in ("public_key", "genesis_time", "period")}
    if drand.get("name") == "quicknet" and (chain != QUICKNET or drand.get("demo", False) is not False):
        raise Fail("sources", "quicknet 的公钥、创世时间或周期不符")
    if drand.get("name") != "quicknet" and (
        drand.get("demo") is not True or not re.fullmatch(r"[0-9a-f]{192}", str(chain["public_key"]))
    ):
        raise Fail("sources", "非 quicknet 的 drand 链须为声明的演示链（demo: true 与 192 位公钥）")
    if not isinstance(drand.get("round"), int) or not 1 <= drand["round"] < 2**64:
        raise Fail("entropy.drand", "drand 轮次必须是 1 到 2^64−1 之间的整数")


def log_line(line, field):
    """A registry log line parsed; it must be the canonical JSON of its value (§9.1)."""
    try:
        value = json.loads(line) if isinstance(line, str) else None
        ok = isinstance(value, dict) and canonical(value) == line
    except (ValueError, Fail, RecursionError):
        ok = False
    if not ok:
        raise Fail(field, "不是规范化 JSON（键排序、无空格、NFC、无浮点数）")
    return value


ENTRY_OF_ACCEPTANCE = (
    ("draw_id", "draw_id"),
    ("request_digest", "request_digest"),
    ("latest_round", "recorded_round"),
    ("margin_rounds", "margin"),
    ("at", "accepted_at"),
)


def check_registry(bundle, request, request_digest):
    """Protocol §9.2–9.3: the acceptance precedes the beacon; its log entry is in the head."""
    a = bundle.get("acceptance")
    if a is None:
        raise Fail("acceptance", "缺少受理记录")
    if not isinstance(a, dict) or sorted(a) != ACCEPTANCE_KEYS:
        raise Fail("acceptance", "受理记录字段不对")
    for key, ok in (
        ("draw_id", a["draw_id"] == request["draw_id"]),
        ("request_digest", a["request_digest"] == request_digest),
        (
            "accepted_at",
            isinstance(a["accepted_at"], str)
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", a["accepted_at"]),
        ),
    ):
        if not ok:
            raise Fail("acceptance." + key, "受理记录与抽取申请不符或格式不对")
    for key in ("recorded_round", "margin"):
        if isinstance(a[key], bool) or not isinstance(a[key], int) or not 0 <= a[key] < 2**63:
            raise Fail("acceptance." + key, "应为非负整数")
    if a["recorded_round"] + a["margin"] >= request["sources"][-1]["round"]:
        raise Fail("acceptance", "受理时的轮次加提前量不早于信标轮次：申请登记时信标可能已可预见")
    proof = bundle.get("registry")
    if not isinstance(proof, dict) or not isinstance(proof.get("entry"), str):
        raise Fail("registry.entry", "缺少登记簿条目")
    following, head, index = proof.get("following"), proof.get("head"), proof.get("index")
    if not isinstance(following, list):
        raise Fail("registry.following", "应为其后各行的列表")
    if not isinstance(head, str) or not re.fullmatch(r"[0-9a-f]{64}", head):
        raise Fail("registry.head", "应为 64 位小写十六进制")
    if isinstance(index, bool) or not isinstance(index, int) or index < 1:
        raise Fail("registry.index", "应为正整数（条目在登记簿中的行号）")
    entry = log_line(proof["entry"], "registry.entry")
    current = sha256_hex(proof["entry"])
    for number, line in enumerate(following):
        if log_line(line, "registry.following[%d]" % number).get("prev") != current:
            raise Fail("registry.following[%d]" % number, "prev 不是上一行的哈希：登记簿被改写或路径不完整")
        current = sha256_hex(line)
    if current != head:
        raise Fail("registry.head", "由条目和其后各行算出的登记簿头与公布的 head 不符")
    if entry.get("event") != "accepted":
        raise Fail("registry.entry.event", "登记簿条目不是受理（accepted）记录")
    for key, source in ENTRY_OF_ACCEPTANCE:
        if entry.get(key) != a[source]:
            raise Fail("registry.entry." + key, "登记簿条目的 %s 与数据包的受理记录 %s 不符" % (key, source))


def sealed_strata(view, seed, published):
    """Protocol §10: each published drawn/reserve ref is in the committed list, with its ticket."""
    seed_hash, entry = sha256_hex(seed), view["strata"][0]
    pool, seen = set(entry["refs"]), set()
    shown = published.get("sealed") if isinstance(published, dict) else None
    shown = shown if isinstance(shown, dict) else {}

    def recomputed(key):
        entries = shown.get(key) if isinstance(shown.get(key), list) else []
        refs = {e.get("ref") for e in entries if isinstance(e, dict)}
        kept = sorted(
            (ticket(seed_hash, r), r) for r in refs if isinstance(r, str) and r in pool and r not in seen
        )
        seen.update(r for _, r in kept)
        return [{"ref": r, "ticket": t} for t, r in kept]

    drawn = recomputed("drawn")
    out = {"eligible": len(entry["refs"]), "excluded": entry["excluded"], "drawn": drawn}
    out["reserve"] = recomputed("reserve")
    return {"sealed": out}


def seed_string(request, request_digest, entropy):
    parts = [request["algorithm"] + "/", "request." + request_digest + "/"]
    for s in request["sources"]:
        if s["kind"] == "drand":
            beacon = entropy.get("drand") or {}
            if beacon.get("round") != s["round"]:
                raise Fail("entropy.drand", "drand 轮次与请求不符")
            try:
                sig = bytes.fromhex(beacon.get("signature", ""))
            except (ValueError, TypeError):
                raise Fail("entropy.drand", "drand 签名不是十六进制") from None
            if len(sig) != 48 or sig[0] & 0x40 or not sig[0] & 0x80:
                raise Fail("entropy.drand", "drand 签名长度或编码无效")
            if hashlib.sha256(sig).hexdigest() != beacon.get("randomness"):
                raise Fail("entropy.drand", "drand randomness 不等于 SHA-256(签名)")
            parts.append("drand.%s.%d.%s/" % (s["name"], s["round"], beacon["randomness"]))
        elif s["kind"] == "ceremony":
            digits = (entropy.get("ceremony") or {}).get(s["name"])
            if not isinstance(digits, str) or not re.fullmatch(r"[0-9]{1,200}", digits):
                raise Fail("entropy.ceremony." + s["name"], "现场摇号数字缺失或格式不对")
            parts.append("ceremony.{}.{}/".format(s["name"], digits))
        else:
            reveal = (entropy.get("reveals") or {}).get(s["name"])
            if reveal is None:
                if s.get("missing", "fail") != "drop":
                    raise Fail("entropy.reveals." + s["name"], "参与方未揭示，规则为 fail")
                parts.append("reveal.{}.-/".format(s["name"]))
                continue
            ok = isinstance(reveal, str) and re.fullmatch(r"[0-9A-Za-z_-]{16,256}", reveal)
            if not ok or sha256_hex(reveal) != s["commitment"]:
                raise Fail("entropy.reveals." + s["name"], "揭示值与承诺不符")
            parts.append("reveal.{}.{}/".format(s["name"], reveal))
    return "".join(parts)


def stratum_count(spec, eligible):
    if "count" in spec:
        return min(spec["count"], eligible)
    ratio = Fraction(*map(int, spec["ratio"].split("/")))
    if eligible == 0 or ratio.numerator == 0:
        return 0
    return min(eligible, max(1, -(-eligible * ratio.numerator // ratio.denominator)))


def draw_strata(request, view, seed):
    seed_hash, reserve, out = sha256_hex(seed), request["objects"].get("reserve_count", 10), {}
    for spec, entry in zip(request["objects"]["strata"], view["strata"], strict=False):
        count = stratum_count(spec, len(entry["refs"]))
        ordered = sorted((ticket(seed_hash, r), r) for r in entry["refs"])[: count + reserve]
        if "ratio" in spec:
            f = Fraction(*map(int, spec["ratio"].split("/")))
            rule = "ratio %d/%d" % (f.numerator, f.denominator)
        else:
            rule = "count %d" % spec["count"]
        out[spec["name"]] = {
            "eligible": len(entry["refs"]),
            "excluded": entry["excluded"],
            "rule": rule,
            "count": count,
            "drawn": [{"ref": r, "ticket": t} for t, r in ordered[:count]],
            "reserve": [{"ref": r, "ticket": t} for t, r in ordered[count:]],
        }
    return out


def eligible(p, task, items):
    return (
        p.get("status", "有效") == "有效"
        and p.get("cert_valid_from", "0000-01-01") <= task["window"]["start"]
        and p.get("cert_valid_until", "9999-12-31") >= task["window"]["end"]
        and all(i in p.get("qualifications", []) for i in items)
    )


def ranked(pool, obj, blocked, loads, cap, township_mode, seed, prefix):
    """Ids of the people who may serve obj now, in (load, rank hash, id) order (protocol §6)."""
    out = []
    for p in pool:
        if p["id"] in blocked or (cap is not None and loads.get(p["id"], 0) >= cap):
            continue
        if township_mode and obj["township"] not in p.get("office_townships", []):
            continue
        h = sha256_hex("{}|{}|{}|{}".format(prefix, seed, obj["id"], p["id"]))
        out.append((loads.get(p["id"], 0), h, p["id"]))
    return [pid for _, _, pid in sorted(out)]


def replay_step(order, claimed, k, skipped, budget):
    """Accept the published step if it is `order` minus skipped people, at most `budget` in all."""
    if k <= 0:
        return []
    place = {pid: n for n, pid in enumerate(order)}
    places = [place.get(pid, -1) for pid in claimed]
    if (
        len(claimed) == k
        and min(places) >= 0
        and all(a < b for a, b in zip(places, places[1:], strict=False))
    ):
        passed = set(order[: places[-1] + 1]) - set(claimed)
        if len(skipped | passed) <= budget:
            skipped |= passed
            return list(claimed)
    return [pid for pid in order if pid not in skipped][:k]


def replay_teams(request, inspectors, assistants, objects, published, seed):
    """Protocol §7.3: the teams the public data allows, given the published ones."""
    task, rule = request["task"], request.get("teams", {})
    initiating = task["initiating_unit"]
    units = sorted(task["units"], key=lambda u: u["id"] != initiating)
    # §11: each department's own draw ("team|<unit>" prefix) and minimum, protocol v2 only
    officer_draw = rule.get("officer_draw", "central")
    v2 = request.get("algorithm") == "sdr-draw/2"
    if officer_draw not in ("central", "per_department") or (
        not v2 and ("officer_draw" in rule or "per_department_min" in rule)
    ):
        raise Fail("request.teams", "officer_draw 只能是 central 或 per_department（仅 sdr-draw/2）")

    def prefix(unit):
        return "team" if officer_draw == "central" else "team|" + unit

    size = rule.get("team_size", 2)
    per_unit = rule.get("per_department_min")
    if per_unit is not None and (type(per_unit) is not int or per_unit < 1):
        raise Fail("request.teams", "per_department_min 须为不小于 1 的整数")
    per_unit = rule.get("per_unit_min", 1) if per_unit is None else per_unit
    cap, cap_a = rule.get("max_objects_per_inspector"), rule.get("max_objects_per_assistant")
    township_mode = rule.get("mode", "unit") == "township"
    by_unit = {u["id"]: [] for u in units}
    for p in sorted(inspectors, key=lambda p: p["id"]):
        if p.get("unit") in by_unit and eligible(p, task, task.get("items", [])):
            by_unit[p["unit"]].append(p)
    need = {u["id"]: per_unit for u in units}
    need[initiating] += max(0, size - per_unit * len(units))
    for u in units:
        required = (
            need[u["id"]] if cap is None else max(need[u["id"]], -(-need[u["id"]] * len(objects) // cap))
        )
        if len(by_unit[u["id"]]) < required:
            raise Fail(
                "teams",
                "%s：合格且有效的执法检查人员只有 %d 名，需要 %d 名"
                % (u["name"], len(by_unit[u["id"]]), required),
            )
    q = rule.get("assistant_qualification")
    helpers = [p for p in sorted(assistants, key=lambda p: p["id"]) if eligible(p, task, [q] if q else [])]
    steps = [(by_unit[u["id"]], per_unit, prefix(u["id"])) for u in units] + [
        (by_unit[initiating], max(0, size - per_unit * len(units)), prefix(initiating))
    ]
    loads, teams = {}, []
    for i, obj in enumerate(objects):
        claim = published[i] if i < len(published) and isinstance(published[i], dict) else {}
        claimed = list(claim.get("members") or [])
        hard, budget, skipped, members = set(obj["previous"]), obj["budget"], set(), []
        for pool, k, step_prefix in steps:
            order = ranked(pool, obj, hard | set(members), loads, cap, township_mode, seed, step_prefix)
            members += replay_step(order, claimed[len(members) : len(members) + k], k, skipped, budget)
        order = ranked(helpers, obj, hard, loads, cap_a, False, seed, "assistant")
        chosen = replay_step(
            order, list(claim.get("assistants") or []), rule.get("assistants_per_team", 0), skipped, budget
        )
        for pid in members + chosen:
            loads[pid] = loads.get(pid, 0) + 1
        teams.append(
            {
                "object": obj["id"],
                "leader": members[0] if members else None,
                "members": members,
                "assistants": chosen,
            }
        )
    return teams


def recusal(row):
    """The published recusal fields (a description where malformed) and usable replay values."""
    previous, count, commitment = (
        row.get("blocked_previous"),
        row.get("blocked_count"),
        row.get("blocked_commitment"),
    )
    previous_ok = isinstance(previous, list) and all(isinstance(p, str) for p in previous)
    count_ok = isinstance(count, int) and not isinstance(count, bool) and count >= 0
    shown = {
        "blocked_previous": sorted(set(previous)) if previous_ok else "按编号排序、不重复的人员编号列表",
        "blocked_count": count if count_ok else "非负整数",
        "blocked_commitment": commitment
        if isinstance(commitment, str) and HEX64.fullmatch(commitment)
        else "64 位小写十六进制",
    }
    return shown, (sorted(set(previous)) if previous_ok else []), (count if count_ok else 0)


def recompute(bundle):
    request, public, result = bundle["request"], bundle["public_pools"], bundle["result"]
    algorithm = request.get("algorithm")
    if algorithm == "sdr-draw/2":
        check_sources_v2(request)
    if algorithm not in FORMATS or bundle.get("format") != FORMATS[algorithm]:
        raise Fail(
            "format", "数据包格式与抽取算法不符（sdr-draw/1 对应 sdr-draw-bundle/2，sdr-draw/2 对应 /3）"
        )
    sealed = algorithm == "sdr-draw/2" and request["objects"].get("strata_disclosure", "sealed") == "sealed"
    request_digest = digest(request)
    if algorithm == "sdr-draw/2":
        check_registry(bundle, request, request_digest)
    for key in ("objects", "inspectors", "assistants"):
        if digest(public[key]) != request["pool_digests"].get(key + "_public"):
            raise Fail("public_pools." + key, "公开名录的摘要与抽取请求登记的不符")
    seed = seed_string(request, request_digest, bundle["entropy"])
    if BLS is not None:
        check_bls(request, bundle["entropy"], BLS)
    if sealed:
        strata = sealed_strata(public["objects"], seed, result.get("strata"))
    else:
        strata = draw_strata(request, public["objects"], seed)
    privacy = request["objects"].get("privacy", "commit")
    drawn = [d["ref"] for s in strata.values() for d in s["drawn"]]
    order_hash = sha256_hex(seed + "order/")
    ordered = sorted((ticket(order_hash, r), r) for r in drawn)
    published = {o.get("ref"): o for o in result.get("objects", [])}
    batches, objects, team_view = request["objects"].get("batches", 1), [], []
    for i, (t, ref) in enumerate(ordered):
        row = published.get(ref)
        if row is None:
            raise Fail("objects", f"中签对象 {ref} 未公开")
        if privacy == "commit" and sha256_hex(row.get("salt", "") + row.get("id", "")) != ref:
            raise Fail("objects", "对象 {} 的盐值与承诺不符".format(row.get("id")))
        out = {"id": row["id"], "ref": ref}
        if privacy == "commit":
            out["salt"] = row["salt"]
        shown, previous, budget = recusal(row)
        out.update(township=row["township"], batch=i * batches // len(ordered) + 1, order_ticket=t)
        out.update(shown)
        objects.append(out)
        team_view.append(
            {"id": row["id"], "township": row["township"], "previous": previous, "budget": budget}
        )
    teams = replay_teams(
        request, public["inspectors"], public["assistants"], team_view, result.get("teams", []), seed
    )
    return {
        "algorithm": algorithm,
        "draw_id": request["draw_id"],
        "request_digest": request_digest,
        "seed": seed,
        "strata": strata,
        "objects": objects,
        "teams": teams,
    }


def diff(expected, found, path):
    if isinstance(expected, dict) and isinstance(found, dict):
        out = []
        for key in list(expected) + [k for k in found if k not in expected]:
            out += diff(expected.get(key), found.get(key), f"{path}.{key}" if path else key)
        return out
    if (
        isinstance(expected, list)
        and isinstance(found, list)
        and any(isinstance(x, (dict, list)) for x in expected + found)
    ):
        out = [] if len(expected) == len(found) else [(path + ".length", len(expected), len(found))]
        for i, (a, b) in enumerate(zip(expected, found, strict=False)):
            out += diff(a, b, "%s[%d]" % (path, i))
        return out
    return [] if same(expected, found) else [(path, expected, found)]


def same(a, b):
    """Equal as JSON (so true is not 1 and "1" is not 1), as the browser compares (canonical text)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


MAX_DEPTH = 64
TOO_DEEP = "JSON 嵌套层数过深（超过 %d 层），不是公布的数据包" % MAX_DEPTH


def too_deep(value):
    """True if lists/objects nest deeper than MAX_DEPTH (walked without recursion: no RecursionError)."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            if level > MAX_DEPTH:
                return True
            stack += [(v, level + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return False


def check(bundle):
    """Return a list of (field, expected, found) mismatches; empty means the draw checks out."""
    if too_deep(bundle):
        return [("format", "完整的公开数据包", TOO_DEEP)]
    try:
        bundle = nfc(bundle)
        return diff(recompute(bundle), bundle["result"], "")
    except Fail as error:
        return [(error.field, "可重现的抽取", error.message)]
    except Exception as error:  # noqa: BLE001 - any shape a hostile bundle takes is a verdict, never a traceback
        return [("format", "完整的公开数据包", f"缺少或错误的字段 {error}")]


def substitute_order(bundle, object_id, replaced, used):
    """Protocol §11: the published order of substitutes for `replaced` on drawn object `object_id`."""
    request, result = bundle["request"], bundle["result"]
    task, rule = request["task"], request.get("teams", {})
    index = [row["id"] for row in result["objects"]].index(object_id)
    row, team = result["objects"][index], result["teams"][index]
    people = {p["id"]: p for p in bundle["public_pools"]["inspectors"]}
    unit = people[replaced].get("unit", "")
    loads = {}
    for t in result["teams"]:
        for pid in t["members"]:
            loads[pid] = loads.get(pid, 0) + 1
    pool = [p for p in people.values() if p.get("unit") == unit and eligible(p, task, task.get("items", []))]
    out = set(row.get("blocked_previous", [])) | set(team["members"]) | used
    cap, township_mode = rule.get("max_objects_per_inspector"), rule.get("mode", "unit") == "township"
    return ranked(pool, row, out, loads, cap, township_mode, result["seed"], "substitute")


def check_substitutions(bundle, substitutions):
    """(field, expected, found) for every substitution that is not the next one of its order."""
    out, used = [], {}
    teams = {t["object"]: list(t["members"]) for t in bundle["result"]["teams"]}
    for i, sub in enumerate(substitutions):
        obj, old, new = sub.get("object"), sub.get("replaced"), sub.get("substitute")
        where = "substitutions[%d]" % i
        if obj not in teams:
            out.append((where + ".object", "本次抽中的检查对象之一", obj))
        elif old not in teams[obj]:
            out.append((where + ".replaced", "、".join(teams[obj]), old))
        else:
            seen = used.setdefault(obj, set())
            order = substitute_order(bundle, obj, old, seen)
            expected = order[0] if order else "（该部门已无合格的替补人员）"
            if new != expected:
                out.append((where + ".substitute", expected, new))
            else:
                seen |= {old, new}
                teams[obj][teams[obj].index(old)] = new
    return out


# What a terminal obeys instead of showing: C0 (line breaks, ESC, CR) and C1 controls, and the marks
# that reorder text (bidi). A bundle value holding them could erase the ✗ line and print a ✓ of its
# own, or start a new line that reads like a verdict (review of red team 7): shown as escapes.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(value):
    r"""A value as text for people (no Python repr); a lone surrogate or a control is printed as its escape.

    >>> shown("D\x1b[2K\r✓\n")
    'D\\x1b[2K\\x0d✓\\x0a'
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROLS.sub(
        lambda m: "\\x%02x" % ord(m[0]) if ord(m[0]) < 0x100 else "\\u%04x" % ord(m[0]), text
    )


def read_json(path):
    """The JSON in ``path`` (a BOM, as Notepad saves it, allowed); raises Unreadable in Chinese."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable("第 %d 个字节起不是 UTF-8 编码的文本" % (error.start + 1)) from None
    try:
        return json.loads(text)
    except RecursionError:
        raise Unreadable("JSON 嵌套层数过深，不是公布的数据包") from None
    except json.JSONDecodeError as error:
        raise Unreadable("不是有效的 JSON（第 %d 行第 %d 列）" % (error.lineno, error.colno)) from None
    except ValueError:  # Python's limit on the digits of an integer (4,300)
        raise Unreadable("整数位数过多，不是公布的数据包") from None


class Unreadable(Exception):
    pass


def head_notice(registry):
    """The log head the inclusion path leads to: only the citizen can compare it with the public one (§9.3).
    The path ends at the last line of the draw's year (or the log's last line when it was built), so
    the head is that line's hash: the citizen links it to the current head through the published log."""
    line = registry["index"] + len(registry["following"])
    return (
        "请再核对登记簿头：本数据包的受理记录位于公开登记簿第 %d 行，数据包带到第 %d 行（受理当年的最后一条记录，"
        "当年未结束时为打包时的最后一条），由它们算出的登记簿头是 %s（第 %d 行的哈希）。"
        "请确认它与您当时存档的登记簿头相同；或者下载网站公开的日志文件 draws/log.jsonl，确认其中第 %d 行的 SHA-256 哈希就是它、"
        "其后每一行的 prev 都是前一行的哈希、最后一行的哈希就是“如何核验”页面上的当前登记簿头。"
        "若对不上，这份受理证明只对应一本别人没有见过的登记簿，不能证明申请已公开登记。"
        % (registry["index"], line, registry["head"], line, line)
    )


BLS = bls_library()


def main(argv):
    if len(argv) not in (2, 3):
        print("用法：python verify_draw.py DRAW.json [SUBSTITUTIONS.json]")
        return 2
    try:
        bundle = read_json(argv[1])
        substitutions = read_json(argv[2]) if len(argv) == 3 else []
    except Unreadable as error:
        print(f"无法读取文件：{error}")
        return 2
    except OSError as error:
        print(
            "无法读取文件：%s（%s）" % (shown(error.filename or ""), error.strerror or type(error).__name__)
        )
        return 2
    # Read defensively: the bundle is what the citizen downloaded, in any shape (check() reports it).
    request = bundle.get("request") if isinstance(bundle, dict) else None
    request = request if isinstance(request, dict) else {}
    draw_id = request.get("draw_id")
    draw_id = shown(draw_id) if isinstance(draw_id, str) else draw_id
    if BLS is None:
        print(
            "注意：本机没有可用的 BLS12-381 库（py-arkworks-bls12381 或 blspy），本程序未验证 drand BLS 签名，"
            "只核对了 randomness = SHA-256(签名)。运行 pip install py-arkworks-bls12381 后重新运行即可验证签名。"
        )
    else:
        print("已用 BLS12-381 库验证 drand 签名。")
    sources = request.get("sources")
    if isinstance(sources, list) and any(isinstance(s, dict) and s.get("demo") is True for s in sources):
        print("注意：本次抽取使用的是演示链（demo），不是真实的 drand 随机信标，仅用于演示和培训。")
    mismatches = check(bundle)
    if not mismatches and substitutions:
        if too_deep(substitutions):
            print("无法读取文件：" + TOO_DEEP)
            return 2
        try:
            mismatches = check_substitutions(nfc(bundle), nfc(substitutions))
        except Fail as error:
            mismatches = [("substitutions", "替补记录列表", error.message)]
        except Exception as error:  # noqa: BLE001 - as check(): a verdict, never a traceback
            mismatches = [("substitutions", "替补记录列表", f"缺少或错误的字段 {error}")]
        if not mismatches:
            print(f"✓ {len(substitutions)} 条替补记录均为公布顺序中的下一名合格人员。")
    if not mismatches:
        print(f"✓ 抽取 {draw_id} 核对无误：随机种子、票号、分层数量、备选名单、批次与检查组均可重现。")
        registry = bundle.get("registry")
        if request.get("algorithm") == "sdr-draw/2":  # checked above: index, following and head are sound
            print(head_notice(registry))
        return 0
    for field, expected, found in mismatches:
        print(f"✗ 抽取 {draw_id}：字段 {shown(field)} 应为“{shown(expected)}”，公布的是“{shown(found)}”")
    print("共 %d 处不一致。" % len(mismatches))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
