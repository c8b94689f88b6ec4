"""Client and prospect files, their phones and B2B contact persons."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.db import Money, UTCDateTime, WorldMixin, db


class Client(WorldMixin, db.Model):
    """A client or prospect file in one attempt's world."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(10), default="prospect")
    segment: Mapped[str] = mapped_column(sa.String(4), default="b2c")
    company_name: Mapped[str | None] = mapped_column(sa.String(160))
    siret: Mapped[str | None] = mapped_column(sa.String(14))
    title: Mapped[str | None] = mapped_column(sa.String(8))
    first_name: Mapped[str] = mapped_column(sa.String(80), default="")
    last_name: Mapped[str] = mapped_column(sa.String(80))
    email: Mapped[str | None] = mapped_column(sa.String(160))
    street: Mapped[str | None] = mapped_column(sa.String(200))
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    city: Mapped[str | None] = mapped_column(sa.String(100))
    country: Mapped[str] = mapped_column(sa.String(2), default="FR")
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    #: Maximum outstanding (unpaid invoices + confirmed unpaid orders); 0 means cash only.
    credit_limit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    payment_terms_days: Mapped[int] = mapped_column(default=0)
    consent_email: Mapped[bool] = mapped_column(default=False)
    consent_sms: Mapped[bool] = mapped_column(default=False)
    consent_phone: Mapped[bool] = mapped_column(default=True)
    do_not_call: Mapped[bool] = mapped_column(default=False)
    #: Outbound calls refused until this day (qualification code with block_number_60_days).
    call_blocked_until: Mapped[date | None] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Folded words of the file and its contact persons (crm.clients.search keeps it true).
    search_words: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: ` +33478123456 0478123456 ` for each number of the file and its contact persons.
    search_phones: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    phones: Mapped[list[ClientPhone]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ClientPhone.id"
    )
    contact_persons: Mapped[list[ContactPerson]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ContactPerson.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "number", name="uq_client_attempt_number"),
        sa.CheckConstraint("kind in ('client', 'prospect')", name="kind"),
        sa.CheckConstraint("segment in ('b2b', 'b2c')", name="segment"),
        sa.CheckConstraint("credit_limit >= 0", name="credit_limit"),
    )

    @property
    def display_name(self) -> str:
        """Company name for B2B, otherwise title, first and last name."""
        person = " ".join(p for p in (self.title, self.first_name, self.last_name) if p)
        if self.segment == "b2b" and self.company_name:
            return f"{self.company_name} ({person})"
        return person

    @property
    def addressee(self) -> str:
        """How a message greets the account holder: « Mme Morel », else the company's name."""
        person = " ".join(p for p in (self.title, self.last_name) if p)
        return person or self.company_name or self.number


class ClientPhone(WorldMixin, db.Model):
    """A phone number of a client, kept as typed and in E.164 for search and screen pop."""

    __tablename__ = "client_phone"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(sa.String(32))
    #: +33XXXXXXXXX, what searches compare.
    e164: Mapped[str] = mapped_column(sa.String(16), index=True)

    client: Mapped[Client] = relationship(back_populates="phones")


class ContactPerson(WorldMixin, db.Model):
    """Someone at a B2B client; `gatekeeper` marks the switchboard or assistant who filters."""

    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    role: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(160))
    gatekeeper: Mapped[bool] = mapped_column(default=False)

    client: Mapped[Client] = relationship(back_populates="contact_persons")
