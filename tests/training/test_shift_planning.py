"""Preparing a shift as a trainer expects: its standard, its name, its candidates, deleting it.

Pages (French flashes in their own words, refusals kept on screen) and the API (422 naming the
field, 409 once the shift has started, 403 for other roles).
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.extensions import db
from crm.training.models import DEFAULT_STANDARD, Attempt, Shift
from crm.training.services import change_shift_status, create_shift

STANDARD = "tp-crcd-reac-2011"  # not the default one: choosing it changes something


def _planned(people, *names) -> Shift:
    shift = create_shift(
        "bureau-direct", [people[n] for n in names or ("cand1",)], created_by=people["trainer"]
    )
    db.session.commit()
    return shift


def _post(client, url, csrf_from, **data):
    page = client.get("/shifts/").get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_from(page), **data}, follow_redirects=True)


def test_open_a_shift_with_its_standard_from_the_page(client, login, people, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    assert "Référentiel d" in page and f'value="{STANDARD}"' in page
    response = _post(
        client,
        "/shifts/new",
        csrf_from,
        name="Groupe C",
        scenario="bureau-direct",
        standard=STANDARD,
        candidates=[people["cand3"].id],
        mode="scripted",
    )
    assert "Séance « Groupe C » créée." in response.get_data(as_text=True)
    shift = db.session.scalar(sa.select(Shift).where(Shift.name == "Groupe C"))
    assert shift.standard == STANDARD


def test_open_a_shift_with_a_standard_over_the_api(api, people):
    trainer = api.as_("formateur")
    body = {"scenario": "bureau-direct", "candidate_ids": [people["cand3"].id]}
    created = trainer.post("/shifts", {**body, "standard": STANDARD})
    assert created.status_code == 201 and created.get_json()["standard"] == STANDARD
    refused = trainer.post("/shifts", {**body, "standard": "inconnu"})
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"standard"}
    # cand3 may hold one active attempt only: the first shift goes before the next one opens.
    assert trainer.delete(f"/shifts/{created.get_json()['id']}").status_code == 204
    assert trainer.post("/shifts", body).get_json()["standard"] == DEFAULT_STANDARD


def test_rename_and_choose_the_standard_from_the_page(client, login, people, csrf_from):
    shift = _planned(people)
    login("formateur")
    response = _post(
        client,
        f"/shifts/{shift.id}/settings",
        csrf_from,
        **{f"shift{shift.id}-name": "Groupe du matin", f"shift{shift.id}-standard": STANDARD},
    )
    html = response.get_data(as_text=True)
    assert "devient « Groupe du matin »" in html
    assert "Référentiel de « Groupe du matin »" in html
    db.session.expire_all()
    shift = db.session.get(Shift, shift.id)
    assert (shift.name, shift.standard) == ("Groupe du matin", STANDARD)


def test_an_empty_name_is_refused_on_screen(client, login, people, csrf_from):
    shift = _planned(people)
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    response = client.post(
        f"/shifts/{shift.id}/settings",
        data={"csrf_token": csrf_from(page), f"shift{shift.id}-name": " "},
    )
    assert response.status_code == 422
    assert "Donnez un nom à la séance." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Shift, shift.id).name == shift.name


def test_add_and_remove_a_candidate_before_the_start(client, login, people, csrf_from):
    shift = _planned(people)
    login("formateur")
    added = _post(
        client,
        f"/shifts/{shift.id}/candidates",
        csrf_from,
        **{f"add{shift.id}-candidate": people["cand2"].id},
    )
    assert "Candidat2 rejoint la séance" in added.get_data(as_text=True)
    attempt = db.session.scalar(
        sa.select(Attempt).where(
            Attempt.shift_id == shift.id, Attempt.candidate_id == people["cand2"].id
        )
    )
    attempt_id = attempt.id
    removed = _post(client, f"/shifts/{shift.id}/candidates/{people['cand2'].id}/remove", csrf_from)
    assert "Candidat2 ne fait plus partie de la séance" in removed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id) is None
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Action).where(Action.attempt_id == attempt_id)
        )
        == 0
    )


def test_no_removal_nor_deletion_once_started(client, login, people, csrf_from, api):
    shift = _planned(people)
    change_shift_status(shift, "start")
    db.session.commit()
    trainer = api.as_("formateur")  # before the page login: bearer calls need no CSRF
    login("formateur")
    response = _post(
        client, f"/shifts/{shift.id}/candidates/{people['cand1'].id}/remove", csrf_from
    )
    assert "on ne retire plus de candidat" in response.get_data(as_text=True)
    response = _post(client, f"/shifts/{shift.id}/delete", csrf_from)
    assert "elle ne peut plus être supprimée" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Shift, shift.id) is not None
    refused = trainer.delete(f"/shifts/{shift.id}")
    assert (
        refused.status_code == 409 and refused.get_json()["error"]["code"] == "invalid_transition"
    )
    refused = trainer.delete(f"/shifts/{shift.id}/candidates/{people['cand1'].id}")
    assert refused.status_code == 409


def test_delete_an_unstarted_shift_from_the_page(client, login, people, csrf_from):
    shift = _planned(people, "cand1", "cand2")
    shift_id, name = shift.id, shift.name
    login("formateur")
    response = _post(client, f"/shifts/{shift_id}/delete", csrf_from)
    assert f"Séance « {name} » supprimée." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Shift, shift_id) is None
    assert not db.session.scalars(sa.select(Attempt).where(Attempt.shift_id == shift_id)).all()


def test_status_buttons_say_what_they_did(client, login, people, csrf_from):
    shift = _planned(people)
    login("formateur")
    response = _post(client, f"/shifts/{shift.id}/start", csrf_from)
    assert f"Séance « {shift.name} » démarrée" in response.get_data(as_text=True)


def test_api_rename_remove_delete_and_their_refusals(api, people):
    shift = _planned(people, "cand1", "cand2")
    trainer = api.as_("formateur")
    for who in ("candidat1", "jury"):
        other = api.as_(who)
        assert other.patch(f"/shifts/{shift.id}", {"name": "x"}).status_code == 403
        assert other.delete(f"/shifts/{shift.id}").status_code == 403
        assert (
            other.delete(f"/shifts/{shift.id}/candidates/{people['cand2'].id}").status_code == 403
        )
    renamed = trainer.patch(f"/shifts/{shift.id}", {"name": "Groupe D", "standard": STANDARD})
    assert renamed.status_code == 200
    assert (renamed.get_json()["name"], renamed.get_json()["standard"]) == ("Groupe D", STANDARD)
    bad = trainer.patch(f"/shifts/{shift.id}", {"name": "", "standard": "nope"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"name"}
    bad = trainer.patch(f"/shifts/{shift.id}", {"standard": "nope"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"standard"}
    assert trainer.patch(f"/shifts/{shift.id}", {"name": "x" * 121}).status_code == 422
    cleared = trainer.patch(f"/shifts/{shift.id}", {"standard": None}).get_json()
    assert cleared["standard"] == DEFAULT_STANDARD and cleared["name"] == "Groupe D"

    after = trainer.delete(f"/shifts/{shift.id}/candidates/{people['cand2'].id}")
    assert after.status_code == 200
    assert [a["candidate"]["username"] for a in after.get_json()["attempts"]] == ["candidat1"]
    again = trainer.delete(f"/shifts/{shift.id}/candidates/{people['cand2'].id}")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_in_shift"
    assert trainer.delete(f"/shifts/{shift.id}/candidates/999999").status_code == 404

    assert trainer.delete(f"/shifts/{shift.id}").status_code == 204
    assert trainer.delete(f"/shifts/{shift.id}").status_code == 404
