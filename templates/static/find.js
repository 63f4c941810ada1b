// Finding things without a server: the compare picker's type-ahead and the capability
// matrix's fold. Every page works without this file.
(function () {
  "use strict";
  var base = document.documentElement.getAttribute("data-base") || "/";

  function pairUrl(a, b) {
    var s = [a, b].sort();
    return base + "compare/" + s[0] + "-vs-" + s[1] + "/";
  }

  // --- Capability matrix: the kinds both tools list start folded. -----------------------
  Array.prototype.forEach.call(document.querySelectorAll("button[data-fold]"), function (button) {
    var body = document.getElementById(button.getAttribute("data-fold"));
    if (!body) { return; }
    function set(open) {
      body.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "Hide" : "Show";
    }
    button.hidden = false;
    button.addEventListener("click", function () { set(body.hidden); });
    set(false);
  });

  // --- Compare picker: type-ahead over names and aliases. --------------------------------
  function normal(text) { return text.trim().toLowerCase().replace(/\s+/g, " "); }

  function Catalogue(data) {
    var bySlug = {}, byWord = {};
    data.tools.forEach(function (t) {
      bySlug[t.slug] = t;
      [t.name, t.slug].concat(t.aliases || []).forEach(function (w) { byWord[normal(w)] = t.slug; });
    });
    var listed = {};
    var pairs = data.pairs.only || data.pairs.except || [];
    pairs.forEach(function (p) { listed[p[0] + " " + p[1]] = true; });
    var only = !!data.pairs.only;
    return {
      tools: data.tools,
      name: function (slug) { return bySlug[slug].name; },
      find: function (text) { return byWord[normal(text)] || null; },
      hasPage: function (a, b) {
        if (a === b || !bySlug[a] || !bySlug[b]) { return false; }
        var s = [a, b].sort();
        return listed[s[0] + " " + s[1]] ? only : !only;
      }
    };
  }

  function enhance(form, cat) {
    var message = form.querySelector(".pick-message");
    var listId = form.querySelector("select").id + "-names";
    var list = document.createElement("datalist");
    list.id = listId;
    cat.tools.forEach(function (t) {
      [t.name].concat(t.aliases || []).forEach(function (word) {
        var option = document.createElement("option");
        option.value = word;
        if (word !== t.name) { option.label = t.name; }
        list.appendChild(option);
      });
    });
    form.appendChild(list);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var input = document.createElement("input");
      input.type = "text";
      input.id = select.id;
      input.name = select.name;
      input.setAttribute("list", listId);
      input.setAttribute("autocomplete", "off");
      input.value = cat.name(select.value);
      select.parentNode.replaceChild(input, select);
      input.addEventListener("focus", function () { input.select(); });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var boxes = [form.elements.a, form.elements.b];
      var slugs = boxes.map(function (box) { return cat.find(box.value); });
      for (var i = 0; i < 2; i++) {
        if (!slugs[i]) {
          message.textContent = boxes[i].value.trim()
            ? "No tool called \u201c" + boxes[i].value.trim() + "\u201d; pick one from the list."
            : "Choose two tools.";
          boxes[i].focus();
          return;
        }
      }
      if (slugs[0] === slugs[1]) {
        message.textContent = "Choose two different tools.";
        return;
      }
      if (!cat.hasPage(slugs[0], slugs[1])) {
        message.textContent = "There is no comparison page for " + cat.name(slugs[0]) + " and " + cat.name(slugs[1]) + ".";
        return;
      }
      message.textContent = "";
      window.location.href = pairUrl(slugs[0], slugs[1]);
    });
    form.setAttribute("data-ready", "");
  }

  var forms = document.querySelectorAll("form.compare-picker[data-picker]");
  if (forms.length) {
    fetch(forms[0].getAttribute("data-picker")).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      var cat = Catalogue(data);
      Array.prototype.forEach.call(forms, function (form) { enhance(form, cat); });
    }).catch(function () {});  // the plain form still works
  }
})();
