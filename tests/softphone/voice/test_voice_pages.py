"""Voice on the pages: the settings each page hands voice.js, and ICE_SERVERS checked at start."""

from __future__ import annotations

import json
import re

import flask_babel
import pytest

from crm.app import create_app

ICE = [{"urls": "stun:stun.example.org:3478"}]


def _settings(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="voice-settings">(.*?)</script>', html)
    assert match, "no voice settings on the page"
    return json.loads(match.group(1))


def test_the_desk_gets_the_configured_ice_servers(app, attempt, login):
    app.config["ICE_SERVERS"] = json.dumps(ICE)
    desk = _settings(login("candidat1").get("/desk").get_data(as_text=True))
    assert desk["mode"] == "desk" and desk["iceServers"] == ICE
    assert desk["texts"]["mic_refused"].startswith("Micro refusé")


def test_the_console_gets_them_and_where_to_upload(app, attempt, login):
    app.config["ICE_SERVERS"] = json.dumps(ICE)
    page = login("formateur").get(f"/room/{attempt.shift_id}/play").get_data(as_text=True)
    console = _settings(page)
    assert console["mode"] == "console" and console["iceServers"] == ICE
    assert console["recordingUrl"] == "/api/v1/calls/0/recording"
    assert "js/voice.js" in page


def test_by_default_no_outside_server_is_needed(app, attempt, login):
    assert app.config["ICE_SERVERS"] == "[]"
    page = login("formateur").get(f"/room/{attempt.shift_id}").get_data(as_text=True)
    assert _settings(page)["iceServers"] == [] and _settings(page)["mode"] == "room"


def test_evaluators_follow_the_room_without_listening(app, attempt, login):
    page = login("jury").get(f"/room/{attempt.shift_id}").get_data(as_text=True)
    assert "voice-settings" not in page and "js/voice" not in page


def test_english_screens(app, attempt, login, client):
    login("candidat1")
    with client.session_transaction() as session:
        session["lang"] = "en"
    flask_babel.refresh()  # the test's app context (shared by its requests) caches French
    texts = _settings(client.get("/desk").get_data(as_text=True))["texts"]
    assert texts["listen"] == "Listen"
    assert texts["mic_refused"].startswith("Microphone refused or missing")


@pytest.mark.parametrize("value", ["not json", '{"urls": "stun:x"}', '[{"url": "stun:x"}]', "[1]"])
def test_a_malformed_ice_servers_stops_the_start(value):
    with pytest.raises(ValueError, match="ICE_SERVERS"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "ICE_SERVERS": value})
