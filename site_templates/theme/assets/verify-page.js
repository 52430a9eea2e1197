// The draw page's verify button: download the public bundle, recompute it (verify-draw.js), compare
// the page's own lists with it (verify-page-lists.js) and say in plain Chinese what holds or what
// failed (verify-messages.js). Technical field paths go into a folded block for experts.
import { checkText } from "./verify-draw.js";
import { KINDS, explain, loadProblem, passedLines } from "./verify-messages.js";
import { comparePage } from "./verify-page-lists.js";

const el = (tag, props, ...children) => {
  const node = Object.assign(document.createElement(tag), props || {});
  node.append(...children);
  return node;
};
const show = (v) => (v === undefined ? "（无）" : typeof v === "string" ? v : JSON.stringify(v));

// The bundle, or the findings that say why there is none (never a raw parser message).
async function download(url) {
  let res;
  try {
    res = await fetch(url, { cache: "no-store" });
  } catch (e) {
    return { problems: loadProblem("missing", "网络连接失败，无法下载") };
  }
  if (!res.ok) return { problems: loadProblem("missing", `服务器返回 ${res.status}`) };
  let text;
  try {
    text = await res.text();
  } catch (e) {
    return { problems: loadProblem("missing", "下载中断") };
  }
  if (/^\s*</.test(text)) return { problems: loadProblem("corrupt", "下载到的是网页，不是数据包") };
  try {
    const bundle = JSON.parse(text);
    if (bundle === null || typeof bundle !== "object" || Array.isArray(bundle)) {
      return { problems: loadProblem("corrupt", "内容不是数据包") };
    }
    return { bundle, text };
  } catch (e) {
    return { problems: loadProblem("corrupt", "内容不是完整的 JSON 数据，可能被截断或改动") };
  }
}

function render(box, bundle, findings, mismatches) {
  box.replaceChildren();
  if (!findings.length) {
    passedLines(bundle).forEach((line, i) => box.append(el("p", { className: i ? "muted" : "verify-ok", textContent: line })));
    box.dataset.kinds = "";
    box.dataset.state = "ok";
    return;
  }
  const kinds = [...new Set(findings.map((f) => f.kind))];
  box.append(el("p", { className: "verify-bad", textContent: `✗ 核验未通过：${KINDS[kinds[0]]}。` }));
  const ul = el("ul", { className: "verify-findings" });
  for (const f of findings.slice(0, 20)) ul.append(el("li", { textContent: f.text }));
  if (findings.length > 20) ul.append(el("li", { textContent: `另有 ${findings.length - 20} 处不一致。` }));
  box.append(ul);
  if (mismatches.length) {
    const tech = el("ul");
    for (const [field, expected, found] of mismatches.slice(0, 50)) {
      tech.append(el("li", { textContent: `字段 ${field}：应为 ${show(expected)}，公布的是 ${show(found)}` }));
    }
    box.append(el("details", {}, el("summary", { textContent: "技术细节（供专业人员）" }), tech));
  }
  box.dataset.kinds = kinds.join(" ");
  box.dataset.state = "bad";
}

const button = document.getElementById("verify-button");
if (button) {
  const box = document.getElementById("verify-result");
  button.addEventListener("click", async () => {
    delete box.dataset.state;
    box.textContent = "正在下载公开数据包并重新计算……";
    const { bundle, text, problems } = await download(button.dataset.bundleUrl);
    if (problems) {
      render(box, null, problems, []);
      return;
    }
    const mismatches = await checkText(bundle, text);
    render(box, bundle, [...explain(bundle, mismatches), ...comparePage(document, bundle)], mismatches);
  });
}
