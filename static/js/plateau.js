// Plateau: small progressive enhancements shared by every page.
(function () {
  "use strict";
  // Ask before destructive buttons (reset, cancel): forms carry data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // The CSRF token for fetch() calls to the JSON API.
  window.plateauCsrf = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
})();
