"""What the scenario says about the phone: pause reasons and transfer targets, with defaults."""

from __future__ import annotations

from dataclasses import dataclass

from crm.training.models import Attempt

DEFAULT_PAUSE_REASONS = ("Pause", "Formation", "Réunion", "Administratif")


@dataclass(frozen=True)
class TransferTarget:
    """A service or person a call can be transferred to, and what they say when consulted."""

    key: str
    label: str
    answer: str

    def to_dict(self) -> dict:
        """JSON form."""
        return {"key": self.key, "label": self.label}


DEFAULT_TRANSFER_TARGETS = (
    TransferTarget(
        "service-technique",
        "Service technique",
        "Service technique, bonjour. D'accord, je prends le client : passez-le-moi.",
    ),
    TransferTarget(
        "comptabilite",
        "Comptabilité",
        "Comptabilité, bonjour. Je regarde son compte ; vous pouvez me le passer.",
    ),
    TransferTarget(
        "superviseur",
        "Superviseur",
        "Oui, c'est votre superviseur. Résumez-moi la situation, puis passez-le-moi.",
    ),
    TransferTarget(
        "service-litiges",
        "Service litiges",
        "Service litiges, bonjour. Donnez-moi le numéro de réclamation et transférez.",
    ),
)


def pause_reasons(attempt: Attempt) -> list[str]:
    """The scenario's pause reasons (`settings["pause_reasons"]`), else the default list."""
    reasons = (attempt.settings or {}).get("pause_reasons")
    if isinstance(reasons, list) and reasons and all(isinstance(r, str) for r in reasons):
        return list(reasons)
    return list(DEFAULT_PAUSE_REASONS)


def transfer_targets(attempt: Attempt) -> list[TransferTarget]:
    """The scenario's transfer targets (`settings["transfer_targets"]`), else the defaults."""
    targets = (attempt.settings or {}).get("transfer_targets")
    if isinstance(targets, list) and targets:
        found = [
            TransferTarget(t["key"], t.get("label") or t["key"], t.get("answer", ""))
            for t in targets
            if isinstance(t, dict) and isinstance(t.get("key"), str)
        ]
        if found:
            return found
    return list(DEFAULT_TRANSFER_TARGETS)
