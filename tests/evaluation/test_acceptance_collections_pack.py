"""Acceptance of the collections pack (*Nordal Télésurveillance*): a careful and a hasty
collector, judged.

Both play the pack's situations through the real services: a subscriber reminded by SMS who pays
by card, a customer asking by e-mail to spread her debt, a shopkeeper whose promise to pay was
broken and who asks for another one, a promised transfer arriving, a promise by SMS and a
question on the formal notice by chat.

Both also take Mme Lemoine's invoice, 70 days overdue, up the whole dunning ladder to the formal
notice: the careful one phones her for the reminder call, the hasty one records that step without
calling.

The careful collector verifies identities, reads the invoice history before any collection act,
takes the card payments, grants a three-instalment plan covering the whole debt and sends it
with its PDF, grants the shopkeeper a plan (no new promise after a broken one), records a
promise on each invoice the SMS customer owes and confirms it in writing, answers the chat from
the legal article, and checks each caller is satisfied. The hasty one skips identities and the
history, promises less than owed, renews the broken promise, leaves the SMS unanswered and the
articles unread.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.clients.services import view_client
from crm.contacts.agenda import PARIS
from crm.db import db
from crm.documents.services import DocumentRequest
from crm.dunning.reminders import send_reminder
from crm.dunning.services import InstallmentInput, create_payment_plan, record_promise
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.payments.history import view_invoices
from crm.payments.models import Invoice
from crm.payments.services import CardInput, record_payment
from crm.training.timeline import TimelineEvent
from softphone.phone.customer import say
from softphone.phone.holidays import holiday_name
from softphone.scenarios.dates import tick_dates
from softphone.scenarios.scheduler import TickReport, claim, fire
from tests.evaluation.conftest import Desk, assert_rule_tells_apart, play_pack

PACK = "recouvrement-nordal"
SATISFIED = "Cela vous convient-il ? Avez-vous d'autres questions ?"
CARD = CardInput("4111111111111111", "12/39", "123")


def unpaid(desk: Desk, client) -> list[Invoice]:
    """The client's invoices still owing something, oldest due first."""
    invoices = db.session.scalars(
        sa.select(Invoice)
        .where(Invoice.attempt_id == desk.attempt.id, Invoice.client_id == client.id)
        .order_by(Invoice.due_on, Invoice.id)
    )
    return [i for i in invoices if i.amount_due > 0]


def read_history(desk: Desk, client) -> list[Invoice]:
    """Read the client's invoice history (logged) and return what is still owed."""
    owed = unpaid(desk, client)
    view_invoices(desk.ctx, client, count=len(owed), status=None)
    return owed


def pay_by_card(desk: Desk, client, invoice: Invoice) -> None:
    record_payment(
        desk.ctx,
        client=client,
        invoice=invoice,
        method="card",
        amount=invoice.amount_due,
        card=CARD,
    )


def fire_payment(desk: Desk, key: str) -> None:
    """The timeline's payment `key` arrives, as the scenario clock fires it."""
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == desk.attempt.id, TimelineEvent.key == key
        )
    )
    now = clock.now()
    assert claim(event.id, now, "desk")
    fire(event.id, now, "desk", TickReport())


def shift_starts(desk: Desk) -> None:
    """The scenario clock's first beat: the dates the pack left passed are decided."""
    tick_dates(clock.now(), [desk.attempt.id])


