// The reception form of a station (登记接待): "再加一条" adds one more item block, a copy of
// the last one emptied and renumbered, up to the form's data-max. Without this script the
// form keeps the blocks it was served with.
(function () {
  "use strict";
  var form = document.getElementById("reception-form");
  var add = document.getElementById("reception-add");
  if (!form || !add) { return; }
  var max = parseInt(form.getAttribute("data-max"), 10) || 50;
  function blocks() { return form.querySelectorAll("fieldset.reception-item"); }
  function renumber(node, from, to) {
    ["id", "name", "for"].forEach(function (attr) {
      node.querySelectorAll("[" + attr + "]").forEach(function (el) {
        el.setAttribute(attr, el.getAttribute(attr).replace(new RegExp("([-_])" + from + "$"), "$1" + to));
      });
    });
  }
  function refresh() {
    var full = blocks().length >= max;
    add.disabled = full;
    add.textContent = full ? "已达 " + max + " 条上限" : "再加一条";
  }
  add.hidden = false;
  add.addEventListener("click", function () {
    var all = blocks();
    if (all.length >= max) { return; }
    var last = all[all.length - 1];
    var n = all.length + 1;
    var copy = last.cloneNode(true);
    renumber(copy, all.length, n);
    copy.querySelector("legend").textContent = "反映事项 " + n;
    copy.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; el.required = false; });
    copy.querySelectorAll(".req").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = last.querySelector("select").selectedIndex; });
    last.after(copy);
    refresh();
    var title = copy.querySelector("input");
    if (title) { title.focus(); }
  });
  refresh();
})();
