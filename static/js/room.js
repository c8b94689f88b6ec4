// Plateau: the trainer's room. Tiles come from GET /api/v1/shifts/<id>/live; the /room
// namespace pushes the new tiles of the candidates who just acted ("tiles"). Timers tick
// locally from the server's moments; a light refetch every 15 s refreshes time-based alerts
// (every 5 s while the socket is down).
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("room-texts").textContent);
  var shiftId = parseInt(root.getAttribute("data-shift"), 10);
  var liveUrl = root.getAttribute("data-live-url");
  var shoulderUrl = root.getAttribute("data-shoulder-url").replace(/0$/, "");
  var tilesBox = document.getElementById("tiles");
  var tiles = {};        // attempt id -> tile data
  var order = [];        // attempt ids in the server's order
  var skew = 0;          // server time - local time (ms)
  var shift = null;
  var shiftAt = 0;       // local time when `shift` was received

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_m, key) {
      return values && values[key] !== undefined ? values[key] : "";
    });
  }
  // Numbers in the page's language: counts (« 1 234 » / "1,234") and percentages, « 42,5 % »
  // with French typography's narrow no-break space (Intl's fr-FR puts a wide one), "42.5%".
  var english = document.documentElement.lang === "en";
  var counts = new Intl.NumberFormat(english ? "en-US" : "fr-FR", { maximumFractionDigits: 1 });
  function number(value) { return counts.format(Number(value)); }
  function percent(value) { return number(value) + (english ? "%" : "\u202f%"); }
  function serverNow() { return Date.now() + skew; }
  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }
  function since(iso) { return iso ? (serverNow() - Date.parse(iso)) / 1000 : 0; }

  // « 1 action », « 2 actions »: the words after a count (T.counted holds [singular, plural],
  // « %(n)s » where the number goes; the number itself is drawn in bold beside them).
  function counted(key, n) {
    var forms = T.counted[key];
    var form = n === 1 || (n === 0 && T.zero_is_singular) ? forms[0] : forms[1];
    return form.replace("%(n)s", "").trim();
  }

  function alertText(alert) {
    var d = alert.detail || {};
    var template = T.alerts[d.kind] || T.alerts[alert.code];
    return template ? fmt(template, d) : alert.message;
  }

  function renderTile(tile) {
    var state = tile.phone.state;
    var node = el("article", "tile state-" + state);
    node.id = "tile-" + tile.attempt_id;
    node.setAttribute("data-attempt", tile.attempt_id);
    if (tile.alerts.length) { node.className += " has-alert alert-" + tile.alerts[0].level; }

    var head = el("header", "tile-head");
    var name = el("a", "tile-name", tile.candidate.display_name);
    name.href = shoulderUrl + tile.attempt_id;
    name.title = T.over_shoulder;
    head.appendChild(name);
    var stateTimer = el("span", "timer tile-timer", "");
    stateTimer.setAttribute("data-since", tile.phone.since || "");
    head.appendChild(stateTimer);
    node.appendChild(head);

    var stateBox = el("div", "tile-state");
    stateBox.appendChild(el("span", "state-chip chip-" + state, T.states[state] || state));
    if (tile.phone.pause_reason && state === "pause") {
      stateBox.appendChild(el("span", "tile-reason", tile.phone.pause_reason));
    }
    node.appendChild(stateBox);

    var current = el("div", "tile-current");
    var c = tile.current;
    if (c) {
      var channel = el("span", "chan chan-" + c.channel, T.channels[c.channel] || c.channel);
      current.appendChild(channel);
      current.appendChild(el("span", "dir", T.directions[c.direction] || ""));
      current.appendChild(el("span", "customer", c.customer || c.party || T.unknown_customer));
      var t = el("span", "timer", "");
      t.setAttribute("data-since", c.since || "");
      current.appendChild(t);
      if (c.on_hold) { current.appendChild(el("span", "badge warn", T.on_hold)); }
      // A trainer listens to a voiced call or whispers to the candidate (voice.js).
      if (c.kind === "call" && window.plateauVoice && window.plateauVoice.controls) {
        current.appendChild(window.plateauVoice.controls(c.id));
      }
    } else if (tile.wrap_up) {
      current.appendChild(el("span", "chan chan-phone", T.states.wrap_up));
      var w = el("span", "timer", "");
      w.setAttribute("data-since", tile.wrap_up.started_at || "");
      current.appendChild(w);
      if (tile.wrap_up.max_seconds) {
        current.appendChild(el("span", "muted", "/ " + clock(tile.wrap_up.max_seconds)));
      }
    } else {
      current.appendChild(el("span", "muted", T.no_contact));
    }
    node.appendChild(current);

    var counts = el("ul", "tile-counts");
    var k = tile.counts;
    function count(value, label, cls) {
      var li = el("li", cls + (value ? "" : " zero"));
      li.appendChild(el("b", null, number(value)));
      li.appendChild(document.createTextNode(" " + label));
      counts.appendChild(li);
    }
    count(k.actions, counted("actions", k.actions), "c-actions");
    count(k.to_qualify, T.to_qualify, "c-qualify");
    count(k.qualified, counted("qualified", k.qualified), "c-qualified");
    count(k.waiting_messages, counted("waiting", k.waiting_messages), "c-waiting");
    count(k.overdue_messages, T.overdue, "c-overdue");
    node.appendChild(counts);

    if (tile.campaign) { node.appendChild(renderCampaign(tile.campaign, "tile-campaign")); }

    var last = el("p", "tile-last");
    if (tile.last_action) {
      var label = T.verbs[tile.last_action.verb] || tile.last_action.label;
      last.appendChild(el("span", "verb", label));
      if (tile.last_action.actor_role === "trainer") {
        last.appendChild(el("span", "muted", " (" + T.by_trainer + ")"));
      }
      var ago = el("span", "ago timer", "");
      ago.setAttribute("data-since", tile.last_action.at);
      last.appendChild(ago);
    } else {
      last.appendChild(el("span", "muted", T.none_yet));
    }
    node.appendChild(last);

    if (tile.alerts.length) {
      var list = el("ul", "tile-alerts");
      tile.alerts.forEach(function (alert) {
        var li = el("li", "alert alert-" + alert.level + " alert-" + alert.code, alertText(alert));
        li.setAttribute("data-code", alert.code);
        list.appendChild(li);
      });
      node.appendChild(list);
    }
    return node;
  }

  // A campaign's progress: reached of the targets, attempts, successes, conversion against the
  // goal, and the outcomes by qualification code.
  function renderCampaign(p, cls) {
    var box = el("div", "campaign-progress " + cls + (p.goal.met ? " goal-met" : ""));
    var line = el("p", "campaign-line");
    line.appendChild(el("b", null, T.campaign.title + " "));
    [[number(p.reached) + "/" + number(p.targets), counted("reached", p.reached), "p-reached"],
      [number(p.attempts), counted("attempts", p.attempts), "p-attempts"],
      [number(p.successes) + (p.goal.target_count ? "/" + number(p.goal.target_count) : ""),
        T.campaign.successes, "p-successes"],
      [p.conversion === null ? "–" : percent(p.conversion) +
        (p.goal.rate ? " / " + percent(p.goal.rate) : ""), T.campaign.conversion, "p-conversion"]
    ].forEach(function (part) {
      var span = el("span", part[2]);
      span.appendChild(el("b", null, String(part[0])));
      span.appendChild(document.createTextNode(" " + part[1] + " "));
      line.appendChild(span);
    });
    if (p.goal.met) { line.appendChild(el("span", "badge ok", T.campaign.goal_met)); }
    box.appendChild(line);
    var codes = Object.keys(p.outcomes || {});
    if (codes.length) {
      var list = el("ul", "campaign-outcomes");
      codes.forEach(function (code) {
        var li = el("li", "outcome");
        li.setAttribute("data-code", code);
        li.appendChild(el("b", null, code));
        li.appendChild(document.createTextNode(" " + number(p.outcomes[code])));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    return box;
  }

  // The room's progress: every candidate's summed up (as GET /live's `campaign`), so that a
  // push of one tile keeps the room's line current.
  function roomCampaign() {
    var box = document.getElementById("room-campaign");
    var all = order.map(function (id) { return tiles[id].campaign; }).filter(Boolean);
    box.textContent = "";
    if (!all.length) { box.hidden = true; return; }
    var goal = all[0].goal;
    var sum = { targets: 0, attempts: 0, reached: 0, successes: 0, outcomes: {} };
    all.forEach(function (p) {
      ["targets", "attempts", "reached", "successes"].forEach(function (k) { sum[k] += p[k]; });
      Object.keys(p.outcomes || {}).forEach(function (code) {
        sum.outcomes[code] = (sum.outcomes[code] || 0) + p.outcomes[code];
      });
    });
    sum.conversion = sum.reached ? Math.round(1000 * sum.successes / sum.reached) / 10 : null;
    var target = goal.count ? goal.count * all.length : null;
    var met = (goal.count || goal.rate) && (!target || sum.successes >= target) &&
      (!goal.rate || (sum.conversion || 0) >= goal.rate);
    sum.goal = { rate: goal.rate, target_count: target, met: !!met };
    box.appendChild(renderCampaign(sum, "room-campaign-line"));
    box.hidden = false;
  }

  function renderAll() {
    tilesBox.textContent = "";
    if (!order.length) { tilesBox.appendChild(el("p", "muted", T.empty)); }
    order.forEach(function (id) { tilesBox.appendChild(renderTile(tiles[id])); });
    totals();
    tick();
  }

  function replaceTile(tile) {
    tiles[tile.attempt_id] = tile;
    var old = document.getElementById("tile-" + tile.attempt_id);
    var fresh = renderTile(tile);
    fresh.setAttribute("data-source", "push");
    if (old) { old.parentNode.replaceChild(fresh, old); }
    fresh.classList.add("flash");
    window.setTimeout(function () { fresh.classList.remove("flash"); }, 800);
    totals();
    tick();
  }

  function totals() {
    var sums = { on_call: 0, ready: 0, pause: 0, wrap_up: 0, alerts: 0 };
    order.forEach(function (id) {
      var tile = tiles[id], state = tile.phone.state;
      if (state === "on_call" || state === "on_hold" || state === "ringing") { sums.on_call += 1; }
      if (sums[state] !== undefined && state !== "on_call") { sums[state] += 1; }
      sums.alerts += tile.alerts.length;
    });
    document.getElementById("total-candidates").textContent = number(order.length);
    document.getElementById("label-candidates").textContent = counted("candidates", order.length);
    Object.keys(sums).forEach(function (key) {
      document.getElementById("total-" + key).textContent = number(sums[key]);
    });
    document.getElementById("label-ready").textContent = counted("ready", sums.ready);
    document.getElementById("label-alerts").textContent = counted("alerts", sums.alerts);
    document.querySelector(".room-totals .t-alerts").classList.toggle("hot", sums.alerts > 0);
    roomCampaign();
  }

  function tick() {
    var nodes = root.querySelectorAll(".timer[data-since]");
    for (var i = 0; i < nodes.length; i += 1) {
      var iso = nodes[i].getAttribute("data-since");
      nodes[i].textContent = iso ? clock(since(iso)) : "";
    }
    if (shift) {
      var elapsed = shift.elapsed_seconds;
      if (shift.status === "running") { elapsed += (Date.now() - shiftAt) / 1000; }
      document.getElementById("room-clock").textContent = clock(elapsed);
    }
  }

  function setShift(data) {
    shift = data.shift;
    shiftAt = Date.now();
    skew = Date.parse(data.now) - Date.now();
    var badge = document.getElementById("room-status");
    badge.textContent = T.shift_status[shift.status] || shift.status;
    badge.className = "badge " + ({ running: "ok", paused: "warn", planned: "info" }[shift.status] || "");
  }

  function load() {
    fetch(liveUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        setShift(data);
        tiles = {};
        order = data.items.map(function (tile) { tiles[tile.attempt_id] = tile; return tile.attempt_id; });
        renderAll();
      })
      .catch(function () { /* the next refetch will try again */ });
  }

  function onTiles(data) {
    if (!data || !data.shift || data.shift.id !== shiftId) { return; }
    setShift(data);
    var unknown = false;
    (data.items || []).forEach(function (tile) {
      if (tiles[tile.attempt_id]) { replaceTile(tile); } else { unknown = true; }
    });
    // A candidate added or reset: the room's membership changed, fetch it whole.
    if (unknown) { load(); }
  }

  window.setInterval(tick, 1000);
  window.plateauFollowShift({
    namespace: "/room", shiftId: shiftId, load: load, joinedEvery: 15000,
    badge: document.getElementById("room-link"), liveText: T.live, offlineText: T.offline,
    on: { tiles: onTiles }
  });
})();
