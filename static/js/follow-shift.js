// Following a shift on a staff Socket.IO namespace (/room, /roleplay: the server side is
// softphone/realtime/staff.py), shared by the room, the desk over the shoulder and the
// role-player console. `load` runs at once, after each join, and every 5 s while the socket is
// not joined (every `joinedEvery` ms once joined, when given: time-based alerts refresh too);
// the `badge` says which, in `liveText` / `offlineText`; `on` maps push events to handlers.
(function () {
  "use strict";
  window.plateauFollowShift = function (options) {
    var timer = null;
    function polling(on) {
      if (timer) { window.clearInterval(timer); timer = null; }
      var every = on ? 5000 : options.joinedEvery;
      if (every) { timer = window.setInterval(options.load, every); }
      options.badge.textContent = on ? options.offlineText : options.liveText;
      options.badge.className = "badge " + (on ? "warn" : "ok");
    }
    options.load();
    polling(true);
    if (!window.io) { return; }
    var socket = window.io(options.namespace, { reconnectionDelayMax: 10000 });
    socket.on("connect", function () {
      socket.emit("join", { shift_id: options.shiftId }, function (answer) {
        if (answer && answer.ok) { polling(false); options.load(); }
      });
    });
    socket.on("connect_error", function () { polling(true); });
    socket.on("disconnect", function () { polling(true); });
    Object.keys(options.on || {}).forEach(function (name) { socket.on(name, options.on[name]); });
  };
})();
