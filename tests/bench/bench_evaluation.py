"""Benchmark: `evaluate()` on an attempt of about 10,000 actions, for every standard.

Not collected by the normal suite (the file name does not match ``test_*.py``); run the
benchmarks as tests/bench/README.md says. It prints the figures and asserts nothing about time
(machines differ); it does check the evaluation saw every action. PLATEAU_BENCH_ACTIONS changes
the size of the log.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from decimal import Decimal

import sqlalchemy as sa

from crm.actionlog.services import Ctx
from crm.catalog.models import Product
from crm.clients.identity import verify_identity
from crm.clients.models import Client
from crm.contacts.services import open_contact, qualify_contact
from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.standards import list_standards
from crm.evaluation.verdicts import evaluate, run_rules
from crm.orders.checkout import confirm_order, read_recap
from crm.orders.offers import propose_additional
from crm.orders.services import add_line, create_order

#: Actions in the evaluated log (PLATEAU_BENCH_ACTIONS; the target is 10,000 within 500 ms).
TARGET_ACTIONS = int(os.environ.get("PLATEAU_BENCH_ACTIONS", "10000"))


def _row(model, attempt, **where):
    query = sa.select(model).where(model.attempt_id == attempt.id)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def _one_sale(base: Ctx, client: Client, paper: Product, extra: Product) -> None:
    """One phone contact that ends in a sale: about ten actions, through the real services."""
    contact = open_contact(base, client, "phone", "inbound", "Commande")
    ctx = replace(base, interaction=("contact", contact.id))
    verify_identity(ctx, client, {"client_number": client.number, "last_name": client.last_name})
    order = create_order(ctx, client)
    add_line(ctx, order, paper, 2)
    propose_additional(ctx, order, extra, True, 1)
    read_recap(ctx, order)
    confirm_order(ctx, order)
    qualify_contact(ctx, contact, "VENTE", "Commande de papier et de chemises.")


def test_evaluate_a_long_log(attempt, people):
    base = Ctx(attempt, people["cand1"].id, "candidate")
    client = _row(Client, attempt, number="C10013")
    client.credit_limit = Decimal("99999999.00")  # set-up: hundreds of orders on terms
    paper = _row(Product, attempt, sku="PAP-A4-80-5")
    extra = _row(Product, attempt, sku="CLA-CHEM-ASS-100")
    paper.stock = extra.stock = 1_000_000
    db.session.commit()
    started = time.perf_counter()
    while attempt.action_count < TARGET_ACTIONS:
        _one_sale(base, client, paper, extra)
    db.session.commit()
    built = time.perf_counter() - started
    actions = attempt.action_count
    print(f"\n{actions} actions built through the services in {built:.1f} s")
    for standard in list_standards():
        db.session.expire_all()
        started = time.perf_counter()
        evaluation = evaluate(attempt, standard)
        elapsed = time.perf_counter() - started
        automatic = sum(1 for c in evaluation.criteria if c.criterion.mode == "automatic")
        print(
            f"evaluate({standard.id}): {elapsed * 1000:.0f} ms "
            f"({len(evaluation.results)} rules, {automatic} automatic criteria)"
        )
    db.session.expire_all()
    started = time.perf_counter()
    evidence = AttemptEvidence(attempt)
    results = run_rules(evidence, list(RULES))
    elapsed = time.perf_counter() - started
    print(f"every registered rule ({len(results)}) once: {elapsed * 1000:.0f} ms")
    assert len(evidence.actions) == actions