def careful(desk: Desk) -> None:
    """The collector who does things right."""
    shift_starts(desk)
    desk.answer("appel-relance-sms")
    olivier = desk.client("C40003")
    desk.verify(olivier)
    owed = read_history(desk, olivier)
    assert len(owed) == 2
    for invoice in owed:
        pay_by_card(desk, olivier, invoice)
    say(desk.ctx, desk.call, f"Vos deux mensualités sont réglées. {SATISFIED}")
    desk.hang_up()
    desk.qualify("REGLEMENT", "Deux mensualités réglées par carte.")

    email = desk.receive("email-demande-echeancier")
    desk.take(email)
    lucie = desk.client("C40008")
    desk.read_kb("echeancier-conditions")
    owed = read_history(desk, lucie)
    total = sum((i.amount_due for i in owed), Decimal())
    first = clock.today() + timedelta(days=7)
    parts = [Decimal("76.27"), Decimal("76.27"), total - Decimal("152.54")]
    plan = create_payment_plan(
        desk.ctx,
        lucie,
        owed,
        [InstallmentInput(first + timedelta(days=30 * i), p) for i, p in enumerate(parts)],
    )
    desk.write_back(
        email,
        "Bonjour Madame Vandamme, nous vous accordons un échéancier en trois mensualités, "
        "joint en PDF : il vaut accord. Les relances sont suspendues.",
        documents=[DocumentRequest("plan", plan.id)],
    )
    desk.close(email, "ECHEANCIER", "Trois mensualités, PDF envoyé.")

    desk.answer("appel-promesse-rompue")
    bakery = desk.client("P40102")
    desk.verify(bakery)
    owed = read_history(desk, bakery)
    desk.read_kb("promesse-paiement")
    total = sum((i.amount_due for i in owed), Decimal())
    soon = clock.today() + timedelta(days=5)
    create_payment_plan(
        desk.ctx,
        bakery,
        owed,
        [
            InstallmentInput(soon, Decimal("68.90")),
            InstallmentInput(soon + timedelta(days=30), total - Decimal("68.90")),
        ],
    )
    say(desk.ctx, desk.call, f"Première mensualité dans cinq jours. {SATISFIED}")
    desk.hang_up()
    desk.qualify("ECHEANCIER", "Promesse rompue : échéancier, première échéance sous 7 jours.")

    fire_payment(desk, "virement-morel")

    sms = desk.receive("sms-paiement-vendredi")
    desk.take(sms)
    josiane = desk.client("C40015")
    due = clock.today() + timedelta(days=3)
    for invoice in read_history(desk, josiane):
        record_promise(desk.ctx, invoice, invoice.amount_due, due, "transfer")
    desk.write_back(sms, "C'est noté : virement de 79,80 € dans trois jours. Merci, Nordal.")
    desk.close(sms, "PROMESSE", "Promesse de virement sous trois jours, les deux factures.")

    chat = desk.receive("chat-mise-en-demeure")
    desk.take(chat)
    view_client(desk.ctx, desk.client("P40110"))
    desk.read_kb("penalites-indemnite")
    desk.write_back(
        chat,
        "L'indemnité de 40 € est prévue par le Code de commerce (L441-10) ; nous y renonçons "
        "si vous réglez sous 8 jours.",
    )
    desk.close(chat, "INFO", "Indemnité forfaitaire expliquée.")

    # Mme Lemoine's invoice climbs the ladder: e-mail, SMS, a real call, then the formal notice.
    lemoine = desk.client("C40011")
    (overdue,) = unpaid(desk, lemoine)
    send_reminder(desk.base, overdue, 1)
    send_reminder(desk.base, overdue, 2)
    assert desk.dial("03 53 01 42 18") is not None
    desk.verify(lemoine)
    read_history(desk, lemoine)
    send_reminder(desk.ctx, overdue, 3)
    say(desk.ctx, desk.call, f"Sans règlement, une mise en demeure suivra. {SATISFIED}")
    desk.hang_up()
    desk.qualify("REFUS", "Relance téléphonique : pas de règlement proposé.")
    send_reminder(desk.base, overdue, 4)
    db.session.commit()


def hasty(desk: Desk) -> None:
    """The collector who rushes: no checks, short promises, the broken one renewed."""
    shift_starts(desk)
    desk.answer("appel-relance-sms")
    olivier = desk.client("C40003")
    pay_by_card(desk, olivier, unpaid(desk, olivier)[0])
    say(desk.ctx, desk.call, "C'est payé. Au revoir.")
    desk.hang_up()
    desk.qualify("REGLEMENT", "Payé.")

    email = desk.receive("email-demande-echeancier")
    desk.take(email)
    lucie = desk.client("C40008")
    kit = unpaid(desk, lucie)[0]
    record_promise(desk.ctx, kit, Decimal("100.00"), clock.today() + timedelta(days=10), "card")
    desk.write_back(email, "Bonjour, nous vous accordons un délai. Cordialement.")
    desk.close(email, "PROMESSE", "Délai.")

    desk.answer("appel-promesse-rompue")
    bakery = desk.client("P40102")
    oldest = unpaid(desk, bakery)[0]
    record_promise(
        desk.ctx, oldest, oldest.amount_due, clock.today() + timedelta(days=14), "transfer"
    )
    say(desk.ctx, desk.call, "Quinze jours, d'accord. Au revoir.")
    desk.hang_up()
    desk.qualify("PROMESSE", "Nouvelle promesse.")

    sms = desk.receive("sms-paiement-vendredi")
    desk.take(sms)
    josiane = desk.client("C40015")
    first = unpaid(desk, josiane)[0]
    record_promise(desk.ctx, first, first.amount_due, clock.today() + timedelta(days=3), "transfer")
    desk.close(sms, "PROMESSE", "Promesse.")  # never answered

    chat = desk.receive("chat-mise-en-demeure")
    desk.take(chat)
    desk.write_back(chat, "C'est la loi, il faut payer.")
    desk.close(chat, "INFO", "Répondu.")

    # The whole ladder at once: the reminder call recorded, never made.
    (overdue,) = unpaid(desk, desk.client("C40011"))
    for level in (1, 2, 3, 4):
        send_reminder(desk.base, overdue, level)
    db.session.commit()


