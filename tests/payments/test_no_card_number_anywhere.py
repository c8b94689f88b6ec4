"""After card payments (accepted and refused), no full card number or CVV exists anywhere.

Every text-like column of every table and every action payload is scanned, as is whatever was
logged while the requests ran.
"""

from __future__ import annotations

import json
import logging
import re

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.extensions import db

VISA, VISA_CVV = "4111 1111 1111 1111", "739"
AMEX, AMEX_CVV = "378282246310005", "7391"
NOT_TRAINING, NOT_TRAINING_CVV = "4012-8888-8888-1881", "738"


def _forms(number: str) -> set[str]:
    digits = re.sub(r"\D", "", number)
    grouped = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    return {digits, grouped, grouped.replace(" ", "-"), number}


def _text_values():
    """Every string-ish value stored in any table, with where it came from."""
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    text = value if isinstance(value, str) else json.dumps(value)
                    yield f"{table.name}.{column.name}", text


def test_no_card_number_or_cvv_is_stored_logged_or_recorded(api, world, attempt, caplog):
    caplog.set_level(logging.DEBUG)
    me = api.as_("candidat1")
    paid = me.post(
        "/payments",
        {
            "order_id": world.order.id,
            "method": "card",
            "amount": "59.76",
            "card": {"number": VISA, "expiry": "12/30", "cvv": VISA_CVV},
        },
    )
    assert paid.status_code == 201
    amex = me.post(
        "/payments",
        {
            "invoice_id": world.overdue.id,
            "method": "card",
            "amount": "10.00",
            "card": {"number": AMEX, "expiry": "01/21", "cvv": AMEX_CVV},
        },
    )
    assert amex.status_code == 422
    stranger = me.post(
        "/payments",
        {
            "invoice_id": world.overdue.id,
            "method": "card",
            "amount": "10.00",
            "card": {"number": NOT_TRAINING, "expiry": "12/30", "cvv": NOT_TRAINING_CVV},
        },
    )
    assert stranger.status_code == 422

    numbers = _forms(VISA) | _forms(AMEX) | _forms(NOT_TRAINING)
    # A CVV is short: look for it as a token of its own (hashes are hex, amounts have decimals).
    cvvs = [re.compile(rf"\b{cvv}\b") for cvv in (VISA_CVV, AMEX_CVV, NOT_TRAINING_CVV)]
    scanned, masked_seen = 0, set()
    for where, text in _text_values():
        scanned += 1
        if "411111******1111" in text:
            masked_seen.add(where)  # proves the scan reads the tables that hold card data
        assert not any(n in text for n in numbers), f"card number found in {where}"
        assert not any(p.search(text) for p in cvvs), f"security code found in {where}: {text}"
    assert scanned > 100
    assert {"payment.masked_card", "action.payload"} <= masked_seen

    payloads = db.session.scalars(
        sa.select(Action.payload).where(
            Action.attempt_id == attempt.id, Action.verb.like("payment.%")
        )
    ).all()
    assert len(payloads) == 3
    dumped = json.dumps(payloads)
    assert "411111******1111" in dumped and "378282*****0005" in dumped
    assert not any(n in dumped for n in numbers)
    assert '"cvv"' not in dumped and '"number"' not in dumped

    for response in (paid, amex, stranger):
        body = response.get_data(as_text=True)
        assert not any(n in body for n in numbers)
        assert not any(p.search(body) for p in cvvs)
    assert not any(n in caplog.text for n in numbers)
