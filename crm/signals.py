"""Blinker signals through which `crm` lets the outside world (`softphone`) react.

`crm` never imports `softphone`; receivers connect in `softphone.init_app`.
"""

from blinker import Namespace

_signals = Namespace()

#: Sent by `crm.actionlog.services.record` right after an action joined the chain, still inside
#: the caller's transaction. Sender: the Action. Receivers must not commit; work that must
#: happen after the commit (pushes, scripted replies) should be queued and run then.
action_recorded = _signals.signal("action-recorded")
