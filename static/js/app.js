/* Progressive enhancement only: every page works without this file.
   1. A form is sent once: its submit buttons are disabled after the first submit
      (the server also refuses duplicates: client tokens and case versions).
   2. The intake classification shows only the fields that apply.
   3. A formset (the plan's measures) gets an "add a row" button: the empty form in its
      <template> is copied with the next index, and TOTAL_FORMS counts it. Without this file the
      page offers two empty rows on each save.
   4. A form marked data-upload-progress (the registry import) is sent with XMLHttpRequest so a
      <progress> bar shows how much of a large file has gone; the answer replaces the page.
      Without this file the form posts as usual. */
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

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var box = document.querySelector("[data-formset='" + prefix + "']");
    var empty = document.getElementById(prefix + "-empty");
    if (!total || !box || !empty) { return; }
    var n = parseInt(total.value, 10);
    if (max && n >= parseInt(max.value, 10)) { return; }
    var html = empty.innerHTML.replace(/__prefix__/g, String(n)).replace(/__num__/g, String(n + 1));
    box.insertAdjacentHTML("beforeend", html);
    total.value = String(n + 1);
    var added = box.lastElementChild.querySelector("input, select, textarea");
    if (added) { added.focus(); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button) { event.preventDefault(); addRow(button.getAttribute("data-add-row")); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-upload-progress]") || !window.FormData) { return; }
    event.preventDefault();
    var bar = form.querySelector("progress");
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
    var xhr = new XMLHttpRequest();
    // getAttribute: form.action would be the buttons named "action" (DOM named access).
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    if (bar) {
      bar.hidden = false;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      // Sent: the server now checks every row; an indeterminate bar until it answers.
      xhr.upload.addEventListener("load", function () { bar.removeAttribute("value"); });
    }
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.send(data);
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-add-row]").forEach(function (b) { b.hidden = false; });
    document.querySelectorAll("[data-without-js]").forEach(function (el) { el.hidden = true; });
  });
})();
