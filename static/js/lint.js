// Live blameless-language hints for every textarea[data-lint] (see postmortems/views/lint.py).
// Progressive enhancement: without this file the forms work the same, without hints.
(function () {
  "use strict";
  if (window.hindsightLint) { return; }
  window.hindsightLint = true;

  var DELAY_MS = 600;
  var DEFAULT_URL = "/postmortems/lint/";
  var timers = new WeakMap();
  var lastSent = new WeakMap();
  var inFlight = new WeakMap();

  function csrfToken(textarea) {
    var form = textarea.form;
    var input = (form && form.querySelector("[name=csrfmiddlewaretoken]")) ||
      document.querySelector("[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function slotFor(textarea) {
    if (!textarea.id) { return null; }
    var slot = document.getElementById("hints-" + textarea.id);
    if (!slot) {
      slot = document.createElement("div");
      slot.id = "hints-" + textarea.id;
      slot.className = "blame-hints-slot mt-1";
      slot.setAttribute("aria-live", "polite");
      textarea.insertAdjacentElement("afterend", slot);
    }
    return slot;
  }

  function lint(textarea) {
    var slot = slotFor(textarea);
    if (!slot) { return; }
    var text = textarea.value;
    if (lastSent.get(textarea) === text) { return; }
    lastSent.set(textarea, text);
    if (!text.trim()) { slot.innerHTML = ""; return; }
    var previous = inFlight.get(textarea);
    if (previous) { previous.abort(); }
    var controller = new AbortController();
    inFlight.set(textarea, controller);
    var body = new FormData();
    body.append("text", text);
    body.append("field", textarea.getAttribute("data-lint") || textarea.name || "");
    // The postmortem (and place) the text belongs to: hints dismissed there as "Not blame"
    // stay hidden, and the reader may dismiss more.
    var owner = textarea.closest("[data-postmortem]");
    var postmortem = textarea.getAttribute("data-lint-postmortem") ||
      (owner && owner.getAttribute("data-postmortem")) || "";
    if (postmortem) { body.append("postmortem", postmortem); }
    body.append("location", textarea.getAttribute("data-lint-location") || "");
    fetch(slot.getAttribute("data-lint-url") || textarea.getAttribute("data-lint-url") || DEFAULT_URL, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(textarea), "HX-Request": "true", "Accept": "text/html" },
      signal: controller.signal
    }).then(function (response) {
      // A redirect means the session ended (the login page): keep the last hints.
      var usable = !response.redirected && (response.ok || response.status === 413);
      return response.text().then(function (html) { return { ok: usable, html: html }; });
    }).then(function (result) {
      // Only the answer for the text still in the box is shown.
      if (result.ok && textarea.value === text) {
        slot.innerHTML = result.html;
        if (window.htmx) { window.htmx.process(slot); }  // the "Not blame" forms
      }
    }).catch(function () { /* aborted or offline: keep the last hints */ });
  }

  function schedule(textarea) {
    clearTimeout(timers.get(textarea));
    timers.set(textarea, setTimeout(function () { lint(textarea); }, DELAY_MS));
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches && target.matches("textarea[data-lint]")) { schedule(target); }
  });
  // A textarea that arrives with text (an edit form) is checked when it gets focus.
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target.matches && target.matches("textarea[data-lint]") && !lastSent.has(target)) {
      lint(target);
    }
  });
})();
