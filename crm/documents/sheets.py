"""What each generated document says, read from the attempt's world (French, like the letters)."""

from __future__ import annotations

from decimal import Decimal

from crm.clients.models import Client
from crm.db import db
from crm.documents.pdf import Row, Sheet, euros
from crm.dunning.models import PaymentPlan
from crm.orders.models import Order
from crm.orders.pricing import line_amounts, order_totals
from crm.payments.models import Invoice

STATUS_WORDS = {
    "due": "à venir",
    "paid": "payée",
    "missed": "impayée",
}


def fr_day(day) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def addressee(client: Client) -> list[str]:
    """The address block: company (B2B), person, street, postcode and city."""
    person = " ".join(p for p in (client.title, client.first_name, client.last_name) if p)
    lines = [client.company_name] if client.segment == "b2b" and client.company_name else []
    lines += [person, client.street or "", f"{client.postcode or ''} {client.city or ''}".strip()]
    return [line for line in lines if line]


def _order_rows(order: Order) -> list[Row]:
    rows = []
    for line in order.lines:
        amounts = line_amounts(
            line.unit_price, line.quantity, line.vat_rate, line.discount_percent or Decimal("0")
        )
        rows.append(
            Row(
                (
                    line.product.sku,
                    f"{line.product.name} ({line.product.sale_unit_label})",
                    str(line.quantity),
                    euros(line.unit_price),
                    f"{line.vat_rate:.2f} %".replace(".", ","),
                    euros(amounts.net),
                )
            )
        )
    return rows


ORDER_HEADINGS = ("Réf.", "Désignation", "Qté", "PU HT", "TVA", "Total HT")


def _order_totals(order: Order) -> list[tuple[str, str]]:
    totals = order_totals(order.lines)
    return [
        ("Total HT", euros(totals.net)),
        ("TVA", euros(totals.vat)),
        ("Total TTC", euros(totals.gross)),
    ]


def invoice_sheet(company: dict, invoice: Invoice, order: Order | None) -> Sheet:
    """The invoice: its dates, its order's lines when it has one, what is paid and still due."""
    facts = [
        ("Facture n°", invoice.number),
        ("Client n°", invoice.client.number),
        ("Émise le", fr_day(invoice.issued_on)),
        ("Échéance", fr_day(invoice.due_on)),
    ]
    if order is not None:
        facts.append(("Commande n°", order.number))
    return Sheet(
        company=company,
        addressee=addressee(invoice.client),
        title=f"Facture {invoice.number}",
        facts=facts,
        headings=ORDER_HEADINGS,
        rows=_order_rows(order) if order is not None else [],
        totals=[
            ("Montant TTC", euros(invoice.amount)),
            ("Déjà réglé", euros(invoice.amount_paid)),
            ("Reste dû", euros(invoice.amount_due)),
        ],
        footer=company.get("payment_terms") or "",
    )


def order_sheet(company: dict, order: Order) -> Sheet:
    """The order confirmation: the lines as confirmed, totals, delivery terms."""
    return Sheet(
        company=company,
        addressee=addressee(order.client),
        title=f"Confirmation de commande {order.number}",
        facts=[
            ("Commande n°", order.number),
            ("Client n°", order.client.number),
            ("Date", fr_day(order.ordered_on)),
        ],
        headings=ORDER_HEADINGS,
        rows=_order_rows(order),
        totals=_order_totals(order),
        footer=company.get("delivery_terms") or "",
    )


def plan_sheet(company: dict, plan: PaymentPlan) -> Sheet:
    """The payment plan: the invoices it covers and each installment with its state."""
    numbers = ", ".join(inv.number for inv in plan.invoices)
    client = db.session.get(Client, plan.client_id)
    return Sheet(
        company=company,
        addressee=addressee(client),
        title="Échéancier de paiement",
        facts=[
            ("Client n°", client.number),
            ("Accordé le", fr_day(plan.created_at.date())),
            ("Factures", numbers),
        ],
        headings=("N°", "Échéance", "Montant", "État"),
        rows=[
            Row(
                (
                    str(i.seq),
                    fr_day(i.due_date),
                    euros(i.amount),
                    STATUS_WORDS.get(i.status, i.status),
                )
            )
            for i in plan.installments
        ],
        totals=[("Total", euros(plan.total))],
        footer=(
            "Chaque échéance non réglée à sa date rend l'échéancier caduc : "
            "les relances reprennent alors sur les factures concernées."
        ),
    )
