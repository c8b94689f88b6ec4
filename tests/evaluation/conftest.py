"""Fixtures for the evaluation tests: a scripted candidate at the desk (`Desk`), rule runs.

`Desk` drives the real services, as the screens and API do, so the rule tests break when a
service stops recording what the rules read. Each step runs in the candidate's context, under
the contact in progress.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import current_app

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx
from crm.catalog.models import Product
from crm.clients.identity import verify_identity
from crm.clients.models import Client
from crm.contacts.booking import book_appointment, rep_calendars, schedule_callback
from crm.contacts.models import Contact, SalesRep
from crm.contacts.services import open_contact, qualify_contact
from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.knowledge.models import Article
from crm.knowledge.services import read_article
from crm.orders.checkout import cancel_order, confirm_order, read_recap
from crm.orders.models import Order
from crm.orders.offers import propose_additional, propose_substitute
from crm.orders.pricing import order_totals
from crm.orders.services import add_line, create_order
from crm.payments.services import CardInput, record_payment
from crm.training.library import load_scenario
from crm.training.models import Attempt
from crm.training.services import change_shift_status, create_shift
from crm.training.timeline import TimelineEvent
from softphone.inbox.confirmation import send_order_confirmation
from softphone.inbox.models import Conversation
from softphone.inbox.sending import reply
from softphone.inbox.services import qualify_conversation, take_conversation
from softphone.phone.agent import load_agent
from softphone.phone.customer import say
from softphone.phone.dialing import dial
from softphone.phone.models import Call
from softphone.phone.services import (
    answer_call,
    hang_up,
    offer_inbound_call,
    set_agent_state,
    transfer_call,
)
from softphone.scenarios.scheduler import TickReport, claim, fire
from softphone.scenarios.timeline import call_plan_script, item_script
from tests.conftest import TEMPLATES, _load_seeded
from tests.seeded import Stage


class Desk:
    """One candidate working in one attempt."""

    def __init__(self, attempt: Attempt, user):
        self.attempt = attempt
        self.base = Ctx(attempt, user.id, "candidate")
        self.contact: Contact | None = None
        self.call: Call | None = None

    @property
    def ctx(self) -> Ctx:
        """The candidate's context under the contact in progress."""
        if self.contact is None:
            return self.base
        return replace(self.base, interaction=("contact", self.contact.id))

    # --- the world ---------------------------------------------------------------------------
    def client(self, number: str) -> Client:
        return db.session.scalar(
            sa.select(Client).where(Client.attempt_id == self.attempt.id, Client.number == number)
        )

    def product(self, sku: str) -> Product:
        return db.session.scalar(
            sa.select(Product).where(Product.attempt_id == self.attempt.id, Product.sku == sku)
        )

    # --- contacts and calls ------------------------------------------------------------------
    def open(self, client: Client | None, channel: str = "phone", direction: str = "inbound"):
        """Open a contact by hand (no phone call behind it)."""
        self.contact = open_contact(self.base, client, channel, direction, "Test")
        return self.contact

    def answer(self, key: str) -> Call:
        """Ring the attempt's scenario's timeline call `key` and pick up (agent made ready)."""
        agent = load_agent(self.attempt.id)
        if agent is None or agent.state == "offline":
            set_agent_state(self.base, "ready")
        timeline = load_scenario(self.attempt.shift.scenario)["timeline"]
        item = next(i for i in timeline if i["key"] == key)
        system = Ctx(self.attempt, None, "system")
        self.call = offer_inbound_call(system, item["from"], item_script(item, key))
        answer = answer_call(self.base, self.call)
        self.contact = answer.contact
        return self.call

    def hang_up(self) -> None:
        """End the call if the customer has not already."""
        if self.call is not None and self.call.status in ("on_call", "on_hold"):
            hang_up(self.ctx, self.call)

    def dial(self, number: str, acknowledge: bool = False) -> Call | None:
        """Dial a number of the call plans (its scripted answerer picks up); None when the
        calling rules warned and the candidate did not go on (`acknowledge`)."""
        agent = load_agent(self.attempt.id)
        if agent is None or agent.state == "offline":
            set_agent_state(self.base, "ready")
        script = call_plan_script(self.attempt, number)
        result = dial(self.base, number, acknowledge_rules=acknowledge, script=script)
        if result.call is not None:
            self.call = result.call
            self.contact = db.session.get(Contact, result.call.contact_id)
        return result.call

    def say(self, text: str) -> list[str]:
        """The candidate's turn on the call in progress; the customer's answer."""
        return say(self.ctx, self.call, text).replies

    def transfer(self, target: str) -> None:
        transfer_call(self.ctx, self.call, target, "blind")

    def qualify(self, code: str, note: str = "Note de contact.") -> None:
        qualify_contact(self.ctx, self.contact, code, note)
        self.contact, self.call = None, None

    def verify(self, client: Client) -> None:
        verify_identity(
            self.ctx, client, {"client_number": client.number, "last_name": client.last_name}
        )

    # --- agenda ------------------------------------------------------------------------------
    def book(self, client: Client, rep_key: str, topic: str):
        """Book the rep's first free slot for the client, under the contact in progress."""
        calendar = next(c for c in rep_calendars(self.ctx) if c.rep.key == rep_key)
        rep = db.session.get(SalesRep, calendar.rep.id)
        return book_appointment(self.ctx, client, rep, calendar.slots[0].starts_at, topic)

    def callback(self, client: Client, due_at, reason: str):
        return schedule_callback(self.ctx, client, due_at, reason)

    # --- written channels --------------------------------------------------------------------
    def receive(self, key: str) -> Conversation:
        """The attempt's scenario's timeline message `key` arrives (fired as the clock does)."""
        event = db.session.scalar(
            sa.select(TimelineEvent).where(
                TimelineEvent.attempt_id == self.attempt.id, TimelineEvent.key == key
            )
        )
        now = clock.now()
        assert claim(event.id, now, "desk")
        fire(event.id, now, "desk", TickReport())
        return db.session.get(Conversation, event.result["conversation_id"])

    def take(self, conversation: Conversation) -> None:
        """Take the conversation: its contact is now the one in progress."""
        self.contact = take_conversation(self.base, conversation).contact

    def write_back(self, conversation: Conversation, body: str, **options) -> None:
        """Answer the customer; `options` go to the reply (documents to attach…)."""
        reply(self.ctx, conversation, body, **options)

    def close(self, conversation: Conversation, code: str, note: str = "Note.") -> None:
        qualify_conversation(self.ctx, conversation, code, note)
        self.contact = None

    # --- orders ------------------------------------------------------------------------------
    def order(self, client: Client) -> Order:
        return create_order(self.ctx, client)

    def add(self, order: Order, sku: str, quantity: int = 1):
        return add_line(self.ctx, order, self.product(sku), quantity)

    def substitute(self, order, sku, for_sku, accepted=True, quantity=1):
        return propose_substitute(
            self.ctx, order, self.product(sku), self.product(for_sku), accepted, quantity
        )

    def additional(self, order, sku, accepted=True, quantity=1):
        return propose_additional(self.ctx, order, self.product(sku), accepted, quantity)

    def recap(self, order: Order) -> None:
        read_recap(self.ctx, order)

    def confirm(self, order: Order):
        return confirm_order(self.ctx, order)

    def cancel(self, order: Order) -> None:
        cancel_order(self.ctx, order, "Test")

    def confirm_in_writing(self, order: Order, channel: str = "email") -> None:
        send_order_confirmation(self.ctx, order, channel)

    def pay_by_card(self, order: Order) -> None:
        """The client pays the whole order with the training Visa card."""
        card = CardInput("4111111111111111", "12/39", "123")
        due = order_totals(order.lines).gross
        record_payment(
            self.ctx, client=order.client, order=order, method="card", amount=due, card=card
        )

    def read_kb(self, slug: str) -> None:
        article = db.session.scalar(
            sa.select(Article).where(Article.attempt_id == self.attempt.id, Article.slug == slug)
        )
        read_article(self.ctx, article)

    def limit_credit(self, client: Client, limit: str) -> None:
        """Scenario set-up: give the client a lower credit limit."""
        client.credit_limit = Decimal(limit)
        db.session.flush()


