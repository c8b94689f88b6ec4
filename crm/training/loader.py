"""Copy a validated scenario document into an attempt's private world."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from crm.aftersales.seeding import seed_order_after_sales
from crm.campaigns.models import Campaign
from crm.catalog.models import Product, ProductLink, Promotion
from crm.clients.models import Client, ClientPhone, ContactPerson
from crm.contacts.models import Appointment, Contact, QualificationCode, SalesRep
from crm.contracts.models import Contract
from crm.db import db
from crm.dunning.models import Reminder
from crm.knowledge.models import Article, Document, MessageTemplate
from crm.orders.models import Order, OrderLine
from crm.payments.models import Invoice
from crm.phones import normalize_phone
from crm.training.models import Attempt
from crm.training.scenario_schema import parse_date_spec, parse_datetime_spec
from crm.training.seed_collections import seed_collections
from crm.training.timeline import timeline_events

#: Top-level pack keys copied as they are into `attempt.settings` for the desk.
DESK_SETTINGS = (
    "pause_reasons",
    "transfer_targets",
    "calling_rules",
    "channel_deadlines",
    "hold_limit_seconds",
)


def card_digest(number: str) -> str:
    """SHA-256 of a card number's digits: how training cards are known without storing them."""
    return hashlib.sha256("".join(ch for ch in number if ch.isdigit()).encode()).hexdigest()


def attempt_settings(data: dict) -> dict:
    """Scenario facts kept on the attempt row rather than in world tables."""
    return {
        "scenario_title": data["title"],
        "company": data["company"],
        "dunning_ladder": data.get("dunning_ladder", []),
        # Reminders taken before the shift, per invoice number (its ladder's first N steps):
        # the evidence of the ladder counts them as climbed (crm.evaluation.rules.dunning).
        "reminders_sent": {
            invoice["number"]: invoice["reminders_sent"]
            for client in data.get("clients", [])
            for invoice in client.get("invoices", [])
            if invoice.get("reminders_sent")
        },
        # The adviser's delegation and the withdrawal period (crm.aftersales.rules).
        "after_sales": data.get("after_sales", {}),
        # The retention offers an adviser may make and the cancellation notice (crm.contracts).
        "retention": data.get("retention", {}),
        # Only digests: the database holds no card number, not even a test one.
        "training_cards": [
            {
                "digest": card_digest(c["number"]),
                "brand": c.get("brand", ""),
                "label": c.get("label", ""),
            }
            for c in data.get("training_cards", [])
        ],
        # The desk's settings, read by the softphone (absent keys: the softphone's defaults).
        **{key: data[key] for key in DESK_SETTINGS if key in data},
    }


