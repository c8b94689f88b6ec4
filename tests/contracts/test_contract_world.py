"""The pack's contracts and retention rules in each attempt's world, and gone with it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm.actionlog.services import Ctx
from crm.contracts.models import Contract, RetentionOffer
from crm.contracts.services import make_offer
from crm.db import db
from crm.retention import delete_attempts
from crm.training.services import change_shift_status, create_shift

PACK = "fidelisation-mistral-mobile"


def _contracts(attempt_id: int) -> dict[str, Contract]:
    rows = db.session.scalars(sa.select(Contract).where(Contract.attempt_id == attempt_id))
    return {c.number: c for c in rows}


def test_each_attempt_gets_the_packs_contracts_and_rules_and_loses_them_with_it(app, people):
    shift = create_shift(PACK, [people["cand1"], people["cand2"]], created_by=people["trainer"])
    change_shift_status(shift, "start")
    db.session.commit()
    first, second = shift.attempts
    mine = _contracts(first.id)
    assert len(mine) == 22 and len(_contracts(second.id)) == 22
    committed = mine["CT-880301"]
    assert committed.plan == "Forfait Mistral 100 Go"
    assert committed.monthly_price == Decimal("15.99") and committed.status == "active"
    assert committed.started_on == first.world_date - timedelta(days=200)
    assert committed.commitment_ends_on == first.world_date + timedelta(days=165)
    assert first.settings["retention"]["notice_days"] == 10

    make_offer(Ctx(first, people["cand1"].id, "candidate"), mine["CT-880101"], "mois-offert")
    db.session.commit()
    delete_attempts([first.id])
    db.session.commit()
    assert _contracts(first.id) == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RetentionOffer)) == 0
    assert len(_contracts(second.id)) == 22
