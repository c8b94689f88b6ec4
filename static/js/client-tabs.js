// Tabs: show one panel at a time; without JavaScript every panel stays visible, one under another.
(function () {
  "use strict";
  var links = document.querySelectorAll("#client-tabs a");
  var panels = document.querySelectorAll(".tab-panel");
  function show(id) {
    var found = false;
    panels.forEach(function (p) { if (p.id === id || p.querySelector("#" + id)) { found = true; } });
    if (!found) { id = "fiche"; }
    panels.forEach(function (p) { p.hidden = !(p.id === id || p.querySelector("#" + id)); });
    links.forEach(function (a) { a.classList.toggle("active", a.getAttribute("href") === "#" + id); });
  }
  links.forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var id = a.getAttribute("href").slice(1);
      history.replaceState(null, "", "#" + id);
      show(id);
    });
  });
  show((location.hash || "#fiche").slice(1));
})();
