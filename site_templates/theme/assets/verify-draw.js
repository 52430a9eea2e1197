// In-browser verification of a published draw (sdr-draw/1 with bundle sdr-draw-bundle/2, sdr-draw/2 with
// bundle sdr-draw-bundle/3: acceptance, registry log inclusion proof and sealed strata, protocol §9–§10), a port
// of site_templates/verify/verify_draw.py following docs/draw-protocol.md §7.1–7.3: WebCrypto SHA-256, BigInt for
// tickets. It downloads the public bundle, recomputes seed, tickets, strata, reserves, batches, object
// openings and the public team check (recusals: at most blocked_count people skipped), and shows ✓ or
// every field that differs. Nothing is sent anywhere.
const FORMATS = { "sdr-draw/1": "sdr-draw-bundle/2", "sdr-draw/2": "sdr-draw-bundle/3" };
const QUICKNET = {
  public_key: "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510"
    + "d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
  genesis_time: 1692803367,
  period: 3,
};
const ACCEPTANCE_KEYS = ["accepted_at", "draw_id", "margin", "recorded_round", "request_digest"];
const HEX_ONLY = /^[0-9a-f]{64}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const enc = new TextEncoder();

class Fail extends Error {
  constructor(field, message) { super(message); this.field = field; }
}
// Python's KeyError/TypeError: the bundle lacks a field or has the wrong kind of value.
class Malformed extends Error {}

