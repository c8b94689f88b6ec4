// Plateau: voice on live role-played calls. WebRTC between the candidate's desk and the
// role-player's console, signalled over the /voice namespace (softphone/voice/signalling.py);
// the console mixes both sides (WebAudio), records them (MediaRecorder) and uploads the file at
// hang-up; from the room a trainer listens to that mix, or whispers to the candidate only
// (the room's buttons: voice-room.js, on the kit this script exposes).
// The page says who we are in #voice-settings: {mode: desk|console|room, iceServers, texts,
// recordingUrl}. desk.js and roleplay.js tell us about the call with `plateau:call` events.
(function () {
  "use strict";
  var settingsNode = document.getElementById("voice-settings");
  if (!settingsNode) { return; }
  var S = JSON.parse(settingsNode.textContent);
  var T = S.texts;
  var LIVE = ["ringing", "on_call", "on_hold"];
  // A call hung up this soon after its voice was asked for may end before the voices meet.
  var SHORT_CALL_MS = 5000;
  var statusNode = document.getElementById("voice-status");
  var links = {};        // "link:call:peer" → {pc, link, callId, peer}
  var mic = null;        // Promise of the microphone stream
  var current = null;    // the call this page voices: {id}
  var seen = null;       // the page's call as last shown (desk: the phone's; console: the played one)
  var mix = null;        // console: {context, destination, analyser, recorder, chunks, callId}
  var early = {};        // key → ICE candidates that came before their connection could take them

  function say(text, kind) {
    if (!statusNode) { return; }
    statusNode.textContent = text || "";
    statusNode.className = "voice-status" + (kind ? " " + kind : "");
    statusNode.hidden = !text;
  }
  var api = window.plateauVoice = { links: links, state: function () { return { current: current, recording: !!(mix && mix.recorder) }; } };

  if (!window.io || !window.RTCPeerConnection || !navigator.mediaDevices) {
    say(T.unsupported, "warn");
    return;
  }
  // The console keeps the recording in the page: a reload mid-call loses what was recorded.
  // The call being recorded is noted in sessionStorage so that the reloaded page can say so.
  var RECORDING_KEY = "plateau.voice.recording";
  var interrupted = null;  // the call whose recording a reload cut, if any
  if (S.mode === "console" && window.sessionStorage) {
    interrupted = parseInt(window.sessionStorage.getItem(RECORDING_KEY), 10) || null;
    window.sessionStorage.removeItem(RECORDING_KEY);
    if (interrupted) { say(T.lost_on_reload, "warn"); }
  }
  function noteRecording(callId) {
    if (!window.sessionStorage) { return; }
    if (callId) { window.sessionStorage.setItem(RECORDING_KEY, String(callId)); }
    else { window.sessionStorage.removeItem(RECORDING_KEY); }
  }
  // « Recording » says when the start of the call was lost to a reload.
  function recordingText(callId) { return callId === interrupted ? T.recording_resumed : T.recording; }

  var socket = window.io("/voice", { reconnectionDelayMax: 10000 });
  socket.on("connect_error", function () { say(T.offline, "warn"); });

  function microphone() {
    if (!mic) {
      mic = navigator.mediaDevices.getUserMedia({ audio: true, video: false }).catch(function (error) {
        mic = null;
        say(T.mic_refused, "error");
        throw error;
      });
    }
    return mic;
  }
  function send(message) {
    socket.emit("signal", message, function (ack) {
      if (ack && !ack.ok && message.kind !== "bye" && message.kind !== "ice") { say(ack.message, "warn"); }
    });
  }
  function key(link, callId, peer) { return link + ":" + callId + ":" + (peer || ""); }
  function close(k, tell) {
    var entry = links[k];
    if (!entry) { return; }
    delete links[k];
    if (tell) { send({ call_id: entry.callId, link: entry.link, kind: "bye", to: entry.peer }); }
    try { entry.pc.close(); } catch (e) { /* already closed */ }
    if (entry.audio) { entry.audio.srcObject = null; entry.audio.remove(); }
  }
  function closeCall(callId, tell) {
    Object.keys(links).forEach(function (k) { if (links[k].callId === callId) { close(k, tell); } });
  }
  function play(entry, stream) {
    if (!entry.audio) {
      entry.audio = document.createElement("audio");
      entry.audio.autoplay = true;
      entry.audio.className = "voice-audio voice-" + entry.link;
      document.body.appendChild(entry.audio);
    }
    entry.audio.srcObject = stream;
    var started = entry.audio.play();
    if (started && started.catch) { started.catch(function () { say(T.click_to_hear, "warn"); }); }
  }
  // One peer connection per link, call and far end; tracks to send (none: receive only).
  function peer(link, callId, to, tracks, onStream) {
    var k = key(link, callId, to);
    close(k, false);
    delete early[k];
    var pc = new RTCPeerConnection({ iceServers: S.iceServers || [] });
    var entry = links[k] = { pc: pc, link: link, callId: callId, peer: to };
    tracks.forEach(function (pair) { pc.addTrack(pair[0], pair[1]); });
    if (!tracks.length) { pc.addTransceiver("audio", { direction: "recvonly" }); }
    pc.onicecandidate = function (event) {
      send({ call_id: callId, link: link, kind: "ice", to: to,
        candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    pc.ontrack = function (event) {
      var stream = event.streams[0] || new MediaStream([event.track]);
      play(entry, stream);
      if (onStream) { onStream(stream); }
    };
    pc.onconnectionstatechange = function () {
      if (pc.connectionState === "connected") {
        var recorded = link === "call" && mix && mix.recorder;
        var heard = S.mode === "desk" && link === "whisper";
        say(recorded ? recordingText(mix.callId) : heard ? T.whispered : T[link + "_on"] || T.call_on, "ok");
      }
      if (pc.connectionState === "failed") {
        say(T.failed, "error");
        close(key(link, callId, to), false);
        api.ended(callId, link);
      }
    };
    return entry;
  }
  function offer(entry) {
    return entry.pc.createOffer().then(function (description) {
      return entry.pc.setLocalDescription(description);
    }).then(function () {
      send({ call_id: entry.callId, link: entry.link, kind: "offer", to: entry.peer,
        description: { type: "offer", sdp: entry.pc.localDescription.sdp } });
    });
  }
  // ICE candidates wait until their connection has the far end's description.
  function addCandidate(k, candidate) {
    var entry = links[k];
    if (entry && entry.pc.remoteDescription) {
      entry.pc.addIceCandidate(candidate).catch(function () { /* from an older connection */ });
    } else {
      (early[k] = early[k] || []).push(candidate);
    }
  }
  function remote(k, description) {
    var entry = links[k];
    return entry.pc.setRemoteDescription(description).then(function () {
      (early[k] || []).forEach(function (candidate) {
        entry.pc.addIceCandidate(candidate).catch(function () { /* from an older connection */ });
      });
      delete early[k];
    });
  }
  function answer(entry, message) {
    return remote(key(entry.link, entry.callId, entry.peer), message.description).then(function () {
      return entry.pc.createAnswer();
    }).then(function (description) {
      return entry.pc.setLocalDescription(description);
    }).then(function () {
      send({ call_id: entry.callId, link: entry.link, kind: "answer", to: message.from,
        description: { type: "answer", sdp: entry.pc.localDescription.sdp } });
    });
  }
  function tracksOf(stream) { return stream.getAudioTracks().map(function (t) { return [t, stream]; }); }

  // ---- console: both sides mixed, recorded, uploaded at hang-up; the mix for listeners ----
  function hearRemote(remote) {
    // The desk may reconnect (a reload): the recording goes on with its new stream.
    if (mix.far) { mix.far.disconnect(); }
    mix.far = mix.context.createMediaStreamSource(remote);
    mix.far.connect(mix.destination);
    mix.far.connect(mix.analyser);
  }
  function startMix(callId, local, remote) {
    if (mix && mix.callId === callId) { hearRemote(remote); return; }
    var Context = window.AudioContext || window.webkitAudioContext;
    var context = new Context();
    var destination = context.createMediaStreamDestination();
    var analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(local).connect(destination);
    mix = { callId: callId, context: context, destination: destination, analyser: analyser,
      chunks: [], peak: 0, far: null };
    hearRemote(remote);
    if (context.state === "suspended") { context.resume(); }
    if (window.MediaRecorder) {
      var type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"].filter(function (t) {
        return MediaRecorder.isTypeSupported(t);
      })[0];
      if (type) {
        mix.recorder = new MediaRecorder(destination.stream, { mimeType: type });
        mix.type = type.split(";")[0];
        mix.recorder.ondataavailable = function (event) { if (event.data.size) { mix.chunks.push(event.data); } };
        mix.recorder.start(1000);
        noteRecording(callId);
        say(recordingText(callId), "ok");
      }
    }
    mix.meter = window.setInterval(function () {
      var samples = new Uint8Array(analyser.fftSize);
      analyser.getByteTimeDomainData(samples);
      var peak = 0;
      for (var i = 0; i < samples.length; i += 1) { peak = Math.max(peak, Math.abs(samples[i] - 128)); }
      mix.peak = Math.max(mix.peak, peak);
    }, 100);
  }
  // A call hung up before anything was recorded: nothing to upload, and nothing went wrong.
  function tooShort(callId) {
    api.uploaded = { status: null, skipped: "empty", callId: callId };
    say(T.too_short, "info");
  }
  function upload(done) {
    var url = S.recordingUrl.replace(/\/0\//, "/" + done.callId + "/");
    var blob = new Blob(done.chunks, { type: done.type });
    if (!blob.size) { tooShort(done.callId); return; }
    say(T.uploading, "info");
    fetch(url, { method: "POST", credentials: "same-origin", body: blob,
      headers: { "Content-Type": done.type, "X-CSRFToken": window.plateauCsrf(), Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) {
          api.uploaded = { status: response.status, body: data };
          var error = data.error || {};
          // The server found it empty after all: the same calm notice as when nothing came.
          if (error.code === "empty_recording") { say(T.too_short, "info"); return; }
          say(response.ok ? T.uploaded : error.message || T.upload_failed,
            response.ok ? "ok" : "error");
        });
      })
      .catch(function () { say(T.upload_failed, "error"); });
  }
  function stopMix() {
    if (!mix) { return; }
    var done = mix;
    mix = null;
    noteRecording(null);
    api.peak = done.peak;
    window.clearInterval(done.meter);
    if (done.recorder && done.recorder.state !== "inactive") {
      done.recorder.onstop = function () { upload(done); done.context.close(); };
      done.recorder.stop();
    } else { done.context.close(); }
  }
  api.level = function () { return mix ? mix.peak : (api.peak || 0); };
  // Bytes the recorder has handed over so far in the call being recorded (0 before its first).
  api.recorded = function () {
    return mix ? mix.chunks.reduce(function (sum, chunk) { return sum + chunk.size; }, 0) : 0;
  };
  // Audio received over the page's links, or one kind of link (WebRTC stats: inbound-rtp audio).
  api.inbound = function (link) {
    var all = Object.keys(links).filter(function (k) { return !link || links[k].link === link; })
      .map(function (k) { return links[k].pc.getStats(); });
    return Promise.all(all).then(function (reports) {
      var sum = { bytesReceived: 0, totalAudioEnergy: 0 };
      reports.forEach(function (report) {
        report.forEach(function (stat) {
          if (stat.type === "inbound-rtp" && stat.kind === "audio") {
            sum.bytesReceived += stat.bytesReceived || 0;
            sum.totalAudioEnergy += stat.totalAudioEnergy || 0;
          }
        });
      });
      return sum;
    });
  };

  function consoleCall(call) {
    microphone().then(function (local) {
      var entry = peer("call", call.id, null, tracksOf(local), function (remote) {
        startMix(call.id, local, remote);
      });
      return offer(entry);
    }).catch(function () { /* the message says it; typed turns keep working */ });
  }

  // ---- what the page's call does ----
  function follow(call, mine) {
    seen = call;
    var live = call && LIVE.indexOf(call.status) >= 0;
    if (current && (!call || call.id !== current.id || !live)) {
      var over = current.id;
      closeCall(over, true);
      if (S.mode === "console") {
        // Hung up before the voices met (within a few seconds, the microphone granted): the
        // recorder never started, nothing to upload. A refused microphone keeps its message.
        if (mix && mix.callId === over) { stopMix(); }
        else if (mic && Date.now() - current.at < SHORT_CALL_MS) { tooShort(over); }
      }
      current = null;
      if (!call || !live) { return; }
    }
    if (current && mic) {
      // On hold nobody hears the other (and the recording keeps the silence).
      mic.then(function (stream) {
        stream.getAudioTracks().forEach(function (track) { track.enabled = call.status === "on_call"; });
      }).catch(function () { /* said */ });
    }
    if (!call || !live || call.status !== "on_call" || current) { return; }
    if (S.mode === "desk" && call.played_live) {
      current = { id: call.id };
      microphone().then(function () {
        say(T.connecting, "info");
        send({ call_id: call.id, link: "call", kind: "ready" });
      }).catch(function () { /* said */ });
    } else if (S.mode === "console" && mine) {
      current = { id: call.id, at: Date.now() };
      say(T.connecting, "info");
      consoleCall(call);
    }
  }
  document.addEventListener("plateau:call", function (event) {
    follow(event.detail.call, event.detail.mine);
  });

  socket.on("signal", function (message) {
    var k = key(message.link, message.call_id, message.link === "call" ? null : message.from);
    var entry = links[k];
    if (message.kind === "bye") {
      close(k, false);
      api.ended(message.call_id, message.link);
      return;
    }
    if (message.kind === "ice") {
      if (message.candidate) { addCandidate(k, message.candidate); }
      return;
    }
    if (message.kind === "answer") {
      if (entry) { remote(k, message.description).catch(function () {}); }
      return;
    }
    if (message.link === "call") {
      // The server checked that the offer comes from the call's role-player: the desk answers
      // for the call it shows, even before its next refresh says a person plays it.
      var shown = seen && seen.id === message.call_id && LIVE.indexOf(seen.status) >= 0;
      if (S.mode === "desk" && message.kind === "offer" && shown) {
        current = { id: message.call_id };
        microphone().then(function (local) {
          return answer(peer("call", message.call_id, null, tracksOf(local)), message);
        }).catch(function () { /* said */ });
      } else if (S.mode === "console" && message.kind === "ready" && current && current.id === message.call_id) {
        // The desk (re)opened: offer again, unless an offer is already on its way to it.
        var pending = entry && ["new", "connecting"].indexOf(entry.pc.connectionState) >= 0;
        if (!pending) { consoleCall(current); }
      }
      return;
    }
    if (message.link === "listen" && S.mode === "console" && message.kind === "ready") {
      // A trainer listens: send them the mix of both sides (nothing comes back).
      if (!mix || mix.callId !== message.call_id) { send({ call_id: message.call_id, link: "listen", kind: "bye", to: message.from }); return; }
      offer(peer("listen", message.call_id, message.from, tracksOf(mix.destination.stream)));
      return;
    }
    if (message.link === "whisper" && S.mode === "desk" && message.kind === "offer") {
      say(T.whispered, "info");
      answer(peer("whisper", message.call_id, message.from, []), message);
    }
  });

  // What voice-room.js builds on: the connections and how to make, signal and end them.
  api.ended = function () { /* a link ended: the room's buttons follow (voice-room.js) */ };
  api.kit = { S: S, T: T, socket: socket, links: links, key: key, peer: peer, offer: offer,
    answer: answer, remote: remote, addCandidate: addCandidate, close: close, send: send,
    microphone: microphone, tracksOf: tracksOf, say: say };
})();
