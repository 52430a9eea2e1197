// Reading aids (适老化): font size steps and high contrast, remembered on this device. No tracking.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "ssj-reading";
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(s) { try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode */ } }
  function apply(s) {
    root.classList.remove("font-1", "font-2", "font-3");
    if (s.font > 0) root.classList.add("font-" + s.font);
    root.classList.toggle("high-contrast", !!s.contrast);
    var c = document.querySelector('[data-action="contrast"]');
    if (c) c.setAttribute("aria-pressed", s.contrast ? "true" : "false");
  }
  var state = load();
  apply(state);
  document.addEventListener("DOMContentLoaded", function () {
    apply(state);
    document.querySelectorAll("[data-action]").forEach(function (b) {
      b.addEventListener("click", function () {
        var a = b.getAttribute("data-action");
        if (a === "font-up") state.font = Math.min(3, (state.font || 0) + 1);
        if (a === "font-down") state.font = Math.max(0, (state.font || 0) - 1);
        if (a === "contrast") state.contrast = !state.contrast;
        if (a === "print") { window.print(); return; }  // 检查表: no inline handlers (CSP)
        save(state); apply(state);
      });
    });
    // A table that scrolls sideways (phones) must be reachable by keyboard: focusable, named region.
    // The name: the table's caption, else the nearest heading before it; repeated names numbered
    // (axe: landmarks need distinct names).
    function heading(el) {
      for (var n = el.previousElementSibling; n; n = n.previousElementSibling) {
        if (/^H[1-4]$/.test(n.tagName)) return n.textContent;
      }
      return el.parentElement && el.parentElement !== document.body ? heading(el.parentElement) : "";
    }
    var used = {};
    function markScrollers() {
      document.querySelectorAll(".table-scroll").forEach(function (box) {
        var scrolls = box.scrollWidth > box.clientWidth + 1;
        if (scrolls && !box.hasAttribute("tabindex")) {
          var cap = box.querySelector("caption");
          var name = ((cap ? cap.textContent : heading(box)) || "表格").trim();
          used[name] = (used[name] || 0) + 1;
          if (used[name] > 1) name += "（" + used[name] + "）";
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", name + "（可左右滚动）");
        } else if (!scrolls && box.getAttribute("role") === "region") {
          box.removeAttribute("tabindex"); box.removeAttribute("role"); box.removeAttribute("aria-label");
        }
      });
    }
    markScrollers();
    window.addEventListener("resize", markScrollers);
    // Filterable tables (抽查事项清单): every <select data-filter-col> and the text box filter rows.
    document.querySelectorAll("[data-filter-table]").forEach(function (form) {
      var table = document.getElementById(form.getAttribute("data-filter-table"));
      var status = form.querySelector("[data-filter-status]");
      function run() {
        var shown = 0, rows = table.tBodies[0].rows;
        var text = (form.querySelector("[data-filter-text]") || {}).value || "";
        for (var i = 0; i < rows.length; i++) {
          var row = rows[i], ok = true;
          form.querySelectorAll("select[data-filter-col]").forEach(function (s) {
            var col = +s.getAttribute("data-filter-col");
            if (s.value && row.cells[col].textContent.trim() !== s.value) ok = false;
          });
          if (text && row.textContent.indexOf(text.trim()) < 0) ok = false;
          row.hidden = !ok;
          if (ok) shown++;
        }
        if (status) status.textContent = "显示 " + shown + " 项，共 " + rows.length + " 项";
      }
      form.addEventListener("input", run);
      form.addEventListener("change", run);
      form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
      run();
    });
  });
})();
