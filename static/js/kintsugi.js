/* Kintsugi: the little behaviour the pages need. Everything works without it; this only adds comfort. */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  // SLA countdown in WORKING time: the server renders the working seconds left and until when the location's
  // clock keeps counting (its closing time); we subtract the working time elapsed since the page was rendered.
  // The state turns to breached at the deadline and to warning at the warning moment (both wall-clock instants).
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-sla][data-deadline]").forEach(function (card) {
      var deadline = Date.parse(card.dataset.deadline);
      if (isNaN(deadline)) return;
      var warn = card.dataset.warn ? Date.parse(card.dataset.warn) : NaN;
      var rendered = Date.parse(card.dataset.rendered);
      var until = card.dataset.countingUntil ? Date.parse(card.dataset.countingUntil) : rendered;
      var elapsed = Math.max(0, Math.min(now, until) - rendered) / 1000;
      var left = Math.round(parseFloat(card.dataset.remaining) - elapsed);
      if (isNaN(left)) return;
      var abs = Math.abs(left);
      var text = (left < 0 ? "\u2212" : "") + Math.floor(abs / 3600) + ":" + pad(Math.floor(abs % 3600 / 60)) + ":" + pad(abs % 60);
      var counter = card.querySelector("[data-countdown]");
      if (counter) counter.textContent = text;
      var state = card.dataset.state;
      if (left <= 0 || now >= deadline) state = "breached";
      else if (!isNaN(warn) && now >= warn && state === "ok") state = "warning";
      if (state !== card.dataset.state) {
        card.classList.remove("sla-card-" + card.dataset.state);
        card.classList.add("sla-card-" + state);
        card.dataset.state = state;
        var label = card.querySelector("[data-sla-label]");
        var word = card.querySelector("[data-text-" + state + "]");
        if (label && word) label.textContent = word.textContent;
      }
    });
  }

  // Menus (notifications, account): one open at a time; Escape or a click elsewhere closes them.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }

  document.addEventListener("click", function (event) {
    var menu = event.target.closest("details.menu");
    closeMenus(menu);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  // Enter in a search-as-you-type box searches in place (HTMX) instead of submitting the form around it.
  document.addEventListener("keydown", function (event) {
    var box = event.target.closest ? event.target.closest("input[data-live-search]") : null;
    if (event.key !== "Enter" || !box || !window.htmx) return;
    event.preventDefault();
    window.htmx.trigger(box, "search");
  });

  // Bulk select: "select all on page" ticks every row; unticking a row unticks "all" (the server acts on every row
  // of the page while "all" is ticked, which is what makes it work without JavaScript).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.form || !box.form.classList.contains("bulk-form")) return;
    var all = box.form.querySelector("input[data-select-all]");
    var rows = (all && all.dataset.selectAll) || "case";  // the name of the rows' boxes
    if (box === all) {
      box.form.querySelectorAll('input[name="' + rows + '"]').forEach(function (row) { row.checked = all.checked; });
    } else if (box.name === rows && !box.checked && all) {
      all.checked = false;
    }
    // On a phone the bar starts folded: ticking a case unfolds it.
    var bar = box.form.querySelector("details.bulk");
    if (box.checked && bar) bar.setAttribute("open", "");
  });

  // Success notes fade after a few seconds; errors stay until the next action.
  function fadeFlashes(root) {
    (root || document).querySelectorAll(".flash-success, .flash-info").forEach(function (item) {
      if (item.dataset.fading) return;
      item.dataset.fading = "1";
      window.setTimeout(function () {
        item.classList.add("is-leaving");
        window.setTimeout(function () { item.remove(); }, 450);
      }, 6000);
    });
  }
  document.addEventListener("htmx:afterSwap", function (event) { fadeFlashes(event.detail.elt); });
  // The case page's status region is refilled out of band.
  document.addEventListener("htmx:afterSettle", function () { fadeFlashes(document); });

  // Case page. Phones show one column; its secondary cards start folded there, and a card staff opened or
  // folded stays so when an action redraws the page.
  var oneColumn = window.matchMedia("(max-width: 999px)");
  var folds = null;
  document.addEventListener("htmx:beforeSwap", function () {
    folds = {};
    document.querySelectorAll("details.fold[id]").forEach(function (d) { folds[d.id] = d.open; });
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!folds) return;
    document.querySelectorAll("details.fold[id]").forEach(function (d) {
      if (d.id in folds) d.open = folds[d.id];
    });
    folds = null;
  });

  // The action bar's links: unfold what holds the form, show the reply box (not the note), focus the field.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-bar-target]") : null;
    if (!link) return;
    var target = document.querySelector(link.getAttribute("href"));
    var field = document.getElementById(link.dataset.barTarget);
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "DETAILS") target.open = true;
    for (var d = target.parentElement; d; d = d.parentElement) if (d.tagName === "DETAILS") d.open = true;
    var reply = document.getElementById("mode-reply");
    if (field && field.id === "reply-body" && reply) reply.checked = true;
    target.scrollIntoView({ block: "center" });
    if (field) field.focus({ preventScroll: true });
  });

  // A button marked aria-disabled stays focusable and announced, but does nothing (the reason is beside it).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[aria-disabled='true']") : null;
    if (button) event.preventDefault();
  }, true);

  function init() {
    fadeFlashes(document);
    // The tab strip scrolls sideways on phones: bring the current tab into view.
    var current = document.querySelector(".tabs [aria-current=page]");
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest", inline: "center" });
    // The filter bar starts folded on phones unless a filter is active.
    if (window.matchMedia("(max-width: 699px)").matches) {
      document.querySelectorAll("details[data-collapse-on-phone]:not([data-active])").forEach(function (d) {
        d.removeAttribute("open");
      });
    }
    if (oneColumn.matches) {
      // Except the card the address points into (a remedy from a notification, a form sent back with its values).
      var aimed = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
      document.querySelectorAll("details[data-fold-on-phone]").forEach(function (d) {
        var card = d.closest(".card") || d;
        if (!aimed || !card.contains(aimed)) d.removeAttribute("open");
      });
      if (aimed) aimed.scrollIntoView();
    }
    tick();
    window.setInterval(tick, 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
