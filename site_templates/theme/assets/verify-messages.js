// Plain-Chinese messages for each way a draw can fail its check (issue 14 point 3). verify-draw.js
// recomputes and returns [field, expected, found] triples in the protocol's terms (field paths such as
// strata.sealed.drawn[1].ref, teams[0].members); this module turns them into sentences a citizen
// understands, grouped by kind, most telling kind first. Words: 票号 (ticket), 抽中对象 (drawn
// object), 备选对象 (reserve), 承诺值 (salted commitment), 检查组 (team) — the same as the draw page.

export const KINDS = {
  missing: "找不到公开数据包",
  corrupt: "公开数据包已损坏",
  signature: "随机信标的签名无效",
  seed: "随机种子对不上",
  request: "抽取申请与登记时不一致",
  registry: "受理记录对不上",
  pool: "对象不在登记的候选名单中",
  list: "抽中或备选名单不对",
  order: "抽中顺序不对",
  team: "检查组不对",
  page: "本页内容与公开数据包不一致",
  other: "重新计算的结果与公布的不一致",
};
const PRIORITY = Object.keys(KINDS);

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const short = (ref) => (typeof ref === "string" && ref.length > 16 ? ref.slice(0, 12) + "…" : String(ref));
const listOf = (v) => (Array.isArray(v) ? v : []);

function drandSource(bundle) {
  const sources = listOf(isObj(bundle.request) ? bundle.request.sources : null);
  return sources.find((s) => isObj(s) && s.kind === "drand") || null;
}
// "drand 第 R 轮" for quicknet, "演示信标“x”第 R 轮" for a demonstration chain: drand is named only
// when the draw used it.
function beaconWords(s) {
  if (!s) return "随机信标";
  return s.demo === true || s.name !== "quicknet" ? `演示信标“${s.name}”第 ${s.round} 轮` : `drand 第 ${s.round} 轮`;
}

function roster(bundle) {
  const pools = isObj(bundle.public_pools) ? bundle.public_pools : {};
  const out = new Map();
  for (const p of [...listOf(pools.inspectors), ...listOf(pools.assistants)]) {
    if (isObj(p) && typeof p.id === "string") out.set(p.id, typeof p.name === "string" ? p.name : p.id);
  }
  return out;
}
const people = (ids, names) => (Array.isArray(ids) ? ids.map((id) => names.get(id) || String(id)).join("、") || "（无人）" : "（无）");

// The seed's source segments as the bundle's entropy gives them, and as the published seed has them.
function seedSegments(bundle) {
  const request = isObj(bundle.request) ? bundle.request : {};
  const entropy = isObj(bundle.entropy) ? bundle.entropy : {};
  const out = [];
  for (const s of listOf(request.sources)) {
    if (!isObj(s)) continue;
    if (s.kind === "drand") {
      const value = isObj(entropy.drand) ? entropy.drand.randomness : undefined;
      out.push({ label: `${beaconWords(s)}随机数`, text: `drand.${s.name}.${s.round}.${value}`, value });
    } else if (s.kind === "ceremony") {
      const value = isObj(entropy.ceremony) ? entropy.ceremony[s.name] : undefined;
      out.push({ label: `现场摇号数字（${s.name}）`, text: `ceremony.${s.name}.${value}`, value });
    } else if (s.kind === "commit_reveal") {
      const value = isObj(entropy.reveals) && s.name in entropy.reveals ? entropy.reveals[s.name] : "-";
      out.push({ label: `参与方“${s.name}”的封存随机值`, text: `reveal.${s.name}.${value}`, value });
    }
  }
  return out;
}

