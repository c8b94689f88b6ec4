"""Shifts and attempts: a private world per candidate, reset in one transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.catalog.models import Product
from crm.clients.models import Client
from crm.extensions import db
from crm.payments.models import Invoice
from crm.training.library import ScenarioNotFound
from crm.training.models import Attempt
from crm.training.services import create_shift, current_attempt, reset_attempt


def _count(model, attempt):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(model.attempt_id == attempt.id)
    )


def test_each_attempt_gets_its_own_copy_of_the_world(attempt, other_attempt):
    for model in (Client, Product, Invoice):
        assert _count(model, attempt) == _count(model, other_attempt) > 0
    ids = db.session.scalars(sa.select(Client.id).where(Client.attempt_id == attempt.id)).all()
    other = db.session.scalars(
        sa.select(Client.id).where(Client.attempt_id == other_attempt.id)
    ).all()
    assert not set(ids) & set(other)


def test_default_scenario_is_rich_enough(attempt):
    clients = db.session.scalars(sa.select(Client).where(Client.attempt_id == attempt.id)).all()
    assert len(clients) >= 40
    assert any(c.kind == "prospect" for c in clients)
    assert any(c.do_not_call for c in clients)
    assert any(p.gatekeeper for c in clients for p in c.contact_persons)
    products = db.session.scalars(sa.select(Product).where(Product.attempt_id == attempt.id)).all()
    assert len(products) >= 60
    out = [p for p in products if p.stock == 0]
    assert len(out) >= 8 and all(p.restock_date and p.substitutes for p in out)
    today = attempt.world_date
    unpaid = db.session.scalars(
        sa.select(Invoice).where(
            Invoice.attempt_id == attempt.id, Invoice.amount_paid < Invoice.amount
        )
    ).all()
    assert len(unpaid) >= 10 and any(i.due_on < today for i in unpaid)


def test_no_card_number_is_stored_with_the_attempt(attempt):
    assert "4111111111111111" not in str(attempt.settings)
    assert all(len(card["digest"]) == 64 for card in attempt.settings["training_cards"])


def test_current_attempt_only_for_running_or_paused_shifts(shift, people):
    assert current_attempt(people["cand1"]).id == shift.attempts[0].id
    assert current_attempt(people["cand3"]) is None
    assert current_attempt(people["trainer"]) is None
    shift.status = "ended"
    db.session.commit()
    assert current_attempt(people["cand1"]) is None


def test_reset_keeps_the_old_world_and_log(attempt, people):
    clients_before = _count(Client, attempt)
    new = reset_attempt(attempt, people["trainer"])
    db.session.commit()
    assert attempt.status == "superseded" and attempt.replaced_by_id == new.id
    assert _count(Client, attempt) == clients_before == _count(Client, new)
    assert new.number == 2 and new.candidate_id == attempt.candidate_id
    assert current_attempt(people["cand1"]).id == new.id


def test_failed_reset_changes_nothing(attempt, people, monkeypatch):
    import crm.training.services as services

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "seed_world", broken)
    with pytest.raises(RuntimeError):
        reset_attempt(attempt, people["trainer"])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1
    db.session.refresh(attempt)
    assert attempt.status == "active"


def test_unknown_scenario_is_refused(people):
    with pytest.raises(ScenarioNotFound):
        create_shift("../../etc/passwd", [people["cand1"]])
    with pytest.raises(ScenarioNotFound):
        create_shift("missing", [people["cand1"]])


def test_trainers_cannot_have_attempts(people):
    with pytest.raises(ValueError):
        create_shift("bureau-direct", [people["trainer"]])


def test_a_shift_is_opened_with_its_standard(people):
    """The bench opens on the grid the candidates self-assess against: both read the shift's."""
    from crm.training.models import DEFAULT_STANDARD

    default = create_shift("bureau-direct", [people["cand1"]], created_by=people["trainer"])
    chosen = create_shift(
        "bureau-direct",
        [people["cand2"]],
        created_by=people["trainer"],
        standard="cqp-relation-commerciale-a-distance",
    )
    db.session.commit()
    assert default.standard == DEFAULT_STANDARD == "mc-acvad-referentiel-certification"
    assert chosen.standard == "cqp-relation-commerciale-a-distance"


def test_the_bench_lists_each_shift_with_its_standard(client, login, attempt):
    login("jury")
    page = client.get("/bench/").get_data(as_text=True)
    row = page[page.index(f'id="bench-shift-{attempt.shift_id}"') :].split("</tr>")[0]
    # The standard by its short title, not its id (« mc-acvad-referentiel-certification »).
    assert "<td>MC ACVAD</td>" in row and "<td>—</td>" not in row
