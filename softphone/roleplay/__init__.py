"""The live role-play: a trainer or an evaluator plays the customer of a call or a conversation.

`init_app` imports the model, registers the `roleplay.taken` verb, the console's page and API
blueprints and its `/roleplay` Socket.IO namespace.
"""

from __future__ import annotations

from crm.actionlog.verbs import PLATEAU, register
from crm.i18n import N_

#: (name, family, French description, xAPI verb IRI).
VERBS = (
    (
        "roleplay.taken",
        "session",
        N_("Client joué en direct par un formateur ou un évaluateur (appel ou conversation)"),
        PLATEAU + "role-played",
    ),
)


def init_app(app) -> None:
    """Model, verbs, blueprints and the `/roleplay` namespace."""
    from softphone.roleplay import models  # noqa: F401  (table on the metadata)
    from softphone.roleplay.api import bp as api_bp
    from softphone.roleplay.events import register_namespace
    from softphone.roleplay.views import bp

    for name, family, description, iri in VERBS:
        register(name, family, description, iri)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    register_namespace()
