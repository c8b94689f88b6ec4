"""Namespaces where trainers and evaluators follow a shift (the room, the role-play console).

Authorisation is checked at connect and again on every event (a role may change, a session may
end): only trainers and evaluators connect, and `join` names a shift that exists and that they
run (crm.training.staff: its creator or its added staff). Handlers read
the session copied at connect and never write it (see `softphone.realtime.events`).
"""

from __future__ import annotations

from flask_socketio import Namespace, join_room, leave_room

from crm.auth.models import Role
from crm.db import db
from crm.training.models import Shift
from crm.training.staff import runs_shift
from softphone.realtime.events import connected_user, origin_ok, refuse, shift_id_of

#: Who may follow a shift's room or play its customers.
STAFF = (Role.TRAINER, Role.EVALUATOR)


def is_staff(user) -> bool:
    """The connected person is (still) a logged-in trainer or evaluator."""
    return user.is_authenticated and user.role in STAFF


class ShiftFollowers(Namespace):
    """Socket.IO handlers letting staff follow one Socket.IO room per shift.

    Subclasses name that room with `room_of(shift_id)`.
    """

    @staticmethod
    def room_of(shift_id: int) -> str:
        raise NotImplementedError

    def on_connect(self, auth=None):
        """Accept trainers and evaluators only."""
        if not origin_ok():
            raise ConnectionRefusedError("origin")
        user = connected_user()
        if not user.is_authenticated:
            raise ConnectionRefusedError("login")
        if not is_staff(user):
            raise ConnectionRefusedError("role")
        return True

    def on_join(self, data=None):
        """Follow a shift (role and shift checked again)."""
        if not is_staff(connected_user()):
            return refuse("Réservé aux formateurs et évaluateurs.", "forbidden")
        shift_id = shift_id_of(data)
        if shift_id is None:
            return refuse("Indiquez la séance (shift_id entier).", "invalid")
        user = connected_user()
        shift = db.session.get(Shift, shift_id)
        if shift is None:
            return refuse("Séance introuvable.", "not_found")
        if not runs_shift(user, shift):
            return refuse("Vous n'animez pas cette séance.", "not_staff")
        join_room(self.room_of(shift_id))
        return {"ok": True, "room": self.room_of(shift_id)}

    def on_leave(self, data=None):
        """Stop following a shift."""
        if not is_staff(connected_user()):
            return refuse("Réservé aux formateurs et évaluateurs.", "forbidden")
        shift_id = shift_id_of(data)
        if shift_id is None:
            return refuse("Indiquez la séance (shift_id entier).", "invalid")
        leave_room(self.room_of(shift_id))
        return {"ok": True}
