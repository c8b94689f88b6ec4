"""The trainer's room: a live wallboard per shift, over-the-shoulder views, events on demand.

`init_app` registers the `trainer.injected` verb, the room's pages and API blueprints and its
`/room` Socket.IO namespace (its pushes ride on `softphone.realtime.pushes`).
"""

from __future__ import annotations

from crm.actionlog.verbs import PLATEAU, register
from crm.i18n import N_

#: (name, family, French description, xAPI verb IRI).
VERBS = (
    (
        "trainer.injected",
        "session",
        N_("Événement déclenché par le formateur (appel, e-mail, SMS ou chat)"),
        PLATEAU + "injected",
    ),
)


def init_app(app) -> None:
    """Verbs, blueprints and the `/room` namespace."""
    from softphone.room.api import bp as api_bp
    from softphone.room.events import register_namespace
    from softphone.room.views import bp

    for name, family, description, iri in VERBS:
        register(name, family, description, iri)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    register_namespace()
