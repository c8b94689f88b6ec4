// Plateau: small progressive enhancements shared by every page.
(function () {
  "use strict";
  // Ask before destructive buttons (reset, cancel, hand in): forms or buttons carry data-confirm.
  // A required field left empty: the server names it first; asking « sure? » before would be
  // answering a question about a form that is going to be refused.
  // A button may require more than the form does (« hand in » beside « save draft »): its
  // data-requires names those fields by a selector.
  function missingRequired(form, button) {
    var wanted = "[required]" + (button && button.getAttribute("data-requires")
      ? ", " + button.getAttribute("data-requires") : "");
    return Array.prototype.some.call(form.querySelectorAll(wanted), function (input) {
      return !input.disabled && !String(input.value || "").trim();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (form.querySelectorAll && missingRequired(form, button)) { return; }
    // A button may ask its own question (e.g. "submit" beside "save draft").
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
  // Errors where the eye is: a page that comes back with an error shows it, scrolled into view,
  // and puts the cursor in the first field to correct (the page may open scrolled to the top
  // of a pane, the error below the fold).
  function showFirstError() {
    var field = document.querySelector('[aria-invalid="true"]');
    var target = field || document.querySelector(
      ".error[role=alert]:not(:empty), .flashes .flash-error, #identity-verdict");
    if (!target) { return; }
    target.scrollIntoView({ block: "center" });
    if (field) { field.focus({ preventScroll: true }); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showFirstError);
  } else {
    showFirstError();
  }

  // The CSRF token for fetch() calls to the JSON API.
  window.plateauCsrf = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };

  // One call to the JSON API (/api/v1 + path) with the page's session and CSRF token; resolves
  // to {ok, status, data}, never rejects: a network failure is {ok: false, status: 0} with
  // `networkMessage` as the error's message.
  window.plateauApi = function (method, path, body, networkMessage) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = window.plateauCsrf();
      options.body = JSON.stringify(body || {});
    }
    return fetch("/api/v1" + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    }, function () {
      return { ok: false, status: 0, data: { error: { message: networkMessage } } };
    });
  };
})();
