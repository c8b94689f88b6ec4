"""The `result` of a statement, per verb, from an allow-list of payload fields.

Payloads hold what evaluators need (client numbers, free text typed by the candidate, masked card
numbers, customers' words). A statement leaves Plateau for a learning record store, so it carries
only measures and codes chosen here: amounts, counts, durations, qualification codes, success.
Never free text, never a card (even masked), never a client's identity.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from crm.evaluation.xapi.vocabulary import EXTENSIONS


def iso_duration(seconds) -> str | None:
    """Seconds as an ISO 8601 duration with xAPI's 0.01 s precision ("PT1H2M3.5S")."""
    if seconds is None:
        return None
    hundredths = round(float(seconds) * 100)
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    secs = f"{rest / 100:.2f}".rstrip("0").rstrip(".")
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if rest or text == "PT":
        text += f"{secs}S"
    return text


def _money(value) -> str | None:
    """A payload amount as the API writes money ("12.50"), or None."""
    try:
        return f"{Decimal(str(value)):.2f}" if value is not None else None
    except InvalidOperation:
        return None


def _result(success=None, response=None, duration=None, **extensions) -> dict:
    """A result object without the empty parts (an empty result is no result)."""
    result: dict = {}
    if success is not None:
        result["success"] = bool(success)
    if response is not None:
        result["response"] = str(response)
    if duration is not None:
        result["duration"] = duration
    kept = {EXTENSIONS + key.replace("_", "-"): v for key, v in extensions.items() if v is not None}
    if kept:
        result["extensions"] = kept
    return result


def _order_confirmed(p: dict) -> dict:
    lines = p.get("lines") or []
    return _result(
        success=True,
        amount=_money(p.get("total")),
        lines=len(lines),
        additional_lines=sum(1 for line in lines if line.get("additional")),
        substitute_lines=sum(1 for line in lines if line.get("replaces")),
        recap_read=p.get("recap_read"),
    )


def _payment(success: bool) -> Callable[[dict], dict]:
    def build(p: dict) -> dict:
        return _result(
            success=success,
            amount=_money(p.get("amount")),
            payment_method=p.get("method"),
            refusal_reasons=list(p["reasons"]) if p.get("reasons") else None,
        )

    return build


def _call_ended(p: dict) -> dict:
    return _result(
        duration=iso_duration(p.get("duration_seconds")),
        talk_duration=iso_duration(p.get("talk_seconds")),
        hold_duration=iso_duration(p.get("hold_seconds")),
        hold_count=p.get("hold_count"),
        ended_by=p.get("by"),
    )


def _identity(success: bool) -> Callable[[dict], dict]:
    def build(p: dict) -> dict:
        return _result(
            success=success,
            identity_fields_checked=list(p.get("checked") or []),
            identity_fields_mismatched=list(p.get("mismatches") or []),
        )

    return build


def _search(p: dict) -> dict:
    return _result(result_count=p.get("results"))


def _message_sent(p: dict) -> dict:
    return _result(
        success=p.get("within_deadline"),
        channel=p.get("channel"),
        within_deadline=p.get("within_deadline"),
        answer_delay=iso_duration(p.get("answer_delay_seconds")),
    )


#: Log verb → result builder; verbs not listed have no result (what happened is the verb).
RESULTS: dict[str, Callable[[dict], dict]] = {
    "order.confirmed": _order_confirmed,
    "order.credit_refused": lambda p: _result(success=False, amount=_money(p.get("order_total"))),
    "order.line_added": lambda p: _result(sku=p.get("sku")),
    "order.out_of_stock": lambda p: _result(success=False, sku=p.get("sku")),
    "offer.made": lambda p: _result(
        response="accepted" if p.get("accepted") else "refused",
        success=p.get("accepted"),
        offer_kind=p.get("kind"),
        sku=p.get("sku"),
    ),
    "payment.recorded": _payment(True),
    "payment.refused": _payment(False),
    "promise.recorded": lambda p: _result(
        amount=_money(p.get("amount")), payment_method=p.get("method")
    ),
    "plan.created": lambda p: _result(
        amount=_money(p.get("total")), installments=len(p.get("installments") or [])
    ),
    "reminder.sent": lambda p: _result(dunning_level=p.get("level"), channel=p.get("channel")),
    "contact.qualified": lambda p: _result(
        response=p.get("code"),
        duration=iso_duration(p.get("duration_seconds")),
        qualification_family=p.get("family"),
    ),
    "identity.verified": _identity(True),
    "identity.failed": _identity(False),
    "client.searched": _search,
    "product.searched": _search,
    "kb.searched": _search,
    "claim.opened": lambda p: _result(claim_category=p.get("category")),
    "call.ended": _call_ended,
    "call.resumed": lambda p: _result(duration=iso_duration(p.get("seconds"))),
    "call.transferred": lambda p: _result(
        duration=iso_duration(p.get("duration_seconds")), transfer_target=p.get("target")
    ),
    "message.sent": _message_sent,
    "message.received": lambda p: _result(channel=p.get("channel")),
}


def result_for(verb: str, payload: dict) -> dict | None:
    """The statement's result for an action, or None when the verb says it all."""
    build = RESULTS.get(verb)
    if build is None:
        return None
    return build(payload or {}) or None
