"""Real time for the desk: the `/desk` Socket.IO namespace and the pushes sent after a commit.

The browser acts over HTTP; the server only pushes what happened (`changed`, `ring`) to rooms
per attempt, shift and user, once the transaction that made it happen has committed.
"""

from __future__ import annotations


def init_app(app) -> None:
    """Register the `/desk` namespace on this app's Socket.IO server and the push receivers."""
    from softphone.realtime.events import register_namespace
    from softphone.realtime.pushes import connect_receivers

    register_namespace()
    connect_receivers()