// Which source differs between the bundle's recorded values and the published seed string.
function seedFindings(bundle) {
  const seed = isObj(bundle.result) ? bundle.result.seed : undefined;
  if (typeof seed !== "string") return [];
  const published = seed.split("/").slice(3, -1); // algorithm "sdr-draw/N", "request.<digest>", sources…, ""
  const out = [];
  seedSegments(bundle).forEach((seg, i) => {
    const shown = published[i];
    if (shown === seg.text) return;
    const inSeed = shown === undefined ? "（缺少）" : shown.split(".").slice(seg.label.startsWith("现场") || seg.label.startsWith("参与方") ? 2 : 3).join(".");
    out.push({
      kind: "seed",
      text: `${seg.label}：数据包中记录的是 ${short(seg.value)}，公布的种子中却是 ${short(inSeed)}。种子或随机数被改动过，按它抽出的结果不可信。`,
    });
  });
  return out;
}

// Published drawn / reserve refs that are not in the registered pool (the bundle's public list).
function poolFindings(bundle) {
  const pools = isObj(bundle.public_pools) && isObj(bundle.public_pools.objects) ? bundle.public_pools.objects : {};
  const refs = new Set(listOf(pools.strata).flatMap((s) => (isObj(s) ? listOf(s.refs) : [])));
  const strata = isObj(bundle.result) && isObj(bundle.result.strata) ? bundle.result.strata : {};
  const out = [];
  for (const s of Object.values(strata)) {
    if (!isObj(s)) continue;
    for (const [key, what] of [["drawn", "抽中对象"], ["reserve", "备选对象"]]) {
      for (const e of listOf(s[key])) {
        if (isObj(e) && !refs.has(e.ref)) {
          out.push({ kind: "pool", text: `${what}（承诺值 ${short(e.ref)}）不在抽取前登记的候选名单中。` });
        }
      }
    }
  }
  return out;
}

const LIST = /^(strata\.(.+)\.(drawn|reserve)|objects)(\[(\d+)\]\.(\w+)|\.length)$/;

// Same refs in another order -> "order"; otherwise the list itself is wrong -> "list".
function listFindings(rows) {
  const groups = new Map();
  for (const [field, expected, found] of rows) {
    const m = LIST.exec(field);
    const key = m[1];
    if (!groups.has(key)) groups.set(key, { length: null, at: new Map(), other: [] });
    const g = groups.get(key);
    if (m[4] === ".length") g.length = [expected, found];
    else if (m[6] === "ref" || (key === "objects" && m[6] === "id")) {
      if (!g.at.has(m[5]) || m[6] === "id") g.at.set(m[5], [expected, found, m[6]]);
    } else g.other.push([Number(m[5]), m[6], expected, found]);
  }
  const out = [];
  for (const [key, g] of groups) {
    const what = key === "objects" ? "抽中对象" : key.endsWith("reserve") ? "备选对象" : "抽中对象";
    if (g.length) {
      out.push({ kind: "list", text: `公布的${what}有 ${g.length[1]} 个，按规则和随机数重算应为 ${g.length[0]} 个。` });
    }
    const pairs = [...g.at.entries()].sort((a, b) => a[0] - b[0]);
    const exp = pairs.map(([, p]) => String(p[0])).sort(), got = pairs.map(([, p]) => String(p[1])).sort();
    const permuted = !g.length && pairs.length > 1 && exp.join() === got.join();
    for (const [i, [expected, found, f]] of pairs) {
      const show = (v) => (f === "id" ? String(v) : `承诺值 ${short(v)}`);
      out.push(permuted
        ? { kind: "order", text: `${what}的顺序不对：按票号第 ${Number(i) + 1} 位应为 ${show(expected)}，公布的是 ${show(found)}。` }
        : { kind: "list", text: `第 ${Number(i) + 1} 个${what}应为 ${show(expected)}，公布的是 ${show(found)}。` });
    }
    if (!pairs.length) {
      for (const [i, f] of g.other) {
        const words = { ticket: "票号", order_ticket: "排序票号", batch: "批次", township: "所在乡镇", salt: "盐值" }[f] || f;
        out.push({ kind: "list", text: `第 ${i + 1} 个${what}的${words}与按种子重算的不同。` });
      }
    }
  }
  return out;
}

