"""Rules about contacts: each qualified, identity checked first, first-contact resolution."""

from __future__ import annotations

from crm.actionlog.verbs import VERBS
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.evidence import AttemptEvidence, client_of
from crm.i18n import N_, _, ngettext

#: Verbs that disclose or change a client's account: identity must be checked before them.
ACCOUNT_VERBS = (
    "invoices.viewed",
    "client.updated",
    "order.created",
    "payment.recorded",
    "promise.recorded",
    "plan.created",
    "claim.opened",
)
#: Qualification families that close the customer's request (CNA leaves it pending).
RESOLVED_FAMILIES = ("CA+", "CA-", "closed")


def numbers(ids) -> str:
    """ "n° 3, n° 7" for a list of contact ids."""
    return ", ".join(_("n° %(id)s", id=i) for i in ids)


@register
class ContactsQualified(EvidenceRule):
    """Every contact opened is closed with a code and a note (with the expected code if any)."""

    id = "contacts_qualified"
    title = N_("Chaque contact est qualifié (code et note)")

    def evaluate(self, evidence: AttemptEvidence):
        contacts = evidence.contacts
        if not contacts:
            return self.not_observed(_("Aucun contact ouvert pendant la tentative."))
        open_ = [c for c in contacts.values() if c.qualified is None]
        wrong = []
        for item in evidence.expectations_for("qualification"):
            trace = contacts.get(item.contact_id)
            wanted = item.expect["qualification"]
            if trace is not None and trace.qualified is not None and trace.code != wanted:
                wrong.append((trace, wanted, item.key))
        qualified = [c.qualified for c in contacts.values() if c.qualified is not None]
        figures = {"contacts": len(contacts), "qualified": len(qualified)}
        if not open_ and not wrong:
            return self.met(
                _("Tous les contacts ouverts sont qualifiés (%(n)s).", n=len(contacts)),
                qualified,
                **figures,
            )
        parts = []
        if open_:
            parts.append(_("contacts non qualifiés : %(list)s", list=numbers(c.id for c in open_)))
        for trace, wanted, key in wrong:
            parts.append(
                _(
                    "contact n° %(id)s (%(item)s) qualifié %(code)s au lieu de %(wanted)s",
                    id=trace.id,
                    item=key,
                    code=trace.code,
                    wanted=wanted,
                )
            )
        sentence = "; ".join(parts)
        wrong_ids = {t.id for t, _w, _k in wrong}
        return self.not_met(
            sentence[0].upper() + sentence[1:] + ".",
            [c.opened for c in open_] + [t.qualified for t, _w, _k in wrong],
            met=[c.qualified for c in contacts.values() if c.qualified and c.id not in wrong_ids],
            **figures,
        )


@register
class IdentityVerifiedFirst(EvidenceRule):
    """On the phone, the caller's identity is verified before their account is read or changed."""

    id = "identity_verified_first"
    title = N_("Identité vérifiée avant de consulter ou modifier le compte")

    def evaluate(self, evidence: AttemptEvidence):
        checked = []
        failures = []  # (action needing a check, contact)
        for trace in evidence.contacts.values():
            if trace.channel != "phone":
                continue  # written channels identify the sender by address
            verified: dict[int, object] = {}
            for action in trace.actions:
                if action.verb == "identity.verified":
                    verified.setdefault(action.object_id, action)
                elif action.verb in ACCOUNT_VERBS:
                    client_id = client_of(action)
                    if client_id is None or client_id in evidence.created_clients:
                        continue  # a prospect filed during the call has nothing to protect
                    if client_id in verified:
                        checked.append(verified[client_id])
                    else:
                        failures.append((action, trace))
        for item in evidence.expectations_for("identity"):
            trace = evidence.contacts.get(item.contact_id)
            if not item.expect["identity"] or trace is None:
                continue
            done = trace.did("identity.verified")
            if done:
                checked.append(done[0])
            elif not any(t is trace for _a, t in failures):
                failures.append((trace.opened, trace))
        if failures:
            action, trace = failures[0]
            if action.verb == "contact.opened":
                text = _("Contact n° %(id)s : identité de l'appelant jamais vérifiée.", id=trace.id)
            else:
                text = _(
                    "Contact n° %(id)s : « %(what)s » pour le client %(client)s "
                    "sans vérification d'identité préalable.",
                    id=trace.id,
                    what=VERBS[action.verb].label,
                    client=evidence.client_number(client_of(action)),
                )
            if len(failures) > 1:
                text = _("%(first)s (et %(n)s autre(s)).", first=text[:-1], n=len(failures) - 1)
            return self.not_met(
                text, [a for a, _t in failures], met=checked, failures=len(failures)
            )
        if checked:
            return self.met(
                _(
                    "Identité vérifiée avant chaque consultation ou modification de compte "
                    "(%(n)s vérification(s)).",
                    n=len({a.id for a in checked}),
                ),
                checked,
            )
        return self.not_observed(_("Aucun compte client consulté ni modifié au téléphone."))


@register
class FirstContactResolution(EvidenceRule):
    """Most inbound requests are settled during the first contact (REAC: « majoritairement »)."""

    id = "first_contact_resolution"
    title = N_("Demandes traitées dès le premier contact (majoritairement)")

    def evaluate(self, evidence: AttemptEvidence):
        excluded = {
            e.contact_id for e in evidence.expectations_for("resolved") if not e.expect["resolved"]
        }
        counted = [
            c
            for c in evidence.contacts.values()
            if c.direction == "inbound" and c.id not in excluded
        ]
        if not counted:
            return self.not_observed(_("Aucune demande entrante traitée."))
        resolved = [
            c
            for c in counted
            if c.qualified is not None
            and c.qualified.payload.get("family") in RESOLVED_FAMILIES
            and not c.did("call.transferred")
        ]
        done = {c.id for c in resolved}  # by id: comparing traces field by field is quadratic
        pending = [c for c in counted if c.id not in done]
        figures = {"contacts": len(counted), "resolved": len(resolved)}
        if 2 * len(resolved) > len(counted):
            text = ngettext(
                "%(num)s demande entrante sur %(n)s traitée dès le premier contact.",
                "%(num)s demandes entrantes sur %(n)s traitées dès le premier contact.",
                len(resolved),
                n=len(counted),
            )
            if pending:
                text += " " + _(
                    "Restées sans solution : %(list)s.", list=numbers(c.id for c in pending)
                )
            return self.met(
                text,
                [c.qualified for c in resolved],
                missed=[(c.qualified or c.opened) for c in pending],
                **figures,
            )
        return self.not_met(
            ngettext(
                "%(num)s demande entrante sur %(n)s traitée dès le premier contact ; "
                "restées sans solution : %(list)s.",
                "%(num)s demandes entrantes sur %(n)s traitées dès le premier contact ; "
                "restées sans solution : %(list)s.",
                len(resolved),
                n=len(counted),
                list=numbers(c.id for c in pending),
            ),
            [(c.qualified or c.opened) for c in pending],
            met=[c.qualified for c in resolved],
            **figures,
        )
