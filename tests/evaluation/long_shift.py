"""A long shift at the desk, worked through the real services with a hand-moved house clock.

`LongShift.work_until` plays rounds of what a candidate does over a day on the default scenario
(bureau-direct) until the attempt's log holds a given number of actions: inbound calls answered
with identity checks and sales (additional offers, a recap, card payments, written
confirmations), stock-outs answered with a substitute, information calls with a knowledge-base
read and a hold, transfers, callbacks, abandoned calls, emails answered, client files viewed and
edited, pauses, claims and appointments. Rounds rotate over the seeded business clients so no
client piles up hundreds of orders (the credit check reads every order of the client: one
client would make the build quadratic).

Deterministic: the same number of actions gives the same log (ids, texts and times), so the
evaluation's verdicts on it can be pinned (tests/evaluation/test_verdicts_pinned.py) and the
benchmark (tests/bench/bench_evaluation.py) can grow it step by step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from crm.actionlog.services import Ctx
from crm.catalog.models import Product
from crm.claims.services import open_claim
from crm.clients.identity import verify_identity
from crm.clients.models import Client, ClientPhone
from crm.clients.services import update_client, view_client
from crm.contacts.booking import book_appointment, rep_calendars, schedule_callback
from crm.contacts.models import SalesRep
from crm.contacts.services import qualify_contact
from crm.db import db
from crm.knowledge.models import Article
from crm.knowledge.services import read_article
from crm.orders.checkout import cancel_order, confirm_order, read_recap
from crm.orders.models import Order
from crm.orders.offers import propose_additional, propose_substitute
from crm.orders.pricing import order_totals
from crm.orders.services import add_line, create_order
from crm.payments.services import CardInput, record_payment
from softphone.inbox.confirmation import send_order_confirmation
from softphone.inbox.receiving import receive_message
from softphone.inbox.sending import reply
from softphone.inbox.services import qualify_conversation, take_conversation
from softphone.phone.agent import set_agent_state
from softphone.phone.customer import say
from softphone.phone.services import (
    abandon_call,
    answer_call,
    hang_up,
    hold_call,
    offer_inbound_call,
    resume_call,
    transfer_call,
)
from tests.clocks import FakeClock

#: Where the house clock starts: a Tuesday morning (fixed, so the log is the same every run).
START = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
#: The knowledge-base articles read in turn on information calls.
ARTICLES = ("livraison-delais-frais", "suivi-commande", "droit-retractation", "moyens-paiement")
#: Products sold: (paper, additional, out of stock, its substitute).
SKUS = ("PAP-A4-80-5", "CLA-CHEM-ASS-100", "PAP-A4-90-5", "PAP-A4-80-5")
CARD = CardInput("4111111111111111", "12/39", "123")


@dataclass
class World:
    """What the rounds use: the candidate's and the system's contexts, clients and products."""

    ctx: Ctx
    system: Ctx
    customer: Ctx
    clock: FakeClock
    callers: list[tuple[Client, str]]
    products: dict[str, Product]
    articles: list[Article]


def _world(app, attempt, candidate, trainer) -> World:
    """Set up the clock, the callers (business clients with a phone) and unlimited stock."""
    clock = FakeClock(START)
    app.config["CLOCK"] = clock
    phones = db.session.execute(
        sa.select(Client, ClientPhone.e164)
        .join(ClientPhone, ClientPhone.client_id == Client.id)
        .where(Client.attempt_id == attempt.id, Client.number.like("C1%"))
        .order_by(Client.number, ClientPhone.id)
    ).all()
    # One number per client: a shared number would leave the caller unidentified.
    callers: dict[int, tuple[Client, str]] = {}
    for client, e164 in phones:
        callers.setdefault(client.id, (client, e164))
    products = {
        p.sku: p
        for p in db.session.scalars(
            sa.select(Product).where(Product.attempt_id == attempt.id, Product.sku.in_(SKUS))
        )
    }
    for sku in (SKUS[0], SKUS[1]):
        products[sku].stock = 10_000_000  # set-up: hundreds of sales
    articles = [
        db.session.scalar(
            sa.select(Article).where(Article.attempt_id == attempt.id, Article.slug == slug)
        )
        for slug in ARTICLES
    ]
    db.session.commit()
    return World(
        ctx=Ctx(attempt, candidate.id, "candidate"),
        system=Ctx(attempt, None, "system"),
        customer=Ctx(attempt, trainer.id, "customer"),
        clock=clock,
        callers=list(callers.values()),
        products=products,
        articles=articles,
    )


def _answered(world: World, n: int):
    """The n-th caller rings and is answered: (call, contact, client, ctx under the contact)."""
    client, number = world.callers[n % len(world.callers)]
    call = offer_inbound_call(world.system, number)
    world.clock.advance(4 + n % 7)
    contact = answer_call(world.ctx, call).contact
    ctx = replace(world.ctx, interaction=("contact", contact.id))
    world.clock.advance(10)
    say(ctx, call, "Bureau Direct, bonjour, que puis-je pour vous ?")
    world.clock.advance(15)
    verify_identity(ctx, client, {"client_number": client.number, "last_name": client.last_name})
    return call, contact, client, ctx


def _close(world: World, call, contact, code: str, note: str) -> None:
    """Hang up, a short wrap-up, qualify."""
    world.clock.advance(20)
    hang_up(world.ctx, call)
    world.clock.advance(12)
    qualify_contact(world.ctx, contact, code, note)


def _sale(world: World, n: int) -> None:
    """A sale: the file viewed, two lines (one an additional offer), recap, card, email."""
    call, contact, client, ctx = _answered(world, n)
    view_client(ctx, client)
    order = create_order(ctx, client)
    add_line(ctx, order, world.products[SKUS[0]], 1 + n % 3)
    world.clock.advance(30)
    propose_additional(ctx, order, world.products[SKUS[1]], n % 4 != 0, 1)
    if n % 5:  # now and then the recap is forgotten
        read_recap(ctx, order)
    confirm_order(ctx, order)
    due = order_totals(order.lines).gross
    record_payment(ctx, client=client, order=order, method="card", amount=due, card=CARD)
    send_order_confirmation(ctx, order, "email")
    _close(world, call, contact, "VENTE", "Commande de papier, chemises proposées.")


def _stock_out(world: World, n: int) -> None:
    """A product out of stock, its substitute offered and accepted, the order confirmed."""
    call, contact, client, ctx = _answered(world, n)
    order = create_order(ctx, client)
    add_line(ctx, order, world.products[SKUS[2]], 2)
    world.clock.advance(20)
    propose_substitute(ctx, order, world.products[SKUS[3]], world.products[SKUS[2]], True, 2)
    read_recap(ctx, order)
    confirm_order(ctx, order)
    if n % 3 == 2 and client.credit_limit > 0:
        # An order beyond the account's credit limit: cancelled, or now and then left pending.
        big = create_order(ctx, client)
        add_line(ctx, big, world.products[SKUS[0]], 400)
        read_recap(ctx, big)
        if confirm_order(ctx, big).refusal is not None and n % 4:
            cancel_order(ctx, big, "Encours dépassé : le client rappellera.")
    _close(world, call, contact, "VENTE", "Papier 80 g en substitution du 90 g.")


def _information(world: World, n: int) -> None:
    """An information call: an article read while the customer holds."""
    call, contact, _client, ctx = _answered(world, n)
    hold_call(world.ctx, call)
    world.clock.advance(20 + n % 40)  # sometimes beyond the 45 s hold limit
    read_article(ctx, world.articles[n % len(world.articles)])
    resume_call(world.ctx, call)
    say(ctx, call, "Voilà la réponse à votre question.")
    _close(world, call, contact, "INFO", "Renseignement donné.")


def _transfer(world: World, n: int) -> None:
    """A technical question transferred, and a callback promised to another client."""
    call, contact, client, ctx = _answered(world, n)
    world.clock.advance(25)
    transfer_call(ctx, call, "service-technique", "blind")
    world.clock.advance(8)
    due = (world.clock.now + timedelta(days=1)).replace(hour=9, minute=30)
    schedule_callback(ctx, client, due, "Rappeler pour le suivi de la réparation.")
    qualify_contact(world.ctx, contact, "TRANSFERT", "Transféré au service technique.")


def _email(world: World, n: int) -> None:
    """A lost call, then a client's email taken, answered and qualified. Every other email
    asks for a callback and gives a new number: half of those get both, half neither."""
    client, number = world.callers[(n + 3) % len(world.callers)]
    call = offer_inbound_call(world.system, number)
    world.clock.advance(9)
    abandon_call(world.system, call)
    world.clock.advance(30)
    turn = n // len(ROUNDS)  # the how-many-th email round this is
    asks = turn % 2 == 0
    mobile = f"06 12 34 {n // 100 % 100:02d} {n % 100:02d}"
    body = (
        f"Pouvez-vous me rappeler demain ? Mon nouveau numéro : {mobile}."
        if asks
        else "Quels sont vos délais de livraison ?"
    )
    received = receive_message(world.customer, "email", client.email, body, "Délais")
    world.clock.advance(60)
    taken = take_conversation(world.ctx, received.conversation)
    ctx = replace(world.ctx, interaction=("contact", taken.contact.id))
    read_article(ctx, world.articles[0])
    reply(ctx, received.conversation, body="Livraison en 48 h ouvrées.")
    if asks and turn % 4 == 0:
        # The new mobile replaces any other beside the number the client calls from.
        update_client(ctx, client, {"phones": [client.phones[0].number, mobile]})
        due = (world.clock.now + timedelta(days=1)).replace(hour=10, minute=0)
        schedule_callback(ctx, client, due, "Rappel demandé par e-mail.")
    qualify_conversation(world.ctx, received.conversation, "INFO", "Délais donnés.")


def _file_update(world: World, n: int) -> None:
    """A pause, then a call where the client's file is viewed and its notes updated."""
    set_agent_state(world.ctx, "pause", "Pause")
    world.clock.advance(120)
    set_agent_state(world.ctx, "ready")
    call, contact, client, ctx = _answered(world, n)
    view_client(ctx, client)
    update_client(ctx, client, {"notes": f"Préfère être appelé le matin ({n})."})
    _close(world, call, contact, "INFO", "Fiche mise à jour.")


