// Site search: exact lookup first (统一社会信用代码 or full object name -> that object's page, from
// the static map generator/site/lookup.py writes), then full text with Pagefind (bundled with the
// site; no external scripts). Filters: 单位, 年度, 检查结果, 事项类别.
//
// The index is sharded (generator/site/search_index.py): pagefind/shards.json names the shards the
// first query searches (栏目 pages and the newest year, or its first bucket when a big year is cut
// into several), the newest year's other buckets (searched one after another while a query has fewer
// results than fill the first screen) and each older year's shards, merged in with Pagefind's
// multisite mergeIndex only when the 年度 filter or the reader asks for them, so the first query's
// download follows one bucket of one year's inspections, not the county's whole history.
const folder = new URL("../pagefind/", import.meta.url);
const root = new URL("../", import.meta.url);
const [bundle, index] = await Promise.all([
  import(new URL("site/pagefind.js", folder).href),
  fetch(new URL("shards.json", folder), { cache: "no-cache" })
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null)
    .then(readManifest),
]);
// shards.json as search_index.manifest writes it; anything else (missing, cut short, edited by hand)
// gives the shards it names correctly and no others, never an exception that would stop the page.
function readManifest(m) {
  const names = (v) => (Array.isArray(v) ? v.filter((n) => typeof n === "string" && /^[a-z0-9-]+$/.test(n)) : []);
  const ok = m && typeof m === "object" && !Array.isArray(m);
  const years = ok && m.years && typeof m.years === "object" ? m.years : {};
  return {
    first: ok ? names(m.first) : [],
    newest_rest: ok ? names(m.newest_rest) : [],
    enough: ok && Number.isInteger(m.enough) && m.enough > 0 ? m.enough : null,
    years: Object.fromEntries(Object.entries(years).filter(([y]) => /^\d{4}$/.test(y)).map(([y, v]) => [y, names(v)])),
    updating: ok && m.updating === true,
  };
}
// Pagefind cuts a zh query with the browser's ICU segmenter, which disagrees with the jieba cut of the
// index: ICU splits 特种 into 特 + 种 and 泗阳 into 泗 + 阳, words the index does not have, so
// 特种设备 found 6 pages out of 43 (Pagefind #1237). This instance is created while <html lang> reads
// "und" (Pagefind reads the language at creation only; it still loads the zh index, the only one), so
// it leaves the query alone and searchTerms() below chooses the words. The page's lang is restored
// in the same tick.
const html = document.documentElement;
const pageLang = html.lang;
async function freshPagefind() {
  html.lang = "und";
  const instance = bundle.createInstance({ baseUrl: root.pathname });
  html.lang = pageLang;
  await instance.init();
  return instance;
}
let pagefind = await freshPagefind();
const merged = new Set(["site"]);
const shardPath = (n) => new URL(`${n}/`, folder).pathname;
// Merge shards; false if one failed to load (a poor line, a partial deploy). Pagefind keeps a
// half-added index and every later search would fail on it, so the instance is made again with the
// shards that did load (from the browser's cache); the failed ones are tried again when next needed.
async function merge(names) {
  const todo = names.filter((n) => !merged.has(n));
  for (const n of todo) merged.add(n);
  try {
    await Promise.all(todo.map((n) => pagefind.mergeIndex(shardPath(n))));
    return true;
  } catch {
    for (const n of todo) merged.delete(n);
    try {
      const again = await freshPagefind();
      await Promise.all([...merged].filter((n) => n !== "site").map((n) => again.mergeIndex(shardPath(n))));
      pagefind = again;
    } catch {
      // the line is down: keep the instance we have; the next search says so if it fails too
    }
    return false;
  }
}
// The newest year's other buckets, and older years newest first (each entry [year, its shards]).
const newestRest = index.newest_rest || [];
const olderYears = Object.entries(index.years).sort((a, b) => b[0].localeCompare(a[0]));
const allLoaded = () =>
  newestRest.every((n) => merged.has(n)) && olderYears.every(([, names]) => names.every((n) => merged.has(n)));
// A page sits in the shard of its latest year, so 年度 = Y needs every shard from year Y on (the
// whole newest year included).
async function mergeFrom(year) {
  return merge([...newestRest, ...olderYears.filter(([y]) => !year || y >= year).flatMap(([, names]) => names)]);
}
await merge(index.first);
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const notice = document.getElementById("search-notice");
const selects = Array.from(form.querySelectorAll("select[data-filter]"));
// serve's preview re-indexes an edit's shards after it shows the edited pages (seconds later):
// meanwhile shards.json says "updating" (search_index.mark_updating), and the reader is told.
if (index.updating) {
  const note = document.createElement("p");
  note.id = "search-updating";
  note.setAttribute("role", "note");
  note.textContent = "预览的搜索索引更新中：刚修改的内容可能还搜不到，请稍候几秒后刷新本页再搜。";
  status.before(note);
}
const GSXT = "https://www.gsxt.gov.cn";