def seed_world(attempt: Attempt, data: dict) -> None:
    """Create every world row of the scenario for this attempt (flushes, no commit)."""
    today = attempt.world_date
    aid = attempt.id

    def day(spec) -> date | None:
        return parse_date_spec(spec, today) if spec is not None else None

    def moment(spec) -> datetime:
        return parse_datetime_spec(spec, today)

    add = db.session.add

    for code in data.get("qualification_codes", []):
        add(
            QualificationCode(
                attempt_id=aid,
                code=code["code"],
                label=code["label"],
                family=code["family"],
                description=code.get("description", ""),
                effects=list(code.get("effects", [])),
            )
        )

    products: dict[str, Product] = {}
    for item in data.get("products", []):
        product = Product(
            attempt_id=aid,
            sku=item["sku"],
            name=item["name"],
            category=item.get("category", ""),
            description=item.get("description", ""),
            sale_unit_label=item["sale_unit"]["label"],
            sale_unit_quantity=int(item["sale_unit"]["quantity"]),
            unit_price=Decimal(item["unit_price"]),
            vat_rate=Decimal(item.get("vat_rate", "20.00")),
            stock=int(item.get("stock", 0)),
            restock_date=day(item.get("restock_date")),
            warranty_months=item.get("warranty_months"),
            extends_warranty_months=item.get("extends_warranty_months"),
        )
        products[product.sku] = product
        add(product)
    db.session.flush()
    for item in data.get("products", []):
        product = products[item["sku"]]
        for kind, key in (("substitute", "substitutes"), ("complement", "complements")):
            for rank, sku in enumerate(item.get(key, [])):
                add(
                    ProductLink(
                        attempt_id=aid,
                        product_id=product.id,
                        target_id=products[sku].id,
                        kind=kind,
                        rank=rank,
                    )
                )
    for promo in data.get("promotions", []):
        add(
            Promotion(
                attempt_id=aid,
                code=promo["code"],
                label=promo["label"],
                percent=Decimal(promo["percent"]),
                starts_on=day(promo["starts_on"]),
                ends_on=day(promo["ends_on"]),
                skus=list(promo.get("skus", [])),
            )
        )

    # Clients first, then their history in one flush per kind: a flush per client made
    # seeding an attempt four times slower.
    clients = [(_new_client(aid, entry, day), entry) for entry in data.get("clients", [])]
    db.session.add_all(client for client, _entry in clients)
    db.session.flush()
    orders = {}
    for client, entry in clients:
        orders.update(_client_orders(aid, client, entry, products, day))
    db.session.flush()
    for _client, entry in clients:
        for past in entry.get("orders", []):
            seed_order_after_sales(orders[past["number"]], past, day, moment)
    for client, entry in clients:
        _client_invoices_and_contacts(aid, client, entry, orders, day, data)
        for contract in entry.get("contracts", []):
            db.session.add(
                Contract(
                    attempt_id=aid,
                    client_id=client.id,
                    number=contract["number"],
                    plan=contract["plan"],
                    monthly_price=Decimal(contract["monthly_price"]),
                    started_on=day(contract["started_on"]),
                    commitment_ends_on=day(contract.get("commitment_ends_on")),
                    status="active",
                )
            )
    if any(e.get("payment_plans") or e.get("callbacks") or _promised(e) for _c, e in clients):
        db.session.flush()
        seed_collections(aid, clients, day, moment)

    reps = {}
    for rep_data in data.get("sales_reps", []):
        rep = SalesRep(
            attempt_id=aid,
            key=rep_data["key"],
            name=rep_data["name"],
            region=rep_data.get("region", ""),
            email=rep_data.get("email"),
            slot_minutes=int(rep_data.get("slot_minutes", 60)),
            working_hours=list(rep_data.get("working_hours", [])),
        )
        reps[rep.key] = rep
        add(rep)
    db.session.flush()
    for rep_data in data.get("sales_reps", []):
        for busy in rep_data.get("busy", []):
            add(
                Appointment(
                    attempt_id=aid,
                    rep_id=reps[rep_data["key"]].id,
                    client_id=None,
                    starts_at=moment(busy["starts_at"]),
                    ends_at=moment(busy["ends_at"]),
                    topic=busy.get("label", "Occupé"),
                )
            )

    for article in data.get("knowledge_base", []):
        add(
            Article(
                attempt_id=aid,
                slug=article["slug"],
                title=article["title"],
                category=article.get("category", ""),
                tags=list(article.get("tags", [])),
                body=article["body"],
            )
        )
    for template in data.get("message_templates", []):
        add(
            MessageTemplate(
                attempt_id=aid,
                key=template["key"],
                name=template["name"],
                channel=template["channel"],
                language=template["language"],
                subject=template.get("subject", ""),
                body=template["body"],
            )
        )
    for document in data.get("documents", []):
        add(
            Document(
                attempt_id=aid,
                key=document["key"],
                title=document["title"],
                filename=document["filename"],
            )
        )
    # A survey is attached to its campaign: the questionnaire travels in the campaign's settings.
    surveys = {s["campaign"]: s for s in data.get("surveys", [])}
    for campaign in data.get("campaigns", []):
        settings = {k: v for k, v in campaign.items() if k not in ("key", "name", "kind")}
        if campaign["key"] in surveys:
            settings["survey"] = surveys[campaign["key"]]
        add(
            Campaign(
                attempt_id=aid,
                key=campaign["key"],
                name=campaign["name"],
                kind=campaign["kind"],
                qualification_codes=list(campaign.get("qualification_codes", [])),
                settings=settings,
            )
        )
    db.session.add_all(timeline_events(attempt, data))
    db.session.flush()


