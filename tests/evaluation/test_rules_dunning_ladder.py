"""The dunning ladder rule on logs the services cannot produce: a level skipped on the way to the
formal notice, and a reminder call backed by a phone contact with another client.

The reminder service refuses a level out of turn, so these logs are written by hand (the rule reads
a log, whatever wrote it); the collections acceptance test plays the ladder through the services.
"""

from __future__ import annotations

from crm.actionlog.models import Action
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.evidence import AttemptEvidence

#: The default pack's ladder: e-mail, SMS, call, then the formal notice by letter.
LABELS = {
    1: ("email", "Relance courtoise par email"),
    2: ("sms", "Relance par SMS"),
    3: ("call", "Relance téléphonique"),
    4: ("letter", "Mise en demeure par lettre recommandée"),
}


def reminder(seq: int, level: int, invoice: str = "FA-1", client_id: int = 7) -> Action:
    """A `reminder.sent` of the ladder's `level` on `invoice`."""
    channel, label = LABELS[level]
    payload = {
        "invoice": invoice,
        "client_id": client_id,
        "level": level,
        "channel": channel,
        "label": label,
    }
    return Action(id=seq, seq=seq, verb="reminder.sent", object_type="reminder", payload=payload)


def phone_contact(seq: int, contact_id: int, client_id: int) -> Action:
    """A phone contact opened with `client_id`."""
    payload = {"channel": "phone", "direction": "outbound", "client_id": client_id}
    return Action(
        id=seq,
        seq=seq,
        verb="contact.opened",
        object_type="contact",
        object_id=contact_id,
        interaction_type="contact",
        interaction_id=contact_id,
        payload=payload,
    )


def verdict(attempt, actions: list[Action]):
    return RULES["dunning_ladder_followed"].evaluate(AttemptEvidence(attempt, actions))


def test_not_observed_without_a_reminder(attempt):
    assert verdict(attempt, []).status == NOT_OBSERVED


def test_the_whole_ladder_with_the_call_is_met(attempt):
    log = [reminder(1, 1), reminder(2, 2), phone_contact(3, 50, 7), reminder(4, 3), reminder(5, 4)]
    result = verdict(attempt, log)
    assert result.status == MET, result.explanation
    assert "facture FA-1 : niveaux 1 → 2 → 3 → 4" in result.explanation
    assert result.met_ids == tuple(a.id for a in log if a.verb == "reminder.sent")


def test_a_formal_notice_that_skips_the_amicable_steps_is_not_met(attempt):
    log = [reminder(1, 1), reminder(2, 4), reminder(3, 1, invoice="FA-2")]
    result = verdict(attempt, log)
    assert result.status == NOT_MET
    assert (
        "facture FA-1 : Mise en demeure par lettre recommandée (niveau 4) avant niveau 2, "
        "niveau 3" in result.explanation
    )
    assert "FA-2" not in result.explanation  # the other invoice's first step is in order


def test_a_reminder_call_needs_a_phone_contact_with_that_client_first(attempt):
    other_client = [reminder(1, 1), reminder(2, 2), phone_contact(3, 50, 99), reminder(4, 3)]
    result = verdict(attempt, other_client)
    assert result.status == NOT_MET
    assert "Relance téléphonique (niveau 3) enregistrée sans contact avec le client" in (
        result.explanation
    )
    called_after = [reminder(1, 1), reminder(2, 2), reminder(3, 3), phone_contact(4, 50, 7)]
    assert verdict(attempt, called_after).status == NOT_MET
