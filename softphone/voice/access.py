"""Who may do what with a call's voice: its two ends, the trainers listening, the readers.

One place for the rules the API and the `/voice` namespace both apply:
- the call's two ends are the candidate of its attempt and the role-player who took it;
- a trainer who runs the call's shift (crm.training.staff) may listen to or whisper in it;
- a recording is read by the people who run its shift and by the candidate of the attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.auth.models import Role, User
from crm.boundary.integers import is_db_id
from crm.db import db
from crm.training.models import Attempt, Shift
from crm.training.staff import runs_shift
from softphone.phone.models import Call
from softphone.roleplay.services import LIVE_CALL, claim_of

STAFF = (Role.TRAINER, Role.EVALUATOR)


class Refused(Exception):
    """A voice request refused: a machine code and a French message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def may_listen(user: User | None, shift: Shift) -> bool:
    """A trainer listens to (and whispers in) the calls of a shift they run."""
    return (
        user is not None
        and user.is_authenticated
        and user.role == Role.TRAINER
        and runs_shift(user, shift)
    )


def may_read_recording(user: User, attempt: Attempt) -> bool:
    """The people who run the shift read its recordings; a candidate those of their attempts."""
    if user.role in STAFF:
        return runs_shift(user, attempt.shift)
    return user.role == Role.CANDIDATE and attempt.candidate_id == user.id


def call_ends(call: Call, *, ended_too: bool = False) -> tuple[int, int]:
    """(candidate id, role-player id) of a live call a person plays; Refused otherwise.

    `ended_too`: a call that is over still has its ends (to say goodbye on it).
    """
    if call.status not in LIVE_CALL and not ended_too:
        raise Refused("call_over", "Cet appel est terminé.")
    claim = claim_of(call=call)
    if claim is None:
        raise Refused("not_taken", "Personne ne joue encore le client de cet appel.")
    return db.session.get(Attempt, call.attempt_id).candidate_id, claim.player_id


@dataclass(frozen=True)
class Route:
    """Where a signalling message goes, and whether a trainer sends it to supervise the call."""

    target: int
    supervising: bool = False


def signal_target(user: User, call: Call, link: str, to: int | None, kind: str = "") -> Route:
    """Where a signalling message of `user` on `link` goes, or Refused.

    `call`: the candidate ↔ the role-player. `listen`: a trainer ↔ the role-player (whose
    browser sends both sides). `whisper`: a trainer ↔ the candidate (who alone hears them).
    The far end answering a trainer names them in `to`. Only `bye` goes through once the call
    is over (each end closes its connections when it sees the hang-up).
    """
    candidate_id, player_id = call_ends(call, ended_too=kind == "bye")
    if link == "call":
        if user.id == candidate_id:
            return Route(player_id)
        if user.id == player_id:
            return Route(candidate_id)
        raise Refused("forbidden", "Vous n'êtes ni le candidat ni le joueur de cet appel.")
    far = player_id if link == "listen" else candidate_id
    shift = db.session.get(Attempt, call.attempt_id).shift
    if user.id == far:
        trainer = db.session.get(User, to) if is_db_id(to) else None
        if trainer is None or not may_listen(trainer, shift) or trainer.id == far:
            raise Refused("forbidden", "Ce destinataire n'écoute pas cet appel.")
        return Route(trainer.id)
    if may_listen(user, shift) and user.id not in (candidate_id, player_id):
        return Route(far, supervising=True)
    raise Refused("forbidden", "Réservé aux formateurs de la séance.")
