"""The after-sales transition tables, plain data: the scenario validator (no Flask) replays a
pack's carrier events through them, the services through crm.aftersales.states."""

from __future__ import annotations

#: {event: {from_status: to_status}} of a parcel. A carrier event is an event of its own kind;
#: `investigate` and `reship` are the candidate's.
DELIVERY_TRANSITIONS: dict[str, dict[str, str]] = {
    "picked_up": {"preparing": "in_transit"},
    "in_transit": {"in_transit": "in_transit"},
    "out_for_delivery": {"in_transit": "out_for_delivery"},
    "delivered": {"in_transit": "delivered", "out_for_delivery": "delivered"},
    # A delivered parcel may turn out damaged (reported at hand-over).
    "incident": {
        "preparing": "incident",
        "in_transit": "incident",
        "out_for_delivery": "incident",
        "delivered": "incident",
        "incident": "incident",
    },
    "investigate": {"incident": "investigating"},
    "reship": {"incident": "replaced", "investigating": "replaced"},
}

#: What the carrier reports; the pack's `events[].kind`.
CARRIER_EVENTS = ("picked_up", "in_transit", "out_for_delivery", "delivered", "incident")

INCIDENTS = ("lost", "damaged", "delayed", "address_problem")

DELIVERY_STATUSES = (
    "preparing",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "incident",
    "investigating",
    "replaced",
)

RETURN_TRANSITIONS: dict[str, dict[str, str]] = {
    "credit": {"authorised": "credited"},
    "cancel": {"authorised": "cancelled"},
}

CREDIT_NOTE_TRANSITIONS: dict[str, dict[str, str]] = {
    "refund": {"issued": "refunded"},
}


def replay(events: list[str], start: str = "preparing") -> tuple[str, int | None]:
    """The parcel's status after these carrier events, and the index of the first event the
    table refuses (None when all apply)."""
    status = start
    for index, kind in enumerate(events):
        moves = DELIVERY_TRANSITIONS.get(kind, {})
        if status not in moves:
            return status, index
        status = moves[status]
    return status, None
