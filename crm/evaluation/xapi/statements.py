"""xAPI 1.0.3 statements of an attempt: one per action of its log, in log order.

The candidate is the actor of every statement (the verbs are written from the candidate's side:
"received", "heard", "missed"); a trainer's action names the trainer as `context.instructor`.
Ids are derived, not stored: the registration is a uuid5 of the attempt in a namespace of the
installation's base URL, each statement id a uuid5 of the action's seq in the registration's
namespace; pushing the same attempt again sends the same statements (an LRS keeps one copy).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from babel.support import Translations
from flask import current_app

from crm.actionlog.models import Action
from crm.actionlog.verbs import VERBS
from crm.auth.models import User
from crm.db import db
from crm.evaluation.xapi import vocabulary as v
from crm.evaluation.xapi.results import result_for
from crm.training.models import Attempt

PLATFORM = "Plateau"
LANGUAGE = "fr-FR"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"


@cache
def _english() -> Translations:
    return Translations.load(str(TRANSLATIONS_DIR), ["en"])


def language_map(text: str, **variables) -> dict[str, str]:
    """French source text and its English translation, as an xAPI language map."""
    english = _english().gettext(text)
    if not variables:  # a bare "%" in a text without placeholders stays as it is
        return {"fr-FR": text, "en-US": english}
    return {"fr-FR": text % variables, "en-US": english % variables}


def base_url() -> str:
    """The installation's base URL (config `XAPI_BASE_URL`), without a trailing slash."""
    return current_app.config["XAPI_BASE_URL"].rstrip("/")


def _namespace(base: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, base + "/xapi")


def registration(attempt: Attempt, base: str | None = None) -> str:
    """The attempt's registration UUID: the same for every statement and every push.

    The attempt's creation time is part of the name: a database rebuilt from scratch numbers
    its attempts from 1 again, and its attempt 1 must not collide in the LRS with the old one.
    """
    created = attempt.created_at.replace(tzinfo=None).isoformat(timespec="microseconds")
    name = f"attempt/{attempt.id}/{created}"
    return str(uuid.uuid5(_namespace(base or base_url()), name))


def statement_id(registration_id: str, seq: int) -> str:
    """The UUID of the statement of action `seq` of the attempt with this registration."""
    return str(uuid.uuid5(uuid.UUID(registration_id), f"action/{seq}"))


def _activity(iri: str, type_iri: str, name: dict[str, str]) -> dict:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"name": name, "type": type_iri},
    }


def agent(username: str, base: str) -> dict:
    """A Plateau account as an xAPI agent: the username only, never an email or a name."""
    return {"objectType": "Agent", "account": {"homePage": base, "name": username}}


def attempt_activity(attempt: Attempt, base: str) -> dict:
    """The attempt as an activity (a simulation run of its scenario)."""
    kind = v.OBJECT_KINDS["attempt"]
    return _activity(
        f"{base}/attempts/{attempt.id}", kind.type, language_map(kind.name, id=attempt.id)
    )


def object_activity(action: Action, attempt: Attempt, base: str) -> dict:
    """The activity an action acted upon."""
    if action.object_type == "attempt" and action.object_id == attempt.id:
        return attempt_activity(attempt, base)
    root = f"{base}/attempts/{attempt.id}"
    if action.object_type is None:
        kind = v.UNSPECIFIED_OBJECTS.get(action.verb)
        if kind is None:
            return attempt_activity(attempt, base)
        return _activity(f"{root}/{kind.segment}", kind.type, language_map(kind.name))
    kind = v.OBJECT_KINDS.get(action.object_type, v.OTHER_KIND)
    segment = kind.segment if kind is not v.OTHER_KIND else f"objects/{action.object_type}"
    iri = f"{root}/{segment}/{action.object_id}"
    return _activity(iri, kind.type, language_map(kind.name, id=action.object_id))