def last(verb: str) -> Action:
    """The latest action with this verb (any attempt: tests build one)."""
    return db.session.scalars(
        sa.select(Action).where(Action.verb == verb).order_by(Action.seq.desc())
    ).first()


def client_numbered(attempt, number: str) -> Client:
    """The attempt's client file with this client number."""
    return db.session.scalar(
        sa.select(Client).where(Client.attempt_id == attempt.id, Client.number == number)
    )


@pytest.fixture
def customer(attempt, people):
    """The context in which a scripted customer acts (what the customer did is logged too)."""
    return Ctx(attempt, people["trainer"].id, "customer")


@pytest.fixture
def make_desk():
    """make_desk(attempt, user) → that candidate at the desk."""
    return Desk


@pytest.fixture
def desk(attempt, people) -> Desk:
    """cand1 at the desk in their attempt on the default scenario."""
    return Desk(attempt, people["cand1"])


@pytest.fixture
def judge(attempt):
    """judge("rule_id") → the rule's result on cand1's attempt as logged so far."""

    def run(rule_id: str):
        return RULES[rule_id].evaluate(AttemptEvidence(attempt))

    return run


def play_pack(pack: str, people, careful, hasty) -> tuple[Attempt, Attempt]:
    """A running shift on `pack` for cand1 and cand2: cand1 plays `careful(desk)`, cand2
    `hasty(desk)`; returns (careful attempt, hasty attempt).

    Every test of a pack's acceptance asks for the same two attempts: on SQLite they are played
    once per process into a template (a lazy stage after the seeded people, tests/seeded.py)
    and copied into each test's database; played live when the database is not just the
    people's, when the test set its own clock, and on PostgreSQL.
    """
    name = f"played:{pack}:{careful.__module__}.{careful.__qualname__}"
    if name not in TEMPLATES.stages:
        TEMPLATES.add(
            Stage(
                name,
                "people",
                lambda objects: {
                    "played": [a.id for a in _play(pack, objects["people"], careful, hasty)]
                },
                _load_played,
                lazy=True,
            )
        )
    # A template is played on the real clock: a test that set its own (the collections pack
    # plays on a working morning, when consumers may be called) plays live.
    if current_app.config.get("CLOCK") is not None:
        return _play(pack, people, careful, hasty)
    copied = TEMPLATES.restore(current_app, name)
    return copied["played"] if copied else _play(pack, people, careful, hasty)


