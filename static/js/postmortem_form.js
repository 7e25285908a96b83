// Live character counts for postmortem sections (the server enforces the same limit).
(function () {
  function update(textarea) {
    var counter = document.querySelector('[data-count-for="' + textarea.id + '"]');
    if (!counter) return;
    var limit = parseInt(textarea.getAttribute("data-maxlength"), 10) || 0;
    var length = textarea.value.length;
    counter.textContent = length.toLocaleString() + " / " + limit.toLocaleString();
    counter.classList.toggle("text-danger", limit > 0 && length > limit);
    counter.classList.toggle("fw-semibold", limit > 0 && length > limit);
  }
  function init() {
    document.querySelectorAll("textarea[data-maxlength]").forEach(function (textarea) {
      update(textarea);
      textarea.addEventListener("input", function () { update(textarea); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
