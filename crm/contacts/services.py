"""Contacts: open one, then qualify it with a code whose side effects are checked and applied."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import sqlalchemy as sa
from flask import has_app_context

from crm import channels, clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, record
from crm.claims.models import Claim
from crm.clients.models import Client
from crm.contacts.models import Appointment, Callback, Contact, QualificationCode
from crm.db import db, forget_memo, transaction_memo
from crm.dunning.models import PaymentPlan, PromiseToPay
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _, _l
from crm.payments.models import Invoice
from crm.training.locking import holds_lock
from crm.training.models import Attempt

DIRECTIONS = ("inbound", "outbound")
BLOCK_DAYS = 60
#: What each effect asks for before a contact may be closed with the code.
REQUIREMENTS = {
    "callback_required": _l("programmez d'abord le rappel"),
    "appointment_required": _l("prenez d'abord le rendez-vous"),
    "claim_required": _l("ouvrez d'abord la réclamation"),
    "payment_plan_or_promise": _l("enregistrez d'abord l'échéancier ou la promesse de paiement"),
}


#: Every candidate request asks for it: built once (crm/db.py: hot statements).
_OPEN_CONTACT = (
    sa.select(Contact)
    .where(
        Contact.attempt_id == sa.bindparam("attempt_id"),
        Contact.qualified_at.is_(None),
        Contact.historical.is_(False),
    )
    .order_by(Contact.id.desc())
    .limit(1)
)


_OPEN_MEMO = "open_contacts"


def find_open_contact(attempt_id: int) -> Contact | None:
    """The attempt's contact not yet qualified (there is at most one), if any.

    A request asks several times (its Ctx, the service, the answer's serializer). What was read
    under the attempt's lock (`crm.training.locking`) is kept for the transaction
    (`crm.db.transaction_memo`), as the object, not the id: nobody else changes the world
    until the transaction ends, and this session's changes are seen on the object itself (a
    contact qualified, made historical or deleted is read again); a contact created within
    the transaction clears what was kept (`_forget_open_contacts`). A read before the lock (a
    GET request's) is not kept: the lock, taken later, may show a newer world.
    """
    known = transaction_memo(_OPEN_MEMO)
    if attempt_id in known:
        contact = known[attempt_id]
        if contact is None or _still_open(contact):
            return contact
    contact = db.session.scalar(_OPEN_CONTACT, {"attempt_id": attempt_id})
    if holds_lock(attempt_id):
        known[attempt_id] = contact
    return contact


def _still_open(contact: Contact) -> bool:
    """Whether a contact kept by `find_open_contact` is still the open one, as the query would
    answer: in the session, not marked for deletion, neither qualified nor historical."""
    session = db.session
    return (
        contact in session
        and contact not in session.deleted
        and contact.qualified_at is None
        and not contact.historical
    )


@sa.event.listens_for(Contact, "init")
def _forget_open_contacts(_target, _args, _kwargs) -> None:
    """A contact is created: what `find_open_contact` kept is read again."""
    if has_app_context():
        forget_memo(_OPEN_MEMO)


@dataclass
class Qualification:
    """A qualified contact and the side effects its code applied."""

    contact: Contact
    code: QualificationCode
    effects: dict = field(default_factory=dict)


def open_contact(
    ctx: Ctx,
    client: Client | None,
    channel: str,
    direction: str,
    subject: str = "",
    party: str | None = None,
    opposition_acknowledged: bool = False,
) -> Contact:
    """Open a contact; refused while another contact of the attempt is still unqualified.

    An outbound call or SMS to a client who opposed calls (do-not-call list, blocked after a
    refusal) is refused unless `opposition_acknowledged`: the phone's calling rules warned the
    candidate, who went on, and the caller records that breach as evidence.
    """
    errors = {}
    if channel not in channels.CHANNELS:
        errors["channel"] = _("Canal attendu : %(choices)s.", choices=", ".join(channels.names()))
    if direction not in DIRECTIONS:
        errors["direction"] = _("Sens attendu : inbound (entrant) ou outbound (sortant).")
    if errors:
        raise ValidationFailed(errors)
    current = find_open_contact(ctx.attempt.id)
    if current is not None:
        raise Conflict(
            _("Un contact est déjà en cours : qualifiez-le avant d'en ouvrir un autre."),
            code="contact_open",
            details={"contact_id": current.id},
        )
    soliciting = client is not None and direction == "outbound" and channels.get(channel).canvassing
    if soliciting and not opposition_acknowledged:
        today = clock.today()
        blocked = client.call_blocked_until and client.call_blocked_until >= today
        if client.do_not_call or blocked:
            raise Conflict(
                _("Ce client ne doit pas être sollicité (opposition ou numéro bloqué)."),
                code="do_not_call",
                details={"client_id": client.id},
            )
    contact = Contact(
        attempt_id=ctx.attempt.id,
        client_id=client.id if client else None,
        channel=channel,
        direction=direction,
        subject=subject or "",
        party=party,
        agent_id=ctx.actor_id,
        started_at=clock.now(),
    )
    db.session.add(contact)
    db.session.flush()
    if holds_lock(ctx.attempt.id):
        transaction_memo(_OPEN_MEMO)[ctx.attempt.id] = contact
    # The contact is the interaction from now on, including this very action.
    record(
        replace(ctx, interaction=("contact", contact.id)),
        "contact.opened",
        contact,
        {
            "client_id": contact.client_id,
            "channel": channel,
            "direction": direction,
            "subject": contact.subject,
            "party": party,
        },
    )
    return contact


def _window_start(contact: Contact):
    """Since when work for the client belongs to this contact: the previous contact's close.

    One contact is open at a time, so whatever was done for the client after the attempt's
    previous contact was qualified (preparing a call before dialling, say) or during this one
    is this contact's work; the seeded world is older than any of it.
    """
    previous = db.session.scalar(
        sa.select(sa.func.max(Contact.qualified_at)).where(
            Contact.attempt_id == contact.attempt_id,
            Contact.id != contact.id,
            Contact.historical.is_(False),
            Contact.qualified_at <= contact.started_at,
        )
    )
    if previous is not None:
        return previous
    return db.session.get(Attempt, contact.attempt_id).created_at


def _requirement_met(contact: Contact, effect: str) -> bool:
    """Whether what the effect asks for was done in this contact, before or during the call."""
    since, cid, aid = _window_start(contact), contact.client_id, contact.attempt_id

    def exists(query) -> bool:
        return db.session.scalar(sa.select(query.exists())) is True

    def made_since(model):
        """The row was made since the window opened (appointments: as their booking was logged)."""
        if hasattr(model, "created_at"):
            return model.created_at >= since
        return (
            sa.select(Action.id)
            .where(
                Action.attempt_id == aid,
                Action.object_type == model.__tablename__,
                Action.object_id == model.id,
                Action.at >= since,
            )
            .exists()
        )

    def linked_or_for_client(model, client_column):
        """Rows of this contact, or done for its client since the window opened."""
        if not hasattr(model, "contact_id"):
            return sa.and_(client_column == cid, made_since(model))
        linked = model.contact_id == contact.id
        if cid is None:
            return linked
        return sa.or_(linked, sa.and_(client_column == cid, made_since(model)))

    if effect == "callback_required":
        return exists(
            sa.select(Callback.id).where(
                Callback.attempt_id == aid,
                Callback.status == "pending",
                linked_or_for_client(Callback, Callback.client_id),
            )
        )
    if effect == "appointment_required":
        return exists(
            sa.select(Appointment.id).where(
                Appointment.attempt_id == aid,
                Appointment.status == "booked",
                linked_or_for_client(Appointment, Appointment.client_id),
            )
        )
    if cid is None:
        return False
    if effect == "claim_required":
        return exists(
            sa.select(Claim.id).where(
                Claim.attempt_id == aid, linked_or_for_client(Claim, Claim.client_id)
            )
        )
    plan = sa.select(PaymentPlan.id).where(
        PaymentPlan.attempt_id == aid, linked_or_for_client(PaymentPlan, PaymentPlan.client_id)
    )
    promise = (
        sa.select(PromiseToPay.id)
        .join(Invoice, Invoice.id == PromiseToPay.invoice_id)
        .where(
            PromiseToPay.attempt_id == aid,
            linked_or_for_client(PromiseToPay, Invoice.client_id),
        )
    )
    return exists(plan) or exists(promise)


#: Every qualification reads its code: built once (crm/db.py: hot statements).
_CODE = sa.select(QualificationCode).where(
    QualificationCode.attempt_id == sa.bindparam("attempt_id"),
    QualificationCode.code == sa.bindparam("code"),
)


def qualify_contact(ctx: Ctx, contact: Contact, code: str, note: str) -> Qualification:
    """Close a contact with a code and a note, after checking and applying the code's effects."""
    if contact.qualified_at is not None:
        raise Conflict(_("Ce contact est déjà qualifié."), code="already_qualified")
    note = (note or "").strip()
    qualification = db.session.scalar(_CODE, {"attempt_id": ctx.attempt.id, "code": code})
    errors = {}
    if qualification is None:
        errors["code"] = _("Code de qualification inconnu.")
    if not note:
        errors["note"] = _("Une note est obligatoire pour qualifier le contact.")
    elif len(note) > 4000:
        errors["note"] = _("%(n)s caractères au plus.", n=4000)
    if errors:
        raise ValidationFailed(errors)
    effects_wanted = list(qualification.effects or [])
    # Only an effect asks for the client file: a code without any does not read it.
    client = contact.client if effects_wanted else None
    for effect in effects_wanted:
        if effect in ("do_not_call", "block_number_60_days") and client is None:
            raise ValidationFailed({"code": _("Ce code exige un contact lié à une fiche client.")})
        if effect in REQUIREMENTS and not _requirement_met(contact, effect):
            raise ValidationFailed(
                {
                    "code": _(
                        "Le code %(code)s exige une action : %(action)s.",
                        code=qualification.code,
                        action=REQUIREMENTS[effect],
                    )
                }
            )
    applied: dict = {}
    if "do_not_call" in effects_wanted:
        applied["do_not_call"] = {"old": client.do_not_call, "new": True}
        client.do_not_call = True
    if "block_number_60_days" in effects_wanted:
        blocked_until = clock.today() + timedelta(days=BLOCK_DAYS)
        applied["blocked_until"] = blocked_until
        client.call_blocked_until = blocked_until
    contact.code, contact.note, contact.qualified_at = qualification.code, note, clock.now()
    db.session.flush()
    duration = (contact.qualified_at - contact.started_at).total_seconds()
    record(
        replace(ctx, interaction=("contact", contact.id)),
        "contact.qualified",
        contact,
        {
            "client_id": contact.client_id,
            "code": qualification.code,
            "family": qualification.family,
            "note": note,
            "effects": applied,
            "duration_seconds": round(duration, 3),
        },
    )
    return Qualification(contact, qualification, applied)
