// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Where the site lives: "/" at a domain's root, "/sub/path/" under a subpath.
  var base = document.documentElement.getAttribute("data-base") || "/";
  var nested = document.documentElement.getAttribute("data-layout") === "nested";
  function pairUrl(a, b) {
    var s = [a, b].sort();
    return base + "compare/" + (nested ? s[0] + "/" : "") + s[0] + "-vs-" + s[1] + "/";
  }

  // Not every pair has a page (see "Which pairs get a page" in the README): ask the server
  // whether the comparison exists, go there if it does, else say so in `status`.
  function goToPairOrExplain(a, b, status) {
    var target = pairUrl(a, b);
    fetch(target, { method: "HEAD" }).then(function (r) {
      if (r.ok) { window.location.replace(target); } else if (status) { explainNoPair(a, b, status); }
    }).catch(function () { window.location.replace(target); });
  }
  function explainNoPair(a, b, status) {
    status.textContent = "There is no comparison page for " + a + " and " + b +
      ": this site compares only tools that overlap. See the alternatives to ";
    [a, b].forEach(function (s, i) {
      var link = document.createElement("a");
      link.href = base + "alternatives/" + s + "/";
      link.textContent = s;
      status.appendChild(link);
      status.appendChild(document.createTextNode(i === 0 ? " or " : "."));
    });
  }
  var slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  // Picker: go straight to the comparison page.
  Array.prototype.forEach.call(document.querySelectorAll("form.pick"), function (form) {
    form.addEventListener("submit", function (ev) {
      var a = form.elements.a.value, b = form.elements.b.value;
      ev.preventDefault();
      if (a === b) {
        form.elements.b.setCustomValidity("Choose two different tools.");
        form.reportValidity();
        form.elements.b.setCustomValidity("");
        return;
      }
      window.location.href = pairUrl(a, b);
    });
  });

  // /compare/?a=x&b=y (the picker without JavaScript lands here): redirect.
  var params = new URLSearchParams(window.location.search);
  var a = params.get("a"), b = params.get("b");
  if (window.location.pathname === base + "compare/" && a && b && slug.test(a) && slug.test(b) && a !== b) {
    goToPairOrExplain(a, b, document.getElementById("pick-status"));
  }

  // 404 page: a reversed comparison URL goes to the canonical page when it exists.
  if (document.getElementById("notfound-status")) {
    var rest = window.location.pathname.indexOf(base) === 0 ? window.location.pathname.slice(base.length) : "";
    var m = /^compare\/(?:[a-z0-9-]+\/)?([a-z0-9-]+)-vs-([a-z0-9-]+)\/?$/.exec(rest);
    if (m && slug.test(m[1]) && slug.test(m[2]) && m[1] !== m[2]) {
      var target = pairUrl(m[1], m[2]);
      var status404 = document.getElementById("notfound-status");
      if (target === window.location.pathname || target === window.location.pathname + "/") {
        explainNoPair(m[1], m[2], status404);
      } else {
        fetch(target, { method: "HEAD" }).then(function (r) {
          if (r.ok) { window.location.replace(target); } else { explainNoPair(m[1], m[2], status404); }
        }).catch(function () {});
      }
    }
  }
})();
