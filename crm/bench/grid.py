"""What the grid page shows one viewer: verdicts, their own grades, the others' once revealed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user

from crm.actionlog.models import Action
from crm.bench.labels import MODE_LABELS, ROLE_LABELS, STATE_BADGES, STATE_LABELS, VERDICT_BADGES
from crm.db import db
from crm.evaluation.grades import GRADES
from crm.evaluation.grid_tools import competency_summaries
from crm.evaluation.marking.export import VERDICTS
from crm.evaluation.marking.queries import Board, board
from crm.evaluation.marking.states import AGREED, FIRST_SUBMITTED, REVEALED, SIGNED
from crm.evaluation.marking.visibility import grades_view
from crm.evaluation.marking.wording import pending_wording
from crm.evaluation.rules import RULES
from crm.evaluation.self_assessment import self_grades
from crm.evaluation.standards import Standard, list_standards
from crm.evaluation.verdicts import evaluate
from crm.i18n import _, translate
from crm.pages import local_datetime
from crm.training.models import Attempt
from crm.web.forms import EmptyForm


def can_grade(current: Board, user_id: int) -> bool:
    """Whether this viewer may change grades now (own draft, or may open the next marking)."""
    if current.state == SIGNED:
        return False
    mine = current.marking_of(user_id)
    if mine is not None:
        return mine.submitted_at is None
    if current.first is None:
        return True
    return current.first.submitted_at is not None and current.second is None


def lock_reason(current: Board, user_id: int) -> str | None:
    """Why this viewer cannot change grades here (None when they can)."""
    if current.state == SIGNED and current.sign_off is not None:
        names = ", ".join(
            s.get("display_name") or s.get("username", "") for s in current.sign_off.signers
        )
        return _(
            "Grille verrouillée : notation signée le %(when)s par %(names)s.",
            when=local_datetime(current.sign_off.signed_at),
            names=names,
        )
    mine = current.marking_of(user_id)
    if mine is not None and mine.submitted_at is not None:
        return _(
            "Grille verrouillée : vous avez remis votre notation le %(when)s.",
            when=local_datetime(mine.submitted_at),
        )
    if mine is None and current.second is not None:
        return _(
            "Lecture seule : %(first)s et %(second)s corrigent déjà cette tentative.",
            first=current.first.evaluator.display_name,
            second=current.second.evaluator.display_name,
        )
    if mine is None and current.first is not None and current.first.submitted_at is None:
        return _(
            "Lecture seule : %(first)s fait la première correction ; vous pourrez faire la "
            "seconde une fois sa notation remise.",
            first=current.first.evaluator.display_name,
        )
    return None


def grid_page(
    attempt: Attempt,
    standard: Standard | None,
    *,
    errors: dict | None = None,
    posted=None,
):
    """Render the grid of `standard` for `attempt` (or only the standard picker)."""
    context = {
        "attempt": attempt,
        "standard": standard,
        "standards": list_standards(),
        "grades": GRADES,
        "errors": errors or {},
        "posted": posted,
    }
    if standard is None:
        return render_template("bench/grid.html", **context)
    evaluation = evaluate(attempt, standard)
    evidence = {i for v in evaluation.criteria for i in v.evidence}
    seqs = dict(
        db.session.execute(sa.select(Action.id, Action.seq).where(Action.id.in_(evidence))).all()
    )
    current = board(attempt.id, standard.id)
    view = grades_view(current, current_user.id)
    mine = view.own
    shown = {g.criterion_id: g.grade for g in mine.grades} if mine else {}
    if posted is not None:
        shown = {c.id: posted.get(f"grade-{c.id}") or None for c in standard.criteria}
    context.update(
        verdicts={v.criterion.id: v for v in evaluation.criteria},
        provisional=evaluation.provisional,
        seqs=seqs,
        board=current,
        state=current.state,
        mine=mine,
        others=[m for m in view.markings if m is not mine],
        self_grades=self_grades(attempt.id, standard.id),
        disputes=set(view.disputes),
        # The final column appears once both grids are in (see the template).
        final=view.final,
        agreed=view.agreed,
        pending=pending_wording(attempt.id, standard.id, current_user.id),
        editable=can_grade(current, current_user.id),
        lock_reason=lock_reason(current, current_user.id),
        summaries=competency_summaries(standard, shown),
        can_submit=mine is not None and mine.submitted_at is None,
        can_sign=current.state in (FIRST_SUBMITTED, AGREED) and mine is not None,
        can_agree=current.state in REVEALED - {SIGNED} and mine is not None,
        sign_off=current.sign_off,
        form=EmptyForm(),
        state_labels=STATE_LABELS,
        state_badges=STATE_BADGES,
        role_labels=ROLE_LABELS,
        mode_labels=MODE_LABELS,
        verdict_labels=VERDICTS,
        verdict_badges=VERDICT_BADGES,
        # Titles are lazy (_l) or marked (N_) French: both shown in the screen's language.
        rule_titles={r: translate(str(RULES[r].title)) for r in evaluation.results},
    )
    return render_template("bench/grid.html", **context)
