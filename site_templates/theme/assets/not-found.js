// 404 page: served at any depth, so it cannot load this file by a relative path. The page carries
// it inline instead, allowed by its exact SHA-256 in the page's Content-Security-Policy (nothing else
// inline may run). It finds the site root from the current address and fixes the two links.
(async () => {
  const parts = location.pathname.split("/").filter(Boolean);
  for (let i = parts.length; i >= 0; i--) {
    const base = "/" + parts.slice(0, i).map((p) => p + "/").join("");
    try {
      const r = await fetch(base + "assets/site.js", { method: "HEAD" });
      if (r.ok) {
        for (const a of document.querySelectorAll("a[data-root]")) a.href = base + a.dataset.root;
        return;
      }
    } catch (e) { /* offline or blocked: keep the configured links */ }
  }
})();
