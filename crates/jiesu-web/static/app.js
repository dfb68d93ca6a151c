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
      setTimeout(function () { delete form.dataset.sent; }, 5000);
    }
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

  // Intake assistance (受理辅助): while the operator types, suggest a category and body,
  // show possible duplicates and matching knowledge articles. Same-origin calls with the
  // session cookie; the form works the same without them.
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function show(box, nodes) {
    box.textContent = "";
    nodes.forEach(function (n) { box.appendChild(n); });
  }
  function note(text) { return el("p", { "class": "muted small" }, text); }
  function api(method, url, body) {
    var init = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(url, init).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    });
  }
  function percent(x) { return Math.round(x * 100) + "%"; }
  function debounce(fn, ms) {
    var timer;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  function setupAssist() {
    var panel = document.querySelector("[data-intake-assist]");
    var form = document.getElementById("intake-form");
    if (!panel || !form || !window.fetch) { return; }
    var title = form.elements.title, text = form.elements.text;
    var address = form.elements.address, district = form.elements.district;
    var suggestBox = document.getElementById("assist-suggest");
    var similarBox = document.getElementById("assist-similar");
    var kbBox = document.getElementById("assist-kb");
    var select = document.getElementById("article");
    var answer = document.getElementById("answer");
    var articles = {};
    var seq = 0;

    function renderSuggest(s) {
      var out = [];
      if (s.categories && s.categories.length) {
        var best = s.categories[0];
        var p = el("p", { "id": "suggest-category" });
        p.appendChild(el("strong", {}, best[0]));
        p.appendChild(document.createTextNode(" 置信度 " + percent(best[1])));
        out.push(p);
        if (s.lower_levels && s.lower_levels.length) {
          out.push(el("p", { "class": "small" }, "细分：" + s.lower_levels.map(function (l) { return l[0]; }).join(" / ")));
        }
      } else {
        out.push(note("暂无分类建议"));
      }
      if (s.body) { out.push(el("p", { "id": "suggest-body" }, "建议承办单位：" + s.body.name)); }
      if (s.words && s.words.length) {
        out.push(el("p", { "class": "small" }, "主要依据词：" + s.words.slice(0, 6).map(function (w) { return w[0]; }).join("、")));
      }
      if (s.manual) { out.push(el("p", { "class": "small warn-text" }, "建议人工派单" + (s.reason ? "：" + s.reason : ""))); }
      show(suggestBox, out);
    }
    function renderSimilar(list) {
      if (!list.length) { show(similarBox, [note("未发现疑似重复")]); return; }
      var ul = el("ul", { "class": "assist-list", "id": "similar-list" });
      list.slice(0, 5).forEach(function (c) {
        var li = el("li");
        li.appendChild(el("a", { "href": "/appeals/" + c.id, "target": "_blank", "rel": "noopener" }, c.number));
        li.appendChild(document.createTextNode(" " + c.title + "（" + c.status + "）"));
        ul.appendChild(li);
      });
      show(similarBox, [ul]);
    }
    function renderKnowledge(list) {
      articles = {};
      var keep = select ? select.value : "";
      if (select) {
        while (select.options.length > 1) { select.remove(1); }
      }
      if (!list.length) { show(kbBox, [note("未找到匹配的知识")]); return; }
      var ul = el("ul", { "class": "assist-list", "id": "kb-matches" });
      list.forEach(function (a) {
        articles[a.id] = a;
        var li = el("li");
        li.appendChild(el("strong", {}, a.question));
        li.appendChild(el("div", { "class": "small muted" }, a.answer));
        if (select) {
          var use = el("button", { "type": "button", "class": "link-btn", "data-article": String(a.id) }, "直办引用此条");
          li.appendChild(use);
          select.appendChild(el("option", { "value": String(a.id) }, a.question));
        }
        ul.appendChild(li);
      });
      if (select && articles[keep]) { select.value = keep; }
      show(kbBox, [ul]);
    }
    function findKnowledge(queries) {
      var found = [], seen = {};
      return queries.reduce(function (chain, q) {
        return chain.then(function () {
          if (found.length >= 5) { return; }
          return api("GET", "/api/knowledge?limit=5&q=" + encodeURIComponent(q)).then(function (list) {
            list.forEach(function (a) { if (!seen[a.id] && found.length < 5) { seen[a.id] = 1; found.push(a); } });
          });
        });
      }, Promise.resolve()).then(function () { return found; });
    }
    function refresh() {
      var t = title.value.trim(), x = text.value.trim();
      if (!t && !x) { return; }
      var mine = ++seq;
      var draft = { title: t, text: x, address: address ? address.value.trim() : "" };
      api("POST", "/api/dispatch/suggest", draft).then(function (s) {
        if (mine !== seq) { return; }
        renderSuggest(s);
        var words = (s.words || []).slice(0, 3).map(function (w) { return w[0]; });
        return findKnowledge([t].concat(words).filter(Boolean)).then(function (list) {
          if (mine === seq) { renderKnowledge(list); }
        });
      }).catch(function () { if (mine === seq) { show(suggestBox, [note("暂时无法获取建议")]); } });
      var dup = { title: t, text: x };
      if (district && district.value.trim()) { dup.district = district.value.trim(); }
      api("POST", "/api/appeals/similar", dup).then(function (list) {
        if (mine === seq) { renderSimilar(list); }
      }).catch(function () { if (mine === seq) { show(similarBox, [note("查重服务暂不可用")]); } });
    }
    var later = debounce(refresh, 500);
    [title, text, address, district].forEach(function (input) {
      if (input) { input.addEventListener("input", later); }
    });
    function cite(id) {
      var a = articles[id];
      if (!a) { return; }
      var direct = form.querySelector("input[name=mode][value=direct]");
      if (direct && !direct.checked) { direct.checked = true; syncToggles(); }
      if (select) { select.value = String(id); }
      if (answer && !answer.value.trim()) { answer.value = a.answer; }
    }
    kbBox.addEventListener("click", function (e) {
      var btn = e.target.closest("[data-article]");
      if (btn) { cite(btn.getAttribute("data-article")); if (answer) { answer.focus(); } }
    });
    if (select) {
      select.addEventListener("change", function () {
        var a = articles[select.value];
        if (a && answer && !answer.value.trim()) { answer.value = a.answer; }
      });
    }
  }
  document.addEventListener("DOMContentLoaded", setupAssist);
})();
