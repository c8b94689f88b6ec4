"""Recording actions inside the caller's transaction, and verifying an attempt's chain."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from crm import clock
from crm.actionlog.chain import GENESIS, action_hash, link_hash
from crm.actionlog.models import Action
from crm.actionlog.seals import Seal, seals_of
from crm.actionlog.verbs import VERBS
from crm.db import db
from crm.errors import NotFound
from crm.i18n import _
from crm.signals import action_recorded
from crm.training.locking import locked_attempt
from crm.training.models import Attempt


@dataclass
class Ctx:
    """Who acts, in which attempt, during which interaction: what every service receives."""

    attempt: Attempt
    actor_id: int | None
    actor_role: str
    #: (type, id) of the interaction in progress, e.g. ("contact", 12).
    interaction: tuple[str, int] | None = None


def check_attempt(ctx: Ctx, *rows, label: str | None = None) -> None:
    """NotFound unless every row given belongs to the caller's attempt (None rows are skipped).

    Boundaries load rows through `crm.web.context.in_attempt`, which applies this rule; services
    apply it again to what they receive (defence in depth).
    """
    for row in rows:
        if row is not None and row.attempt_id != ctx.attempt.id:
            raise NotFound(f"{label} introuvable." if label else _("Objet introuvable."))


def _jsonable(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable in an action payload: {type(value).__name__}")


def normalise_payload(payload: dict | None) -> dict:
    """Round-trip through JSON so what is stored is exactly what was hashed."""
    return json.loads(json.dumps(payload or {}, default=_jsonable, ensure_ascii=False))


#: One link of a chain, and the attempt's new head (crm/db.py: hot statements).
_APPEND = sa.insert(Action.__table__).returning(Action.__table__.c.id)
_ADVANCE = (
    sa.update(Attempt.__table__)
    .where(Attempt.__table__.c.id == sa.bindparam("attempt"))
    .values(chain_head=sa.bindparam("head"), action_count=sa.bindparam("count"))
)


def record(ctx: Ctx, verb: str, obj=None, payload: dict | None = None) -> Action:
    """Append an action to the attempt's chain, in the caller's transaction (no commit).

    The attempt row is re-read under a row lock (PostgreSQL), or under the write lock that
    SQLite takes at this select (crm/db.py), so that concurrent writers of one attempt
    serialise and each reads the chain head the previous one committed; once per transaction
    (crm.training.locking: the lock holder's copy stays current).
    """
    if verb not in VERBS:
        raise ValueError(f"verb {verb!r} is not in the catalog")
    attempt = locked_attempt(ctx.attempt.id)
    if attempt is None:
        raise NoResultFound(f"attempt {ctx.attempt.id} is gone")
    fields = {
        "attempt_id": attempt.id,
        "seq": attempt.action_count + 1,
        "actor_id": ctx.actor_id,
        "actor_role": ctx.actor_role,
        "at": clock.now(),
        "verb": verb,
        "object_type": obj.__tablename__ if obj is not None else None,
        "object_id": obj.id if obj is not None else None,
        "interaction_type": ctx.interaction[0] if ctx.interaction else None,
        "interaction_id": ctx.interaction[1] if ctx.interaction else None,
        "payload": normalise_payload(payload),
        "prev_hash": attempt.chain_head,
    }
    row = {**fields, "shift_id": attempt.shift_id, "hash": link_hash(**fields)}
    # The caller's changes go first, as they happened; then the link and the new head in two
    # statements built once, not through the unit of work: every request of a room records
    # actions, and a flush of two objects cost more than the rest of `record` (crm/db.py: hot
    # statements).
    db.session.flush()
    row["id"] = db.session.execute(_APPEND, row).scalar_one()
    db.session.execute(_ADVANCE, {"attempt": attempt.id, "head": row["hash"], "count": row["seq"]})
    # The session's copies now say what the database says, without a write of their own.
    set_committed_value(attempt, "chain_head", row["hash"])
    set_committed_value(attempt, "action_count", row["seq"])
    action = Action(**row)
    make_transient_to_detached(action)
    db.session.add(action)
    action_recorded.send(action)
    return action


@dataclass(frozen=True)
class ChainReport:
    """Result of verifying an attempt's chain."""

    valid: bool
    checked: int
    broken_at: int | None = None
    broken_seq: int | None = None
    reason: str | None = None


def verify_chain(attempt: Attempt, extra_seals: Iterable[Seal] = ()) -> ChainReport:
    """Recompute every link of the attempt's chain; name the first action that does not hold.

    The chain must also end where the attempt row says, and pass through every head sealed
    elsewhere (crm.actionlog.seals: the sign-offs; `extra_seals`: heads kept outside the
    database) with the sealed hash at the sealed count.
    """
    seals = seals_of(attempt.id) + list(extra_seals)
    sealed_at: dict[int, list[Seal]] = {}
    for seal in seals:
        sealed_at.setdefault(seal.action_count, []).append(seal)
    actions = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
    )
    prev = GENESIS
    expected_seq = 1
    count = 0
    broken = _seal_broken(sealed_at.get(0, ()), GENESIS, None, 0)
    if broken:
        return broken
    for action in actions:
        count += 1
        if action.seq != expected_seq:
            return ChainReport(
                False, count, action.id, action.seq, f"action {expected_seq} is missing"
            )
        if action.prev_hash != prev:
            return ChainReport(
                False, count, action.id, action.seq, "does not follow the previous action"
            )
        if action_hash(action) != action.hash:
            return ChainReport(False, count, action.id, action.seq, "content was altered")
        broken = _seal_broken(sealed_at.get(action.seq, ()), action.hash, action.id, count)
        if broken:
            return broken
        prev = action.hash
        expected_seq += 1
    beyond = [seal for seal in seals if seal.action_count > count]
    if beyond:
        seal = beyond[0]
        return ChainReport(
            False,
            count,
            None,
            count + 1,
            f"the log has {count} actions but {seal.action_count} were sealed at {seal.kind} "
            f"({seal.name}, {seal.sealed_at:%Y-%m-%d %H:%M} UTC, head {seal.chain_head}): "
            "actions were removed after it",
        )
    if attempt.action_count != count or attempt.chain_head != prev:
        return ChainReport(
            False, count, None, count + 1, "the last actions were removed (chain head differs)"
        )
    return ChainReport(True, count)


def _seal_broken(seals, head: str, action_id: int | None, count: int) -> ChainReport | None:
    """A broken report when the chain's head at this position is not the one sealed there."""
    for seal in seals:
        if seal.chain_head != head:
            return ChainReport(
                False,
                count,
                action_id,
                seal.action_count,
                f"differs from the head sealed at {seal.kind} ({seal.name}, "
                f"{seal.sealed_at:%Y-%m-%d %H:%M} UTC, head {seal.chain_head}): "
                "the log was rewritten after it",
            )
    return None
