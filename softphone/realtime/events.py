"""The `/desk` namespace: who may connect, which rooms they join, trainers watching a shift.

Handlers see the Flask session as it was at connect (Flask-SocketIO's copy) and never write it;
they rely on no `before_request`. Authorisation is checked at connect and again on every event.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room, leave_room

from crm.auth.models import Role
from crm.db import db
from crm.extensions import socketio
from crm.training.models import Shift
from crm.training.services import current_attempt
from crm.training.staff import runs_shift
from softphone.realtime.pushes import NAMESPACE, attempt_room, shift_room, user_room


def allowed_origins() -> list[str]:
    """The origins configured in `SOCKETIO_ALLOWED_ORIGINS` (a list, or one string)."""
    configured = current_app.config.get("SOCKETIO_ALLOWED_ORIGINS") or []
    if isinstance(configured, str):
        configured = [configured]
    return [origin.rstrip("/").lower() for origin in configured]


def origin_ok() -> bool:
    """The request's Origin is the app's own (scheme + host) or a configured one.

    A browser always sends Origin on WebSocket and cross-origin requests, so a missing header
    is a non-browser client or a same-origin polling handshake: no cross-site risk.
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    own = f"{request.scheme}://{request.host}".lower()
    allowed = allowed_origins()
    return origin == own or "*" in allowed or origin in allowed


def connected_user():
    """The person of this connection, loaded afresh from the session copied at connect.

    Flask-Login caches the user in `g`; an app context shared with other requests (tests push
    one for their whole duration) could hold someone else's, so the cache is dropped first.
    """
    g.pop("_login_user", None)
    return current_user._get_current_object()


def is_trainer(user) -> bool:
    """The connected person is (still) a logged-in trainer."""
    return user.is_authenticated and user.role == Role.TRAINER


def refuse(message: str, code: str) -> dict:
    """Tell the client why its event was refused (an `error` event and the ack)."""
    answer = {"ok": False, "code": code, "message": message}
    emit("error", answer)
    return answer


def shift_id_of(data) -> int | None:
    """The `shift_id` of a watch/join payload, or None if it is not an integer."""
    value = data.get("shift_id") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


class DeskNamespace(Namespace):
    """Socket.IO handlers of the candidate's desk (and the trainers watching shifts)."""

    def on_connect(self, auth=None):
        """Accept a candidate with a current attempt, or a trainer; refuse anyone else."""
        if not origin_ok():
            raise ConnectionRefusedError("origin")
        user = connected_user()
        if not user.is_authenticated:
            raise ConnectionRefusedError("login")
        if user.role == Role.CANDIDATE:
            attempt = current_attempt(user)
            if attempt is None:
                raise ConnectionRefusedError("attempt")
            join_room(attempt_room(attempt.id))
        elif user.role != Role.TRAINER:
            raise ConnectionRefusedError("role")
        join_room(user_room(user.id))
        return True

    def on_watch(self, data=None):
        """A trainer follows a shift: join its room (role and shift re-checked here)."""
        user = connected_user()
        if not is_trainer(user):
            return refuse("Réservé aux formateurs.", "forbidden")
        shift_id = shift_id_of(data)
        if shift_id is None:
            return refuse("Indiquez la session (shift_id entier).", "invalid")
        shift = db.session.get(Shift, shift_id)
        if shift is None:
            return refuse("Session introuvable.", "not_found")
        if not runs_shift(user, shift):
            return refuse("Vous n'animez pas cette séance.", "not_staff")
        join_room(shift_room(shift_id))
        return {"ok": True, "room": shift_room(shift_id)}

    def on_unwatch(self, data=None):
        """A trainer stops following a shift."""
        shift_id = shift_id_of(data)
        if shift_id is None:
            return refuse("Indiquez la session (shift_id entier).", "invalid")
        leave_room(shift_room(shift_id))
        return {"ok": True}


def register_namespace() -> None:
    """Register the namespace on the Socket.IO server `create_app` just built for this app."""
    # `socketio.on(...)` decorators bind to the server existing at import time only; each app
    # (each test) gets a new server, so the namespace is registered per app.
    socketio.on_namespace(DeskNamespace(NAMESPACE))
