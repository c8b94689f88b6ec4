"""The `/voice` namespace: WebRTC signalling relayed between the ends of a voiced call.

The server relays: an offer, an answer, ICE candidates, `ready` (the sender can take an
offer) and `bye`, from one end of a link to the other; a trainer starting to listen or to
whisper is also written in the candidate's log (softphone.voice.supervision). Every event is
checked afresh (role, call still live, the sender one of the link's ends) and goes to the other
end's own room, never broadcast. Links: `call` (candidate ↔ role-player), `listen` (a trainer ← the
role-player's mix of both sides), `whisper` (a trainer → the candidate only).
"""

from __future__ import annotations

from flask_socketio import Namespace, emit, join_room

from crm.auth.models import Role
from crm.boundary.integers import is_db_id
from crm.db import db
from crm.training.services import current_attempt
from softphone.phone.models import Call
from softphone.realtime.events import connected_user, origin_ok, refuse
from softphone.voice.access import STAFF, Refused, signal_target
from softphone.voice.supervision import note_supervision

NAMESPACE = "/voice"
LINKS = ("call", "listen", "whisper")
KINDS = ("ready", "offer", "answer", "ice", "bye")
#: Longest SDP or ICE candidate relayed (a real SDP is a few kilobytes).
MAX_SDP = 20000
MAX_CANDIDATE = 2000


def user_room(user_id: int) -> str:
    """The room of one person on the `/voice` namespace."""
    return f"voice-user:{user_id}"


def _problem(data) -> str | None:
    """What is wrong with a `signal` payload, or None."""
    if not isinstance(data, dict):
        return "Message de signalisation attendu (objet)."
    if not is_db_id(data.get("call_id")):
        return "Indiquez l'appel (call_id entier)."
    if data.get("link") not in LINKS or data.get("kind") not in KINDS:
        return "Lien (call, listen, whisper) ou type de message inconnu."
    if "to" in data and data["to"] is not None and not is_db_id(data["to"]):
        return "Destinataire invalide (to entier)."
    kind = data["kind"]
    if kind in ("offer", "answer"):
        description = data.get("description")
        if not (
            isinstance(description, dict)
            and description.get("type") == kind
            and isinstance(description.get("sdp"), str)
            and 0 < len(description["sdp"]) <= MAX_SDP
        ):
            return "Description de session invalide."
    if kind == "ice":
        candidate = data.get("candidate")
        if candidate is not None and not (
            isinstance(candidate, dict)
            and isinstance(candidate.get("candidate", ""), str)
            and len(str(candidate)) <= MAX_CANDIDATE
        ):
            return "Candidat ICE invalide."
    return None


def relayed(data: dict, sender_id: int) -> dict:
    """What the far end receives: the checked fields only, and who sent them."""
    message = {
        "call_id": data["call_id"],
        "link": data["link"],
        "kind": data["kind"],
        "from": sender_id,
    }
    if data["kind"] in ("offer", "answer"):
        message["description"] = {
            "type": data["description"]["type"],
            "sdp": data["description"]["sdp"],
        }
    if data["kind"] == "ice":
        candidate = data.get("candidate")
        message["candidate"] = (
            None
            if candidate is None
            else {
                k: candidate[k]
                for k in ("candidate", "sdpMid", "sdpMLineIndex", "usernameFragment")
                if k in candidate
            }
        )
    return message


class VoiceNamespace(Namespace):
    """Socket.IO handlers of voice: who may connect, and the relay of `signal`."""

    def on_connect(self, auth=None):
        """Candidates in an attempt, trainers and evaluators; each joins their own room."""
        if not origin_ok():
            raise ConnectionRefusedError("origin")
        user = connected_user()
        if not user.is_authenticated:
            raise ConnectionRefusedError("login")
        if user.role == Role.CANDIDATE:
            if current_attempt(user) is None:
                raise ConnectionRefusedError("attempt")
        elif user.role not in STAFF:
            raise ConnectionRefusedError("role")
        join_room(user_room(user.id))
        return True

    def on_signal(self, data=None):
        """Relay one signalling message to the other end of its link (checked each time); a
        trainer's listen or whisper is written in the candidate's log before it is relayed."""
        user = connected_user()
        if not user.is_authenticated:
            return refuse("Connexion requise.", "login")
        problem = _problem(data)
        if problem is not None:
            return refuse(problem, "invalid")
        call = db.session.get(Call, data["call_id"])
        if call is None:
            return refuse("Appel introuvable.", "not_found")
        try:
            route = signal_target(user, call, data["link"], data.get("to"), data["kind"])
            if route.supervising:
                # A trainer starting to listen or whisper: in the candidate's log first.
                note_supervision(call, user, data["link"], data["kind"])
            db.session.commit()
        except Refused as refused:
            db.session.rollback()
            return refuse(refused.message, refused.code)
        except Exception:
            db.session.rollback()
            raise
        emit("signal", relayed(data, user.id), to=user_room(route.target))
        return {"ok": True}


def register_namespace() -> None:
    """Register the namespace on this app's Socket.IO server."""
    from crm.extensions import socketio

    socketio.on_namespace(VoiceNamespace(NAMESPACE))
