// The search page: Pagefind's index (/pagefind/), queried as the visitor types, with filters.
// Without this file (or without WebAssembly) the page keeps its plain list of every tool.
(function () {
  "use strict";
  var base = document.documentElement.getAttribute("data-base") || "/";
  var q = document.getElementById("q");
  var results = document.getElementById("search-results");
  var fallback = document.getElementById("search-fallback");
  var status = document.getElementById("search-status");
  var filterBox = document.getElementById("search-filters");
  var form = document.getElementById("search-form");
  if (!q || !results || !status) { return; }
  var params = new URLSearchParams(window.location.search);
  q.value = params.get("q") || "";
  var FILTERS = ["page", "category", "type", "pricing", "open source"];
  var LABELS = { "page": "Page", "category": "Category", "type": "Type", "pricing": "Pricing", "open source": "Open source" };

  // Excerpts are text with <mark> around the matched words: rebuilt as text nodes and marks,
  // never as markup.
  function excerptNodes(html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createElement("p");
    out.className = "excerpt";
    Array.prototype.forEach.call(doc.body.firstChild.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        out.appendChild(m);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function chosen() {
    var filters = {};
    Array.prototype.forEach.call(filterBox.querySelectorAll("input:checked"), function (box) {
      var name = box.getAttribute("data-filter");
      (filters[name] = filters[name] || { any: [] }).any.push(box.value);
    });
    return filters;
  }

  function drawFilters(available) {
    FILTERS.forEach(function (name) {
      var values = available[name];
      if (!values || !Object.keys(values).length) { return; }
      var set = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = LABELS[name];
      set.appendChild(legend);
      Object.keys(values).sort().forEach(function (value) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.value = value;
        box.setAttribute("data-filter", name);
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value));
        set.appendChild(label);
      });
      filterBox.appendChild(set);
    });
    filterBox.hidden = false;
  }

  function show(found, data) {
    results.textContent = "";
    data.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d.url;
      a.textContent = (d.meta && d.meta.title) || d.url;
      li.appendChild(a);
      if (d.meta && d.meta.kind) {
        var kind = document.createElement("span");
        kind.className = "muted result-kind";
        kind.textContent = " " + d.meta.kind;
        li.appendChild(kind);
      }
      li.appendChild(excerptNodes(d.excerpt || ""));
      results.appendChild(li);
    });
    var n = found;
    status.textContent = n === 0 ? "Nothing found." : n + (n === 1 ? " result." : " results.") + (n > data.length ? " Showing the first " + data.length + "." : "");
    results.hidden = false;
    fallback.hidden = true;
  }

  import(base + "pagefind/pagefind.js").then(function (pagefind) {
    return pagefind.options({ baseUrl: base }).then(function () {
      return pagefind.filters();
    }).then(function (available) {
      drawFilters(available);
      var latest = 0;
      function run() {
        var term = q.value.trim();
        var filters = chosen();
        var ticket = ++latest;
        if (!term && !Object.keys(filters).length) {
          results.hidden = true;
          fallback.hidden = false;
          status.textContent = fallback.children.length + " tools.";
          return;
        }
        status.textContent = "Searching…";
        pagefind.search(term || null, { filters: filters }).then(function (search) {
          if (ticket !== latest) { return null; }
          return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); })).then(function (data) {
            if (ticket === latest) { show(search.results.length, data); }
          });
        });
      }
      q.addEventListener("input", run);
      filterBox.addEventListener("change", run);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
      document.documentElement.setAttribute("data-search-ready", "");
      run();
    });
  }).catch(function () {
    status.textContent = "Search is unavailable here; every tool is listed below.";
  });
})();
