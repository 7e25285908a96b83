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

// The assignee list offers the owner team's members only: when the team changes, the list
// is swapped for the new team's members (carried in data-team-members). Without this
// script the server offers the saved team's members and explains a mismatch on save.
(function () {
  if (window.hindsightAssignees) return;
  window.hindsightAssignees = true;
  document.addEventListener("change", function (event) {
    var team = event.target;
    if (!team.matches || !team.matches("select[name=team]") || !team.form) return;
    var assignee = team.form.querySelector("select[data-team-members]");
    if (!assignee) return;
    var members = JSON.parse(assignee.dataset.teamMembers)[team.value] || [];
    var chosen = assignee.value;
    while (assignee.options.length > 1) assignee.remove(1);
    members.forEach(function (member) {
      var option = new Option(member[1], member[0]);
      option.selected = String(member[0]) === chosen;
      assignee.add(option);
    });
  });
})();
