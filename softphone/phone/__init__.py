"""The agent's softphone: agent states, calls, calling rules and the scripted customer on the line.

`init_app` imports the models (tables on the metadata), registers the phone's verbs in the action
log catalog, registers the phone API blueprint and connects the receivers of `action_recorded`.
"""

from __future__ import annotations

from crm.actionlog.verbs import ADL, PLATEAU, register
from crm.i18n import N_

#: (name, family, French description, xAPI verb IRI).
VERBS = (
    ("agent.logged_on", "session", N_("Connexion au téléphone (prêt)"), ADL + "initialized"),
    ("agent.logged_off", "session", N_("Déconnexion du téléphone"), ADL + "exited"),
    (
        "agent.state_changed",
        "call",
        N_("Changement d'état du poste (pause, retour prêt…)"),
        PLATEAU + "changed-state",
    ),
    ("call.offered", "call", N_("Appel entrant présenté (sonnerie)"), PLATEAU + "received"),
    ("call.answered", "call", N_("Appel entrant décroché"), PLATEAU + "answered"),
    ("call.abandoned", "call", N_("Appel entrant perdu (non décroché)"), PLATEAU + "missed"),
    ("call.dialed", "call", N_("Appel sortant composé"), PLATEAU + "dialed"),
    (
        "call.rules_warned",
        "call",
        N_("Appel sortant arrêté : règles d'appel signalées"),
        PLATEAU + "warned",
    ),
    (
        "call.rules_breached",
        "call",
        N_("Appel passé malgré les règles d'appel (infraction consciente)"),
        PLATEAU + "breached",
    ),
    ("call.held", "call", N_("Client mis en attente"), PLATEAU + "held"),
    ("call.resumed", "call", N_("Client repris après l'attente"), PLATEAU + "resumed"),
    ("call.transferred", "call", N_("Appel transféré"), PLATEAU + "transferred"),
    ("call.ended", "call", N_("Appel terminé (raccroché)"), ADL + "terminated"),
    ("call.said", "call", N_("Parole du conseiller"), ADL + "responded"),
    ("call.customer_said", "call", N_("Parole du client"), PLATEAU + "heard"),
    (
        "guide.step_ticked",
        "call",
        N_("Étape du guide d'appel cochée (ou décochée)"),
        PLATEAU + "ticked",
    ),
)


def init_app(app) -> None:
    """Models, verbs, the API blueprint and the signal receivers of the phone."""
    from crm.signals import action_recorded
    from softphone.phone import models  # noqa: F401  (tables on the metadata)
    from softphone.phone.agent import release_after_qualification
    from softphone.phone.api import bp
    from softphone.phone.customer import react_to_action

    for name, family, description, iri in VERBS:
        register(name, family, description, iri)
    app.register_blueprint(bp)
    # Connected once per process (blinker ignores a receiver connected twice).
    action_recorded.connect(release_after_qualification)
    action_recorded.connect(react_to_action)
