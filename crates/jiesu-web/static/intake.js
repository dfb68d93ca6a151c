// Intake assistance (受理辅助): while the operator types, suggest a category path, an
// urgency and the body dispatch will likely choose; show possible duplicates in the same
// district and matching knowledge. Each suggestion is applied with one click and stays
// editable. Same-origin calls with the session cookie; the form works without this script.
(function () {
  "use strict";
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
  // A model's probability is not a promise: say 高/中/低 and round to 5 %, never above 95 %.
  function confidence(p) {
    var level = p >= 0.8 ? "高" : (p >= 0.6 ? "中" : "低");
    var shown = Math.min(95, Math.round(p * 20) * 5);
    return "置信度" + level + "（约 " + shown + "%）";
  }
  // Words that call for a faster answer (紧急): a danger to people or a lost utility.
  var URGENT = ["燃气泄漏", "煤气泄漏", "漏气", "着火", "起火", "冒烟", "触电", "电线掉落", "塌陷", "坍塌",
    "被困", "困在电梯", "停水", "停电", "停暖", "爆管", "水管爆裂", "危险", "倒塌", "窨井盖"];
  function urgencyOf(text) {
    return URGENT.filter(function (w) { return text.indexOf(w) >= 0; });
  }
  function debounce(fn, ms) {
    var timer;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  function applyButton(label, key) {
    return el("button", { "type": "button", "class": "btn small apply", "data-apply": key }, label);
  }
  function setup() {
    var panel = document.querySelector("[data-intake-assist]");
    var form = document.getElementById("intake-form");
    if (!panel || !form || !window.fetch) { return; }
    var f = form.elements;
    var suggestBox = document.getElementById("assist-suggest");
    var similarBox = document.getElementById("assist-similar");
    var kbBox = document.getElementById("assist-kb");
    var select = document.getElementById("article");
    var answer = document.getElementById("answer");
    var articles = {};
    var pending = {};
    var seq = 0;

    // The deepest category option the suggested path reaches.
    function categoryOption(levels) {
      var options = Array.prototype.slice.call(f.category.options);
      for (var n = levels.length; n > 0; n--) {
        var path = levels.slice(0, n).join("/");
        var hit = options.filter(function (o) { return o.value === path || o.value.indexOf(path + "/") === 0; })[0];
        if (hit) { return hit.value; }
      }
      return "";
    }
    function renderSuggest(s, draft) {
      var out = [];
      pending = {};
      if (s.categories && s.categories.length) {
        var best = s.categories[0];
        var levels = [best[0]].concat((s.lower_levels || []).map(function (l) { return l[0]; }));
        var value = categoryOption(levels);
        var p = el("p", { "id": "suggest-category" });
        p.appendChild(el("strong", {}, value || levels.join(" / ")));
        p.appendChild(el("span", { "class": "small muted" }, " " + confidence(best[1])));
        if (value) {
          pending.category = value;
          p.appendChild(document.createTextNode(" "));
          p.appendChild(applyButton("采用", "category"));
        }
        out.push(p);
      } else {
        out.push(note("暂无分类建议"));
      }
      var urgent = urgencyOf(draft.title + " " + draft.text);
      if (urgent.length && f.urgency.value === "一般") {
        pending.urgency = "紧急";
        var u = el("p", { "id": "suggest-urgency" }, "建议紧急程度：紧急（提到“" + urgent.slice(0, 2).join("、") + "”） ");
        u.appendChild(applyButton("采用", "urgency"));
        out.push(u);
      }
      if (s.body) { out.push(el("p", { "id": "suggest-body", "class": "small" }, "派单时建议承办单位：" + s.body.name)); }
      if (s.place) { out.push(el("p", { "class": "small" }, "识别到的地点：" + s.place)); }
      if (s.words && s.words.length) {
        out.push(el("p", { "class": "small muted" }, "主要依据词：" + s.words.slice(0, 6).map(function (w) { return w[0]; }).join("、")));
      }
      if (s.manual) { out.push(el("p", { "class": "small warn-text" }, "建议人工确认分类" + (s.reason ? "：" + s.reason : ""))); }
      show(suggestBox, out);
    }
    function renderSimilar(list, district) {
      if (!list.length) { show(similarBox, [note("未发现" + district + "的疑似重复诉求")]); return; }
      var ul = el("ul", { "class": "assist-list", "id": "similar-list" });
      list.slice(0, 5).forEach(function (c) {
        var li = el("li");
        li.appendChild(el("a", { "href": "/appeals/" + c.id, "target": "_blank", "rel": "noopener" }, c.number));
        li.appendChild(document.createTextNode(" " + c.title + "（" + c.status + "）"));
        ul.appendChild(li);
      });
      show(similarBox, [note(district + "近 30 天内内容相近的诉求，受理后可由派单员并案："), ul]);
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
          li.appendChild(el("button", { "type": "button", "class": "link-btn", "data-article": String(a.id) }, "直办引用此条"));
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
      var draft = { title: f.title.value.trim(), text: f.text.value.trim(), address: f.address.value.trim() };
      if (!draft.title && !draft.text) { return; }
      var mine = ++seq;
      var typed = f.district.value.trim();
      api("POST", "/api/dispatch/suggest", draft).then(function (s) {
        if (mine !== seq) { return; }
        renderSuggest(s, draft);
        // Duplicates only from the same district: the one typed, else the one the text names.
        var named = (s.place || "").match(/[^市]{1,6}?[区县]/);
        var district = typed || (named && !/小区$/.test(named[0]) ? named[0] : "");
        if (!district) {
          show(similarBox, [note("填写区县后显示同一地区的疑似重复")]);
        } else {
          api("POST", "/api/appeals/similar", { title: draft.title, text: draft.text, district: district }).then(function (list) {
            if (mine === seq) { renderSimilar(list, district); }
          }).catch(function () { if (mine === seq) { show(similarBox, [note("查重服务暂不可用")]); } });
        }
        var words = (s.words || []).slice(0, 3).map(function (w) { return w[0]; });
        return findKnowledge([draft.title].concat(words).filter(Boolean)).then(function (list) {
          if (mine === seq) { renderKnowledge(list); }
        });
      }).catch(function () { if (mine === seq) { show(suggestBox, [note("暂时无法获取建议")]); } });
    }
    var later = debounce(refresh, 500);
    ["title", "text", "address", "district"].forEach(function (name) {
      if (f[name]) { f[name].addEventListener("input", later); }
    });
    suggestBox.addEventListener("click", function (e) {
      var btn = e.target.closest("[data-apply]");
      if (!btn) { return; }
      var key = btn.getAttribute("data-apply");
      if (pending[key] === undefined) { return; }
      f[key].value = pending[key];
      f[key].dispatchEvent(new Event("change", { bubbles: true }));
      btn.textContent = "已采用";
      btn.disabled = true;
    });
    function cite(id) {
      var a = articles[id];
      if (!a) { return; }
      var direct = form.querySelector("input[name=mode][value=direct]");
      if (direct && !direct.checked) {
        direct.checked = true;
        direct.dispatchEvent(new Event("change", { bubbles: true }));
      }
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
    if (f.title.value.trim() || f.text.value.trim()) { refresh(); }
  }
  document.addEventListener("DOMContentLoaded", setup);
})();
