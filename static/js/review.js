// Keyboard shortcuts and text selection for the reviewer pages. No inline code: the
// Content-Security-Policy allows scripts from this site only.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // --- Offsets: the server counts code points, JavaScript strings count UTF-16 units ---

  // Code points in text.slice(0, end). A surrogate pair (an emoji, say) is one.
  function codePointsBefore(text, end) {
    var count = 0;
    for (var i = 0; i < end; i++) {
      var unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < end) {
        var next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
      count++;
    }
    return count;
  }

  // UTF-16 offset of a point of the page within the article's text.
  function unitsBefore(article, node, offset) {
    var range = document.createRange();
    range.setStart(article, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  var lastSelection = null;

  function readSelection(article) {
    var selection = window.getSelection();
    if (!article) return null;
    if (!selection || selection.rangeCount === 0) return null;
    var range = selection.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) {
      return null;
    }
    var text = article.textContent;
    var startUnits = unitsBefore(article, range.startContainer, range.startOffset);
    var endUnits = unitsBefore(article, range.endContainer, range.endOffset);
    return {
      start: codePointsBefore(text, startUnits),
      end: codePointsBefore(text, endUnits),
      text: text.slice(startUnits, endUnits),
      collapsed: range.collapsed
    };
  }

  function showSelection() {
    var panel = document.getElementById("claim-panel");
    if (!panel || !lastSelection) return;
    panel.querySelectorAll("[data-selection]").forEach(function (input) {
      var key = input.getAttribute("data-selection");
      if (key === "end" && lastSelection.collapsed) return;
      input.value = lastSelection[key];
    });
    var status = panel.querySelector("[data-selection-status]");
    if (status) {
      status.textContent = status.getAttribute("data-template-selected")
        ? status.getAttribute("data-template-selected")
            .replace("START", lastSelection.start)
            .replace("END", lastSelection.end)
        : lastSelection.start + "–" + lastSelection.end;
    }
  }

  // --- The document page ---------------------------------------------------------------

  function claims() {
    return Array.prototype.slice.call(document.querySelectorAll("#document-text .claim"));
  }

  function markCurrent() {
    var panel = document.getElementById("claim-panel");
    var id = panel ? panel.getAttribute("data-claim") : null;
    claims().forEach(function (claim) {
      var current = claim.getAttribute("data-claim") === id;
      claim.classList.toggle("current", current);
      if (current) claim.setAttribute("aria-current", "true");
      else claim.removeAttribute("aria-current");
    });
  }

  // The panel is fetched once the reviewer stops on a claim: j held down or pressed in
  // quick succession moves the highlight at once and asks the server only for the last.
  var panelTimer = null;
  var PANEL_DELAY_MS = 120;

  function narrow() {
    return window.matchMedia("(max-width: 64rem)").matches;
  }

  function showClaim(claim, options) {
    options = options || {};
    var panel = document.getElementById("panel");
    if (!panel || !window.htmx) return;
    claims().forEach(function (other) {
      other.classList.toggle("current", other === claim);
      if (other === claim) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    });
    var id = claim.getAttribute("data-claim");
    var url = "?claim=" + id;
    if (options.push !== false) {
      history.pushState({ factcheckClaim: id }, "", url);
    }
    window.clearTimeout(panelTimer);
    panelTimer = window.setTimeout(function () {
      panel.setAttribute("data-reveal", options.reveal ? "true" : "false");
      window.htmx.ajax("GET", claim.getAttribute("data-panel"), {
        source: panel, target: panel, swap: "innerHTML"
      });
    }, options.delay === undefined ? PANEL_DELAY_MS : options.delay);
  }

  function openClaim(step) {
    var all = claims();
    if (all.length === 0) return false;
    var index = all.findIndex(function (claim) { return claim.classList.contains("current"); });
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : index + step;
    if (next < 0 || next >= all.length) return true;
    all[next].focus({ preventScroll: true });
    all[next].scrollIntoView({ block: "nearest" });
    showClaim(all[next]);
    return true;
  }

  function moveInQueue(step) {
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-queue-item]"));
    if (items.length === 0) return false;
    var index = items.indexOf(document.activeElement);
    var next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), items.length - 1);
    items[next].focus();
    items[next].scrollIntoView({ block: "nearest" });
    return true;
  }

  function focusIn(selector, detailsSelector) {
    if (detailsSelector) {
      var details = document.querySelector(detailsSelector);
      if (details) details.open = true;
    }
    var field = document.querySelector(selector);
    if (!field) return false;
    field.scrollIntoView({ block: "center" });
    field.focus();
    return true;
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=true]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (typing(event.target)) return;
    var handled = false;
    switch (event.key) {
      case "j": handled = openClaim(1) || moveInQueue(1); break;
      case "k": handled = openClaim(-1) || moveInQueue(-1); break;
      case "v": handled = focusIn("#verdict_rating"); break;
      case "s": handled = focusIn("#source_url", ".add-source"); break;
      case "e": showSelection(); handled = focusIn("#boundary_start", "#boundary"); break;
      case "?": handled = showShortcuts(); break;
    }
    if (handled) event.preventDefault();
  });

  function showShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog || dialog.open) return false;
    dialog.showModal();
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var article = document.getElementById("document-text");
    if (article) {
      document.addEventListener("selectionchange", function () {
        // Looked up each time: a change of the cut swaps the text for a new one.
        var selected = readSelection(document.getElementById("document-text"));
        if (selected && !selected.collapsed) {
          lastSelection = selected;
          showSelection();
        }
      });
      // One listener for every claim of the text, so that a text of many claims (and a
      // text swapped in after a split) needs no work per claim.
      document.addEventListener("click", function (event) {
        var claim = event.target.closest && event.target.closest("#document-text .claim");
        if (!claim || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        // Finishing a selection inside a claim must not open it as a click would.
        var selection = window.getSelection();
        if (selection && !selection.isCollapsed && claim.contains(selection.anchorNode)) return;
        showClaim(claim, { delay: 0, reveal: true });
      });
      window.addEventListener("popstate", function () {
        var id = new URLSearchParams(window.location.search).get("claim");
        var claim = id && document.getElementById("claim-" + id);
        if (claim) showClaim(claim, { delay: 0, push: false });
      });
      markCurrent();
      var current = document.querySelector("#document-text .claim.current");
      if (current) current.scrollIntoView({ block: "center" });
    }

    // The text sent again with marks found in the background keeps the open claim.
    document.body.addEventListener("htmx:oobAfterSwap", function (event) {
      var target = event.detail.target;
      if (target && target.id === "document-text") markCurrent();
    });

    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail.target;
      if (!target || target.id !== "panel") return;
      markCurrent();
      showSelection();
      // A refusal is shown next to the control that caused it; bring it into view.
      var error = target.querySelector("[role=alert]");
      if (error && event.detail.xhr && event.detail.xhr.status >= 400) {
        var details = error.closest("details");
        if (details) details.open = true;
        error.scrollIntoView({ block: "center" });
        if (!error.hasAttribute("tabindex")) error.setAttribute("tabindex", "-1");
        error.focus({ preventScroll: true });
        return;
      }
      // What a change reports (and the undo it offers) is at the panel's top.
      var news = target.querySelector(".panel-news");
      if (news) {
        news.scrollIntoView({ block: "nearest" });
        return;
      }
      // On a narrow screen the panel is under the text: show it after a tap on a claim.
      if (target.getAttribute("data-reveal") === "true" && narrow()) {
        target.scrollIntoView({ block: "start" });
      }
      target.removeAttribute("data-reveal");
    });

    // A form sent back with errors: show the first one, and its field ready to type in.
    var invalid = document.querySelector("main .field.has-error, main form [role=alert]");
    if (invalid && !document.getElementById("claim-panel")) {
      invalid.scrollIntoView({ block: "center" });
      var field = invalid.querySelector("input, textarea, select");
      if (field) field.focus({ preventScroll: true });
    }

    document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll("[data-show-shortcuts]").forEach(function (button) {
      button.addEventListener("click", showShortcuts);
    });
    document.querySelectorAll("[data-check-all]").forEach(function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-check-all");
        var only = button.getAttribute("data-only");
        button.form.querySelectorAll("input[name='" + name + "']").forEach(function (box) {
          if (!box.disabled && (!only || box.closest(only))) box.checked = true;
        });
      });
    });
  });

  // For tests of the offset conversion in a browser.
  window.factcheckOffsets = { codePointsBefore: codePointsBefore };
})();
