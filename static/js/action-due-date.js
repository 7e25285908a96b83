// Moves the due date to the policy default when the priority changes, unless the user
// already picked a date of their own. Without this script the server applies the default.
(function () {
  if (window.hindsightDueDate) return;
  window.hindsightDueDate = true;
  function addDays(iso, days) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[name=priority]") || !select.form) return;
    var due = select.form.querySelector("input[data-due-days]");
    if (!due) return;
    var policy = JSON.parse(due.dataset.dueDays);
    var fresh = addDays(due.dataset.dueBase, policy[select.value] || 0);
    if (due.dataset.dueMin && fresh < due.dataset.dueMin) fresh = due.dataset.dueMin;
    if (!due.value || due.value === due.dataset.dueDefault) {
      due.value = fresh;
    }
    due.dataset.dueDefault = fresh;
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-due-days]").forEach(function (due) {
      if (!due.dataset.dueDefault) due.dataset.dueDefault = due.value;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("input[data-due-days]").forEach(function (due) {
      if (!due.dataset.dueDefault) due.dataset.dueDefault = due.value;
    });
  });
})();
