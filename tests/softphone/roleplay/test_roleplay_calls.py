"""A customer played by a person on a call: taking it, speaking, hanging up, and the refusals."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.verbs import VERBS
from crm.db import db
from crm.training.services import change_shift_status, create_shift
from softphone.phone.customer import MAX_TURN
from softphone.scenarios.scheduler import tick
from tests.softphone.room.conftest import KNOWN_PHONE

SCRIPTED_CALL = "appel-commande-rupture"


def _actions(attempt, verb):
    return db.session.scalars(
        sa.select(Action)
        .where(Action.attempt_id == attempt.id, Action.verb == verb)
        .order_by(Action.seq)
    ).all()


def _ring(trainer, cand, attempt, **event):
    cand.post("/phone/state", {"state": "ready"})
    answer = trainer.post(f"/attempts/{attempt.id}/inject", event or {"event": SCRIPTED_CALL})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["call"]["id"]


def _transcript(cand, call_id):
    return [
        (t["speaker"], t["text"]) for t in cand.get(f"/calls/{call_id}").get_json()["transcript"]
    ]


def test_in_a_live_shift_the_script_never_speaks_and_the_role_player_does(
    trainer, cand, live, attempt, people
):
    call_id = _ring(trainer, cand, attempt)
    answered = cand.post(f"/calls/{call_id}/answer").get_json()
    assert answered["transcript"] == []  # no scripted opening line: a person plays it
    [item] = [
        i
        for i in trainer.get(f"/shifts/{live.id}/roleplay").get_json()["items"]
        if i["kind"] == "call"
    ]
    assert (item["id"], item["attempt_id"], item["player"], item["scripted"]) == (
        call_id,
        attempt.id,
        None,
        False,
    )
    assert item["persona"] == "Nicolas Guillot" and item["customer_turn"] is True

    taken = trainer.post(f"/roleplay/calls/{call_id}/take")
    assert taken.status_code == 200, taken.get_json()
    body = taken.get_json()
    assert (
        body["player"]["username"] == "formateur" and body["persona"]["name"] == "Nicolas Guillot"
    )
    [action] = _actions(attempt, "roleplay.taken")
    assert (action.actor_id, action.actor_role) == (people["trainer"].id, "trainer")

    said = cand.post(f"/calls/{call_id}/say", {"text": "Bureau Direct, bonjour, je vous écoute."})
    assert said.get_json()["replies"] == []
    answer = trainer.post(
        f"/calls/{call_id}/customer-say", {"text": "  Bonjour, je voudrais commander.  "}
    )
    assert answer.status_code == 200, answer.get_json()
    assert _transcript(cand, call_id) == [
        ("agent", "Bureau Direct, bonjour, je vous écoute."),
        ("customer", "Bonjour, je voudrais commander."),
    ]
    [said_action] = _actions(attempt, "call.customer_said")
    assert (said_action.actor_id, said_action.actor_role) == (people["trainer"].id, "customer")
    assert said_action.payload["played_by"] == "formateur"
    # The role-player reads the two-sided transcript too.
    seen = trainer.get(f"/roleplay/calls/{call_id}").get_json()["call"]["transcript"]
    assert [t["speaker"] for t in seen] == ["agent", "customer"]


def test_a_role_player_takes_over_a_scripted_call_and_the_script_stops(
    trainer, cand, shift, attempt
):
    call_id = _ring(trainer, cand, attempt)
    opening = cand.post(f"/calls/{call_id}/answer").get_json()["transcript"]
    assert opening, "the scripted customer opens the call in a scripted shift"
    listed = trainer.get(f"/shifts/{shift.id}/roleplay").get_json()["items"]
    assert next(i for i in listed if i["id"] == call_id)["scripted"] is True
    assert trainer.post(f"/roleplay/calls/{call_id}/take").status_code == 200
    before = len(_transcript(cand, call_id))
    said = cand.post(f"/calls/{call_id}/say", {"text": "Je vérifie votre identité, monsieur."})
    assert said.get_json()["replies"] == []
    assert len(_transcript(cand, call_id)) == before + 1
    listed = trainer.get(f"/shifts/{shift.id}/roleplay").get_json()["items"]
    item = next(i for i in listed if i["id"] == call_id)
    assert item["scripted"] is False and item["player"]["username"] == "formateur"
    call = cand.get(f"/calls/{call_id}").get_json()
    assert (call["scripted"], call["played_live"]) == (False, True)


def test_a_free_call_without_a_script_is_played_live_once_taken(trainer, cand, shift, attempt):
    call_id = _ring(trainer, cand, attempt, kind="call", party=KNOWN_PHONE)
    cand.post(f"/calls/{call_id}/answer")
    assert cand.get(f"/calls/{call_id}").get_json()["played_live"] is False
    trainer.post(f"/roleplay/calls/{call_id}/take")
    call = cand.get(f"/calls/{call_id}").get_json()
    assert (call["scripted"], call["played_live"]) == (False, True)
    assert trainer.post(f"/calls/{call_id}/customer-say", {"text": "Allô"}).status_code == 200


def test_the_customer_hangs_up_from_the_console(trainer, cand, live, attempt, people):
    call_id = _ring(trainer, cand, attempt)
    cand.post(f"/calls/{call_id}/answer")
    trainer.post(f"/roleplay/calls/{call_id}/take")
    answer = trainer.post(f"/calls/{call_id}/customer-hangup")
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["call"]["ended_by"] == "customer"
    assert cand.get("/phone").get_json()["state"] == "wrap_up"
    [ended] = _actions(attempt, "call.ended")
    assert ended.payload["by"] == "customer" and ended.actor_id == people["trainer"].id
    # A call that is over cannot be played any more.
    late = trainer.post(f"/calls/{call_id}/customer-say", {"text": "Allô ?"})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "call_over"
    again = trainer.post(f"/roleplay/calls/{call_id}/take")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "call_over"


def test_one_role_player_per_call(trainer, jury, cand, live, attempt):
    call_id = _ring(trainer, cand, attempt)
    cand.post(f"/calls/{call_id}/answer")
    untaken = trainer.post(f"/calls/{call_id}/customer-say", {"text": "Bonjour"})
    assert untaken.status_code == 409 and untaken.get_json()["error"]["code"] == "not_taken"
    assert jury.post(f"/roleplay/calls/{call_id}/take").status_code == 200
    assert jury.post(f"/roleplay/calls/{call_id}/take").status_code == 200  # again: still theirs
    refused = trainer.post(f"/roleplay/calls/{call_id}/take")
    error = refused.get_json()["error"]
    assert refused.status_code == 409 and error["code"] == "taken"
    assert error["player"]["username"] == "jury" and "joue déjà" in error["message"]
    spoken = trainer.post(f"/calls/{call_id}/customer-say", {"text": "Bonjour"})
    assert spoken.status_code == 409 and spoken.get_json()["error"]["code"] == "taken"
    assert trainer.post(f"/calls/{call_id}/customer-hangup").status_code == 409
    assert jury.post(f"/calls/{call_id}/customer-say", {"text": "Bonjour"}).status_code == 200


def test_the_text_is_checked_and_names_its_field(trainer, cand, live, attempt):
    call_id = _ring(trainer, cand, attempt)
    cand.post(f"/calls/{call_id}/answer")
    trainer.post(f"/roleplay/calls/{call_id}/take")
    for body in ({}, {"text": ""}, {"text": "   "}, {"text": "x" * (MAX_TURN + 1)}, {"text": 3}):
        answer = trainer.post(f"/calls/{call_id}/customer-say", body)
        assert answer.status_code == 422, (body, answer.get_json())
        assert "text" in answer.get_json()["error"]["fields"]
    assert _transcript(cand, call_id) == []


def test_a_ringing_call_is_not_spoken_on(trainer, cand, live, attempt):
    call_id = _ring(trainer, cand, attempt)
    trainer.post(f"/roleplay/calls/{call_id}/take")
    answer = trainer.post(f"/calls/{call_id}/customer-say", {"text": "Allô ?"})
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "call_not_connected"


def test_candidates_never_reach_the_console(trainer, cand, live, attempt, web):
    call_id = _ring(trainer, cand, attempt, kind="call", party=KNOWN_PHONE)
    cand.post(f"/calls/{call_id}/answer")
    for path in (f"/shifts/{live.id}/roleplay", f"/roleplay/calls/{call_id}"):
        assert cand.get(path).status_code == 403
    for path, body in (
        (f"/roleplay/calls/{call_id}/take", None),
        (f"/calls/{call_id}/customer-say", {"text": "Je suis le client"}),
        (f"/calls/{call_id}/customer-hangup", None),
    ):
        assert cand.post(path, body).status_code == 403
    assert web("candidat1").get(f"/room/{live.id}/play").status_code == 403
    assert _actions(attempt, "roleplay.taken") == []


def test_unknown_calls_and_shifts(trainer):
    assert trainer.get("/shifts/999999/roleplay").status_code == 404
    assert trainer.post("/roleplay/calls/999999/take").status_code == 404
    assert trainer.post("/calls/999999/customer-say", {"text": "x"}).status_code == 404


def test_the_console_page_is_linked_from_the_room(live, web):
    room = web("formateur").get(f"/room/{live.id}").get_data(as_text=True)
    assert f"/room/{live.id}/play" in room
    for username in ("formateur", "jury"):
        page = web(username).get(f"/room/{live.id}/play")
        assert page.status_code == 200
        assert 'id="console"' in page.get_data(as_text=True)
    assert web("formateur").get("/room/999999/play").status_code == 404


def test_the_openapi_document_describes_the_console(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    say = paths["/api/v1/calls/{call_id}/customer-say"]["post"]
    text = say["requestBody"]["content"]["application/json"]["schema"]["properties"]["text"]
    assert (text["minLength"], text["maxLength"]) == (1, MAX_TURN)
    assert "call_over" in say["responses"]["409"]["description"]
    for path in (
        "/api/v1/shifts/{shift_id}/roleplay",
        "/api/v1/roleplay/calls/{call_id}",
        "/api/v1/roleplay/calls/{call_id}/take",
        "/api/v1/calls/{call_id}/customer-hangup",
        "/api/v1/roleplay/conversations/{conversation_id}",
        "/api/v1/roleplay/conversations/{conversation_id}/take",
        "/api/v1/conversations/{conversation_id}/customer-reply",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            assert operation["tags"] == ["Role-play"]


def test_trainers_and_evaluators_read_any_call_with_both_sides(trainer, jury, cand, live, attempt):
    call_id = _ring(trainer, cand, attempt)
    cand.post(f"/calls/{call_id}/answer")
    trainer.post(f"/roleplay/calls/{call_id}/take")
    cand.post(f"/calls/{call_id}/say", {"text": "Bonjour"})
    trainer.post(f"/calls/{call_id}/customer-say", {"text": "Bonjour à vous"})
    for reader in (trainer, jury):
        transcript = reader.get(f"/calls/{call_id}").get_json()["transcript"]
        assert [t["speaker"] for t in transcript] == ["agent", "customer"]
    assert trainer.get("/calls/999999").status_code == 404


def test_the_evaluators_timeline_says_who_played_the_customer(
    trainer, cand, live, attempt, web, people
):
    call_id = _ring(trainer, cand, attempt)
    cand.post(f"/calls/{call_id}/answer")
    trainer.post(f"/roleplay/calls/{call_id}/take")
    trainer.post(f"/calls/{call_id}/customer-say", {"text": "Je rappelle pour ma commande."})
    page = web("jury").get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert "Je rappelle pour ma commande." in page
    assert f"joué par {people['trainer'].display_name}" in page


def test_each_console_lists_the_customers_of_its_own_shift(trainer, cand, live, attempt, people):
    call_id = _ring(trainer, cand, attempt)
    other = create_shift("bureau-direct", [people["cand3"]], created_by=people["trainer"])
    change_shift_status(other, "start")
    db.session.commit()
    listed = trainer.get(f"/shifts/{other.id}/roleplay").get_json()
    assert listed["items"] == [] and listed["shift"]["mode"] == "scripted"
    mine = trainer.get(f"/shifts/{live.id}/roleplay").get_json()["items"]
    assert [i["id"] for i in mine if i["kind"] == "call"] == [call_id]


def test_the_xapi_statement_of_a_played_turn_names_the_role_player(trainer, cand, live, attempt):
    call_id = _ring(trainer, cand, attempt)
    cand.post(f"/calls/{call_id}/answer")
    trainer.post(f"/roleplay/calls/{call_id}/take")
    trainer.post(f"/calls/{call_id}/customer-say", {"text": "Bonjour"})
    items = trainer.get(f"/attempts/{attempt.id}/xapi", limit=100).get_json()["items"]
    said = next(
        s
        for s in items
        if s["verb"]["id"].endswith(VERBS["call.customer_said"].xapi.split("/")[-1])
        and "instructor" in s["context"]
    )
    assert said["context"]["instructor"]["account"]["name"] == "formateur"
    assert said["actor"]["account"]["name"] == "candidat1"
    assert "Bonjour" not in str(said)  # free text never leaves


def test_the_scenario_clocks_calls_wait_for_a_person_in_a_live_shift(cand, live, attempt, clock):
    cand.post("/phone/state", {"state": "ready"})
    clock.advance(100)  # past the timeline's first call (+01:30)
    report = tick(clock())
    assert report.fired, report
    ringing = cand.get("/phone").get_json()["call"]
    assert ringing["status"] == "ringing" and ringing["script"]
    answered = cand.post(f"/calls/{ringing['id']}/answer").get_json()
    assert answered["transcript"] == []
    for _ in range(5):  # however long the silence, the script never nudges
        clock.advance(120)
        tick(clock())
    assert _transcript(cand, ringing["id"]) == []
