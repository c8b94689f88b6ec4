// Plateau: listen and whisper from the trainer's room (VICIdial's supervisor tools), on the kit
// of voice.js. *Écouter*: the role-player's console sends its mix of both voices, nothing goes
// back. *Chuchoter*: the trainer's microphone reaches the candidate only. room.js asks
// `plateauVoice.controls(callId)` for the two buttons of a tile's call.
(function () {
  "use strict";
  var voice = window.plateauVoice;
  if (!voice || !voice.kit || voice.kit.S.mode !== "room") { return; }
  var K = voice.kit, T = K.T;
  var listening = {};  // call id → "listen" | "whisper"

  function refreshButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-voice-call]"), function (button) {
      var callId = parseInt(button.getAttribute("data-voice-call"), 10);
      var what = button.getAttribute("data-voice");
      var on = listening[callId] === what;
      button.textContent = on ? T["stop_" + what] : T[what];
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  voice.ended = function (callId, link) {
    if (listening[callId] === link) { delete listening[callId]; refreshButtons(); }
  };

  function toggle(callId, what) {
    var on = listening[callId] === what;
    Object.keys(K.links).forEach(function (k) {
      if (K.links[k].callId === callId && K.links[k].link === what) { K.close(k, true); }
    });
    if (on) { delete listening[callId]; refreshButtons(); return; }
    listening[callId] = what;
    refreshButtons();
    if (what === "listen") {
      K.say(T.connecting, "info");
      K.send({ call_id: callId, link: "listen", kind: "ready" });
      return;
    }
    K.microphone().then(function (local) {
      // The far end of a whisper is the candidate; the server knows who (no `to` needed).
      return K.offer(K.peer("whisper", callId, null, K.tracksOf(local)));
    }).catch(function () { delete listening[callId]; refreshButtons(); });
  }

  voice.controls = function (callId) {
    var box = document.createElement("span");
    box.className = "voice-controls";
    ["listen", "whisper"].forEach(function (what) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small voice-" + what;
      button.setAttribute("data-voice-call", callId);
      button.setAttribute("data-voice", what);
      button.addEventListener("click", function () { toggle(callId, what); });
      box.appendChild(button);
    });
    window.setTimeout(refreshButtons, 0);
    return box;
  };

  K.socket.on("signal", function (message) {
    // Listening: the role-player's offer, answered without sending anything back.
    if (message.link === "listen" && message.kind === "offer") {
      K.answer(K.peer("listen", message.call_id, message.from, []), message);
      return;
    }
    // A whisper's answer comes from the candidate: it goes to the link opened without `to`.
    if (message.link !== "whisper" || message.kind === "offer") { return; }
    var k = K.key("whisper", message.call_id, null);
    if (message.kind === "ice" && message.candidate) { K.addCandidate(k, message.candidate); }
    if (!K.links[k]) { return; }
    if (message.kind === "answer") { K.remote(k, message.description).catch(function () {}); }
    if (message.kind === "bye") { K.close(k, false); voice.ended(message.call_id, "whisper"); }
  });
})();
