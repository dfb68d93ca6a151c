// jiesu pages: small progressive enhancements. Every page works without this script.
(function () {
  "use strict";
  // Ask before destructive actions (退单, 并案, 导入).
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });
  // Prevent a double submission of the same form.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.method && form.method.toLowerCase() === "post") {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
      // Disabled after the submission has started, so the clicked button's value is sent.
      var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
      setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
      setTimeout(function () {
        delete form.dataset.sent;
        buttons.forEach(function (b) { b.disabled = false; });
      }, 5000);
    }
  });
  // A plain-text file chosen in an input[data-text-into] fills that textarea (文件导入);
  // without the script the text is pasted.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-text-into]") || !input.files.length) { return; }
    var target = document.getElementById(input.getAttribute("data-text-into"));
    var reader = new FileReader();
    reader.onload = function () { if (target) { target.value = reader.result; } };
    reader.readAsText(input.files[0], "utf-8");
  });
  // A page restored from the back-forward cache gets its buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
  // The direct-answer box of the intake form shows only when 直办 is chosen.
  function syncToggles() {
    document.querySelectorAll("input[type=radio][data-toggle]").forEach(function (radio) {
      var box = document.getElementById(radio.getAttribute("data-toggle"));
      if (box) { box.hidden = !radio.checked; }
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.name === "mode") { syncToggles(); }
    // Load a chosen CSV file into its textarea.
    var target = e.target.getAttribute && e.target.getAttribute("data-fill");
    if (target && e.target.files && e.target.files[0]) {
      var reader = new FileReader();
      reader.onload = function () { document.getElementById(target).value = reader.result; };
      reader.readAsText(e.target.files[0], "utf-8");
    }
  });
  document.addEventListener("DOMContentLoaded", syncToggles);
  // A street list follows its district: only the chosen district's streets are offered.
  function syncStreets() {
    document.querySelectorAll("select[data-parent]").forEach(function (child) {
      var parent = document.getElementById(child.getAttribute("data-parent"));
      if (!parent) { return; }
      child.querySelectorAll("optgroup").forEach(function (g) {
        var mine = g.label === parent.value;
        g.hidden = !mine;
        g.disabled = !mine;
      });
      var picked = child.selectedOptions[0];
      if (picked && picked.parentNode.disabled) { child.value = ""; }
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.id && document.querySelector("select[data-parent='" + e.target.id + "']")) { syncStreets(); }
  });
  document.addEventListener("DOMContentLoaded", syncStreets);
  // A long list (the service points) narrowed by a typed name: options that do not contain
  // it are hidden, and groups left empty with them; the chosen option always stays.
  document.addEventListener("input", function (e) {
    var list = e.target.matches("input[data-filters]") && document.getElementById(e.target.getAttribute("data-filters"));
    if (!list) { return; }
    var typed = e.target.value.trim();
    list.querySelectorAll("optgroup").forEach(function (g) {
      var shown = 0;
      g.querySelectorAll("option").forEach(function (o) {
        o.hidden = typed !== "" && !o.selected && o.textContent.indexOf(typed) < 0;
        if (!o.hidden) { shown += 1; }
      });
      g.hidden = shown === 0;
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filters]").forEach(function (i) { i.hidden = false; });
  });
})();
