// Site search with Pagefind (bundled with the site; no external scripts). Filters: 单位, 年度, 检查结果, 事项类别.
const pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
await pagefind.options({ baseUrl: new URL("../", import.meta.url).pathname });
await pagefind.init();
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const list = document.getElementById("search-results");
const status = document.getElementById("search-status");
const selects = Array.from(form.querySelectorAll("select[data-filter]"));

// Filter options (with Pagefind's page counts) are rendered into the page at build time: loading
// them here would fetch every filter chunk of the index before the first search.

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
for (const s of selects) s.value = params.get(s.dataset.filter) || "";

// Result fragments are fetched in small batches: each costs a request, and the first screen should
// stay light on a slow line (target < 300 KB for a common query). "加载更多" fetches the next batch.
const BATCH = 8;
const more = document.getElementById("search-more");
let current = null;
let shown = 0;

// Pagefind's excerpt is HTML (page text, escaped, with <mark> around the hits). It is never assigned
// as markup: parsed in an inert document, only its text and the <mark> elements are copied over, so
// record text can never become an element here whatever Pagefind does with it.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(String(html || ""), "text/html");
  return Array.from(doc.body.childNodes, (n) =>
    n.nodeName === "MARK"
      ? Object.assign(document.createElement("mark"), { textContent: n.textContent })
      : document.createTextNode(n.textContent),
  );
}

function item(d) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = d.url;
  a.textContent = d.meta.title || d.url;
  const p = document.createElement("p");
  p.append(...excerptNodes(d.excerpt));
  li.append(a, p);
  return li;
}

async function showMore(search) {
  const batch = await Promise.all(search.results.slice(shown, shown + BATCH).map((r) => r.data()));
  if (search !== current) return; // a newer search replaced this one meanwhile
  const first = shown;
  list.append(...batch.map(item));
  shown += batch.length;
  const total = search.results.length;
  status.textContent = `找到 ${total} 个结果` + (total > shown ? `，已显示 ${shown} 个。` : "。");
  more.hidden = shown >= total;
  if (first > 0 && list.children[first]) list.children[first].querySelector("a").focus();
}

async function run() {
  const chosen = {};
  for (const s of selects) if (s.value) chosen[s.dataset.filter] = s.value;
  const q = input.value.trim();
  list.replaceChildren();
  more.hidden = true;
  shown = 0;
  if (!q && !Object.keys(chosen).length) {
    current = null;
    status.textContent = "请输入关键词或选择筛选条件。";
    return;
  }
  const search = await pagefind.search(q || null, { filters: chosen });
  current = search;
  await showMore(search);
}

more.addEventListener("click", () => current && showMore(current));
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
