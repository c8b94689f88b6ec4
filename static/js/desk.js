// The candidate's desk: panels filled from the JSON API, refreshed on every server push.
// State always comes from the server; the page only keeps what it fetched last and ticks
// timers locally between two fetches. Without a socket it polls every few seconds.
(function () {
  "use strict";
  var root = document.getElementById("desk");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("desk-texts").textContent);
  var POLL_MS = parseInt(root.getAttribute("data-poll-ms"), 10) || 3000;
  var desk = {
    phone: null, phoneAt: 0, channel: "email", inbox: null,
    conversation: null, templates: {}, codes: null, documents: null, drafts: {},
    pollTimer: null, measureTimer: null
  };
  // What the candidate types about one conversation (reply, qualification): kept per
  // conversation, so that nothing typed for one is ever sent with another.
  var DRAFT_FIELDS = ["reply-body", "reply-subject", "conv-code", "conv-note"];

  function $(id) { return document.getElementById(id); }
  function show(el, visible) { el.hidden = !visible; }
  function text(el, value) { el.textContent = value == null ? "" : String(value); }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  // A translated text with its « %(name)s » placeholders filled.
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function make(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (content != null) { el.textContent = content; }
    return el;
  }

  // A disabled action says why: `reason` becomes the button's title and a short text beside it
  // (announced by screen readers through aria-describedby); no reason, enabled, no text.
  function setDisabled(button, reason) {
    button.disabled = !!reason;
    var hint = button.nextElementSibling;
    if (!(hint && hint.classList.contains("why"))) {
      if (!reason) { button.removeAttribute("title"); return; }
      hint = make("span", "why muted");
      hint.id = (button.id || "action-" + (++whyCount)) + "-why";
      button.parentNode.insertBefore(hint, button.nextSibling);
    }
    text(hint, reason || "");
    show(hint, !!reason);
    if (reason) {
      button.title = reason;
      button.setAttribute("aria-describedby", hint.id);
    } else {
      button.removeAttribute("title");
      button.removeAttribute("aria-describedby");
    }
  }
  var whyCount = 0;

  // Why the phone cannot dial now (null when it can): the agent's state says what to do first.
  function dialRefusal(state) {
    if (state === "ready") { return null; }
    if (state === "offline" || state === "pause" || !state) { return T.why_not_ready; }
    if (state === "wrap_up") { return T.why_wrap_up; }
    return T.why_on_call;
  }

  // --- API --------------------------------------------------------------------------------
  function api(method, path, body) {
    return window.plateauApi(method, path, body, T.network);
  }

  // Which control holds each API field, per error box: a refusal names the field by its label
  // and puts the cursor there, instead of « Données invalides. Champ obligatoire. ».
  var FIELDS = {
    "qualify-error": { code: "qualify-code", note: "qualify-note" },
    "conv-error": { code: "conv-code", note: "conv-note", status: "conv-status-select" },
    "reply-error": {
      body: "reply-body", subject: "reply-subject", template_id: "reply-template",
      attachment_ids: "reply-attachments"
    },
    "dial-error": { number: "dial-number" },
    "say-error": { text: "say-text" },
    "state-error": { reason: "pause-reason" }
  };

  function fieldLabel(controlId, name) {
    var label = document.querySelector('label[for="' + controlId + '"]');
    return label ? label.textContent.trim() : name;
  }

  function errorText(result, errorId) {
    var error = (result.data && result.data.error) || {};
    var fields = error.fields || {};
    var names = Object.keys(fields);
    if (!names.length) { return error.message || T.error; }
    var controls = FIELDS[errorId] || {};
    return names.map(function (name) {
      return T.field_line.replace("%(field)s", fieldLabel(controls[name], name))
        .replace("%(message)s", fields[name]);
    }).join(" ");
  }

  // Mark the controls the refusal names (aria-invalid) and focus the first one.
  function markFields(errorId, result) {
    var controls = FIELDS[errorId] || {};
    Object.keys(controls).forEach(function (name) {
      var el = $(controls[name]);
      if (el) { el.removeAttribute("aria-invalid"); }
    });
    var fields = (result && result.data && result.data.error && result.data.error.fields) || {};
    var first = null;
    Object.keys(fields).forEach(function (name) {
      var el = controls[name] && $(controls[name]);
      if (el) { el.setAttribute("aria-invalid", "true"); first = first || el; }
    });
    if (first) { first.focus(); }
  }

  // Run an action; its error goes beside the control, then the server's state is refetched.
  function act(errorId, method, path, body, after) {
    var box = $(errorId);
    text(box, "");
    markFields(errorId, null);
    return api(method, path, body).then(function (result) {
      if (!result.ok) {
        text(box, errorText(result, errorId));
        markFields(errorId, result);
      }
      if (after) { after(result); }
      return result;
    });
  }

  // A French number as people write it (« +33465712050 » → « 04 65 71 20 50 »), like the
  // pages' `phone` filter; anything else (an e-mail address, a visitor's name) as it is.
  function phone(value) {
    var match = /^\+33([1-9]\d{8})$/.exec(String(value || "").replace(/[\s.\-]/g, ""));
    if (!match) { return value == null ? "" : String(value); }
    return ("0" + match[1]).replace(/(\d\d)(?=\d)/g, "$1 ");
  }

  // --- Timers -----------------------------------------------------------------------------
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)) + ":" + String(r).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }
  function sinceFetch(at) { return (performance.now() - at) / 1000; }

  // The wrap-up timer against the campaign's maximum (none: the timer alone), marked once over.
  function tickWrapUp(p, dt) {
    var max = p.after_call_work_max;
    var spent = p.wrap_up_seconds == null ? null : p.wrap_up_seconds + dt;
    var over = spent != null && max != null && spent > max;
    if (spent != null) {
      text($("wrapup-timer"), clock(spent));
      text($("wrapup-max"), max != null ? " / " + clock(max) : "");
    }
    $("wrapup-clock").classList.toggle("warn", over);
    show($("wrapup-over"), over);
  }

  function tick() {
    var p = desk.phone;
    if (p) {
      var dt = sinceFetch(desk.phoneAt);
      text($("state-timer"), clock(p.seconds_in_state + (p.state === "offline" ? 0 : dt)));
      var call = p.call;
      if (call) {
        text($("talk-timer"), clock(call.talk_seconds + (call.status === "on_call" ? dt : 0)));
        text($("hold-timer"), clock(call.hold_seconds + (call.status === "on_hold" ? dt : 0)));
      }
      tickWrapUp(p, dt);
    }
    var countdowns = document.querySelectorAll("[data-seconds-left]");
    Array.prototype.forEach.call(countdowns, function (el) {
      var elapsed = sinceFetch(parseFloat(el.getAttribute("data-fetched-at")));
      var left = parseFloat(el.getAttribute("data-seconds-left")) - elapsed;
      el.textContent = left < 0 ? clock(-left) + " " + T.overdue : clock(left) + " " + T.left;
      el.className = "badge " + (left < 0 ? "bad" : left < 300 ? "warn" : "info");
    });
  }

  // --- Phone ------------------------------------------------------------------------------
  function options(select, items, keep) {
    var current = select.value;
    clear(select);
    items.forEach(function (item) {
      var option = make("option", null, item.label);
      option.value = item.value;
      select.appendChild(option);
    });
    if (keep && current) { select.value = current; }
  }

  function renderTranscript(call) {
    var list = $("transcript");
    clear(list);
    (call.transcript || []).forEach(function (turn) {
      var item = make("li", "turn turn-" + turn.speaker);
      item.appendChild(make("strong", null,
        T.speaker_line.replace("%(speaker)s", T.speakers[turn.speaker] || turn.speaker)));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(document.createTextNode(turn.text));
      list.appendChild(item);
    });
    list.scrollTop = list.scrollHeight;
  }

  function pauseLabel(reason) { return T.pause_reasons[reason] || reason; }

  function renderPhone(p) {
    desk.phone = p;
    desk.phoneAt = performance.now();
    var badge = $("agent-state");
    text(badge, T.states[p.state] || p.state);
    badge.className = "badge state-" + p.state;
    // « En pause » says it already: the reason is added only when it says more (« Formation »).
    var reason = p.state === "pause" && p.pause_reason;
    text($("pause-label"), reason && reason.toLowerCase() !== "pause" ? "· " + pauseLabel(reason) : "");
    if (!$("pause-reason").options.length) {
      options($("pause-reason"), p.pause_reasons.map(function (r) {
        return { value: r, label: pauseLabel(r) };
      }));
      options($("transfer-target"), p.transfer_targets.map(function (t) {
        return { value: t.key, label: t.label };
      }));
    }
    // During a call or its wrap-up the agent's state cannot change; « Prêt » when ready says it.
    var busy = ["ready", "pause", "offline"].indexOf(p.state) < 0 ? dialRefusal(p.state) : null;
    setDisabled($("go-ready"), p.state === "ready" ? T.why_already_ready : busy);
    setDisabled($("go-pause"), p.state === "offline" ? T.why_offline : busy);
    setDisabled($("go-offline"), p.state === "offline" ? T.why_already_offline : busy);
    var call = p.call;
    var live = call && ["ringing", "on_call", "on_hold"].indexOf(call.status) >= 0;
    show($("call-panel"), !!call);
    show($("no-call"), !call);
    var ringing = !!(call && call.status === "ringing");
    show($("incoming"), ringing);
    if (call) {
      text($("incoming-number"), phone(call.number));
      text($("call-number"), phone(call.number));
      text($("call-status"), T.calls[call.status] || call.status);
      show($("answer"), ringing && call.direction === "inbound");
      show($("hold"), call.status === "on_call");
      show($("resume"), call.status === "on_hold");
      show($("hangup"), live && !ringing);
      show($("transfer-row"), live && !ringing);
      show($("say-form"), live && !ringing);
      renderTranscript(call);
    }
    syncFrameBanner(p.open_contact_id);
    // voice.js follows the call (a person playing the customer may speak).
    document.dispatchEvent(new CustomEvent("plateau:call", { detail: { call: call || null } }));
    var wrap = p.state === "wrap_up" && p.open_contact_id;
    show($("wrapup"), !!wrap);
    if (wrap) { loadCodes(); }
    setDisabled($("dial"), dialRefusal(p.state));
    Array.prototype.forEach.call(document.querySelectorAll(".plan-dial, .callback-dial"), function (button) {
      setDisabled(button, dialRefusal(p.state));
    });
    tick();
  }

  function refreshPhone() {
    return api("GET", "/phone").then(function (result) {
      if (result.ok) { renderPhone(result.data); }
      else { text($("state-error"), errorText(result, "state-error")); }
    });
  }

  // The CRM page's « Contact en cours avec … » banner and a client file's contact box were
  // drawn when the page loaded: when the open contact changes (a call answered, a conversation
  // taken, the contact qualified), both are fetched again and swapped in, without reloading
  // the page (a form being filled in there is kept, and the file's opening is not logged again).
  function syncFrameBanner(openContactId) {
    var doc;
    try { doc = $("crm-frame").contentDocument; } catch (e) { return; }
    if (!doc || !doc.body || !doc.querySelector("main.page")) { return; }
    var banner = doc.getElementById("open-contact-banner");
    var shown = banner ? banner.getAttribute("data-contact") : "";
    var wanted = openContactId ? String(openContactId) : "";
    var box = doc.getElementById("contact-box");
    var key = wanted + "@" + doc.location.href;
    if (shown === wanted || desk.frameSync === key) { return; }
    desk.frameSync = key;
    var url = "/contacts/current" + (box ? "?client_id=" + box.getAttribute("data-client") : "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        desk.frameSync = null;
        if (html === null || $("crm-frame").contentDocument !== doc) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var newBanner = fresh.getElementById("open-contact-banner");
        var oldBanner = doc.getElementById("open-contact-banner");
        if (oldBanner) { oldBanner.parentNode.removeChild(oldBanner); }
        if (newBanner) {
          var main = doc.querySelector("main.page");
          main.parentNode.insertBefore(doc.importNode(newBanner, true), main);
        }
        var newBox = fresh.getElementById("contact-box");
        var oldBox = doc.getElementById("contact-box");
        if (newBox && oldBox) { oldBox.parentNode.replaceChild(doc.importNode(newBox, true), oldBox); }
      })
      .catch(function () { desk.frameSync = null; });
  }

  function popClient(clientId, number) {
    var frame = $("crm-frame");
    frame.src = clientId ? "/clients/" + clientId : "/clients?q=" + encodeURIComponent(number || "");
  }

  function setState(state) {
    var body = { state: state };
    if (state === "pause") { body.reason = $("pause-reason").value; }
    act("state-error", "POST", "/phone/state", body, refreshPhone);
  }

  function callAction(verb, body, after) {
    var call = desk.phone && desk.phone.call;
    if (!call) { return; }
    text($("call-info"), "");
    act("call-error", "POST", "/calls/" + call.id + "/" + verb, body, function (result) {
      if (after && result.ok) { after(result.data); }
      refreshPhone();
    });
  }

  // `callbackId`: the callback of the list this call makes (it is then done).
  function dial(acknowledge, callbackId) {
    var box = $("dial-error");
    var number = $("dial-number").value;
    var body = { number: number, acknowledge_rules: !!acknowledge };
    if (callbackId) { body.callback_id = callbackId; }
    act("dial-error", "POST", "/calls", body,
      function (result) {
        var error = result.data && result.data.error;
        if (!result.ok && error && error.code === "calling_rules") {
          var again = make("button", "small danger", T.dial_anyway);
          again.type = "button";
          again.id = "dial-anyway";
          again.addEventListener("click", function () { dial(true, callbackId); });
          box.appendChild(document.createTextNode(" "));
          box.appendChild(again);
        }
        if (result.ok) { $("dial-number").value = ""; }
        if (result.ok && callbackId) { refreshCallbacks(); }
        refreshPhone();
      });
  }

  function loadCodes() {
    if (desk.codes) { return Promise.resolve(desk.codes); }
    return api("GET", "/qualification-codes").then(function (result) {
      if (!result.ok) { return []; }
      desk.codes = result.data.items;
      var items = [{ value: "", label: T.choose_code }].concat(desk.codes.map(function (c) {
        return { value: c.code, label: c.code + " — " + c.label };
      }));
      options($("qualify-code"), items, true);
      options($("conv-code"), items, true);
      return desk.codes;
    });
  }

  function qualifyCall() {
    var contactId = desk.phone && desk.phone.open_contact_id;
    if (!contactId) { return; }
    act("qualify-error", "POST", "/contacts/" + contactId + "/qualify",
      { code: $("qualify-code").value, note: $("qualify-note").value },
      function (result) {
        if (result.ok) {
          $("qualify-note").value = "";
          $("qualify-code").value = "";
          text($("call-info"), T.qualified);
        }
        refreshPhone();
        refreshCallbacks();
      });
  }

  // --- Inbox ------------------------------------------------------------------------------
  function renderInbox(data) {
    desk.inbox = data;
    Object.keys(data.unread || {}).forEach(function (channel) {
      var badge = $("unread-" + channel);
      if (badge) {
        text(badge, data.unread[channel]);
        badge.className = "badge" + (data.unread[channel] ? " bad" : "");
      }
    });
    var list = $("conversations");
    clear(list);
    if (!data.items.length) { list.appendChild(make("li", "muted", T.no_conversations)); }
    data.items.forEach(function (c) {
      var item = make("li", "conv-item" + (desk.conversation && desk.conversation.id === c.id ? " current" : ""));
      item.id = "conv-" + c.id;
      var link = make("a", null, c.client_name || phone(c.party));
      link.href = "#";
      link.addEventListener("click", function (event) { event.preventDefault(); openConversation(c.id); });
      item.appendChild(link);
      if (c.subject) { item.appendChild(make("span", "muted", " · " + c.subject)); }
      item.appendChild(make("span", "badge", T.conversation_status[c.status] || c.status));
      if (c.unread) { item.appendChild(make("span", "badge bad", (c.unread === 1 ? T.unread[0] : T.unread[1]).replace("%(n)s", c.unread))); }
      if (c.seconds_left != null && c.status !== "resolved") {
        var countdown = make("span", "badge countdown");
        countdown.setAttribute("data-seconds-left", c.seconds_left);
        countdown.setAttribute("data-fetched-at", performance.now());
        item.appendChild(countdown);
      }
      list.appendChild(item);
    });
    var open = desk.conversation;
    var listed = open && data.items.filter(function (c) { return c.id === open.id; })[0];
    // Opening a conversation is recorded: refetch it only when the customer wrote again.
    if (listed && (listed.unread || listed.last_message_at !== open.last_message_at)) {
      openConversation(open.id);
    } else if (listed) {
      mergeConversation(listed);
    }
    tick();
  }

  function refreshInbox() {
    return api("GET", "/inbox?channel=" + desk.channel).then(function (result) {
      if (result.ok) { renderInbox(result.data); }
      else { text($("inbox-error"), errorText(result, "inbox-error")); }
    });
  }

  function openConversation(id) {
    return act("inbox-error", "GET", "/conversations/" + id, null, function (result) {
      if (result.ok) { renderConversation(result.data); }
    });
  }

  // Another tab lists other conversations: the one open here belongs to the previous tab.
  function closeConversation() {
    // Its draft is kept for when it is opened again, and the boxes are left empty.
    if (desk.conversation) { switchDraft(desk.conversation.id, null); }
    desk.conversation = null;
    show($("conversation"), false);
    text($("reply-error"), "");
    text($("conv-error"), "");
  }

  function mergeConversation(fields) {
    var messages = desk.conversation ? desk.conversation.messages : [];
    var merged = Object.assign({}, desk.conversation || {}, fields);
    merged.messages = fields.messages || messages;
    renderConversation(merged);
  }

  // Leaving a conversation keeps its draft; the next one gets its own (empty when new).
  function switchDraft(fromId, toId) {
    if (fromId != null) {
      var kept = {};
      DRAFT_FIELDS.forEach(function (id) { kept[id] = $(id).value; });
      desk.drafts[fromId] = kept;
    }
    var draft = desk.drafts[toId] || {};
    DRAFT_FIELDS.forEach(function (id) { $(id).value = draft[id] || ""; });
    delete desk.drafts[toId];
  }

  // A draft sent is spent once the server has accepted it: its boxes are emptied, or its
  // kept copy if the candidate has moved to another conversation meanwhile.
  function spendDraft(conversationId, fields) {
    var open = desk.conversation && desk.conversation.id === conversationId;
    var kept = desk.drafts[conversationId];
    fields.forEach(function (id) {
      if (open) { $(id).value = ""; } else if (kept) { delete kept[id]; }
    });
    return open;
  }

  function renderConversation(c) {
    var changed = !desk.conversation || desk.conversation.id !== c.id;
    if (changed) { switchDraft(desk.conversation ? desk.conversation.id : null, c.id); }
    desk.conversation = c;
    show($("conversation"), true);
    text($("conv-title"), (T.channels[c.channel] || c.channel) + (c.subject ? " — " + c.subject : ""));
    text($("conv-party"), T.from + " " + phone(c.party));
    text($("conv-status"), T.conversation_status[c.status] || c.status);
    var who = $("conv-client");
    clear(who);
    if (c.client_id) {
      // The client's name opens their file in the CRM pane.
      var link = make("a", null, c.client_name || T.open_file);
      link.href = "/clients/" + c.client_id;
      link.target = "crm-frame";
      link.id = "conv-client-link";
      who.appendChild(link);
    }
    var deadline = $("conv-deadline");
    if (c.seconds_left != null && c.status !== "resolved") {
      // A merge keeps the countdown's own fetch time (the seconds came with it).
      if (deadline.getAttribute("data-seconds-left") !== String(c.seconds_left)) {
        deadline.setAttribute("data-seconds-left", c.seconds_left);
        deadline.setAttribute("data-fetched-at", performance.now());
      }
    } else {
      deadline.removeAttribute("data-seconds-left");
      text(deadline, "");
    }
    $("conv-status-select").value = c.status;
    // Taken: worked under an open contact; the button would do nothing more.
    var taken = !!(c.contact_id && !c.qualified);
    setDisabled($("conv-take"), taken ? T.why_taken : null);
    if (changed) { text($("conv-info"), taken ? T.taken : ""); }
    var list = $("messages");
    clear(list);
    (c.messages || []).forEach(function (m) {
      var item = make("li", "message message-" + m.direction);
      item.id = "message-" + m.id;
      var head = make("p", "muted", (m.direction === "in" ? T.from + " " + phone(c.party) : T.speakers.agent) +
        (m.subject ? " · " + m.subject : ""));
      item.appendChild(head);
      item.appendChild(make("div", "message-body", m.body));
      if (m.attachments && m.attachments.length) {
        var files = make("p", "muted attachments", fmt(T.labelled, { label: T.attachments, value: "" }));
        m.attachments.forEach(function (a, i) {
          var name = a.filename || a.title || a.name || a;
          if (i) { files.appendChild(document.createTextNode(", ")); }
          if (a.url) {
            // A generated document: the PDF exactly as it was sent.
            var link = make("a", null, name);
            link.href = a.url;
            link.setAttribute("download", name);
            files.appendChild(link);
          } else {
            files.appendChild(document.createTextNode(name));
          }
        });
        item.appendChild(files);
      }
      list.appendChild(item);
    });
    var email = c.channel === "email";
    show($("reply-subject-field"), email);
    show($("reply-attachments-field"), email);
    show($("reply-documents-field"), email && !!c.client_id);
    if (changed) {
      $("reply-template").value = "";
      // The CRM pane follows the conversation: the client's file, else a search for the party.
      popClient(c.client_id, c.party);
      text($("sms-measure"), "");
      loadTemplates(c);
      if (email) { loadDocuments(); loadClientDocuments(c); }
      loadCodes();
    }
    tick();
  }

  // Each channel offers its own templates (chat included), in the conversation's language.
  function templateKey(c) { return c.channel + ":" + c.language; }

  function loadTemplates(c) {
    var key = templateKey(c);
    var ready = desk.templates[key] ? Promise.resolve(desk.templates[key]) :
      api("GET", "/templates?limit=200&channel=" + key.split(":")[0] + "&language=" + c.language)
        .then(function (result) { desk.templates[key] = result.ok ? result.data.items : []; return desk.templates[key]; });
    return ready.then(function (items) {
      options($("reply-template"), [{ value: "", label: T.no_template }].concat(items.map(function (t) {
        return { value: String(t.id), label: t.name };
      })));
    });
  }

  function chosenTemplate() {
    var c = desk.conversation;
    var id = $("reply-template").value;
    return (c && desk.templates[templateKey(c)] || []).filter(function (t) { return String(t.id) === id; })[0];
  }

  function loadDocuments() {
    if (desk.documents) { return; }
    api("GET", "/documents?limit=200").then(function (result) {
      desk.documents = result.ok ? result.data.items : [];
      options($("reply-attachments"), desk.documents.map(function (d) {
        return { value: String(d.id), label: d.title + " (" + d.filename + ")" };
      }));
    });
  }

  // The client's own documents (invoice, order confirmation, plan): generated as PDF when sent.
  function loadClientDocuments(c) {
    options($("reply-documents"), []);
    if (!c.client_id) { return; }
    api("GET", "/clients/" + c.client_id + "/documents").then(function (result) {
      if (!result.ok || !desk.conversation || desk.conversation.id !== c.id) { return; }
      options($("reply-documents"), result.data.items.map(function (d) {
        return { value: d.kind + ":" + d.id, label: d.title };
      }));
    });
  }

  function measure() {
    var c = desk.conversation;
    if (!c || c.channel !== "sms") { text($("sms-measure"), ""); return; }
    clearTimeout(desk.measureTimer);
    desk.measureTimer = setTimeout(function () {
      api("GET", "/sms/measure?text=" + encodeURIComponent($("reply-body").value)).then(function (r) {
        if (r.ok) {
          text($("sms-measure"), T.segments.replace("%(chars)s", r.data.characters)
            .replace("%(segments)s", r.data.segments).replace("%(encoding)s", r.data.encoding));
        }
      });
    }, 250);
  }

  function sendReply(event) {
    event.preventDefault();
    var c = desk.conversation;
    if (!c) { return; }
    var template = chosenTemplate();
    // The editor holds the template already filled in (and maybe edited): it goes as typed,
    // with the template named so the log says which one it came from.
    var body = { body: $("reply-body").value };
    if (template) { body.template_id = template.id; }
    if (c.channel === "email") {
      var subject = $("reply-subject").value;
      if (subject) { body.subject = subject; }
      body.attachment_ids = Array.prototype.map.call($("reply-attachments").selectedOptions, function (o) {
        return parseInt(o.value, 10);
      });
      body.documents = Array.prototype.map.call($("reply-documents").selectedOptions, function (o) {
        var parts = o.value.split(":");
        return { kind: parts[0], id: parseInt(parts[1], 10) };
      });
    }
    act("reply-error", "POST", "/conversations/" + c.id + "/reply", body, function (result) {
      if (!result.ok) { return; }
      var sent = result.data;
      var fields = Object.assign({}, sent.conversation);
      fields.messages = (c.messages || []).concat([sent]);
      if (spendDraft(c.id, ["reply-body", "reply-subject", "reply-template"])) {
        text($("sms-measure"), "");
        Array.prototype.forEach.call($("reply-documents").options, function (o) { o.selected = false; });
        mergeConversation(fields);
        text($("reply-error"), "");
      }
      refreshInbox();
    });
  }

  // `spends`: the draft boxes this action consumes, emptied when it succeeds; `done`: what to
  // say beside the buttons once it did (« Prendre en charge » changes nothing visible).
  function conversationAction(path, body, errorId, spends, done) {
    var c = desk.conversation;
    if (!c) { return; }
    text($("conv-info"), "");
    act(errorId, "POST", "/conversations/" + c.id + path, body, function (result) {
      if (result.ok && spendDraft(c.id, spends || [])) {
        mergeConversation(result.data);
        if (done) { text($("conv-info"), done); }
      }
      refreshInbox();
      refreshPhone();
    });
  }

  // --- Callbacks ----------------------------------------------------------------------------
  // A moment as the pages' `dt` filter writes it, in the page's language and Paris time
  // (« 08/12/2026 10:00 », « 12/8/26, 10:00 AM »), not always French with seconds.
  var momentFormat = new Intl.DateTimeFormat(document.documentElement.lang === "en" ? "en-US" : "fr-FR",
    { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Paris" });
  function moment(date) { return momentFormat.format(date); }

  function refreshCallbacks() {
    return api("GET", "/callbacks?status=pending&limit=50").then(function (result) {
      if (!result.ok) { return; }
      var list = $("callbacks");
      clear(list);
      var due = result.data.items;
      if (!due.length) { list.appendChild(make("li", "muted", T.no_callbacks)); }
      due.forEach(function (cb) { list.appendChild(callbackEntry(cb)); });
    });
  }

  // A callback: when, its state (upcoming, due, overdue), who and why, where it comes from;
  // « Rappeler » dials the client's first number for this callback (done once the call is made).
  function callbackEntry(cb) {
    var when = new Date(cb.due_at);
    var item = make("li", cb.state === "overdue" ? "overdue" : null);
    item.id = "callback-" + cb.id;
    item.appendChild(make("strong", null, moment(when)));
    var badge = { upcoming: "info", due: "warn", overdue: "bad" }[cb.state] || "info";
    item.appendChild(make("span", "badge " + badge, T["callback_is_" + cb.state] || cb.state));
    item.appendChild(document.createTextNode(" " + cb.client.name + " — " + cb.reason + " "));
    item.appendChild(make("span", "muted", cb.source.kind === "contact"
      ? fmt(cb.source.code ? T.callback_from_coded_contact : T.callback_from_contact,
        { number: cb.source.contact_id, code: cb.source.code })
      : T.callback_manual));
    var number = cb.client.phones[0];
    if (number) {
      var call = make("button", "small primary callback-dial", T.callback_call);
      call.type = "button";
      call.setAttribute("data-number", number);
      call.addEventListener("click", function () {
        $("dial-number").value = number;
        dial(false, cb.id);
      });
      item.appendChild(call);
      setDisabled(call, dialRefusal(desk.phone && desk.phone.state));
    }
    var open = make("button", "small", T.open_file);
    open.type = "button";
    open.addEventListener("click", function () { popClient(cb.client_id); });
    item.appendChild(open);
    return item;
  }

  // --- Call plan ----------------------------------------------------------------------------
  // « Appeler » goes through dial(): same warnings, same « Appeler malgré tout ».
  function planEntry(campaign, entry, index) {
    var item = make("li", entry.severe ? "blocked" : null);
    item.id = "plan-" + campaign.key + "-" + (index + 1);
    var who = entry.client ? entry.client.name + " (" + entry.client.number + ")" : phone(entry.number);
    item.appendChild(make("strong", null, who));
    if (entry.client) { item.appendChild(make("span", null, phone(entry.number))); }
    if (entry.label) { item.appendChild(make("span", "muted", entry.label)); }
    var button = make("button", "small plan-dial", T.plan_call);
    button.type = "button";
    button.setAttribute("data-number", entry.number);
    button.addEventListener("click", function () {
      $("dial-number").value = entry.number;
      dial(false);
    });
    item.appendChild(button);
    setDisabled(button, dialRefusal(desk.phone && desk.phone.state));
    item.appendChild(make("p", "muted",
      T.plan_attempts.replace("%(count)s", entry.attempts) + " · " +
      (entry.last_outcome ? T.plan_last + " " + entry.last_outcome : T.plan_never)));
    if (!entry.breaches.length) { item.appendChild(make("span", "badge ok", T.plan_ok)); }
    entry.breaches.forEach(function (breach) {
      item.appendChild(make("span", "badge " + (breach.severe ? "bad" : "warn"), breach.message));
    });
    return item;
  }

  function refreshPlan() {
    return api("GET", "/call-plan").then(function (result) {
      if (!result.ok) { text($("plan-error"), errorText(result, "plan-error")); return; }
      text($("plan-error"), "");
      var box = $("call-plan");
      clear(box);
      var campaigns = result.data.campaigns || [];
      if (!campaigns.length) { box.appendChild(make("p", "muted", T.no_plan)); }
      campaigns.forEach(function (campaign) {
        box.appendChild(make("h3", null, campaign.name));
        var list = make("ul", "call-plan");
        campaign.entries.forEach(function (entry, index) {
          list.appendChild(planEntry(campaign, entry, index));
        });
        box.appendChild(list);
      });
    });
  }

  // --- Call guide: ticks are actions of the open contact, read back from the server --------
  function guideStep(guide, step, enabled) {
    var item = make("li");
    var label = make("label");
    var box = make("input", "guide-step");
    box.type = "checkbox";
    box.checked = step.checked;
    box.disabled = !enabled;
    box.setAttribute("data-step", step.index);
    box.addEventListener("change", function () {
      var body = { campaign: guide.campaign, step: step.index, checked: box.checked };
      act("guide-error", "POST", "/call-guide/ticks", body, function (result) {
        if (result.ok) { drawGuide(result.data); } else { refreshGuide(); }
      });
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + step.text));
    item.appendChild(label);
    return item;
  }

  function drawGuide(view) {
    var box = $("guide-steps");
    clear(box);
    var enabled = view.contact_id !== null;
    text($("guide-hint"), enabled ? "" : T.guide_idle);
    view.guides.forEach(function (guide) {
      box.appendChild(make("h3", null, guide.name));
      var list = make("ol", "guide-steps");
      list.setAttribute("data-campaign", guide.campaign);
      guide.steps.forEach(function (step) { list.appendChild(guideStep(guide, step, enabled)); });
      box.appendChild(list);
    });
  }

  function refreshGuide() {
    if (!$("guide")) { return Promise.resolve(); }
    return api("GET", "/call-guide").then(function (result) {
      if (!result.ok) { text($("guide-error"), errorText(result, "guide-error")); return; }
      drawGuide(result.data);
    });
  }

  // --- Refresh: push, or polling as a fallback --------------------------------------------
  function refresh(topics) {
    var all = !topics;
    if (all || topics.indexOf("phone") >= 0 || topics.indexOf("clock") >= 0) { refreshPhone(); }
    if (all || topics.indexOf("inbox") >= 0) { refreshInbox(); }
    if (all || topics.indexOf("crm") >= 0) { refreshCallbacks(); }
    if (all || topics.indexOf("phone") >= 0 || topics.indexOf("crm") >= 0) {
      refreshPlan();
      refreshGuide();
      // Panels of their own (the survey's) redraw with the desk.
      document.dispatchEvent(new CustomEvent("desk:refresh", { detail: topics }));
    }
  }

  function polling(on) {
    var badge = $("link-badge");
    text(badge, on ? T.polling : T.live);
    badge.className = "badge " + (on ? "warn" : "ok");
    badge.setAttribute("data-mode", on ? "polling" : "live");
    if (on && !desk.pollTimer) {
      desk.pollTimer = setInterval(function () { refresh(null); }, POLL_MS);
    } else if (!on && desk.pollTimer) {
      clearInterval(desk.pollTimer);
      desk.pollTimer = null;
    }
  }

  function connect() {
    if (typeof window.io !== "function") { polling(true); return; }
    // WebSocket first: one connection, so several server processes behind one port work
    // (README, Serving a room); long polling only where a proxy refuses WebSockets.
    var socket = window.io("/desk", {
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelayMax: 10000,
    });
    socket.on("connect", function () { polling(false); refresh(null); });
    socket.on("connect_error", function () { polling(true); });
    socket.on("disconnect", function () { polling(true); });
    socket.on("changed", function (payload) { refresh((payload && payload.topics) || null); });
    socket.on("ring", function (ring) {
      // Ring at once; the full call arrives with the refetch.
      show($("incoming"), true);
      text($("incoming-number"), phone(ring.number));
      refreshPhone();
    });
  }

  // --- Wiring -----------------------------------------------------------------------------
  $("go-ready").addEventListener("click", function () { setState("ready"); });
  $("go-pause").addEventListener("click", function () { setState("pause"); });
  $("go-offline").addEventListener("click", function () { setState("offline"); });
  $("answer").addEventListener("click", function () {
    callAction("answer", null, function (call) { popClient(call.client_id, call.number); });
  });
  $("hold").addEventListener("click", function () { callAction("hold"); });
  $("resume").addEventListener("click", function () { callAction("resume"); });
  $("hangup").addEventListener("click", function () { callAction("hangup"); });
  $("transfer").addEventListener("click", function () {
    callAction("transfer", { target: $("transfer-target").value, mode: $("transfer-mode").value },
      function (data) { if (data.colleague_reply) { text($("call-info"), data.colleague_reply); } });
  });
  $("say-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var call = desk.phone && desk.phone.call;
    if (!call) { return; }
    act("say-error", "POST", "/calls/" + call.id + "/say", { text: $("say-text").value },
      function (result) {
        if (result.ok) { $("say-text").value = ""; }
        refreshPhone();
      });
  });
  $("dial-form").addEventListener("submit", function (event) { event.preventDefault(); dial(false); });
  $("qualify").addEventListener("click", qualifyCall);

  Array.prototype.forEach.call(document.querySelectorAll("#inbox .tabs a"), function (tab) {
    tab.addEventListener("click", function (event) {
      event.preventDefault();
      desk.channel = tab.getAttribute("data-channel");
      closeConversation();
      Array.prototype.forEach.call(document.querySelectorAll("#inbox .tabs a"), function (other) {
        other.classList.toggle("active", other === tab);
      });
      refreshInbox();
    });
  });
  // A chosen template comes back filled in for this conversation, ready to edit.
  $("reply-template").addEventListener("change", function () {
    var c = desk.conversation;
    var template = chosenTemplate();
    if (!c || !template) { measure(); return; }
    act("reply-error", "GET", "/conversations/" + c.id + "/templates/" + template.id, null,
      function (result) {
        if (!result.ok) { $("reply-template").focus(); return; }
        $("reply-body").value = result.data.body;
        if (c.channel === "email") { $("reply-subject").value = result.data.subject || ""; }
        measure();
      });
  });
  $("reply-body").addEventListener("input", measure);
  $("reply-form").addEventListener("submit", sendReply);
  $("conv-take").addEventListener("click", function () {
    conversationAction("/take", {}, "conv-error", null, T.taken);
  });
  $("conv-status-set").addEventListener("click", function () {
    conversationAction("/status", { status: $("conv-status-select").value }, "conv-error", null,
      T.status_set);
  });
  $("conv-qualify").addEventListener("click", function () {
    conversationAction("/qualify", { code: $("conv-code").value, note: $("conv-note").value }, "conv-error",
      ["conv-code", "conv-note"], T.qualified);
  });

  // CRM pages in the frame: their own top bar would duplicate the desk's, so plateau.css
  // hides it under .in-desk (a class, not an injected style: the pages' CSP allows no inline
  // style); the banner follows the contact open now.
  $("crm-frame").addEventListener("load", function () {
    try {
      $("crm-frame").contentDocument.documentElement.classList.add("in-desk");
    } catch (e) { return; /* another origin: leave it as it is */ }
    if (desk.phone) { syncFrameBanner(desk.phone.open_contact_id); }
  });

  setInterval(tick, 1000);
  refresh(null);
  connect();
})();
