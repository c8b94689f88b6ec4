"""The client's file read before acting: the file opened, the invoices before collecting."""

from __future__ import annotations

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.contacts import ACCOUNT_VERBS, numbers
from crm.evaluation.rules.evidence import AttemptEvidence, client_of
from crm.i18n import _, _l

#: Reading the file: the file opened, or its invoice history.
READ_VERBS = ("client.viewed", "invoices.viewed")
#: Collection work: what is owed must have been read first (the invoice history).
DUNNING_VERBS = ("promise.recorded", "plan.created", "reminder.sent")
#: Acting on the client's account (reading the invoices is reading, not acting).
ACTING_VERBS = frozenset(ACCOUNT_VERBS + DUNNING_VERBS) - {"invoices.viewed"}


def _is_dunning(action) -> bool:
    if action.verb in DUNNING_VERBS:
        return True
    allocation = (action.payload or {}).get("allocation") or {}
    return action.verb == "payment.recorded" and bool(allocation.get("invoice"))


@register
class ClientFileConsulted(EvidenceRule):
    """In each contact with a known client, the file is read before acting on the account;
    before collecting a debt, the invoice history."""

    id = "client_file_consulted"
    title = _l(
        "Fiche client consultée avant d'agir (historique des factures avant un recouvrement)"
    )

    def evaluate(self, evidence: AttemptEvidence):
        read, unread = [], []  # (contact, action)
        for trace in evidence.contacts.values():
            client = trace.client_id
            if client is None or client in evidence.created_clients:
                continue  # no file to read, or one the candidate has just created
            reads = [a for a in trace.actions if a.verb in READ_VERBS and client_of(a) == client]
            acts = [a for a in trace.actions if a.verb in ACTING_VERBS and client_of(a) == client]
            dunning = [a for a in acts if _is_dunning(a)]
            if dunning:
                wanted = [
                    a for a in reads if a.verb == "invoices.viewed" and a.seq < dunning[0].seq
                ]
                first_act = dunning[0]
            else:
                wanted = [a for a in reads if not acts or a.seq < acts[0].seq]
                first_act = acts[0] if acts else None
            if wanted:
                read.append((trace, wanted[0]))
            elif first_act is not None or trace.qualified is not None or evidence.final:
                unread.append((trace, first_act or trace.qualified or trace.opened, bool(dunning)))
        if unread:
            dunning_ids = [t.id for t, _a, d in unread if d]
            others = [t.id for t, _a, d in unread if not d]
            parts = []
            if others:
                parts.append(
                    _("fiche non consultée avant d'agir : contacts %(list)s", list=numbers(others))
                )
            if dunning_ids:
                parts.append(
                    _(
                        "recouvrement sans consulter l'historique des factures : contacts %(list)s",
                        list=numbers(dunning_ids),
                    )
                )
            text = "; ".join(parts)
            return self.not_met(
                text[:1].upper() + text[1:] + ".",
                [a for _t, a, _d in unread],
                met=[a for _t, a in read],
                contacts=len(read) + len(unread),
                consulted=len(read),
            )
        if not read:
            return self.not_observed(_("Aucun contact avec un client connu."))
        return self.met(
            _(
                "Fiche consultée avant d'agir dans chaque contact (%(n)s) : %(list)s.",
                n=len(read),
                list=numbers(t.id for t, _a in read),
            ),
            [a for _t, a in read],
            contacts=len(read),
            consulted=len(read),
        )