def working_morning() -> datetime:
    """10:00 Paris on the last working Tuesday: Mme Lemoine, a consumer, may be called."""
    day = clock.now().astimezone(PARIS).date() - timedelta(days=1)
    while day.weekday() != 1 or holiday_name(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(10, 0), PARIS)


@pytest.fixture
def played(app, people):
    """(careful attempt, hasty attempt) of a running shift on the collections pack, played on a
    working morning (the reminder call respects the consumers' calling windows)."""
    start, started = working_morning(), datetime.now(UTC)
    app.config["CLOCK"] = lambda: start + (datetime.now(UTC) - started)
    return play_pack(PACK, people, careful, hasty)


MET, NOT_MET = "met", "not_met"

#: rule → (careful, hasty): what each attempt deserves, and why the hasty one fails it.
EXPECTED = {
    "identity_verified_first": (MET, NOT_MET),  # payment and promise taken unchecked
    "client_file_consulted": (MET, NOT_MET),  # collected without reading the invoices
    "plan_consistent_with_debt": (MET, NOT_MET),  # 100 € promised for 208.90 € owed
    "no_promise_after_broken_one": (MET, NOT_MET),  # the bakery's broken promise renewed
    "knowledge_base_consulted": (MET, NOT_MET),  # plan and legal question answered unread
    "contacts_qualified": (MET, NOT_MET),  # PROMESSE where a plan was expected
    "written_confirmation_sent": (MET, NOT_MET),  # the SMS promise never confirmed
    "satisfaction_checked": (MET, NOT_MET),  # calls ended without asking
    "dunning_ladder_followed": (MET, NOT_MET),  # the reminder call recorded, never made
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_rule_tells_the_careful_attempt_from_the_hasty_one(played, rule_id):
    assert_rule_tells_apart(played, rule_id, EXPECTED[rule_id])


def verbs_of(attempt) -> list[Action]:
    return db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
    ).all()


def test_the_pack_world_starts_with_a_broken_promise_and_a_broken_plan(played):
    """The bakery's promise dated two days ago and Mme Leroy's installment of yesterday are
    decided when the shift starts: broken, in both attempts' logs, by the system."""
    for attempt in played:
        actions = verbs_of(attempt)
        broken = [a for a in actions if a.verb == "promise.broken"]
        missed = [a for a in actions if a.verb == "installment.missed"]
        assert [a.actor_role for a in broken] == ["system"]
        assert len(missed) == 1 and any(a.verb == "plan.broken" for a in actions)


def test_the_promised_transfer_arrives_on_its_invoice(played):
    """The timeline's transfer pays Mme Morel's promised invoice in full (system actor)."""
    careful_attempt = played[0]
    paid = [
        a
        for a in verbs_of(careful_attempt)
        if a.verb == "payment.recorded" and a.actor_role == "system"
    ]
    assert len(paid) == 1
    assert Decimal(str(paid[0].payload["amount"])) == Decimal("29.90")
    assert paid[0].payload["allocation"]["invoice"].startswith("FN-2026-")


def test_the_ladder_rule_names_the_reminder_call_that_was_never_made(played):
    """The hasty collector's formal notice came after a reminder call recorded without calling;
    the careful one's four steps are cited in order."""
    careful_attempt, hasty_attempt = played
    good = RULES["dunning_ladder_followed"].evaluate(AttemptEvidence(careful_attempt))
    assert "niveaux 1 → 2 → 3 → 4" in good.explanation
    assert len(good.met_ids) == 4 and not good.not_met_ids
    poor = RULES["dunning_ladder_followed"].evaluate(AttemptEvidence(hasty_attempt))
    assert "Relance téléphonique (niveau 3) enregistrée sans contact avec le client" in (
        poor.explanation
    )
    assert "Mise en demeure" not in poor.explanation  # the letter itself skipped no level
    assert len(poor.not_met_ids) == 1 and len(poor.met_ids) == 3