def _load_played(ids: dict) -> dict:
    """The seeded objects and the (careful, hasty) attempts of a played pack, by id."""
    careful_id, hasty_id = ids["played"]
    played = (db.session.get(Attempt, careful_id), db.session.get(Attempt, hasty_id))
    return {**_load_seeded(ids), "played": played}


def _play(pack: str, people, careful, hasty) -> tuple[Attempt, Attempt]:
    """`play_pack` live: the shift started, both candidates played through the services."""
    shift = create_shift(pack, [people["cand1"], people["cand2"]], created_by=people["trainer"])
    change_shift_status(shift, "start")
    db.session.commit()
    by_candidate = {attempt.candidate_id: attempt for attempt in shift.attempts}
    good, poor = by_candidate[people["cand1"].id], by_candidate[people["cand2"].id]
    careful(Desk(good, people["cand1"]))
    hasty(Desk(poor, people["cand2"]))
    return good, poor


def assert_rule_tells_apart(attempts: tuple[Attempt, Attempt], rule_id: str, wanted) -> None:
    """The rule gives each attempt (careful, hasty) its wanted status, with an explanation and
    the actions it rests on."""
    for attempt, status, who in zip(attempts, wanted, ("careful", "hasty"), strict=True):
        result = RULES[rule_id].evaluate(AttemptEvidence(attempt))
        assert result.status == status, (who, rule_id, result.explanation)
        assert result.explanation and result.evidence, (who, rule_id)
