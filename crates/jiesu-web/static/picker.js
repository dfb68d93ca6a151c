// Pickers of the appeal page (单位、分类): a filter box narrows the list it names with
// data-filter, keeping what is chosen in view. Without this script the lists work as they are.
(function () {
  "use strict";
  document.addEventListener("input", function (e) {
    var id = e.target.getAttribute && e.target.getAttribute("data-filter");
    var list = id && document.getElementById(id);
    if (!list) { return; }
    var q = e.target.value.trim().toLowerCase();
    var items = list.tagName === "SELECT" ? list.options : list.querySelectorAll("label");
    Array.prototype.forEach.call(items, function (item) {
      var chosen = item.selected || !!(item.querySelector && item.querySelector("input:checked"));
      item.hidden = q !== "" && !chosen && item.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
})();