async function sha256Bytes(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
async function sha256Hex(text) { return hex(await sha256Bytes(enc.encode(text))); }

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
// dict.get(key, default): a present key wins even when its value is null (as in Python).
const get = (o, k, d) => (isObj(o) && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : d);
// dict[key]: a missing key is a malformed bundle.
function need(o, k) {
  if (!isObj(o) || !Object.prototype.hasOwnProperty.call(o, k)) throw new Malformed(String(k));
  return o[k];
}
// o[k] = v as an own, plain key even for "__proto__" (an assignment would replace the prototype instead).
function put(o, k, v) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
function str(v) { if (typeof v !== "string") throw new Malformed("应为字符串"); return v; }
function list(v) { if (!Array.isArray(v)) throw new Malformed("应为列表"); return v; }
function int(v) { if (typeof v !== "number" || !Number.isInteger(v)) throw new Malformed("应为整数"); return v; }

// "0." + reversed, ≥64-digit zero-padded decimal of int(SHA-256(utf8(x))) — Rivest's sha256_uniform.
async function ticket(seedHash, ref) {
  const n = BigInt("0x" + (await sha256Hex(seedHash + str(ref))));
  return "0." + n.toString().padStart(64, "0").split("").reverse().join("");
}

// A lone surrogate ("\udfff" is valid JSON) has no UTF-8 bytes: TextEncoder would digest it as U+FFFD, where
// Python cannot encode it at all, so all three verifiers refuse such text with one message.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NOT_TEXT = "文本中有不成对的代理字符（\\ud800–\\udfff），不是有效的 Unicode 文本";
function wellFormed(v) {
  if (LONE_SURROGATE.test(v)) throw new Fail("format", NOT_TEXT);
  return v.normalize("NFC");
}

function nfc(v) {
  if (typeof v === "string") return wellFormed(v);
  if (Array.isArray(v)) return v.map(nfc);
  if (v && typeof v === "object") {
    const o = {};
    for (const [k, x] of Object.entries(v)) put(o, wellFormed(k), nfc(x));
    return o;
  }
  if (typeof v === "number" && !Number.isInteger(v)) throw new Fail("format", "数据中出现小数，协议不允许");
  return v;
}

// Strings compare by code point (protocol §7.3), not by UTF-16 unit as JavaScript's < does.
const SURROGATE = /[\uD800-\uDFFF]/;
function cmp(a, b) {
  if (typeof a === "string" && typeof b === "string" && (SURROGATE.test(a) || SURROGATE.test(b))) {
    const x = Array.from(a, (c) => c.codePointAt(0)), y = Array.from(b, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
function cmpTuple(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) { const c = cmp(a[i], b[i]); if (c) return c; }
  return a.length - b.length;
}
// Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False).
function canonical(v) {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (typeof v === "object") {
    return "{" + Object.keys(v).sort(cmp).map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}
const digest = (v) => sha256Hex(canonical(nfc(v)) + "\n");

// §0 item 2–3: exactly one drand source, last, with quicknet's key or a declared demo chain.
function checkSourcesV2(request) {
  const sources = list(need(request, "sources"));
  const kinds = sources.map((s) => get(s, "kind", null));
  if (kinds.filter((k) => k === "drand").length !== 1 || kinds[kinds.length - 1] !== "drand") {
    throw new Fail("sources", "sdr-draw/2 须恰有一个 drand 随机源，且列在最后");
  }
  const drand = sources[sources.length - 1];
  const same = ["public_key", "genesis_time", "period"].every((k) => get(drand, k, null) === QUICKNET[k]);
  if (get(drand, "name", null) === "quicknet" && (!same || get(drand, "demo", false) !== false)) {
    throw new Fail("sources", "quicknet 的公钥、创世时间或周期不符");
  }
  if (get(drand, "name", null) !== "quicknet"
    && (get(drand, "demo", null) !== true || !/^[0-9a-f]{192}$/.test(String(get(drand, "public_key", ""))))) {
    throw new Fail("sources", "非 quicknet 的 drand 链须为声明的演示链（demo: true 与 192 位公钥）");
  }
  const r = get(drand, "round", null);
  if (typeof r !== "number" || !Number.isInteger(r) || r < 1 || r >= 2 ** 64) {
    throw new Fail("entropy.drand", "drand 轮次必须是 1 到 2^64−1 之间的整数");
  }
}

// §9.1: a registry log line is the canonical JSON of its value (keys sorted, no spaces, NFC, no floats).
function logLine(line, field) {
  let value = null;
  try { value = typeof line === "string" ? JSON.parse(line) : null; } catch (e) { value = null; }
  if (!isObj(value) || canonical(nfc(value)) !== line) throw new Fail(field, "不是规范化 JSON（键排序、无空格、NFC、无浮点数）");
  return value;
}
const ENTRY_OF_ACCEPTANCE = [["draw_id", "draw_id"], ["request_digest", "request_digest"],
  ["latest_round", "recorded_round"], ["margin_rounds", "margin"], ["at", "accepted_at"]];
const isCount = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 2 ** 63;

// §9.2–9.3: the acceptance precedes the beacon round; its log entry leads to the published head.
async function checkRegistry(bundle, request, requestDigest) {
  const a = get(bundle, "acceptance", null);
  if (a === null) throw new Fail("acceptance", "缺少受理记录");
  if (!isObj(a) || Object.keys(a).sort().join() !== ACCEPTANCE_KEYS.join()) throw new Fail("acceptance", "受理记录字段不对");
  const checks = [
    ["draw_id", a.draw_id === request.draw_id],
    ["request_digest", a.request_digest === requestDigest],
    ["accepted_at", typeof a.accepted_at === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(a.accepted_at)],
  ];
  for (const [key, ok] of checks) if (!ok) throw new Fail("acceptance." + key, "受理记录与抽取申请不符或格式不对");
  for (const key of ["recorded_round", "margin"]) if (!isCount(a[key])) throw new Fail("acceptance." + key, "应为非负整数");
  const sources = list(request.sources);
  if (a.recorded_round + a.margin >= sources[sources.length - 1].round) {
    throw new Fail("acceptance", "受理时的轮次加提前量不早于信标轮次");
  }
  const proof = get(bundle, "registry", null);
  if (!isObj(proof) || typeof get(proof, "entry", null) !== "string") throw new Fail("registry.entry", "缺少登记簿条目");
  const following = get(proof, "following", null), head = get(proof, "head", null), index = get(proof, "index", null);
  if (!Array.isArray(following)) throw new Fail("registry.following", "应为其后各行的列表");
  if (typeof head !== "string" || !HEX_ONLY.test(head)) throw new Fail("registry.head", "应为 64 位小写十六进制");
  if (typeof index !== "number" || !Number.isInteger(index) || index < 1) {
    throw new Fail("registry.index", "应为正整数（条目在登记簿中的行号）");
  }
  const entry = logLine(proof.entry, "registry.entry");
  let current = await sha256Hex(proof.entry);
  for (let i = 0; i < following.length; i++) {
    if (get(logLine(following[i], `registry.following[${i}]`), "prev", null) !== current) {
      throw new Fail(`registry.following[${i}]`, "prev 不是上一行的哈希：登记簿被改写或路径不完整");
    }
    current = await sha256Hex(following[i]);
  }
  if (current !== head) throw new Fail("registry.head", "由条目和其后各行算出的登记簿头与公布的 head 不符");
  if (get(entry, "event", null) !== "accepted") throw new Fail("registry.entry.event", "登记簿条目不是受理（accepted）记录");
  for (const [key, source] of ENTRY_OF_ACCEPTANCE) {
    if (canonical(get(entry, key, null)) !== canonical(a[source])) {
      throw new Fail("registry.entry." + key, `登记簿条目的 ${key} 与数据包的受理记录 ${source} 不符`);
    }
  }
}

// §10: each published drawn / reserve ref is in the committed list and carries its ticket.
async function sealedStrata(view, seed, published) {
  const seedHash = await sha256Hex(seed);
  const entry = list(need(view, "strata"))[0];
  const refs = list(need(entry, "refs")), pool = new Set(refs), seen = new Set();
  let shown = isObj(published) ? get(published, "sealed", null) : null;
  shown = isObj(shown) ? shown : {};
  async function recomputed(key) {
    const entries = Array.isArray(get(shown, key, null)) ? shown[key] : [];
    const wanted = [...new Set(entries.filter(isObj).map((e) => get(e, "ref", null)))]
      .filter((r) => typeof r === "string" && pool.has(r) && !seen.has(r));
    const kept = (await Promise.all(wanted.map(async (r) => [await ticket(seedHash, r), r]))).sort(cmpTuple);
    for (const [, r] of kept) seen.add(r);
    return kept.map(([t, r]) => ({ ref: r, ticket: t }));
  }
  const drawn = await recomputed("drawn");
  const reserve = await recomputed("reserve");
  return { sealed: { eligible: refs.length, excluded: need(entry, "excluded"), drawn, reserve } };
}

// §3: the drand BLS signature, with the vendored @noble/curves (noble-bls12-381.js, scripts/build-bls.sh),
// under the request's chain key (v2) or quicknet's (v1). Verdicts are cached per (round, signature, key).
const blsVerdicts = new Map();
async function checkBls(request, entropy) {
  for (const s of list(need(request, "sources"))) {
    if (get(s, "kind", null) !== "drand") continue;
    const key = get(s, "public_key", null) || QUICKNET.public_key;
    const signature = str(need(need(entropy, "drand"), "signature"));
    const id = `${s.round}|${signature}|${key}`;
    if (!blsVerdicts.has(id)) {
      const { verifyG1Signature } = await import("./noble-bls12-381.js");
      const round = new Uint8Array(8);
      new DataView(round.buffer).setBigUint64(0, BigInt(int(s.round)));
      blsVerdicts.set(id, verifyG1Signature(signature, await sha256Bytes(round), key));
    }
    if (!blsVerdicts.get(id)) throw new Fail("entropy.drand", `drand 第 ${s.round} 轮的 BLS 签名验证失败`);
  }
}

async function seedString(request, requestDigest, entropy) {
  const parts = [need(request, "algorithm") + "/", "request." + requestDigest + "/"];
  for (const s of list(need(request, "sources"))) {
    const kind = need(s, "kind");
    if (kind === "drand") {
      const beacon = get(entropy, "drand", null) || {};
      if (get(beacon, "round", null) !== need(s, "round")) throw new Fail("entropy.drand", "drand 轮次与请求不符");
      const sigHex = get(beacon, "signature", "");
      if (typeof sigHex !== "string" || !/^([0-9a-fA-F]{2})*$/.test(sigHex)) {
        throw new Fail("entropy.drand", "drand 签名不是十六进制");
      }
      const sig = new Uint8Array((sigHex.match(/../g) || []).map((h) => parseInt(h, 16)));
      if (sig.length !== 48 || sig[0] & 0x40 || !(sig[0] & 0x80)) {
        throw new Fail("entropy.drand", "drand 签名长度或编码无效");
      }
      if (hex(await sha256Bytes(sig)) !== get(beacon, "randomness", null)) {
        throw new Fail("entropy.drand", "drand randomness 不等于 SHA-256(签名)");
      }
      parts.push(`drand.${s.name}.${int(s.round)}.${beacon.randomness}/`);
    } else if (kind === "ceremony") {
      const digits = get(get(entropy, "ceremony", null) || {}, s.name, null);
      if (typeof digits !== "string" || !/^[0-9]{1,200}$/.test(digits)) {
        throw new Fail("entropy.ceremony." + s.name, "现场摇号数字缺失或格式不对");
      }
      parts.push(`ceremony.${s.name}.${digits}/`);
    } else {
      const reveal = get(get(entropy, "reveals", null) || {}, need(s, "name"), null);
      if (reveal === null) {
        if (get(s, "missing", "fail") !== "drop") {
          throw new Fail("entropy.reveals." + s.name, "参与方未揭示，规则为 fail");
        }
        parts.push(`reveal.${s.name}.-/`);
        continue;
      }
      const ok = typeof reveal === "string" && /^[0-9A-Za-z_-]{16,256}$/.test(reveal);
      if (!ok || (await sha256Hex(reveal)) !== need(s, "commitment")) {
        throw new Fail("entropy.reveals." + s.name, "揭示值与承诺不符");
      }
      parts.push(`reveal.${s.name}.${reveal}/`);
    }
  }
  return parts.join("");
}

function gcd(a, b) { while (b) [a, b] = [b, a % b]; return a; }
function ratioOf(text) {
  const m = /^\s*([-+]?\d+)\s*(?:\/\s*([-+]?\d+)\s*)?$/.exec(str(text)); // Fraction(*map(int, t.split("/")))
  if (!m || (m[2] !== undefined && BigInt(m[2]) === 0n)) throw new Malformed("ratio");
  let [n, d] = [BigInt(m[1]), BigInt(m[2] ?? "1")];
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n < 0n ? -n : n, d) || 1n;
  return [n / g, d / g];
}
function stratumCount(spec, eligible) {
  if ("count" in spec) return Math.min(int(spec.count), eligible);
  const [n, d] = ratioOf(need(spec, "ratio"));
  if (eligible === 0 || n === 0n) return 0;
  const e = BigInt(eligible), q = -e * n; // Python: -(-eligible * n // d), floor division
  const floor = q / d - (q % d !== 0n && (q < 0n) !== (d < 0n) ? 1n : 0n);
  return Math.min(eligible, Math.max(1, Number(-floor)));
}

async function drawStrata(request, view, seed) {
  const seedHash = await sha256Hex(seed);
  const objectsRule = need(request, "objects");
  const reserve = int(get(objectsRule, "reserve_count", 10));
  const specs = list(need(objectsRule, "strata")), entries = list(need(view, "strata"));
  const out = {};
  for (let i = 0; i < Math.min(specs.length, entries.length); i++) {
    const spec = specs[i], entry = entries[i];
    const refs = list(need(entry, "refs"));
    const count = stratumCount(spec, refs.length);
    const tickets = await Promise.all(refs.map(async (r) => [await ticket(seedHash, r), r]));
    const ordered = tickets.sort(cmpTuple).slice(0, count + reserve);
    let rule = "count" in spec ? `count ${spec.count}` : "";
    if ("ratio" in spec) { const [n, d] = ratioOf(spec.ratio); rule = `ratio ${n}/${d}`; }
    put(out, need(spec, "name"), {
      eligible: refs.length, excluded: need(entry, "excluded"), rule, count,
      drawn: ordered.slice(0, count).map(([t, r]) => ({ ref: r, ticket: t })),
      reserve: ordered.slice(count).map(([t, r]) => ({ ref: r, ticket: t })),
    });
  }
  return out;
}

function eligible(p, task, items) {
  const window = need(task, "window");
  return get(p, "status", "有效") === "有效"
    && cmp(str(get(p, "cert_valid_from", "0000-01-01")), str(need(window, "start"))) <= 0
    && cmp(str(get(p, "cert_valid_until", "9999-12-31")), str(need(window, "end"))) >= 0
    && items.every((i) => list(get(p, "qualifications", [])).includes(i));
}

// Ids of the people who may serve obj now, in (load, rank hash, id) order (protocol §6, §7.3 step 4a).
async function ranked(pool, obj, blocked, loads, cap, townshipMode, seed, prefix) {
  const out = [];
  for (const p of pool) {
    const id = need(p, "id");
    if (blocked.has(id) || (cap !== null && (loads.get(id) || 0) >= cap)) continue;
    if (townshipMode && !list(get(p, "office_townships", [])).includes(obj.township)) continue;
    out.push([loads.get(id) || 0, await sha256Hex(`${prefix}|${seed}|${obj.id}|${id}`), id]);
  }
  return out.sort(cmpTuple).map((x) => x[2]);
}

// §7.3 step 4b/4c: accept the published step if it is `order` minus skipped people, at most `budget` in all.
function replayStep(order, claimed, k, skipped, budget) {
  if (k <= 0) return [];
  const place = new Map(order.map((pid, n) => [pid, n]));
  const places = claimed.map((pid) => (place.has(pid) ? place.get(pid) : -1));
  if (claimed.length === k && Math.min(...places) >= 0 && places.every((p, i) => i === 0 || places[i - 1] < p)) {
    const claimedSet = new Set(claimed);
    const union = new Set(skipped);
    for (const pid of order.slice(0, places[places.length - 1] + 1)) if (!claimedSet.has(pid)) union.add(pid);
    if (union.size <= budget) {
      for (const pid of union) skipped.add(pid);
      return [...claimed];
    }
  }
  return order.filter((pid) => !skipped.has(pid)).slice(0, k);
}

// Python's list(x or []) for the published members / assistants.
function claimedList(v) {
  if (!v) return [];
  if (Array.isArray(v)) return [...v];
  if (typeof v === "string") return Array.from(v);
  if (isObj(v)) return Object.keys(v);
  throw new Malformed("应为列表");
}

// §7.3: the teams the public data allows, given the published ones.
async function replayTeams(request, inspectors, assistants, objects, published, seed) {
  const task = need(request, "task"), rule = get(request, "teams", {});
  const initiating = need(task, "initiating_unit");
  const units = [...list(need(task, "units"))].sort((a, b) => (need(a, "id") !== initiating) - (need(b, "id") !== initiating));
  // §11: each department's own draw ("team|<unit>" prefix) and minimum, protocol v2 only
  const officerDraw = get(rule, "officer_draw", "central");
  const v2 = get(request, "algorithm", null) === "sdr-draw/2";
  if ((officerDraw !== "central" && officerDraw !== "per_department") ||
      (!v2 && ("officer_draw" in rule || "per_department_min" in rule))) {
    throw new Fail("request.teams", "officer_draw 只能是 central 或 per_department（仅 sdr-draw/2）");
  }
  const prefix = (unit) => (officerDraw === "central" ? "team" : `team|${unit}`);
  const size = int(get(rule, "team_size", 2));
  const perDept = get(rule, "per_department_min", null);
  if (perDept !== null && (typeof perDept !== "number" || !Number.isInteger(perDept) || perDept < 1)) {
    throw new Fail("request.teams", "per_department_min 须为不小于 1 的整数");
  }
  const perUnit = perDept ?? int(get(rule, "per_unit_min", 1));
  const cap = get(rule, "max_objects_per_inspector", null), capA = get(rule, "max_objects_per_assistant", null);
  const townshipMode = get(rule, "mode", "unit") === "township";
  const byUnit = new Map(units.map((u) => [u.id, []]));
  const items = list(get(task, "items", []));
  for (const p of [...list(inspectors)].sort((a, b) => cmp(need(a, "id"), need(b, "id")))) {
    if (byUnit.has(get(p, "unit", null)) && eligible(p, task, items)) byUnit.get(p.unit).push(p);
  }
  const demand = new Map(units.map((u) => [u.id, perUnit]));
  const extra = Math.max(0, size - perUnit * units.length);
  demand.set(initiating, demand.get(initiating) + extra);
  for (const u of units) {
    const d = demand.get(u.id);
    const required = cap === null ? d : Math.max(d, Math.ceil((d * objects.length) / int(cap)));
    if (byUnit.get(u.id).length < required) {
      throw new Fail("teams", `${u.name}：合格且有效的执法检查人员只有 ${byUnit.get(u.id).length} 名，需要 ${required} 名`);
    }
  }
  const q = get(rule, "assistant_qualification", null);
  const helpers = [...list(assistants)].sort((a, b) => cmp(need(a, "id"), need(b, "id")))
    .filter((p) => eligible(p, task, q ? [q] : []));
  const steps = units.map((u) => [byUnit.get(u.id), perUnit, prefix(u.id)])
    .concat([[byUnit.get(initiating), extra, prefix(initiating)]]);
  const loads = new Map(), teams = [];
  for (const [i, obj] of objects.entries()) {
    const claim = i < published.length && isObj(published[i]) ? published[i] : {};
    const claimed = claimedList(get(claim, "members", null));
    const hard = new Set(obj.previous), budget = obj.budget, skipped = new Set();
    let members = [];
    for (const [pool, k, stepPrefix] of steps) {
      const order = await ranked(pool, obj, new Set([...hard, ...members]), loads, cap, townshipMode, seed, stepPrefix);
      members = members.concat(replayStep(order, claimed.slice(members.length, members.length + k), k, skipped, budget));
    }
    const order = await ranked(helpers, obj, hard, loads, capA, false, seed, "assistant");
    const chosen = replayStep(order, claimedList(get(claim, "assistants", null)), int(get(rule, "assistants_per_team", 0)), skipped, budget);
    for (const pid of [...members, ...chosen]) loads.set(pid, (loads.get(pid) || 0) + 1);
    teams.push({ object: obj.id, leader: members.length ? members[0] : null, members, assistants: chosen });
  }
  return teams;
}

// §7.3 step 5: the published recusal fields (a description where malformed) and usable replay values.
function recusal(row) {
  const previous = get(row, "blocked_previous", null), count = get(row, "blocked_count", null);
  const commitment = get(row, "blocked_commitment", null);
  const previousOk = Array.isArray(previous) && previous.every((p) => typeof p === "string");
  const countOk = typeof count === "number" && Number.isInteger(count) && count >= 0;
  const unique = previousOk ? [...new Set(previous)].sort(cmp) : [];
  const shown = {
    blocked_previous: previousOk ? unique : "按编号排序、不重复的人员编号列表",
    blocked_count: countOk ? count : "非负整数",
    blocked_commitment: typeof commitment === "string" && HEX64.test(commitment) ? commitment : "64 位小写十六进制",
  };
  return [shown, unique, countOk ? count : 0];
}

async function recompute(bundle) {
  const request = need(bundle, "request"), pub = need(bundle, "public_pools"), result = need(bundle, "result");
  const algorithm = get(request, "algorithm", null);
  if (!Object.hasOwn(FORMATS, String(algorithm)) || get(bundle, "format", null) !== FORMATS[algorithm]) {
    throw new Fail("format", "数据包格式与抽取算法不符（sdr-draw/1 对应 sdr-draw-bundle/2，sdr-draw/2 对应 /3）");
  }
  const v2 = algorithm === "sdr-draw/2";
  if (v2) checkSourcesV2(request);
  const sealed = v2 && get(need(request, "objects"), "strata_disclosure", "sealed") === "sealed";
  if (v2) await checkRegistry(bundle, request, await digest(request));
  for (const key of ["objects", "inspectors", "assistants"]) {
    if ((await digest(need(pub, key))) !== get(need(request, "pool_digests"), key + "_public", null)) {
      throw new Fail("public_pools." + key, "公开名录的摘要与抽取请求登记的不符");
    }
  }
  const requestDigest = await digest(request);
  const seed = await seedString(request, requestDigest, need(bundle, "entropy"));
  await checkBls(request, bundle.entropy);
  const strata = sealed ? await sealedStrata(pub.objects, seed, get(result, "strata", null)) : await drawStrata(request, pub.objects, seed);
  const privacy = get(request.objects, "privacy", "commit");
  const drawn = Object.values(strata).flatMap((s) => s.drawn.map((d) => d.ref));
  const orderHash = await sha256Hex(seed + "order/");
  const ordered = (await Promise.all(drawn.map(async (r) => [await ticket(orderHash, r), r]))).sort(cmpTuple);
  const published = new Map(list(get(result, "objects", [])).map((o) => [get(o, "ref", null), o]));
  const batches = int(get(request.objects, "batches", 1)), objects = [], teamView = [];
  for (const [i, [t, ref]] of ordered.entries()) {
    const row = published.get(ref);
    if (row === undefined) throw new Fail("objects", `中签对象 ${ref} 未公开`);
    if (privacy === "commit" && (await sha256Hex(str(get(row, "salt", "")) + str(get(row, "id", "")))) !== ref) {
      throw new Fail("objects", `对象 ${get(row, "id", null)} 的盐值与承诺不符`);
    }
    const out = { id: need(row, "id"), ref };
    if (privacy === "commit") out.salt = need(row, "salt");
    const [shown, previous, budget] = recusal(row);
    Object.assign(out, { township: need(row, "township"), batch: Math.floor((i * batches) / ordered.length) + 1, order_ticket: t });
    Object.assign(out, shown);
    objects.push(out);
    teamView.push({ id: row.id, township: row.township, previous, budget });
  }
  const teams = await replayTeams(request, need(pub, "inspectors"), need(pub, "assistants"), teamView, list(get(result, "teams", [])), seed);
  return { algorithm, draw_id: need(request, "draw_id"), request_digest: requestDigest, seed, strata, objects, teams };
}

function diff(expected, found, path) {
  if (isObj(expected) && isObj(found)) {
    // Own keys only: "constructor" or "toString" in a result is an extra field, not Object.prototype's.
    const keys = [...Object.keys(expected), ...Object.keys(found).filter((k) => !Object.hasOwn(expected, k))];
    return keys.flatMap((k) => diff(get(expected, k, null), get(found, k, null), path ? `${path}.${k}` : k));
  }
  if (Array.isArray(expected) && Array.isArray(found) && [...expected, ...found].some((x) => x !== null && typeof x === "object")) {
    const out = expected.length === found.length ? [] : [[path + ".length", expected.length, found.length]];
    for (let i = 0; i < Math.min(expected.length, found.length); i++) out.push(...diff(expected[i], found[i], `${path}[${i}]`));
    return out;
  }
  return canonical(expected ?? null) === canonical(found ?? null) ? [] : [[path, expected, found]];
}

// A list of [field, expected, found]; empty means the draw checks out (verify_draw.check).
const MAX_DEPTH = 64;
const TOO_DEEP = `JSON 嵌套层数过深（超过 ${MAX_DEPTH} 层），不是公布的数据包`;
// Lists/objects nested deeper than MAX_DEPTH (walked without recursion: no stack overflow).
function tooDeep(value) {
  const stack = [[value, 1]];
  while (stack.length) {
    const [item, level] = stack.pop();
    if (item !== null && typeof item === "object") {
      if (level > MAX_DEPTH) return true;
      for (const v of Object.values(item)) stack.push([v, level + 1]);
    }
  }
  return false;
}

// JSON.parse reads 1.0 and 1e0 as the integer 1, where Python's json (verify_draw.py, the engine) reads a
// float, which the protocol refuses (§2: no floats): the downloaded text itself is looked at, so the
// three verifiers give one verdict. After a successful parse, digits outside strings are numbers.
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?/g;
export function hasFloatToken(text) {
  for (const m of text.matchAll(STRING_OR_NUMBER)) {
    if (m[0][0] !== '"' && /[.eE]/.test(m[0])) return true;
  }
  return false;
}

// ``check`` of a bundle parsed from ``text`` (the draw page's download).
export async function checkText(bundle, text) {
  if (!tooDeep(bundle) && hasFloatToken(text)) return [["format", "可重现的抽取", "数据中出现小数，协议不允许"]];
  return check(bundle);
}

export async function check(bundle) {
  if (tooDeep(bundle)) return [["format", "完整的公开数据包", TOO_DEEP]];
  try {
    bundle = nfc(bundle);
    return diff(await recompute(bundle), bundle.result, "");
  } catch (e) {
    if (e instanceof Fail) return [[e.field, "可重现的抽取", e.message]];
    return [["format", "完整的公开数据包", "缺少或错误的字段 " + e.message]];
  }
}
// The button, the plain-Chinese messages and the page-versus-bundle comparison live in verify-page.js,
// verify-messages.js and verify-page-lists.js; this module only recomputes.
