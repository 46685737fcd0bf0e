// zirkel serve: reloads the page after a rebuild and shows build errors over the
// page. Injected only by `zirkel serve`; never part of a built site.
(function () {
  "use strict";
  var generation = null;
  var overlay = null;
  var returnFocus = null;

  function showErrors(report) {
    hideErrors();
    returnFocus = document.activeElement;
    overlay = document.createElement("div");
    overlay.className = "zirkel-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "zirkel-overlay-title");
    var h = document.createElement("h2");
    h.id = "zirkel-overlay-title";
    h.tabIndex = -1;
    h.textContent = report.title || "Build-Fehler";
    overlay.appendChild(h);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "zirkel-overlay-close";
    close.textContent = report.close || "Schließen";
    close.addEventListener("click", hideErrors);
    overlay.appendChild(close);
    var p = document.createElement("p");
    p.textContent = report.note || "";
    overlay.appendChild(p);
    var list = document.createElement("ul");
    (report.diagnostics || []).forEach(function (d) {
      if (d.severity !== "error") return;
      var li = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = d.file + (d.line ? ":" + d.line + ":" + d.column : "");
      li.appendChild(where);
      li.appendChild(document.createTextNode(" " + d.code + " " + d.message + (d.help ? " – " + d.help : "")));
      list.appendChild(li);
    });
    overlay.appendChild(list);
    overlay.addEventListener("keydown", function (e) {
      if (e.key === "Escape") hideErrors();
    });
    document.body.appendChild(overlay);
    h.focus();
  }

  function hideErrors() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
    if (returnFocus && returnFocus.focus) returnFocus.focus();
    returnFocus = null;
  }

  function apply(state) {
    if (generation !== null && state.generation !== generation) {
      location.reload();
      return;
    }
    generation = state.generation;
    if (state.error) showErrors(state.error); else hideErrors();
  }

  var source = new EventSource("/__zirkel/events");
  source.addEventListener("hello", function (e) { apply(JSON.parse(e.data)); });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failed", function (e) { showErrors(JSON.parse(e.data)); });
})();
