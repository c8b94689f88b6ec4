"""Small factories for tests that need a few rows, not the whole seeded world (CTFd's `gen_*`).

Each `gen_*` adds one row (and what it owns), flushes and returns it; the caller commits, as a
fixture or a test would. `gen_attempt` gives an attempt whose world is empty but whose settings
are the scenario's (company, dunning ladder, training cards, desk settings), with the
`attempt.started` action the log opens with: a service test then adds the rows it reads.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.auth.models import User
from crm.auth.services import create_user
from crm.catalog.models import Product
from crm.clients.models import Client, ClientPhone
from crm.contacts.models import QualificationCode
from crm.extensions import db
from crm.orders.models import Order, OrderLine
from crm.payments.models import Invoice
from crm.phones import normalize_phone
from crm.training.library import load_scenario
from crm.training.loader import attempt_settings
from crm.training.models import Attempt, Shift

#: The password of every generated user (the same as the shared fixtures').
PASSWORD = "correct horse battery"


def gen_user(username: str = "candidat1", role: str = "candidate", **fields) -> User:
    """A user with PASSWORD."""
    return create_user(username, PASSWORD, role, fields.get("display_name", username.title()))


def gen_shift(
    scenario: str = "bureau-direct", *, created_by: User | None = None, status: str = "running"
) -> Shift:
    """A shift without attempts, running since now unless told otherwise."""
    shift = Shift(
        name=load_scenario(scenario)["title"],
        scenario=scenario,
        status=status,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(shift)
    db.session.flush()
    if status != "planned":
        shift.started_at = shift.created_at
    return shift


def gen_attempt(shift: Shift, candidate: User, *, actor: User | None = None) -> Attempt:
    """A candidate's attempt in `shift` with the scenario's settings and an empty world."""
    attempt = Attempt(
        shift_id=shift.id,
        candidate_id=candidate.id,
        number=1,
        world_date=clock.today(),
        settings=attempt_settings(load_scenario(shift.scenario)),
    )
    db.session.add(attempt)
    db.session.flush()
    ctx = Ctx(attempt, actor.id if actor else None, actor.role if actor else "system")
    record(ctx, "attempt.started", attempt, {"scenario": shift.scenario, "number": 1})
    return attempt


def gen_client(
    attempt: Attempt, number: str = "T-1", last_name: str = "Client", *, phones=(), **fields
) -> Client:
    """A client file (kind `client`) with its phones normalised."""
    client = Client(
        attempt_id=attempt.id,
        number=number,
        kind=fields.pop("kind", "client"),
        last_name=last_name,
        **fields,
    )
    for raw in phones:
        client.phones.append(
            ClientPhone(attempt_id=attempt.id, number=raw, e164=normalize_phone(raw))
        )
    db.session.add(client)
    db.session.flush()
    return client


def gen_product(
    attempt: Attempt,
    sku: str = "T-SKU",
    *,
    name: str = "Ramette test",
    price: str = "24.90",
    stock: int = 50,
    unit: tuple[str, int] = ("Carton de 5 ramettes", 5),
    vat_rate: str = "20.00",
    **fields,
) -> Product:
    """A product sold by `unit` (label, quantity) at `price` excluding VAT."""
    product = Product(
        attempt_id=attempt.id,
        sku=sku,
        name=name,
        sale_unit_label=unit[0],
        sale_unit_quantity=unit[1],
        unit_price=Decimal(price),
        vat_rate=Decimal(vat_rate),
        stock=stock,
        **fields,
    )
    db.session.add(product)
    db.session.flush()
    return product


def gen_order(
    attempt: Attempt,
    client: Client,
    number: str = "T-CMD-1",
    *,
    lines: tuple[tuple[Product, int], ...] = (),
    status: str = "draft",
    **fields,
) -> Order:
    """An order with (product, quantity) lines at the products' prices."""
    order = Order(
        attempt_id=attempt.id, number=number, client_id=client.id, status=status, **fields
    )
    for product, quantity in lines:
        order.lines.append(
            OrderLine(
                attempt_id=attempt.id,
                product_id=product.id,
                quantity=quantity,
                unit_price=product.unit_price,
                vat_rate=product.vat_rate,
            )
        )
    db.session.add(order)
    db.session.flush()
    return order


def gen_invoice(
    attempt: Attempt,
    client: Client,
    number: str = "T-FA-1",
    *,
    due_in: int = 10,
    amount: str = "100.00",
    paid: str = "0.00",
    order: Order | None = None,
) -> Invoice:
    """An invoice issued 30 days before its due date, `due_in` days from the world's today."""
    today = clock.today()
    invoice = Invoice(
        attempt_id=attempt.id,
        number=number,
        client_id=client.id,
        order_id=order.id if order else None,
        issued_on=today + timedelta(days=due_in - 30),
        due_on=today + timedelta(days=due_in),
        amount=Decimal(amount),
        amount_paid=Decimal(paid),
    )
    db.session.add(invoice)
    db.session.flush()
    return invoice


def gen_qualification_code(
    attempt: Attempt, code: str = "T-VENTE", *, effects=(), family: str = "CA+", **fields
) -> QualificationCode:
    """A qualification code with these effects."""
    row = QualificationCode(
        attempt_id=attempt.id,
        code=code,
        label=fields.pop("label", code),
        family=family,
        effects=list(effects),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row
