"""API for evaluators and trainers: grading (double marking, agreement, sign-off), pinned notes,
and the CSV of a shift's grades.

The standard is named by `?standard=` (default: the shift's standard). A candidate gets 403; an
unknown attempt, shift or action 404; bad input 422 naming the field; a change after sign-off or
out of turn 409.
"""

from __future__ import annotations

from flask import g, jsonify, request

from crm.actionlog.models import Action
from crm.api.core import bp, commit_and, json_body, listing, page_args, roles
from crm.api.docs import doc, one_of, reply, text
from crm.api.log import _attempt
from crm.db import db
from crm.errors import NotFound
from crm.evaluation.grades import GRADES
from crm.evaluation.grid_tools import parse_fill
from crm.evaluation.marking.export import grade_rows
from crm.evaluation.marking.models import ActionNote
from crm.evaluation.marking.queries import board
from crm.evaluation.marking.serialize import board_dict, marking_dict, sign_off_dict
from crm.evaluation.marking.services import (
    GRADERS,
    NOTE_MAX,
    agree_grade,
    fill_ungraded_grades,
    pin_note,
    resolve_standard,
    save_grades,
    sign_off_grades,
    submit_marking,
)
from crm.evaluation.marking.visibility import visible_notes
from crm.training.models import Attempt, Shift
from crm.web.responses import csv_response


def _standard(attempt: Attempt):
    return resolve_standard(request.args.get("standard"), attempt.shift.standard)


def _answer(attempt: Attempt, standard, status: int = 200):
    """Commit, then the grading as the caller may see it."""
    db.session.commit()
    return jsonify(board_dict(board(attempt.id, standard.id), standard, g.api_user.id)), status


@bp.get("/attempts/<int:attempt_id>/grades")
@roles(*GRADERS)
@doc(tag="Evaluator", query={"standard?": "standard"})
def grades_get(attempt_id):
    """The grading of the attempt: state, my marking, the other once both are in, sign-off."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt)
    return jsonify(board_dict(board(attempt.id, standard.id), standard, g.api_user.id))


@bp.put("/attempts/<int:attempt_id>/grades")
@roles(*GRADERS)
@doc(tag="Evaluator", query={"standard?": "standard"}, body={"grades": "object"})
def grades_put(attempt_id):
    """Set my grades: `{"grades": {criterion id: {"grade", "comment"?}}}` (grade null clears)."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt)
    data = json_body()
    marking = save_grades(attempt, standard, g.api_user, data.get("grades"))
    return commit_and(marking_dict(marking))


@bp.post("/attempts/<int:attempt_id>/grades/submit")
@roles(*GRADERS)
@doc(tag="Evaluator", query={"standard?": "standard"})
def grades_submit(attempt_id):
    """Hand in my marking (every criterion graded); it is read-only afterwards."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt)
    submit_marking(attempt, standard, g.api_user)
    return _answer(attempt, standard)


@bp.post("/attempts/<int:attempt_id>/grades/fill")
@roles(*GRADERS)
@doc(
    tag="Evaluator",
    query={"standard?": "standard"},
    body={"grade": one_of(*GRADES), "competency?": text(64)},
    responses={409: "My grid is already handed in or signed"},
)
def grades_fill(attempt_id):
    """Give `grade` to every criterion my draft leaves ungraded (in `competency`, or all):
    `{"filled": [criterion ids], "marking": {...}}`; 409 once handed in or signed."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt)
    fill = parse_fill(json_body(), standard, prefix="")
    filled = fill_ungraded_grades(attempt, standard, g.api_user, fill)
    marking = board(attempt.id, standard.id).marking_of(g.api_user.id)
    return commit_and({"filled": filled, "marking": marking_dict(marking)})


@bp.post("/attempts/<int:attempt_id>/grades/agree")
@roles(*GRADERS)
@doc(
    tag="Evaluator",
    query={"standard?": "standard"},
    body={"criterion": "string", "grade": "string", "comment?": "string"},
)
def grades_agree(attempt_id):
    """The grade both evaluators agree on for a criterion they graded differently."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt)
    data = json_body()
    agree_grade(
        attempt, standard, g.api_user, data.get("criterion"), data.get("grade"), data.get("comment")
    )
    return _answer(attempt, standard)


@bp.post("/attempts/<int:attempt_id>/grades/sign-off")
@roles(*GRADERS)
@doc(tag="Evaluator", query={"standard?": "standard"}, status=201)
def grades_sign_off(attempt_id):
    """Sign the grades off: locks them and stores the log's chain head and action count."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt)
    signed = sign_off_grades(attempt, standard, g.api_user)
    return commit_and(sign_off_dict(signed), 201)


@bp.get("/attempts/<int:attempt_id>/notes")
@roles(*GRADERS)
@doc(tag="Evaluator", query={"limit?": "integer", "offset?": "integer"})
def notes_list(attempt_id):
    """The notes pinned on the attempt's actions, oldest first: the caller's own, and the
    others' once the attempt's grading is revealed (both grids in, or signed)."""
    attempt = _attempt(attempt_id)
    limit, offset = page_args()
    query = visible_notes(attempt.id, g.api_user.id)
    return listing(query, ActionNote.to_dict, limit, offset)


@bp.post("/attempts/<int:attempt_id>/actions/<int:action_id>/notes")
@roles(*GRADERS)
@doc(tag="Evaluator", body={"body": text(NOTE_MAX)}, status=201)
def notes_add(attempt_id, action_id):
    """Pin a note on one action of the attempt."""
    attempt = _attempt(attempt_id)
    action = db.session.get(Action, action_id)
    if action is None or action.attempt_id != attempt.id:
        raise NotFound("Action introuvable dans cette tentative.")
    note = pin_note(attempt, action, g.api_user, json_body().get("body"))
    return commit_and(note.to_dict(), 201)


@bp.get("/shifts/<int:shift_id>/grades.csv")
@roles(*GRADERS)
@doc(
    tag="Evaluator",
    query={"standard?": "standard"},
    responses={200: reply("The grades", media="text/csv")},
)
def shift_grades_csv(shift_id):
    """The shift's grades as CSV (UTF-8 with BOM, `;`): one row per attempt × criterion.

    Grades and comments are those the caller may see (blind double marking: another marker's
    only once both grids are in or signed). Each row carries the attempt's action count and
    chain head, and those sealed at sign-off. Cells a spreadsheet would run as a formula
    (starting with `=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`.
    """
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    standard = resolve_standard(request.args.get("standard"), shift.standard)
    rows = grade_rows(shift, standard, g.api_user.id)
    return csv_response(rows, f"notes-seance-{shift.id}-{standard.id}.csv")
