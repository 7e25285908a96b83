// Hindsight: progressive enhancement only; every page works without this file.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("[name=csrfmiddlewaretoken]");
  if (token && !event.detail.headers["X-CSRFToken"]) {
    event.detail.headers["X-CSRFToken"] = token.value;
  }
});

// A select that applies on change (the language switcher): its form is sent at once, and
// the submit button that works without JavaScript is hidden.
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-submit-on-change]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-hidden-with-js]").forEach(function (element) {
    element.hidden = true;
  });
  // Folded filters (closed by default, so a phone shows the list first) open on wide screens.
  if (window.matchMedia("(min-width: 768px)").matches) {
    document.querySelectorAll("details[data-open-when-wide]").forEach(function (details) {
      details.open = true;
    });
  }
});

// Print buttons (no inline onclick: the Content-Security-Policy refuses inline handlers).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A suggested theme, clicked: tick it in the factor form's theme picker.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-theme-suggestion]");
  if (!button) {
    return;
  }
  var form = button.closest("form") || document;
  var value = button.dataset.themeSuggestion;
  var select = form.querySelector("select[name$=themes]");
  var choice = select
    ? select.querySelector('option[value="' + CSS.escape(value) + '"]')
    : form.querySelector(
        'input[type=checkbox][name$=themes][value="' + CSS.escape(value) + '"]'
      );
  if (choice) {
    if (select) {
      choice.selected = true;
    } else {
      choice.checked = true;
    }
    choice.dispatchEvent(new Event("change", { bubbles: true }));
  }
  button.disabled = true;
  button.setAttribute("aria-pressed", "true");
});

// Enter in a new postmortem's title moves on to the next field instead of saving a draft
// that holds nothing but a title (Save is at the bottom of a long form).
document.addEventListener("keydown", function (event) {
  var input = event.target;
  if (event.key !== "Enter" || !input.matches || !input.matches("[data-enter-moves-on]")) {
    return;
  }
  event.preventDefault();
  var fields = Array.prototype.filter.call(input.form.elements, function (element) {
    return !element.disabled && element.type !== "hidden" && element.tabIndex >= 0;
  });
  var next = fields[fields.indexOf(input) + 1];
  if (next) {
    next.focus();
  }
});
