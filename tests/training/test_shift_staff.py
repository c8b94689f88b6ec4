"""Shift staff: who runs a shift, adding and removing people, and the API and page refusals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.errors import Conflict, InvalidTransition, ValidationFailed
from crm.training.services import change_shift_status
from crm.training.staff import add_staff, remove_staff, runs_shift, shift_staff


def _verbs(attempt_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Action.verb).where(Action.attempt_id == attempt_id).order_by(Action.seq)
        )
    )


def test_creator_and_added_staff_run_the_shift(shift, attempt, people, make_user):
    other = make_user("formateur2", "trainer")
    assert runs_shift(people["trainer"], shift)
    assert runs_shift(people["evaluator"], shift)  # the fixture's staff
    assert not runs_shift(other, shift)
    assert not runs_shift(people["cand1"], shift)

    add_staff(shift, other, people["trainer"])
    db.session.commit()
    assert runs_shift(other, shift)
    assert [u.username for u in shift_staff(shift)][0] == "formateur"
    last = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq.desc())
    ).first()
    assert last.verb == "shift.staff_added"
    assert last.payload == {"user_id": other.id, "username": "formateur2", "role": "trainer"}
    assert last.actor_id == people["trainer"].id

    remove_staff(shift, other, people["trainer"])
    db.session.commit()
    assert not runs_shift(other, shift)
    assert _verbs(attempt.id)[-1] == "shift.staff_removed"


def test_staff_refusals(shift, people, make_user):
    with pytest.raises(ValidationFailed) as error:
        add_staff(shift, people["cand2"], people["trainer"])
    assert "user_id" in error.value.fields
    with pytest.raises(Conflict) as error:
        add_staff(shift, people["evaluator"], people["trainer"])
    assert error.value.code == "already_staff"
    with pytest.raises(Conflict) as error:
        remove_staff(shift, people["trainer"], people["trainer"])
    assert error.value.code == "shift_creator"
    stranger = make_user("jury9", "evaluator")
    with pytest.raises(Conflict) as error:
        remove_staff(shift, stranger, people["trainer"])
    assert error.value.code == "not_staff_member"
    change_shift_status(shift, "end")
    with pytest.raises(InvalidTransition):
        add_staff(shift, stranger, people["trainer"])


def test_staff_api(shift, api, people, make_user):
    other = make_user("formateur2", "trainer")
    trainer, jury = api.as_("formateur"), api.as_("jury")
    answer = jury.get(f"/shifts/{shift.id}/staff").get_json()
    assert [(i["username"], i["created_shift"]) for i in answer["items"]] == [
        ("formateur", True),
        ("jury", False),
    ]
    outsider = api.as_("formateur2")
    refused = outsider.get(f"/shifts/{shift.id}/staff")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_staff"
    assert api.as_("candidat1").get(f"/shifts/{shift.id}/staff").status_code == 403
    assert jury.post(f"/shifts/{shift.id}/staff", {"user_id": other.id}).status_code == 403

    missing = trainer.post(f"/shifts/{shift.id}/staff", {})
    assert missing.status_code == 422 and "user_id" in missing.get_json()["error"]["fields"]
    candidate = trainer.post(f"/shifts/{shift.id}/staff", {"user_id": people["cand2"].id})
    assert candidate.status_code == 422 and "user_id" in candidate.get_json()["error"]["fields"]
    assert trainer.post(f"/shifts/{shift.id}/staff", {"user_id": 999999}).status_code == 404

    added = trainer.post(f"/shifts/{shift.id}/staff", {"user_id": other.id})
    assert added.status_code == 201
    assert "formateur2" in [i["username"] for i in added.get_json()["items"]]
    assert outsider.get(f"/shifts/{shift.id}/staff").status_code == 200
    again = trainer.post(f"/shifts/{shift.id}/staff", {"user_id": other.id})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_staff"

    creator = trainer.delete(f"/shifts/{shift.id}/staff/{people['trainer'].id}")
    assert creator.status_code == 409
    removed = trainer.delete(f"/shifts/{shift.id}/staff/{other.id}")
    assert removed.status_code == 200
    assert outsider.get(f"/shifts/{shift.id}/staff").status_code == 403


def test_staff_on_the_shifts_page(shift, client, login, csrf_from, make_user):
    jury2 = make_user("jury2", "evaluator", display_name="Judith Jury").id
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    assert f'id="staff-{shift.id}"' in page and "Judith Jury (jury2)" in page
    token = csrf_from(page)
    empty = client.post(f"/shifts/{shift.id}/staff", data={"csrf_token": token})
    assert empty.status_code == 422 and "Choisissez une personne." in empty.get_data(as_text=True)
    done = client.post(
        f"/shifts/{shift.id}/staff",
        data={f"staff{shift.id}-user": jury2, f"staff{shift.id}-csrf_token": token},
        follow_redirects=True,
    )
    text = done.get_data(as_text=True)
    assert "Judith Jury anime désormais la séance" in text
    gone = client.post(
        f"/shifts/{shift.id}/staff/{jury2}/remove",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "Judith Jury n&#39;anime plus la séance" in gone.get_data(as_text=True)


def test_a_trainer_who_does_not_run_the_shift_is_refused_its_pages(shift, client, login, make_user):
    make_user("formateur2", "trainer")
    login("formateur2")
    assert client.get(f"/room/{shift.id}").status_code == 403
    assert client.get(f"/room/{shift.id}/play").status_code == 403
    page = client.get("/shifts/").get_data(as_text=True)
    assert f'href="/room/{shift.id}"' not in page
