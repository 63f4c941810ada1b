// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Where the site lives: "/" at a domain's root, "/sub/path/" under a subpath.
  var base = document.documentElement.getAttribute("data-base") || "/";
  function pairUrl(a, b) {
    var s = [a, b].sort();
    return base + "compare/" + s[0] + "-vs-" + s[1] + "/";
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
    window.location.replace(pairUrl(a, b));
  }

  // 404 page: a reversed comparison URL goes to the canonical page when it exists.
  if (document.getElementById("notfound-status")) {
    var rest = window.location.pathname.indexOf(base) === 0 ? window.location.pathname.slice(base.length) : "";
    var m = /^compare\/([a-z0-9-]+)-vs-([a-z0-9-]+)\/?$/.exec(rest);
    if (m) {
      var target = pairUrl(m[1], m[2]);
      if (target !== window.location.pathname) {
        fetch(target, { method: "HEAD" }).then(function (r) {
          if (r.ok) { window.location.replace(target); }
        }).catch(function () {});
      }
    }
  }
})();
