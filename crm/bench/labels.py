"""French labels of the bench (translated on screen)."""

from __future__ import annotations

from crm.i18n import _l

STATE_LABELS = {
    "open": _l("Non notée"),
    "first_marking": _l("Première correction en cours"),
    "first_submitted": _l("Première correction remise"),
    "second_marking": _l("Seconde correction en cours (à l'aveugle)"),
    "reconciling": _l("Désaccords à régler"),
    "agreed": _l("Correcteurs d'accord"),
    "signed": _l("Signée"),
}
STATE_BADGES = {
    "open": "",
    "first_marking": "info",
    "first_submitted": "info",
    "second_marking": "info",
    "reconciling": "warn",
    "agreed": "ok",
    "signed": "ok",
}
ROLE_LABELS = {"first": _l("premier correcteur"), "second": _l("second correcteur")}
MODE_LABELS = {"automatic": _l("automatique"), "judgement": _l("jugement")}
VERDICT_BADGES = {"met": "ok", "not_met": "bad", "not_observed": "", "to_grade": "info"}
#: Qualification code families (crm.training.scenario_schema.vocabulary.FAMILIES) in words.
FAMILY_LABELS = {
    "CA+": _l("CA+ : contact argumenté, issue positive"),
    "CA-": _l("CA- : contact argumenté, issue négative"),
    "CNA": _l("CNA : contact non abouti"),
    "closed": _l("demande traitée"),
}
