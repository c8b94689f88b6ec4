// Plateau: small progressive enhancements shared by every page.
(function () {
  "use strict";
  // Ask before destructive buttons (reset, cancel, hand in): forms or buttons carry data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // A button may ask its own question (e.g. "submit" beside "save draft").
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Filters that apply as soon as they change: selects marked data-autosubmit.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });
  // The CSRF token for fetch() calls to the JSON API.
  window.plateauCsrf = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
})();
