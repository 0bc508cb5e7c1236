/* Progressive enhancement only: every page works without this file.
   1. A form is sent once: its submit buttons are disabled after the first submit
      (the server also refuses duplicates: client tokens and case versions).
   2. The intake classification shows only the fields that apply. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });
  function syncClassification() {
    var checked = document.querySelector("input[name=classification]:checked");
    var value = checked ? checked.value : "";
    document.querySelectorAll("[data-when-classification]").forEach(function (el) {
      var wanted = el.getAttribute("data-when-classification").split(" ");
      el.hidden = value !== "" && wanted.indexOf(value) === -1;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "classification") { syncClassification(); }
  });
  document.addEventListener("DOMContentLoaded", syncClassification);
})();
