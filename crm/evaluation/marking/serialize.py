"""JSON shapes of the grading (API), showing each viewer only what blind marking allows."""

from __future__ import annotations

from crm.evaluation.marking.models import Marking, SignOff
from crm.evaluation.marking.queries import Board
from crm.evaluation.marking.states import allowed_events
from crm.evaluation.marking.visibility import grades_view
from crm.evaluation.standards import Standard


def _moment(value) -> str | None:
    return value.isoformat(timespec="milliseconds") if value else None


def marking_dict(marking: Marking) -> dict:
    """One marking: who, which role, handed in when, and its grades by criterion."""
    return {
        "id": marking.id,
        "role": marking.role,
        "evaluator": {"id": marking.evaluator.id, "username": marking.evaluator.username},
        "submitted_at": _moment(marking.submitted_at),
        "grades": {
            g.criterion_id: {"grade": g.grade, "comment": g.comment} for g in marking.grades
        },
    }


def sign_off_dict(signed: SignOff | None) -> dict | None:
    """The seal: when, by whom, the signers and the log's chain head and action count."""
    if signed is None:
        return None
    return {
        "signed_at": _moment(signed.signed_at),
        "signed_by": signed.signed_by_id,
        "signers": signed.signers,
        "chain_head": signed.chain_head,
        "action_count": signed.action_count,
    }


def board_dict(current: Board, standard: Standard, viewer_id: int) -> dict:
    """The grading as `viewer_id` may see it (visibility.grades_view decides what)."""
    view = grades_view(current, viewer_id)
    return {
        "attempt_id": current.attempt_id,
        "standard": standard.to_dict(),
        "state": current.state,
        "events": allowed_events(current.state),
        "my_marking": marking_dict(view.own) if view.own else None,
        "markings": [marking_dict(m) for m in view.markings],
        "disputes": view.disputes,
        "open_disputes": view.open_disputes,
        "agreed": {
            cid: {"grade": a.grade, "comment": a.comment, "agreed_by": a.agreed_by_id}
            for cid, a in view.agreed.items()
        },
        "final": view.final,
        "sign_off": sign_off_dict(current.sign_off),
    }
