"""After-sales rows as the JSON API shows them (money as strings, dates ISO)."""

from __future__ import annotations


def _money(value) -> str:
    return f"{value:.2f}"


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _moment(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def event_dict(event) -> dict:
    """One carrier step."""
    return {
        "kind": event.kind,
        "incident": event.incident,
        "at": _moment(event.at),
        "place": event.place,
        "note": event.note,
    }


def delivery_dict(delivery, *, events: bool = True) -> dict:
    """A parcel; its events only where reading them is recorded (the tracking read)."""
    body = {
        "id": delivery.id,
        "order_id": delivery.order_id,
        "carrier": delivery.carrier,
        "tracking_number": delivery.tracking_number,
        "status": delivery.status,
        "shipped_on": _day(delivery.shipped_on),
        "expected_on": _day(delivery.expected_on),
        "investigation_reference": delivery.investigation_reference,
        "replaced_by_id": delivery.replaced_by_id,
    }
    if events:
        body["events"] = [event_dict(e) for e in delivery.events]
    return body


def return_dict(ret) -> dict:
    """A return authorisation."""
    return {
        "id": ret.id,
        "number": ret.number,
        "label_code": ret.label_code,
        "order_id": ret.order_id,
        "client_id": ret.client_id,
        "status": ret.status,
        "deadline": _day(ret.deadline),
        "amount": _money(ret.amount),
        "reason": ret.reason,
        "lines": [{"line_id": line.order_line_id, "quantity": line.quantity} for line in ret.lines],
        "authorised_at": _moment(ret.authorised_at),
    }


def refund_dict(refund) -> dict:
    """A refund: a card shows only its masked form."""
    return {
        "id": refund.id,
        "credit_note_id": refund.credit_note_id,
        "payment_id": refund.payment_id,
        "method": refund.method,
        "amount": _money(refund.amount),
        "masked_card": refund.masked_card,
        "recorded_at": _moment(refund.recorded_at),
    }


def credit_note_dict(note) -> dict:
    """A credit note with its refunds."""
    return {
        "id": note.id,
        "number": note.number,
        "kind": note.kind,
        "client_id": note.client_id,
        "order_id": note.order_id,
        "invoice_id": note.invoice_id,
        "return_id": note.return_id,
        "amount": _money(note.amount),
        "reason": note.reason,
        "status": note.status,
        "issued_at": _moment(note.issued_at),
        "refunds": [refund_dict(r) for r in note.refunds],
    }