// Filter options (with Pagefind's page counts) are rendered into the page at build time: loading
// them here would fetch every filter chunk of the index before the first search.

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const s of selects) s.value = params.get(s.dataset.filter) || "";

// ---- exact lookup ------------------------------------------------------------------------------
// Same key and hash as generator/site/lookup.py: NFKC, no white space, upper case; FNV-1a 32 bit.
const fold = (t) => String(t || "").normalize("NFKC").replace(/[\s\u200b]+/g, "").toUpperCase();
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// GB 32100-2015: "valid", "check" (right shape, wrong check character) or null (not a code).
function checkChar(first17) {
  let total = 0;
  for (let i = 0; i < 17; i++) total += CHARSET.indexOf(first17[i]) * ((3 ** i) % 31);
  return CHARSET[(31 - (total % 31)) % 31];
}
function codeKind(key) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(key)) return null;
  return key[17] === checkChar(key) ? "valid" : "check";
}
const digits = Number(form.dataset.lookupDigits) || 1;
const shards = new Map();
async function lookup(key) {
  const prefix = fnv1a(key).slice(0, digits);
  if (!shards.has(prefix)) {
    const url = new URL(`search/lookup/${prefix}.json`, root);
    shards.set(prefix, fetch(url).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  }
  const shard = await shards.get(prefix);
  return Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null;
}

// ---- name parts ------------------------------------------------------------------------------
// generator/site/name_index.py: every two-character piece (bigram) of each name's key maps to the
// names holding it, or to their number when too many to list. Every name holding the query holds
// each of its bigrams, so the shortest listed bigram's names, filtered by "holds the query", are
// all of them. null: the index cannot tell (a one-character query, or only very common pieces).
const nameDigits = Number(form.dataset.nameDigits) || 1;
const nameShards = new Map();
function nameShard(prefix) {
  if (!nameShards.has(prefix)) {
    const url = new URL(`search/names/${prefix}.json`, root);
    nameShards.set(
      prefix,
      fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${r.status}`);
        return r.json();
      }),
    );
    nameShards.get(prefix).catch(() => nameShards.delete(prefix)); // a failed file is asked again next time
  }
  return nameShards.get(prefix);
}
async function nameMatches(key) {
  const chars = Array.from(key); // code points, as Python counts them
  const grams = [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
  if (!grams.length) return null;
  const files = await Promise.all(grams.map((g) => nameShard(fnv1a(g).slice(0, nameDigits))));
  const lists = [];
  for (const [i, g] of grams.entries()) {
    if (!Object.prototype.hasOwnProperty.call(files[i], g)) return []; // no name holds this piece
    if (Array.isArray(files[i][g])) lists.push(files[i][g]);
  }
  if (!lists.length) return null;
  lists.sort((a, b) => a.length - b.length);
  return lists[0].filter((t) => Array.isArray(t) && fold(t[0]).includes(key));
}
const namesBox = document.getElementById("search-names");
const NAMES_SHOWN = 20;
// The objects whose name holds the query, above the full-text results (those come from Pagefind).
function showNames(q, hits) {
  namesBox.replaceChildren();
  namesBox.hidden = !hits || !hits.length;
  if (namesBox.hidden) return;
  const ul = document.createElement("ul");
  ul.append(
    ...hits.slice(0, NAMES_SHOWN).map(([name, url]) => {
      const li = document.createElement("li");
      li.append(link(name, new URL(url, root).href));
      return li;
    }),
  );
  namesBox.append(para(`名称含“${q}”的检查对象（${hits.length} 个）：`), ul);
  if (hits.length > NAMES_SHOWN) {
    namesBox.append(para(`只列出前 ${NAMES_SHOWN} 个；输入更完整的名称可以缩小范围。`));
  }
}

function say(...nodes) {
  notice.replaceChildren(...nodes);
  notice.hidden = nodes.length === 0;
}
function para(...parts) {
  const p = document.createElement("p");
  p.append(...parts);
  return p;
}
function link(text, href) {
  return Object.assign(document.createElement("a"), { textContent: text, href });
}

// True when the query was answered here (the caller then skips full text).
async function exact(q, stale) {
  const key = fold(q);
  const kind = codeKind(key);
  if (kind === "check") {
    status.textContent =
      `“${key}”不是有效的统一社会信用代码：按前 17 位，第 18 位校验码应为 ${checkChar(key)}，` +
      "而输入的是 " + key[17] + "。请对照营业执照核对后重新输入。";
    return true;
  }
  const hits = key.length >= 2 ? await lookup(key) : null;
  if (stale()) return true; // a newer query owns the page now
  if (hits && hits.length === 1) {
    status.textContent = `正在打开“${hits[0][0]}”……`;
    document.body.dataset.searchState = "redirect";
    location.replace(new URL(hits[0][1], root).href);
    return true;
  }
  if (hits) {
    status.textContent = `有 ${hits.length} 个对象名称为“${hits[0][0]}”：`;
    list.replaceChildren(
      ...hits.map(([name, url]) => {
        const li = document.createElement("li");
        li.append(link(name, new URL(url, root).href));
        return li;
      }),
    );
    return true;
  }
  if (kind === "valid") {
    status.textContent = "未查到该企业的抽查记录。";
    say(
      para(
        `本站公示的是本县“双随机、一公开”抽查中被抽中或检查过的对象，统一社会信用代码 ${key} 不在其中。`,
        "企业的登记、年报、行政处罚等信息以",
        link("国家企业信用信息公示系统", GSXT),
        "为准。",
      ),
    );
    return true;
  }
  return false;
}

// ---- full text ---------------------------------------------------------------------------------
// Result fragments are fetched in small batches: each costs a request, and the first screen should
// stay light on a slow line (target < 300 KB for a common query). "加载更多" fetches the next batch.
const BATCH = 8;
const more = document.getElementById("search-more");
let current = null; // the search whose results are on screen
let generation = 0; // bumped by every run(): an older run that resumes late leaves the page alone
let shown = 0;
let named = 0; // objects the name-part lookup listed for the current query

// Pagefind matches a query word that is not in the index by ever shorter prefixes, so a nonsense
// query still "finds" pages, and it ANDs 发现 + 问题 so a page saying 未发现问题 matches 发现问题.
// Each batch is therefore re-ranked by what the page really says: its title is the query, it holds
// the whole query not preceded by a negation (未/无/不/没), it holds every query word; a first batch
// with none of these means there is nothing to show.
const segmenter = "Segmenter" in Intl ? new Intl.Segmenter("zh-CN", { granularity: "word" }) : null;
function words(q) {
  if (!segmenter) return [fold(q)];
  return Array.from(segmenter.segment(q), (s) => (s.isWordLike ? fold(s.segment) : "")).filter(Boolean);
}
// The words sent to Pagefind. A term matches the index words it is a prefix of, and a term no index
// word starts with is shortened until one does. ICU keeps two-character words (中心, 小学, 设备) as
// jieba does; runs of single characters (its unknown words: 特 种, 泗 阳 县, 岚 芮) are joined back
// into one term, which then matches jieba's 特种 or 泗阳; longer words are cut into pairs, the way
// jieba cuts most compounds.
function searchTerms(q) {
  if (!segmenter) return fold(q).toLowerCase();
  const out = [];
  let run = "";
  const flush = () => {
    if (run) out.push(run);
    run = "";
  };
  for (const s of segmenter.segment(q.normalize("NFKC"))) {
    const w = s.segment;
    if (!s.isWordLike) flush();
    else if (/^[\u3400-\u9fff]$/.test(w)) run += w;
    else if (/^[\u3400-\u9fff]{3,}$/.test(w)) {
      flush();
      for (let i = 0; i < w.length; i += 2) out.push(w.slice(i, i + 2));
    } else {
      flush();
      out.push(w.toLowerCase());
    }
  }
  flush();
  return out.join(" ");
}
async function fullText(q, filters, stale) {
  if (filters["年度"]) await mergeFrom(filters["年度"]);
  const terms = q ? searchTerms(q) : null;
  let search = await pagefind.search(terms, { filters });
  for (const name of newestRest) {
    // the newest year's buckets, one at a time, until the first screen can be filled (unless names
    // were listed: the reader has the objects, and the rest is one click away)
    if (stale() || named || search.results.length >= (index.enough || POOL)) break;
    if (merged.has(name)) continue;
    if (!(await merge([name]))) break; // not loaded: say what was searched; the next query tries again
    search = await pagefind.search(terms, { filters });
  }
  if (!search.results.length && !allLoaded() && !named) {
    // nothing this year: say "nothing" only after every year was searched (unless names were found:
    // the reader has an answer, and older years stay one click away)
    await mergeFrom(null);
    search = await pagefind.search(terms, { filters });
  }
  return search;
}

// Shown under the results while earlier years are not searched yet.
const older = Object.assign(document.createElement("button"), { type: "button", id: "search-older", hidden: true });
{
  const years = olderYears.map(([y]) => y);
  const parts = newestRest.length ? ["最近一个年度的其余页面"] : [];
  if (years.length) parts.push(`更早年度（${years[years.length - 1]}—${years[0]} 年）`);
  older.textContent = "同时搜索" + parts.join("和");
}
more.after(older);
older.addEventListener("click", async () => {
  older.hidden = true;
  await mergeFrom(null);
  run();
});

function affirmed(text, phrase) {
  let at = text.indexOf(phrase);
  while (at >= 0) {
    if (!"未无不没".includes(text[at - 1] || "")) return true;
    at = text.indexOf(phrase, at + 1);
  }
  return false;
}
function relevance(d, q) {
  const title = fold(d.meta.title);
  const text = title + "\n" + fold(d.content);
  const phrase = fold(q);
  if (title === phrase) return 4;
  if (affirmed(title, phrase)) return 3;
  if (affirmed(text, phrase)) return 2;
  return words(q).every((w) => text.includes(w)) ? 1 : 0;
}

// Pagefind's excerpt is not HTML: it is the page's text (already decoded once, as the page shows it)
// with only "<" and ">" written &lt; &gt; and <mark> around the hits; any other "&" is the page's own
// text. Parsed as HTML it was decoded a second time, so a finding typing one digit of a mobile number
// as &#48; (which every page prints as written and every scan reads as no number) showed the whole
// number here, and &#68;类 showed a credit class (red team 7).
// So it is never parsed: split at Pagefind's own <mark> tags (a "<" of the page is &lt; by then) and
// each piece read back as the page's text (`pageTexts`), copied as text nodes.
function excerptNodes(excerpt, content) {
  const pieces = [];
  let marked = false;
  for (const part of String(excerpt || "").split(/(<\/?mark>)/)) {
    if (part === "<mark>" || part === "</mark>") marked = part === "<mark>";
    else if (part) pieces.push([part, marked]);
  }
  const texts = pageTexts(pieces.map(([t]) => t), String(content || ""));
  return pieces.map(([, isMark], i) =>
    isMark ? Object.assign(document.createElement("mark"), { textContent: texts[i] }) : document.createTextNode(texts[i]),
  );
}
// The pieces as the page's text says them: "&lt;" is a "<" Pagefind escaped or the page's own "&lt;",
// and the page's text (Pagefind's `content`) tells which. Where it cannot (an excerpt whose words
// Pagefind joined differently), "&lt;"/"&gt;" become "<"/">" and nothing else is decoded.
const reEscape = (t) => t.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
function pageTexts(pieces, content) {
  const pattern = pieces
    .map((p) => "(" + p.split(/(&lt;|&gt;)/).map((t) => (t === "&lt;" ? "(?:<|&lt;)" : t === "&gt;" ? "(?:>|&gt;)" : reEscape(t))).join("") + ")")
    .join("");
  const m = pieces.length ? new RegExp(pattern).exec(content) : null;
  return m ? m.slice(1) : pieces.map((p) => p.replace(/&lt;|&gt;/g, (e) => (e === "&lt;" ? "<" : ">")));
}

function item(d) {
  const li = document.createElement("li");
  const a = link(d.meta.title || d.url, d.url);
  const p = document.createElement("p");
  p.append(...excerptNodes(d.excerpt, d.content));
  li.append(a, p);
  return li;
}

function nothing(q) {
  if (named) {
    status.textContent = `名称含“${q}”的检查对象见上；全文搜索没有找到其他内容。`;
    return;
  }
  status.textContent = q ? `没有找到与“${q}”相关的内容。` : "没有符合筛选条件的内容。";
  say(
    para(
      "可以试试：换一个更短的关键词（如企业字号、事项名称中的两三个字）；检查是否有错别字；去掉筛选条件；",
      "按企业查找时输入营业执照上的完整名称或 18 位统一社会信用代码。",
    ),
  );
}

// The shards are separate Pagefind indexes: their scores are not on one scale, and a shard without a
// query word matches it by a shorter prefix (so it returns unrelated pages, sometimes scored first).
// The first screen is therefore chosen from a wider pool (POOL results, one small fragment each) by
// what the pages really say; later batches come from the same pool, refilled in Pagefind's order.
const POOL = BATCH * 3;
let pool = []; // [relevance, Pagefind order, data] fetched but not shown yet
let loaded = 0; // results of the current search whose data was fetched
async function showMore(search, q) {
  const next = search.results.slice(loaded, loaded + (shown === 0 ? POOL : BATCH));
  const batch = await Promise.all(next.map((r) => r.data()));
  if (search !== current) return; // a newer search replaced this one meanwhile
  pool.push(...batch.map((d, i) => [q ? relevance(d, q) : 0, loaded + i, d]));
  loaded += next.length;
  if (q && shown === 0 && pool.every(([s]) => s === 0)) {
    // Only prefix matches (a shard lacking a query word answers with a shorter prefix): the page
    // that says it may sit in a shard not searched yet. Search everything before saying nothing.
    if (!allLoaded() && !named && (await mergeFrom(null))) {
      if (search === current) run();
      return;
    }
    if (search !== current) return;
    nothing(q);
    older.hidden = allLoaded(); // a shard that did not load: the reader can try again
    document.body.dataset.searchState = "done";
    return;
  }
  pool.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const first = shown;
  list.append(...pool.splice(0, BATCH).map(([, , d]) => item(d)));
  shown = list.children.length;
  const total = search.results.length;
  status.textContent = `找到 ${total} 个结果` + (total > shown ? `，已显示 ${shown} 个。` : "。");
  more.hidden = shown >= total;
  older.hidden = allLoaded();
  if (!older.hidden) {
    const partly = !newestRest.every((n) => merged.has(n));
    status.textContent += partly ? "（已搜索栏目页和最近一个年度的部分页面）" : "（已搜索栏目页和最近一个年度）";
  }
  if (first > 0 && list.children[first]) list.children[first].querySelector("a").focus();
  document.body.dataset.searchState = "done";
}

// Every search, and every button that continues one, ends in an answer or this message: a file of the
// index that does not arrive (a poor line, a site being updated) never leaves the page busy.
function failed(mine) {
  if (mine !== generation) return;
  status.textContent = "搜索时有索引文件没有读到（网络不稳定或网站正在更新），请稍后再试。";
  document.body.dataset.searchState = "done";
}

async function run() {
  const mine = ++generation;
  try {
    await answer(mine);
  } catch {
    failed(mine);
  }
}

async function answer(mine) {
  const stale = () => mine !== generation;
  document.body.dataset.searchState = "busy";
  const chosen = {};
  for (const s of selects) if (s.value) chosen[s.dataset.filter] = s.value;
  const q = input.value.trim();
  list.replaceChildren();
  say();
  more.hidden = true;
  older.hidden = true;
  shown = 0;
  loaded = 0;
  pool = [];
  current = null;
  if (!q && !Object.keys(chosen).length) {
    status.textContent = "请输入关键词或选择筛选条件。";
    document.body.dataset.searchState = "done";
    return;
  }
  showNames(q, null);
  named = 0;
  if (q && (await exact(q, stale))) {
    if (!stale() && document.body.dataset.searchState !== "redirect") document.body.dataset.searchState = "done";
    return;
  }
  if (stale()) return;
  // name parts answer without filters only: a filter asks about pages, not about names
  const names = q && !Object.keys(chosen).length ? await nameMatches(fold(q)).catch(() => null) : null;
  if (stale()) return;
  showNames(q, names);
  named = names ? names.length : 0;
  const search = await fullText(q, chosen, stale);
  if (stale()) return; // a newer query was submitted meanwhile: its answer is the one to show
  current = search;
  if (!search.results.length) {
    nothing(q);
    older.hidden = allLoaded(); // a shard that did not load: the reader can try again
    document.body.dataset.searchState = "done";
    return;
  }
  await showMore(search, q);
}

more.addEventListener("click", () => {
  const mine = generation;
  if (current) showMore(current, input.value.trim()).catch(() => failed(mine));
});
form.addEventListener("submit", (e) => {
  e.preventDefault();
  const p = new URLSearchParams();
  if (input.value.trim()) p.set("q", input.value.trim());
  for (const s of selects) if (s.value) p.set(s.dataset.filter, s.value);
  history.replaceState(null, "", "?" + p.toString());
  run();
});
for (const s of selects) s.addEventListener("change", () => form.requestSubmit());
document.body.dataset.searchReady = "1";
run();
