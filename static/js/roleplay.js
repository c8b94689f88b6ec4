// Plateau: the role-player console. Lists the shift's customers (GET /api/v1/shifts/<id>/roleplay),
// takes one, shows its transcript or messages, persona and client file, and sends the customer's
// typed turns. Refetches on the /roleplay namespace's `changed` pushes (polls while offline).
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("console-texts").textContent);
  var shiftId = parseInt(root.getAttribute("data-shift"), 10);
  var me = parseInt(root.getAttribute("data-me"), 10);
  var played = null;  // {kind: "call"|"conversation", id, review: true when reopened once over}
  var recent = [];    // what ended while open, latest first: {kind, id, title, status}

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function url(name, id, suffix) {
    return root.getAttribute("data-" + name + "-url").replace(/\/0(\/|$)/, "/" + id + "$1") + (suffix || "");
  }
  var lang = document.documentElement.lang || "fr";
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString(lang) : ""; }
  // Numbers, amounts and days as the CRM pages write them (« 04 65 71 20 50 », « 58,20 € »,
  // « 07/12/2026 »), not as the API sends them (« +33465712050 », « 58.20 », « 2026-12-07 »).
  function phone(value) {
    var match = /^\+33([1-9]\d{8})$/.exec(String(value || "").replace(/[\s.\-]/g, ""));
    if (!match) { return value == null ? "" : String(value); }
    return ("0" + match[1]).replace(/(\d\d)(?=\d)/g, "$1 ");
  }
  // As crm.pages writes them in either language: the amount, then « € » (« 58,20 € »,
  // « 58.20 € »); a day in the locale's short form (« 07/12/2026 », « 12/7/26 »).
  var amounts = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-US",
    { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function money(value) { return value == null || value === "" ? "" : amounts.format(Number(value)) + " €"; }
  function day(iso) {
    if (!iso) { return ""; }
    var parts = String(iso).split("-");
    var date = new Date(+parts[0], +parts[1] - 1, +parts[2]);
    return lang === "fr" ? date.toLocaleDateString("fr-FR")
      : date.toLocaleDateString("en-US", { year: "2-digit", month: "numeric", day: "numeric" });
  }
  function word(labels, key) { return (labels && labels[key]) || key; }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function request(method, address, body) {
    var options = { method: method, credentials: "same-origin",
      headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = window.plateauCsrf();
      options.body = JSON.stringify(body || {});
    }
    return fetch(address, options).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    });
  }

  function renderWaiting(data) {
    var body = $("waiting");
    body.textContent = "";
    if (!data.items.length) {
      var row = el("tr"), cell = el("td", "muted", T.nothing);
      cell.colSpan = 6;
      row.appendChild(cell);
      body.appendChild(row);
    }
    data.items.forEach(function (item) {
      var row = el("tr");
      row.id = "waiting-" + item.kind + "-" + item.id;
      row.appendChild(el("td", null, item.candidate.display_name));
      row.appendChild(el("td", null, T.channels[item.kind === "call" ? "call" : item.channel]));
      var who = (item.persona || (item.client && item.client.name) || phone(item.party));
      row.appendChild(el("td", null, who));
      var state = item.kind === "call" ? word(T.calls, item.status) : word(T.conversation_status, item.status);
      var cell = el("td", null, state);
      if (item.customer_turn) { cell.appendChild(el("span", "badge warn", T.your_turn)); }
      if (item.scripted) { cell.appendChild(el("span", "badge info", T.scripted)); }
      row.appendChild(cell);
      row.appendChild(el("td", null, item.player ? item.player.display_name : ""));
      var actions = el("td");
      var mine = item.player && item.player.id === me;
      var button = el("button", "button small" + (item.player ? "" : " primary"),
        item.player ? T.open : T.take);
      button.type = "button";
      button.className += " take";
      button.addEventListener("click", function () {
        if (mine || item.player) { open(item.kind, item.id); } else { take(item.kind, item.id); }
      });
      actions.appendChild(button);
      row.appendChild(actions);
      body.appendChild(row);
    });
  }

  function renderFile(data) {
    $("file").hidden = false;
    var persona = $("file-persona");
    persona.textContent = "";
    if (data.persona) {
      persona.appendChild(el("p", null, fmt(T.labelled, { label: T.persona, value: data.persona.name }) +
        (data.persona.temper ? " · " + fmt(T.labelled, { label: T.temper, value: data.persona.temper }) : "")));
    }
    var box = $("file-client");
    box.textContent = "";
    var client = data.client;
    if (!client) { box.appendChild(el("p", "muted", T.no_client)); return; }
    box.appendChild(el("p", "file-name", client.name + " · " + client.number));
    if (client.phones.length) { box.appendChild(el("p", null, fmt(T.labelled, { label: T.phones, value: client.phones.map(phone).join(", ") }))); }
    [["orders", T.orders, function (o) {
      return [o.number, day(o.ordered_on), money(o.total), word(T.order_status, o.status)].filter(Boolean).join(" · ");
    }],
     ["invoices", T.invoices, function (i) {
      return [i.number, day(i.due_on), fmt(T.left_to_pay, { amount: money(i.amount_due) }),
        word(T.invoice_status, i.status)].join(" · ");
    }]
    ].forEach(function (part) {
      if (!client[part[0]].length) { return; }
      box.appendChild(el("h3", null, part[1]));
      var list = el("ul");
      client[part[0]].forEach(function (row) { list.appendChild(el("li", null, part[2](row))); });
      box.appendChild(list);
    });
  }

  // What ended leaves the active pane for the « Récemment terminés » list, from which it can be
  // reread (read-only); the console is back to its waiting list.
  function renderRecent() {
    var list = $("recent");
    list.textContent = "";
    $("recent-panel").hidden = !recent.length;
    recent.forEach(function (item) {
      var li = el("li");
      li.id = "recent-" + item.kind + "-" + item.id;
      li.appendChild(el("span", null, item.title + " · " + item.status + " "));
      var again = el("button", "button small review", T.review);
      again.type = "button";
      again.addEventListener("click", function () { open(item.kind, item.id, true); });
      li.appendChild(again);
      list.appendChild(li);
    });
  }
  function closePlayed(kind, id) {
    recent = [{ kind: kind, id: id, title: $("played-title").textContent,
      status: $("played-status").textContent }].concat(recent.filter(function (item) {
      return !(item.kind === kind && item.id === id);
    })).slice(0, 10);
    played = null;
    $("played").hidden = true;
    $("file").hidden = true;
    $("console-notice").textContent = kind === "call" ? T.call_over : T.conversation_over;
    renderRecent();
  }

  function renderPlayed(data) {
    $("console-notice").textContent = "";
    $("played").hidden = false;
    var list = $("played-transcript");
    list.textContent = "";
    var mine = data.player && data.player.id === me;
    var over;
    if (played.kind === "call") {
      var call = data.call;
      $("played-title").textContent = T.channels.call + " · " + phone(call.number) + " · " + data.candidate.display_name;
      $("played-status").textContent = word(T.calls, call.status) +
        (data.player ? " · " + fmt(T.played_by, { who: data.player.display_name }) : "");
      call.transcript.forEach(function (turn) {
        var li = el("li");
        li.appendChild(el("span", "who who-" + turn.speaker, T.speakers[turn.speaker] || turn.speaker));
        li.appendChild(document.createTextNode(turn.text));
        list.appendChild(li);
      });
      over = ["ringing", "on_call", "on_hold"].indexOf(call.status) < 0;
      $("played-hangup").hidden = !mine || over;
      // voice.js speaks, records and uploads the call its role-player plays (not one reread).
      if (!played.review) {
        document.dispatchEvent(new CustomEvent("plateau:call", { detail: { call: call, mine: mine } }));
      }
    } else {
      var conv = data.conversation;
      $("played-title").textContent = T.channels[conv.channel] + " · " + phone(conv.party) + " · " + data.candidate.display_name;
      $("played-status").textContent = word(T.conversation_status, conv.status) +
        (data.player ? " · " + fmt(T.played_by, { who: data.player.display_name }) : "");
      conv.messages.forEach(function (msg) {
        var li = el("li");
        var speaker = msg.direction === "in" ? "customer" : "agent";
        li.appendChild(el("span", "who who-" + speaker, T.speakers[speaker] + " · " + time(msg.at)));
        li.appendChild(document.createTextNode(msg.body));
        list.appendChild(li);
      });
      over = conv.status === "resolved";
      $("played-hangup").hidden = true;
    }
    if (over && !played.review) { closePlayed(played.kind, played.id); return; }
    list.scrollTop = list.scrollHeight;
    $("played-form").hidden = !mine || over;
    renderFile(data);
  }

  function loadPlayed() {
    if (!played) { return; }
    var asked = played;
    var address = url(played.kind === "call" ? "call" : "conversation", played.id);
    request("GET", address).then(function (answer) {
      // Another item may have been opened meanwhile: only the one still shown is drawn.
      if (answer.ok && played === asked) { renderPlayed(answer.data); }
    });
  }
  function load() {
    request("GET", root.getAttribute("data-list-url")).then(function (answer) {
      if (answer.ok) { renderWaiting(answer.data); }
    });
    loadPlayed();
  }
  function showError(answer) {
    var error = answer.data.error || {};
    var fields = error.fields || {};
    $("played-error").textContent = fields.text || fields.body || error.message || T.error;
  }
  function open(kind, id, review) {
    played = { kind: kind, id: id, review: !!review };
    $("played-error").textContent = "";
    loadPlayed();
  }
  function take(kind, id) {
    var address = url(kind === "call" ? "call" : "conversation", id, "/take");
    request("POST", address).then(function (answer) {
      played = { kind: kind, id: id, review: false };
      if (answer.ok) { $("played-error").textContent = ""; renderPlayed(answer.data); load(); }
      else { loadPlayed(); showError(answer); }
    });
  }

  $("played-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!played) { return; }
    var text = $("played-text").value;
    var call = played.kind === "call";
    var address = url(call ? "say" : "reply", played.id);
    request("POST", address, call ? { text: text } : { body: text }).then(function (answer) {
      if (answer.ok) {
        $("played-text").value = "";
        $("played-error").textContent = "";
        loadPlayed();
      } else { showError(answer); }
    });
  });
  $("played-hangup").addEventListener("click", function () {
    if (!played || played.kind !== "call") { return; }
    request("POST", url("hangup", played.id)).then(function (answer) {
      if (answer.ok) { load(); } else { showError(answer); }
    });
  });

  window.plateauFollowShift({
    namespace: "/roleplay", shiftId: shiftId, load: load,
    badge: $("console-link"), liveText: T.connected, offlineText: T.disconnected,
    on: { changed: function () { load(); } }
  });
})();