function teamFinding(field, expected, found, bundle, names) {
  const teams = isObj(bundle.result) ? listOf(bundle.result.teams) : [];
  let m = /^teams\[(\d+)\]\.(members|assistants|leader|object)$/.exec(field);
  if (m) {
    const i = Number(m[1]), team = isObj(teams[i]) ? teams[i] : {};
    const object = typeof team.object === "string" ? `（检查对象 ${team.object}）` : "";
    if (m[2] === "leader") return `第 ${i + 1} 组${object}的组长按规则应为 ${names.get(expected) || expected}，公布的是 ${names.get(found) || found}。`;
    if (m[2] === "object") return `第 ${i + 1} 组检查的对象应为 ${expected}，公布的是 ${found}。`;
    const who = m[2] === "members" ? "成员" : "辅助人员";
    return `第 ${i + 1} 组${object}的${who}按规则应为 ${people(expected, names)}，公布的是 ${people(found, names)}。`;
  }
  if (field === "teams.length") return `公布了 ${found} 个检查组，应为 ${expected} 个（每个抽中对象一个）。`;
  m = /^objects\[(\d+)\]\.blocked_/.exec(field);
  if (m) return `第 ${Number(m[1]) + 1} 个抽中对象的回避信息（需回避人数或承诺值）格式不对。`;
  return `检查组无法按公开的规则和人员名单组成：${found}`;
}

// One finding per mismatch (or per source), in plain words. `mismatches` is verify-draw.js check()'s.
function classify(bundle, mismatches) {
  const names = roster(bundle);
  const out = [], lists = [];
  const beacon = drandSource(bundle);
  for (const [field, expected, found] of mismatches) {
    const text = typeof found === "string" ? found : "";
    if (field === "format") {
      out.push({ kind: "corrupt", text: `公开数据包不完整或格式不对，无法核验（${text}）。请重新下载；若仍如此，请向县联席办反映。` });
    } else if (field === "entropy.drand") {
      out.push({
        kind: "signature",
        text: /BLS/.test(text)
          ? `${beaconWords(beacon)}随机数的签名无效：数据包里的随机数不是${beacon && beacon.demo ? "这条演示链" : " drand 网络"}产生的。`
          : /轮次/.test(text)
            ? `数据包里的随机信标轮次与申请中固定的${beaconWords(beacon)}不符。`
            : `${beaconWords(beacon)}的随机数与它的签名对不上（随机数应等于签名的 SHA-256）。`,
      });
    } else if (field.startsWith("entropy.ceremony.")) {
      out.push({ kind: "seed", text: `现场摇号数字（${field.slice(17)}）缺失或不是数字。` });
    } else if (field.startsWith("entropy.reveals.")) {
      out.push({ kind: "seed", text: `参与方“${field.slice(16)}”公开的封存值与事先公开的承诺值不符（或缺失）。` });
    } else if (field === "seed") {
      out.push({ kind: "seed", text: "公布的随机种子与按数据包中的申请和随机数重新拼出的种子不一致。" });
    } else if (field === "request_digest" || field === "draw_id" || field === "algorithm" || field === "sources") {
      out.push({ kind: "request", text: field === "sources" ? `申请中的随机源不符合协议：${text}` : "抽取申请的内容与抽取时使用的不一致：申请被改动过。" });
    } else if (field.startsWith("acceptance") || field.startsWith("registry")) {
      out.push({ kind: "registry", text: `受理记录或公开登记簿记录对不上（${text}）：无法证明申请是在随机数产生之前受理的。` });
    } else if (field.startsWith("public_pools.")) {
      const which = field.endsWith("objects") ? "候选对象名单" : field.endsWith("inspectors") ? "执法检查人员名单" : "辅助人员名单";
      out.push({ kind: "pool", text: `${which}与抽取前登记的指纹不一致：名单在登记后被改动过。` });
    } else if (field === "objects" && /盐值/.test(text)) {
      const id = /对象 (\S+) 的盐值/.exec(text);
      out.push({ kind: "pool", text: `抽中对象 ${id ? id[1] : ""} 打不开候选名单中的承诺值：它不是登记的候选对象，或编号被改动过。` });
    } else if (field === "objects") {
      const ref = /([0-9a-f]{64}|\S+) 未公开/.exec(text);
      out.push({ kind: "list", text: `按随机数应当抽中的对象（承诺值 ${short(ref ? ref[1] : "")}）没有出现在公布的抽中名单中。` });
    } else if (field.startsWith("teams") || /^objects\[\d+\]\.blocked_/.test(field)) {
      out.push({ kind: "team", text: teamFinding(field, expected, found, bundle, names) });
    } else if (LIST.test(field)) {
      lists.push([field, expected, found]);
    } else if (/^strata\./.test(field)) {
      out.push({ kind: "list", text: `抽取数量或候选人数与按规则重算的不同（${field}）。` });
    } else {
      out.push({ kind: "other", text: `${field} 与重新计算的结果不一致。` });
    }
  }
  return out.concat(listFindings(lists));
}

