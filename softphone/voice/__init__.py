"""Voice on live role-played calls: WebRTC between the desk and the role-player's console.

`init_app` registers the recording model and its `call.recorded` verb, the upload/download
API, the `/voice` signalling namespace, the recordings' retention period and the file
clean-up that follows transactions. The browser side is static/js/voice.js.
"""

from __future__ import annotations

from crm.actionlog.verbs import PLATEAU, register
from crm.i18n import N_

#: (name, family, French description, xAPI verb IRI).
VERBS = (
    (
        "call.recorded",
        "call",
        N_("Appel enregistré (les deux voix) : empreinte SHA-256 du fichier conservé"),
        PLATEAU + "recorded",
    ),
    (
        "call.listened",
        "call",
        N_("Appel écouté en direct par un formateur (écoute silencieuse)"),
        PLATEAU + "listened",
    ),
    (
        "call.whispered",
        "call",
        N_("Le formateur a parlé au candidat pendant l'appel (chuchotement, client hors écoute)"),
        PLATEAU + "whispered",
    ),
)


def init_app(app) -> None:
    """Model, verb, API, namespace, retention and the files' clean-up."""
    from softphone.voice import models  # noqa: F401  (table on the metadata)
    from softphone.voice.api import init_api
    from softphone.voice.files import connect_receivers
    from softphone.voice.retention import register_retention
    from softphone.voice.settings import check_ice_servers
    from softphone.voice.signalling import register_namespace
    from softphone.voice.texts import voice_page

    check_ice_servers(app)
    for name, family, description, iri in VERBS:
        register(name, family, description, iri)
    init_api(app)
    register_namespace()
    register_retention()
    connect_receivers()
    app.add_template_global(voice_page)
