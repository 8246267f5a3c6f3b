// Progressive enhancement shared by every page. Pages work without it.
(function () {
  "use strict";
  // Move focus to an error summary so screen-reader users hear what went wrong.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  // "See how other cities do this": a <details> that loads its practices when first opened,
  // so the page (and everything typed in it) stays; without script it links to a new tab.
  document.querySelectorAll("details[data-practices-url]").forEach(function (box) {
    box.addEventListener("toggle", function () {
      if (!box.open || box.dataset.loaded) { return; }
      box.dataset.loaded = "1";
      var body = box.querySelector("[data-practices-body]");
      body.setAttribute("aria-busy", "true");
      fetch(box.dataset.practicesUrl, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
        .then(function (html) { body.innerHTML = html; })
        .catch(function () { delete box.dataset.loaded; })
        .finally(function () { body.removeAttribute("aria-busy"); });
    });
  });
})();
