// Campaign set-up: the target count and preview follow the filters as the trainer types.
(function () {
  "use strict";
  var form = document.getElementById("campaign-form");
  if (!form) { return; }
  var texts = JSON.parse(document.getElementById("campaign-texts").textContent);
  var count = document.getElementById("target-count");
  var label = document.getElementById("target-count-label");
  var status = document.getElementById("target-status");
  var body = document.querySelector("#target-preview tbody");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var FILTERS = ["kind", "segment", "departments", "city", "no_order_days",
    "ordered_within_days", "not_contacted_days", "exclude_opposed"];
  var timer = null;
  var asked = 0;

  function filters() {
    var data = {};
    FILTERS.forEach(function (name) {
      var input = form.elements[name];
      if (!input) { return; }
      if (input.type === "checkbox") { data[name] = input.checked; return; }
      var value = String(input.value || "").trim();
      if (name === "departments") {
        data[name] = value ? value.split(",").map(function (d) { return d.trim(); })
          .filter(Boolean) : [];
      } else if (value) {
        data[name] = /_days$/.test(name) && /^\d+$/.test(value) ? Number(value) : value;
      }
    });
    return data;
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text == null || text === "" ? texts.none : text;
    return td;
  }

  // Dates as the page's language writes them (the server's table uses the same short form).
  function day(iso) {
    if (!iso) { return null; }
    var parts = iso.split("-");
    var when = new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]));
    return when.toLocaleDateString(document.documentElement.lang || "fr",
      { year: "numeric", month: "2-digit", day: "2-digit" });
  }

  function show(answer) {
    count.textContent = String(answer.total);
    label.textContent = answer.total > 1 ? texts.many : texts.one;
    status.textContent = "";
    body.textContent = "";
    answer.items.forEach(function (t) {
      var row = document.createElement("tr");
      [t.client, t.name, t.number, t.city + " (" + t.department + ")", day(t.last_order),
        day(t.last_contact)].forEach(function (text) { row.appendChild(cell(text)); });
      body.appendChild(row);
    });
  }

  function refresh() {
    var mine = ++asked;
    status.textContent = texts.loading;
    fetch(form.getAttribute("data-targets-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(filters())
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      if (mine !== asked) { return; }  // a newer question is on its way
      if (result.ok) { show(result.answer); } else { status.textContent = texts.invalid; }
    }).catch(function () {
      if (mine === asked) { status.textContent = texts.invalid; }
    });
  }

  function later(event) {
    if (FILTERS.indexOf(event.target.name) < 0) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}());
