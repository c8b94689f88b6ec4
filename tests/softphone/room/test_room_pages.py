"""The room's pages: the wallboard shell, injecting from a form, the desk over the shoulder."""

from __future__ import annotations

import sqlalchemy as sa

from crm.db import db
from crm.training.models import Attempt
from softphone.inbox.models import Message
from tests.softphone.room.conftest import KNOWN_PHONE


def _inject(client, shift, csrf_from, **data):
    page = client.get(f"/room/{shift.id}").get_data(as_text=True)
    return client.post(f"/room/{shift.id}/inject", data={"csrf_token": csrf_from(page), **data})


def test_who_sees_the_room(web, shift, attempt):
    client = web("candidat1")
    assert client.get(f"/room/{shift.id}").status_code == 403
    assert client.get(f"/room/attempts/{attempt.id}").status_code == 403
    client = web("jury")
    html = client.get(f"/room/{shift.id}").get_data(as_text=True)
    assert 'id="tiles"' in html and 'id="inject-form"' not in html
    assert client.get(f"/room/attempts/{attempt.id}").status_code == 200
    client = web("formateur")
    html = client.get(f"/room/{shift.id}").get_data(as_text=True)
    assert 'id="inject-form"' in html and "Nicolas Guillot" in html
    assert client.get("/room/999999").status_code == 404
    assert f'href="/room/{shift.id}"' in client.get("/shifts/").get_data(as_text=True)


def test_an_evaluator_cannot_inject_from_the_page(client, login, shift, attempt, csrf_from):
    login("jury")
    page = client.get("/shifts/").get_data(as_text=True)
    response = client.post(
        f"/room/{shift.id}/inject",
        data={"csrf_token": csrf_from(page), "attempt": attempt.id, "kind": "sms"},
    )
    assert response.status_code == 403


def test_inject_from_the_page_says_what_happened(client, login, api, shift, attempt, csrf_from):
    api.as_("candidat1").post("/phone/state", {"state": "ready"})
    login("formateur")
    response = _inject(
        client, shift, csrf_from, attempt=attempt.id, event="", kind="call", party=KNOWN_PHONE
    )
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Le téléphone de Candidat1 sonne" in html
    # The phone rings already: a second call is refused in words, the form kept.
    again = _inject(
        client, shift, csrf_from, attempt=attempt.id, event="", kind="call", party=KNOWN_PHONE
    )
    assert again.status_code == 409
    assert "impossible" in again.get_data(as_text=True)


def test_bad_fields_are_refused_in_french_and_kept(client, login, shift, attempt, csrf_from):
    login("formateur")
    response = _inject(
        client, shift, csrf_from, attempt=attempt.id, event="", kind="email", party="personne"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Le message est vide." in html and 'value="personne"' in html
    response = _inject(
        client,
        shift,
        csrf_from,
        attempt=attempt.id,
        event="",
        kind="sms",
        party="06 39 98 40 22",
        body="Où en est ma commande ?",
    )
    assert response.status_code == 302


def test_the_desk_over_the_shoulder_records_and_marks_nothing(api, shift, attempt):
    trainer, jury = api.as_("formateur"), api.as_("jury")
    cand = api.as_("candidat1")
    trainer.post(
        f"/attempts/{attempt.id}/inject", {"kind": "sms", "party": "0639984022", "body": "Allô ?"}
    )
    db.session.expire_all()
    before = db.session.get(Attempt, attempt.id).action_count
    for reader in (trainer, jury):
        desk = reader.get(f"/attempts/{attempt.id}/desk")
        assert desk.status_code == 200
        answer = desk.get_json()
        assert answer["conversations"][0]["messages"][0]["body"] == "Allô ?"
        assert answer["actions"][0]["verb"] == "trainer.injected"
        assert answer["phone"]["state"] == "offline"
    assert cand.get(f"/attempts/{attempt.id}/desk").status_code == 403
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).action_count == before
    assert db.session.scalar(sa.select(Message.read_at)) is None
