"""What the rules read: one attempt's actions in order, indexed once per evaluation."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.extensions import db
from crm.training.models import Attempt


class AttemptEvidence:
    """An attempt's log, read once and indexed for the rules (read-only)."""

    def __init__(self, attempt: Attempt, actions: list[Action] | None = None):
        self.attempt = attempt
        self.actions: list[Action] = (
            actions
            if actions is not None
            else list(
                db.session.scalars(
                    sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
                )
            )
        )

    @property
    def settings(self) -> dict:
        """The scenario facts kept on the attempt (desk settings, company…)."""
        return self.attempt.settings or {}

    @cached_property
    def by_verb(self) -> dict[str, list[Action]]:
        """Actions grouped by verb, each list in log order."""
        index: dict[str, list[Action]] = defaultdict(list)
        for action in self.actions:
            index[action.verb].append(action)
        return index

    def of(self, *verbs: str) -> list[Action]:
        """The actions with any of these verbs, in log order."""
        if len(verbs) == 1:
            return list(self.by_verb.get(verbs[0], ()))
        wanted = set(verbs)
        return [a for a in self.actions if a.verb in wanted]