def _claim_and_visit(world: World, n: int) -> None:
    """A claim on the client's last order (its number said), and a rep's visit booked."""
    call, contact, client, ctx = _answered(world, n)
    order = db.session.scalar(
        sa.select(Order).where(Order.client_id == client.id).order_by(Order.id.desc()).limit(1)
    )
    claim = open_claim(ctx, client, "damaged", "Colis arrivé écrasé, deux ramettes abîmées.", order)
    world.clock.advance(40)
    say(ctx, call, f"Votre réclamation porte le numéro {claim.number}.")
    calendar = next(c for c in rep_calendars(ctx) if c.slots)
    rep = db.session.get(SalesRep, calendar.rep.id)
    topic = f"Présentation de la gamme papier à M. {client.last_name}"
    book_appointment(ctx, client, rep, calendar.slots[n % len(calendar.slots)].starts_at, topic)
    _close(world, call, contact, "RECLAMATION", "Réclamation ouverte, visite du commercial.")


ROUNDS = (
    _sale,
    _information,
    _stock_out,
    _email,
    _sale,
    _transfer,
    _file_update,
    _sale,
    _information,
    _claim_and_visit,
)


class LongShift:
    """One candidate's long shift in `attempt`, grown on demand (`work_until`)."""

    def __init__(self, app, attempt, candidate, trainer):
        self.attempt = attempt
        self.world = _world(app, attempt, candidate, trainer)
        self.rounds = 0
        set_agent_state(self.world.ctx, "ready")
        db.session.commit()

    def work_until(self, actions: int) -> int:
        """Play rounds until the log holds at least `actions` actions; the rounds played."""
        while self.attempt.action_count < actions:
            ROUNDS[self.rounds % len(ROUNDS)](self.world, self.rounds)
            self.rounds += 1
            self.world.clock.advance(45)  # a breath between two customers
            db.session.commit()
        return self.rounds
