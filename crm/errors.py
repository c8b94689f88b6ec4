"""Domain errors raised by services; the boundaries turn them into flashes or JSON errors."""

from __future__ import annotations

from crm.i18n import _, translate


class DomainError(Exception):
    """Base: a refusal with a machine code, a message and an HTTP status.

    Messages are written in French and translated where they are produced (`crm.i18n._`): in a
    request they follow the screen's language, elsewhere they stay French.
    """

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}


class ValidationFailed(DomainError):
    """Input that breaks a rule; `fields` maps each bad field to what is wrong (422)."""

    status = 422
    code = "validation_failed"

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(message or _("Données invalides."))
        self.fields = fields


class Conflict(DomainError):
    """The world's state forbids this (out of stock, credit limit, slot taken…) (409)."""

    status = 409
    code = "conflict"


class NotFound(DomainError):
    """No such object in this attempt (404)."""

    status = 404
    code = "not_found"


class InvalidTransition(Conflict):
    """A status change that the object's state machine does not allow (409)."""

    code = "invalid_transition"

    def __init__(self, machine: str, status: str, event: str):
        super().__init__(
            _(
                "Action « %(event)s » impossible : %(machine)s est au statut « %(status)s ».",
                event=event,
                machine=translate(machine),
                status=status,
            ),
            details={"machine": machine, "status": status, "event": event},
        )
        self.machine, self.status_name, self.event = machine, status, event


def next_status(table: dict[str, dict[str, str]], machine: str, status: str, event: str) -> str:
    """The status after `event` in a transition table {event: {from: to}}, or InvalidTransition."""
    try:
        return table[event][status]
    except KeyError:
        raise InvalidTransition(machine, status, event) from None
