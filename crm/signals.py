"""Blinker signals through which `crm` lets the outside world (`softphone`) react.

`crm` never imports `softphone`; receivers connect in `softphone.init_app`.
"""

from blinker import Namespace

_signals = Namespace()

#: Sent by `crm.actionlog.services.record` right after an action joined the chain, still inside
#: the caller's transaction. Sender: the Action. Receivers must not commit; work that must
#: happen after the commit (pushes, scripted replies) should be queued and run then.
action_recorded = _signals.signal("action-recorded")

#: Sent by `plateau serve` / `plateau demo` just before the server starts serving (never in tests
#: nor in other CLI commands). Sender: the Flask app; keyword `socketio`: the SocketIO server.
#: The softphone starts its scenario clock (the timeline scheduler) on it.
server_starting = _signals.signal("server-starting")

#: Sent by `plateau serve` / `plateau demo` in a serving process told to stop (SIGTERM), after it
#: stopped accepting requests. Sender: the Flask app. Background work started on
#: `server_starting` ends there (the softphone's clock finishes its beat and stops).
server_stopping = _signals.signal("server-stopping")

#: Sent by `crm.training.services.change_shift_status` after the status changed (start, pause,
#: resume, end), inside the caller's transaction. Sender: the Shift; keyword `event`.
shift_status_changed = _signals.signal("shift-status-changed")
