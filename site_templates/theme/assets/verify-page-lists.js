// The page's own lists against the bundle (issue 14 point 3): the arithmetic check proves the bundle,
// this proves the page shows what the bundle says. The draw template marks what it shows with data-
// attributes (site_templates/pages/draw.html); both the marked id and the visible text must equal
// the bundle, so editing either the markup or the words of the page fails the check. Object names
// are not in the bundle (its pools hold codes and commitments only): the code shown next to each
// name is what is compared.

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const listOf = (v) => (Array.isArray(v) ? v : []);
const text = (el) => (el ? el.textContent.trim() : null);
const page = (t) => ({ kind: "page", text: t + "页面可能在发布后被改动，请以公开数据包和核验结果为准，并向县联席办反映。" });

// Compare two lists shown/bundled, naming the first position that differs.
function compareList(what, shown, expected, out) {
  const say = (v) => (v === null || v === undefined ? "（无）" : String(v));
  if (shown.length !== expected.length) {
    out.push(page(`本页列出 ${shown.length} 个${what}，公开数据包中是 ${expected.length} 个。`));
  }
  for (let i = 0; i < Math.min(shown.length, expected.length); i++) {
    if (shown[i] !== expected[i]) {
      out.push(page(`本页第 ${i + 1} 个${what}是 ${say(shown[i])}，公开数据包中是 ${say(expected[i])}。`));
      return;
    }
  }
}

// One value per element: the marked attribute, unless the visible text disagrees with it.
function marked(el, attribute, shownSelector, what, out) {
  const value = el.getAttribute(attribute);
  const shown = text(el.querySelector(shownSelector));
  if (shown !== null && shown !== value) {
    out.push(page(`本页一个${what}显示为 ${shown}，但标记的是 ${value}。`));
    return shown;
  }
  return value;
}

function counts(bundle) {
  const strata = listOf(bundle.public_pools.objects.strata);
  const result = bundle.result.strata;
  const reasons = {};
  for (const s of strata) for (const e of listOf(s.excluded)) reasons[e.reason] = (reasons[e.reason] || 0) + 1;
  const excluded = Object.values(reasons).reduce((a, b) => a + b, 0);
  const eligible = strata.reduce((n, s) => n + listOf(s.refs).length, 0);
  const sum = (key) => Object.values(result).reduce((n, s) => n + listOf(s[key]).length, 0);
  return { reasons, figures: { candidates: eligible + excluded, eligible, excluded, drawn: sum("drawn"), reserve: sum("reserve") } };
}

function compareSources(root, bundle, out) {
  const entropy = isObj(bundle.entropy) ? bundle.entropy : {};
  for (const li of root.querySelectorAll("[data-source-kind]")) {
    const kind = li.getAttribute("data-source-kind"), name = li.getAttribute("data-source-name");
    const expected = kind === "ceremony" ? (entropy.ceremony || {})[name]
      : kind === "reveal" ? (entropy.reveals || {})[name]
        : (entropy.drand || {}).randomness;
    const shown = marked(li, "data-source-value", "[data-shown-value]", "随机数", out);
    if ((shown || "") !== String(expected ?? "")) {
      out.push(page(`本页显示的随机数（${name}）是 ${shown || "（空）"}，公开数据包中是 ${expected ?? "（无）"}。`));
    }
  }
}

// Findings ({kind: "page", text}) for every difference between what `root` shows and the bundle.
export function comparePage(root, bundle) {
  const out = [];
  let result;
  try {
    result = bundle.result;
    if (!isObj(result) || !isObj(bundle.public_pools)) return out; // the bundle check reports it
    const drawn = root.querySelector('[data-draw-list="drawn"]');
    const objects = listOf(result.objects).map((o) => (isObj(o) ? o.id : null));
    if (!drawn && objects.length) out.push(page(`本页没有列出抽中对象，公开数据包中有 ${objects.length} 个。`));
    if (drawn) {
      const shown = [...drawn.querySelectorAll("[data-object-id]")].map((li) => marked(li, "data-object-id", "[data-shown-id]", "抽中对象的编号", out));
      compareList("抽中对象", shown, objects, out);
    }
    const reserves = Object.values(result.strata || {}).flatMap((s) => listOf(isObj(s) ? s.reserve : null).map((e) => e.ref));
    const reserveList = root.querySelector('[data-draw-list="reserve"]');
    const shownReserves = reserveList ? [...reserveList.querySelectorAll("[data-ref]")].map((li) => marked(li, "data-ref", "[data-shown-ref]", "备选对象的承诺值", out)) : [];
    compareList("备选对象", shownReserves, reserves, out);
    compareTeams(root, bundle, out);
    const { reasons, figures } = counts(bundle);
    for (const el of root.querySelectorAll("[data-pool-count]")) {
      const key = el.getAttribute("data-pool-count"), shown = parseInt(text(el), 10);
      if (shown !== figures[key]) out.push(page(`本页显示的名单数字（${key}）是 ${text(el)}，按公开数据包应为 ${figures[key]} 户。`));
    }
    for (const el of root.querySelectorAll("[data-exclusion-reason]")) {
      const key = el.getAttribute("data-exclusion-reason"), shown = parseInt(text(el), 10);
      if (shown !== (reasons[key] || 0)) out.push(page(`本页显示因“${key}”排除 ${text(el)}，按公开数据包应为 ${reasons[key] || 0} 户。`));
    }
    compareSources(root, bundle, out);
  } catch (e) {
    // A bundle shaped so oddly that it cannot be read as lists: the arithmetic check names the field.
  }
  return out;
}

function compareTeams(root, bundle, out) {
  const teams = listOf(bundle.result.teams);
  const names = new Map(
    [...listOf(bundle.public_pools.inspectors), ...listOf(bundle.public_pools.assistants)]
      .filter(isObj).map((p) => [p.id, p.name]),
  );
  const rows = [...root.querySelectorAll('[data-draw-list="teams"] tr[data-team-object]')];
  if (rows.length !== teams.length) out.push(page(`本页列出 ${rows.length} 个检查组，公开数据包中是 ${teams.length} 个。`));
  rows.slice(0, teams.length).forEach((row, i) => {
    const team = isObj(teams[i]) ? teams[i] : {};
    const object = marked(row, "data-team-object", "[data-shown-id]", "检查对象的编号", out);
    if (object !== team.object) out.push(page(`本页第 ${i + 1} 组的检查对象是 ${object}，公开数据包中是 ${team.object}。`));
    const ids = [...listOf(team.members), ...listOf(team.assistants)];
    const spans = [...row.querySelectorAll("[data-person-id]")];
    const marks = (row.getAttribute("data-team-members") || "").split(" ").filter(Boolean);
    const shownIds = spans.map((s) => s.getAttribute("data-person-id"));
    const who = (list) => list.map((id) => names.get(id) || id).join("、") || "（无人）";
    if (shownIds.join(" ") !== ids.join(" ") || marks.join(" ") !== ids.join(" ")) {
      out.push(page(`本页第 ${i + 1} 组的成员是 ${who(shownIds)}，公开数据包中是 ${who(ids)}。`));
      return;
    }
    spans.forEach((s) => {
      const id = s.getAttribute("data-person-id");
      if (text(s) !== names.get(id)) out.push(page(`本页第 ${i + 1} 组的成员显示为“${text(s)}”，公开数据包中该人员（${id}）是“${names.get(id)}”。`));
    });
    if ((row.getAttribute("data-team-leader") || null) !== (team.leader ?? null)) {
      out.push(page(`本页第 ${i + 1} 组标记的组长与公开数据包不同。`));
    }
  });
}
