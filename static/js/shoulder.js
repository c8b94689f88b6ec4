// Plateau: a candidate's desk over the shoulder (read-only). Filled from
// GET /api/v1/attempts/<id>/desk, refetched when the /room namespace pushes this attempt's tile.
(function () {
  "use strict";
  var root = document.getElementById("shoulder-root");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("room-texts").textContent);
  var attemptId = parseInt(root.getAttribute("data-attempt"), 10);
  var shiftId = parseInt(root.getAttribute("data-shift"), 10);
  var deskUrl = root.getAttribute("data-desk-url");
  var skew = 0, stateSince = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  var lang = document.documentElement.lang || "fr";
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString(lang) : ""; }

  function render(data) {
    skew = Date.parse(data.now) - Date.now();
    var phone = data.phone;
    $("shoulder-state").textContent = T.states[phone.state] || phone.state;
    stateSince = phone.since;
    var call = phone.call || phone.last_call;
    var line = $("shoulder-call"), list = $("shoulder-transcript");
    list.textContent = "";
    if (call) {
      line.textContent = (phone.call ? "" : T.last_call + " · ") + call.number + " · " +
        (T.calls[call.status] || call.status);
      call.transcript.forEach(function (turn) {
        var li = el("li");
        li.appendChild(el("span", "who who-" + turn.speaker, T.speakers[turn.speaker] || turn.speaker));
        li.appendChild(document.createTextNode(turn.text));
        list.appendChild(li);
      });
      list.scrollTop = list.scrollHeight;
    } else {
      line.textContent = T.no_call;
    }
    var inbox = $("shoulder-inbox");
    inbox.textContent = "";
    if (!data.conversations.length) { inbox.appendChild(el("p", "muted", T.no_conversations)); }
    data.conversations.forEach(function (conv) {
      var box = el("details", "conv");
      box.id = "conv-" + conv.id;
      var summary = el("summary");
      summary.appendChild(el("span", "chan chan-" + conv.channel, T.channels[conv.channel] || conv.channel));
      summary.appendChild(document.createTextNode(" " + (conv.client_name || conv.party) +
        (conv.subject ? " — " + conv.subject : "")));
      if (conv.overdue) { summary.appendChild(el("span", "badge bad", T.deadline_overdue)); }
      if (conv.unread) { summary.appendChild(el("span", "badge info", conv.unread + " " + T.unread)); }
      box.appendChild(summary);
      (conv.messages || []).forEach(function (msg) {
        var line = el("p", "msg msg-" + msg.direction, time(msg.at) + " · " + msg.body);
        // Generated documents (the client's invoice, order, plan): the PDF as it was sent.
        (msg.attachments || []).forEach(function (a) {
          if (!a.url) { return; }
          var link = el("a", "attachment", a.filename);
          link.href = a.url;
          link.setAttribute("download", a.filename);
          line.appendChild(document.createTextNode(" "));
          line.appendChild(link);
        });
        box.appendChild(line);
      });
      inbox.appendChild(box);
    });
    var actions = $("shoulder-actions");
    actions.textContent = "";
    data.actions.forEach(function (a) {
      actions.appendChild(el("li", null, time(a.at) + " · " + (T.verbs[a.verb] || a.label)));
    });
  }

  function load() {
    fetch(deskUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(render)
      .catch(function () { /* the next push or poll will try again */ });
  }
  window.setInterval(function () {
    $("shoulder-state-timer").textContent = stateSince ?
      clock((Date.now() + skew - Date.parse(stateSince)) / 1000) : "";
  }, 1000);

  window.plateauFollowShift({
    namespace: "/room", shiftId: shiftId, load: load,
    badge: $("shoulder-link"), liveText: T.live, offlineText: T.offline,
    on: {
      tiles: function (data) {
        var mine = (data.items || []).some(function (t) { return t.attempt_id === attemptId; });
        if (mine) { load(); }
      }
    }
  });
})();