def _new_client(aid: int, entry: dict, day) -> Client:
    """A client row with its phones and contact persons (not yet flushed)."""
    consent = entry.get("consent", {})
    address = entry.get("address", {})
    client = Client(
        attempt_id=aid,
        number=entry["number"],
        kind=entry["kind"],
        segment=entry["segment"],
        company_name=entry.get("company_name"),
        siret=entry.get("siret"),
        title=entry.get("title"),
        first_name=entry.get("first_name", ""),
        last_name=entry["last_name"],
        email=entry.get("email"),
        street=address.get("street"),
        postcode=address.get("postcode"),
        city=address.get("city"),
        country=address.get("country", "FR"),
        birth_date=day(entry.get("birth_date")),
        credit_limit=Decimal(entry.get("credit_limit", "0.00")),
        payment_terms_days=int(entry.get("payment_terms_days", 0)),
        consent_email=bool(consent.get("email", False)),
        consent_sms=bool(consent.get("sms", False)),
        consent_phone=bool(consent.get("phone", True)),
        do_not_call=bool(entry.get("do_not_call", False)),
        notes=entry.get("notes", ""),
    )
    for raw in entry.get("phones", []):
        client.phones.append(ClientPhone(attempt_id=aid, number=raw, e164=normalize_phone(raw)))
    for person in entry.get("contact_persons", []):
        client.contact_persons.append(
            ContactPerson(
                attempt_id=aid,
                first_name=person["first_name"],
                last_name=person["last_name"],
                role=person.get("role", ""),
                phone=person.get("phone"),
                email=person.get("email"),
                gatekeeper=bool(person.get("gatekeeper", False)),
            )
        )
    return client


def _client_orders(aid: int, client: Client, entry: dict, products, day) -> dict[str, Order]:
    """The client's order history (habitual purchases), added to the session."""
    orders = {}
    for past in entry.get("orders", []):
        ordered_on = day(past["date"])
        order = Order(
            attempt_id=aid,
            number=past["number"],
            client_id=client.id,
            status=past.get("status", "delivered"),
            ordered_on=ordered_on,
            historical=True,
            confirmed_at=_morning_utc(ordered_on),
        )
        for line in past.get("lines", []):
            product = products[line["sku"]]
            order.lines.append(
                OrderLine(
                    attempt_id=aid,
                    product_id=product.id,
                    quantity=int(line["quantity"]),
                    unit_price=product.unit_price,
                    vat_rate=product.vat_rate,
                )
            )
        orders[order.number] = order
        db.session.add(order)
    return orders


def _client_invoices_and_contacts(
    aid: int, client: Client, entry: dict, orders, day, data: dict
) -> None:
    """The client's invoices (with the reminders already sent) and past contacts, added to the
    session."""
    ladder = {step["level"]: step for step in data.get("dunning_ladder", [])}
    reminded: list[tuple[Invoice, int]] = []
    for inv in entry.get("invoices", []):
        sent = inv.get("reminders_sent", 0)
        invoice = Invoice(
            attempt_id=aid,
            number=inv["number"],
            client_id=client.id,
            order_id=orders[inv["order"]].id if inv.get("order") else None,
            issued_on=day(inv["issued_on"]),
            due_on=day(inv["due_on"]),
            amount=Decimal(inv["amount"]),
            amount_paid=Decimal(inv.get("amount_paid", "0.00")),
            dunning_level=sent,
        )
        db.session.add(invoice)
        if sent:
            reminded.append((invoice, sent))
    if reminded:
        db.session.flush()  # the invoices' ids, for their reminders
    for invoice, sent in reminded:
        for level in range(1, sent + 1):
            step = ladder[level]
            # On the day the ladder says, or today for a step the world says is already done.
            on = min(invoice.due_on + timedelta(days=step["days_after_due"]), day("0d"))
            db.session.add(
                Reminder(
                    attempt_id=aid,
                    invoice_id=invoice.id,
                    level=level,
                    channel=step["channel"],
                    sent_at=_morning_utc(on),
                )
            )
    for past in entry.get("contacts", []):
        when = day(past["date"])
        db.session.add(
            Contact(
                attempt_id=aid,
                client_id=client.id,
                channel=past.get("channel", "phone"),
                direction=past.get("direction", "inbound"),
                code=past.get("code"),
                note=past.get("note", ""),
                started_at=_morning_utc(when),
                qualified_at=_morning_utc(when) + timedelta(minutes=5),
                historical=True,
            )
        )


def _promised(entry: dict) -> bool:
    """Whether a client entry has a promise to pay on one of its invoices."""
    return any(inv.get("promises") for inv in entry.get("invoices", []))


def _morning_utc(day_: date) -> datetime:
    """10:00 UTC on a day: a plausible time for history whose scenario gives only a date."""
    return datetime(day_.year, day_.month, day_.day, 10, tzinfo=UTC)