def context_activities(attempt: Attempt, base: str) -> dict:
    """Parent: the attempt; grouping: its shift and scenario; category: the shift's standard."""
    shift = attempt.shift
    activities = {
        "parent": [attempt_activity(attempt, base)],
        "grouping": [
            _activity(
                f"{base}/shifts/{shift.id}", v.SHIFT_TYPE, language_map(v.SHIFT_NAME, id=shift.id)
            ),
            _activity(
                f"{base}/scenarios/{shift.scenario}",
                v.SCENARIO_TYPE,
                language_map(v.SCENARIO_NAME, id=shift.scenario),
            ),
        ],
    }
    if shift.standard:
        activities["category"] = [
            _activity(
                f"{base}/standards/{shift.standard}",
                v.STANDARD_TYPE,
                language_map(v.STANDARD_NAME, id=shift.standard),
            )
        ]
    return activities


def timestamp(action: Action) -> str:
    """The action's time, ISO 8601 with its offset (UTC), to the millisecond."""
    at = action.at if action.at.tzinfo else action.at.replace(tzinfo=UTC)
    return at.isoformat(timespec="milliseconds")


class StatementBuilder:
    """Builds the statements of one attempt (the candidate and context are looked up once)."""

    def __init__(self, attempt: Attempt, base: str | None = None):
        self.attempt = attempt
        self.base = base or base_url()
        self.actor = agent(attempt.candidate.username, self.base)
        self.registration = registration(attempt, self.base)
        self.activities = context_activities(attempt, self.base)
        self._usernames: dict[int, str] = {}

    def _instructor(self, action: Action) -> dict | None:
        """A trainer's or evaluator's own action names them, and so does a customer they played
        live (the candidate stays the actor)."""
        if action.actor_role not in ("trainer", "evaluator", "customer") or action.actor_id is None:
            return None
        if action.actor_id not in self._usernames:
            self._usernames[action.actor_id] = db.session.scalar(
                sa.select(User.username).where(User.id == action.actor_id)
            )
        return agent(self._usernames[action.actor_id], self.base)

    def statement(self, action: Action) -> dict:
        """The statement of one action of the attempt."""
        verb = VERBS.get(action.verb)
        verb_iri = verb.xapi if verb else v.VOCABULARY + "verbs/" + action.verb.replace(".", "-")
        display = (
            language_map(verb.description)
            if verb
            else dict.fromkeys(("fr-FR", "en-US"), action.verb)
        )
        extensions = {
            v.EXT_SEQ: action.seq,
            v.EXT_HASH: action.hash,
            v.EXT_LOG_VERB: action.verb,
            v.EXT_ACTOR_ROLE: action.actor_role,
        }
        if action.interaction_type:
            extensions[v.EXT_INTERACTION] = (
                f"{self.base}/attempts/{self.attempt.id}/"
                f"{_segment(action.interaction_type)}/{action.interaction_id}"
            )
        context = {
            "registration": self.registration,
            "contextActivities": self.activities,
            "platform": PLATFORM,
            "language": LANGUAGE,
            "extensions": extensions,
        }
        instructor = self._instructor(action)
        if instructor:
            context["instructor"] = instructor
        statement = {
            "id": statement_id(self.registration, action.seq),
            "actor": self.actor,
            "verb": {"id": verb_iri, "display": display},
            "object": object_activity(action, self.attempt, self.base),
            "context": context,
            "timestamp": timestamp(action),
        }
        result = result_for(action.verb, action.payload)
        if result:
            statement["result"] = result
        return statement

    def statements(self, actions: Iterable[Action]) -> list[dict]:
        """Statements of these actions, in the order given."""
        return [self.statement(action) for action in actions]


def _segment(object_type: str) -> str:
    kind = v.OBJECT_KINDS.get(object_type)
    return kind.segment if kind else f"objects/{object_type}"


def actions_query(attempt: Attempt):
    """The attempt's actions in log order (a select, to page or to stream)."""
    return sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)


def attempt_statements(
    attempt: Attempt, *, limit: int | None = None, offset: int = 0
) -> list[dict]:
    """The statements of the attempt's actions, in log order (a page of them if asked)."""
    query = actions_query(attempt)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return StatementBuilder(attempt).statements(db.session.scalars(query))