// All findings for a bundle and its check() result, most telling kind first, duplicates removed.
export function explain(bundle, mismatches) {
  if (!isObj(bundle)) return [{ kind: "corrupt", text: "公开数据包不是一个数据对象，无法核验。" }];
  const findings = [];
  if (mismatches.length) findings.push(...seedFindings(bundle));
  findings.push(...poolFindings(bundle), ...classify(bundle, mismatches));
  const seen = new Set();
  return findings
    .filter((f) => (seen.has(f.text) ? false : seen.add(f.text)))
    .sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
}

// The bundle could not be had at all: a missing file, an HTML page, broken JSON.
export function loadProblem(kind, detail) {
  const text = kind === "missing"
    ? `找不到本次抽取的公开数据包（${detail}）。没有数据包就无法核验，请稍后重试；若仍如此，请向县联席办反映。`
    : `公开数据包已损坏，无法读取（${detail}）。请重新下载；若仍如此，请向县联席办反映。`;
  return [{ kind, text }];
}

// What a passed check established for this draw (drand is named only when the draw used it).
export function passedLines(bundle) {
  const request = isObj(bundle.request) ? bundle.request : {};
  const lines = [`✓ 核验通过：抽取 ${request.draw_id || ""} 的随机种子、票号、抽中名单、备选名单、批次和检查组都可以重现，本页列出的内容与公开数据包一致。`];
  const beacon = drandSource(bundle);
  if (beacon && (beacon.demo === true || beacon.name !== "quicknet")) {
    lines.push(`注意：本次抽取使用的是演示信标“${beacon.name}”，不是真实的 drand 公共随机信标，只用于演示和培训。签名已核对，但它不能证明随机数事先无人知道。`);
  } else if (beacon) {
    lines.push(`已核对 drand 第 ${beacon.round} 轮随机数的签名：随机数确实来自 drand 网络。`);
  }
  // Only v2 checks an acceptance: a v1 bundle carrying one has had nothing of it verified.
  if (request.algorithm === "sdr-draw/2") {
    lines.push("已核对受理记录：申请在随机数产生之前已受理，受理记录和其后各行的哈希链完整。");
    const reg = isObj(bundle.registry) ? bundle.registry : {};
    const line = reg.index + (Array.isArray(reg.following) ? reg.following.length : 0);
    // §9.3: a path to a head nobody else has seen proves nothing; only the citizen can compare it.
    // The path ends at the last line of the draw's year: its head is that line's hash, linked to the current head by the published log.
    lines.push(`请再核对登记簿头：受理记录位于公开登记簿第 ${reg.index} 行，数据包带到第 ${line} 行（受理当年的最后一条记录，`
      + `当年未结束时为打包时的最后一条），由它们算出的登记簿头是 ${reg.head}（第 ${line} 行的哈希）。`
      + `请确认它与您当时存档的登记簿头相同；或者下载网站公开的日志文件 draws/log.jsonl，确认其中第 ${line} 行的 SHA-256 哈希就是它、`
      + "其后每一行的 prev 都是前一行的哈希、最后一行的哈希就是“如何核验”页面上的当前登记簿头。"
      + "若对不上，这份受理证明只对应一本别人没有见过的登记簿，不能证明申请已公开登记。");
  }
  return lines;
}
