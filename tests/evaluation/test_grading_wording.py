"""A grade that is not final says why: the grades CSV, the PDF and the shift page print where
the grading stands (marking.wording) instead of an empty cell."""

from __future__ import annotations

import csv
import io

import pytest

from crm.evaluation.marking.wording import PENDING_REASONS, grading_state_text
from crm.evaluation.standards import get_standard

from .test_report import pdf_text

CQP = "cqp-relation-commerciale-a-distance"
Q = f"?standard={CQP}"


@pytest.fixture
def jury2(make_user):
    return make_user("jury2", "evaluator")


def _put(api, path, body):
    return api.client.put("/api/v1" + path, headers=api._headers(), json=body)


def _final(api, attempt) -> list[str]:
    response = api.get(f"/shifts/{attempt.shift_id}/grades.csv", standard=CQP)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index("Note finale")
    return [row[column] for row in rows[1:]]


def test_every_state_has_its_wording():
    from crm.evaluation.marking.states import MARKING_STATES

    assert set(PENDING_REASONS) == set(MARKING_STATES)
    assert grading_state_text("first_marking") == "première correction en cours"


def test_csv_and_pdf_say_the_first_marking_is_in_progress(api, attempt):
    jury = api.as_("jury")
    draft = {"grades": {"C1-C1": {"grade": "acquired"}}}
    assert _put(jury, f"/attempts/{attempt.id}/grades{Q}", draft).status_code == 200
    assert set(_final(jury, attempt)) == {"première correction en cours"}
    _, text = pdf_text(jury.get(f"/attempts/{attempt.id}/report.pdf", standard=CQP).get_data())
    criteria = len(get_standard(CQP).criteria)
    assert f"non noté : {criteria} (première correction en cours)." in text
    assert "Non noté (première correction en cours)" in text


def test_csv_names_the_criteria_to_reconcile(api, attempt, jury2):
    jury, second = api.as_("jury"), api.as_("jury2")
    ids = [c.id for c in get_standard(CQP).criteria]
    first = {cid: {"grade": "acquired"} for cid in ids}
    other = dict(first, **{ids[1]: {"grade": "not_acquired"}})
    for marker, grid in ((jury, first), (second, other)):
        assert (
            _put(marker, f"/attempts/{attempt.id}/grades{Q}", {"grades": grid}).status_code == 200
        )
        assert marker.post(f"/attempts/{attempt.id}/grades/submit{Q}").status_code == 200
    final = _final(jury, attempt)
    assert final[1] == "à concilier"
    assert final[0] == final[2] == "Acquis"
