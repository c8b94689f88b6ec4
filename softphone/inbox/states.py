"""The conversation status machine: open ⇄ pending → resolved, reopened by either side."""

from __future__ import annotations

from crm.errors import InvalidTransition, next_status

STATUSES = ("open", "pending", "resolved")

CONVERSATION_TRANSITIONS: dict[str, dict[str, str]] = {
    # event: {from_status: to_status}
    # The candidate puts the conversation aside while waiting for the customer.
    "wait": {"open": "pending"},
    "resolve": {"open": "resolved", "pending": "resolved"},
    "reopen": {"pending": "open", "resolved": "open"},
    # A reply awaits the customer's answer; a resolved thread must be reopened first.
    "agent_replied": {"open": "pending", "pending": "pending"},
    # Whatever the status, a customer's message needs attention again.
    "customer_wrote": {"open": "open", "pending": "open", "resolved": "open"},
}

#: The event the candidate's "set this status" request stands for.
STATUS_EVENTS = {"open": "reopen", "pending": "wait", "resolved": "resolve"}

STATUS_LABELS = {"open": "ouverte", "pending": "en attente", "resolved": "résolue"}

EVENT_LABELS = {
    "wait": "mise en attente",
    "resolve": "clôture",
    "reopen": "réouverture",
    "agent_replied": "réponse",
    "customer_wrote": "message du client",
}


def conversation_next_status(status: str, event: str) -> str:
    """The conversation's status after `event`, or InvalidTransition (409) in French."""
    try:
        return next_status(CONVERSATION_TRANSITIONS, "conversation", status, event)
    except InvalidTransition as error:
        label = STATUS_LABELS.get(status, status)
        error.message = f"Conversation {label} : {EVENT_LABELS.get(event, event)} impossible."
        if event == "agent_replied":
            error.message += " Rouvrez-la d'abord."
        raise
