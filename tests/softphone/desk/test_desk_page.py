"""The desk page: who may open it, its panels, French text, exam mode, the CRM in a frame."""

from __future__ import annotations

import json
import re

import pytest
from flask_babel import refresh

from crm.campaigns.models import Campaign
from crm.db import db

PANELS = (
    'id="phone"',
    'id="agent-state"',
    'id="go-ready"',
    'id="answer"',
    'id="hangup"',
    'id="transfer-target"',
    'id="dial-number"',
    'id="say-text"',
    'id="wrapup"',
    'id="qualify-code"',
    'id="inbox"',
    'id="tab-email"',
    'id="tab-sms"',
    'id="tab-chat"',
    'id="reply-template"',
    'id="reply-attachments"',
    'id="sms-measure"',
    'id="callbacks"',
    '<iframe id="crm-frame"',
)


@pytest.mark.parametrize("username", ["formateur", "jury"])
def test_other_roles_are_refused(client, login, shift, username):
    login(username)
    response = client.get("/desk")
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, shift):
    response = client.get("/desk")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_candidate_sees_every_panel_in_french(client, login, shift):
    login("candidat1")
    response = client.get("/desk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for marker in PANELS:
        assert marker in html, marker
    for words in ("Téléphone", "Vous dites…", "Messages", "Rappels à faire", "Décrocher"):
        assert words in html
    assert 'src="/clients"' in html
    assert "vendor/socket.io.min.js" in html and "js/desk.js" in html
    assert 'name="csrf-token"' in html
    # Navigation is there outside exam mode, with the « Poste » link.
    assert 'class="mainnav"' in html and 'href="/desk"' in html
    assert "Mode examen" not in html


def test_texts_for_the_script_are_french_json(client, login, shift):
    login("candidat1")
    html = client.get("/desk").get_data(as_text=True)
    raw = re.search(r'<script type="application/json" id="desk-texts">(.*?)</script>', html, re.S)
    texts = json.loads(raw.group(1))
    assert texts["states"]["wrap_up"] == "Après-appel"
    assert texts["polling"].startswith("Hors ligne")


def test_candidate_without_a_running_shift_reads_a_french_message(client, login, people):
    login("candidat3")
    response = client.get("/desk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aucune séance en cours" in html
    assert 'id="crm-frame"' not in html and "desk.js" not in html


def test_exam_mode_hides_navigation_and_shows_the_badge(client, login, shift):
    shift.exam_mode = True
    db.session.commit()
    login("candidat1")
    html = client.get("/desk").get_data(as_text=True)
    assert "Mode examen" in html
    assert 'id="exam-badge"' in html
    assert "Navigation principale" not in html
    assert 'href="/"' not in html
    # The CRM's menu stays, inside the desk: its links open in the pane, never instead of it.
    for link in re.findall(r'<a [^>]*href="/(?:clients|catalog|knowledge)"[^>]*>', html):
        assert 'target="crm-frame"' in link
    assert '<iframe id="crm-frame"' in html
    # The CRM pages still work in the frame, and may be framed by the desk (same origin).
    page = client.get("/clients")
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_poste_link_appears_in_candidate_navigation(client, login, shift):
    login("candidat1")
    html = client.get("/clients").get_data(as_text=True)
    assert 'href="/desk"' in html and "Poste" in html


def test_trainer_navigation_has_no_poste_link(client, login, shift):
    login("formateur")
    html = client.get("/shifts").get_data(as_text=True)
    assert 'href="/desk"' not in html


def test_call_guide_panel_when_a_campaign_has_a_guide(client, login, shift, attempt):
    login("candidat1")
    html = client.get("/desk").get_data(as_text=True)
    assert 'id="guide"' in html and 'id="guide-steps"' in html  # filled by desk.js
    for campaign in db.session.query(Campaign).filter_by(attempt_id=attempt.id):
        campaign.settings = {k: v for k, v in campaign.settings.items() if k != "call_guide"}
    db.session.commit()
    assert 'id="guide"' not in client.get("/desk").get_data(as_text=True)


def test_vendored_socketio_client_is_served_with_its_licence(client):
    script = client.get("/static/vendor/socket.io.min.js")
    assert script.status_code == 200
    assert b"Socket.IO v4" in script.data
    script.close()
    licence = client.get("/static/vendor/socket.io-client.LICENSE")
    assert b"MIT" in licence.data or b"Permission is hereby granted" in licence.data
    licence.close()


def test_exam_mode_hides_navigation_on_every_page(client, login, shift):
    shift.exam_mode = True
    db.session.commit()
    login("candidat1")
    page = client.get("/clients")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Navigation principale" not in html and '<nav class="mainnav"' not in html
    assert 'href="/desk"' not in html and 'href="/"' not in html
    assert "Se déconnecter" in html  # logging out stays possible


@pytest.mark.parametrize(
    ("username", "path"), [("candidat3", "/clients"), ("formateur", "/shifts/")]
)
def test_exam_mode_leaves_others_their_navigation(client, login, shift, username, path):
    shift.exam_mode = True
    db.session.commit()
    login(username)  # candidat3 has no attempt in the exam shift
    assert "Navigation principale" in client.get(path).get_data(as_text=True)


def test_call_plan_panel_and_its_texts(client, login, shift):
    login("candidat1")
    html = client.get("/desk").get_data(as_text=True)
    assert 'id="plan-panel"' in html and 'id="call-plan"' in html and "Plan d'appels" in html
    raw = re.search(r'<script type="application/json" id="desk-texts">(.*?)</script>', html, re.S)
    texts = json.loads(raw.group(1))
    assert texts["plan_call"] == "Appeler" and texts["no_plan"] == "Aucun numéro à appeler."
    assert "%(count)s" in texts["plan_attempts"]


def test_wrap_up_clock_and_its_over_the_maximum_message(client, login, csrf_from, shift):
    login("candidat1")
    html = client.get("/desk").get_data(as_text=True)
    clock = re.search(r'<p class="wrapup-clock" id="wrapup-clock">(.*?)</p>', html, re.S)
    assert clock and "Après-appel" in clock.group(1)
    assert 'id="wrapup-timer"' in clock.group(1) and 'id="wrapup-max"' in clock.group(1)
    over = re.search(
        r'<p class="wrapup-over" id="wrapup-over" role="status" hidden>(.*?)</p>', html, re.S
    )
    assert over, "the over-the-maximum message is on the page, hidden until desk.js shows it"
    assert "Temps d'après-appel de la campagne dépassé" in over.group(1).replace("&#39;", "'")
    client.post("/lang/en", data={"csrf_token": csrf_from(html)})
    refresh()  # the test's app context (shared by its requests) caches the French locale
    english = client.get("/desk").get_data(as_text=True)
    assert 'lang="en"' in english
    clock = re.search(r'<p class="wrapup-clock" id="wrapup-clock">(.*?)</p>', english, re.S)
    assert "Wrap-up" in clock.group(1) and "Après-appel" not in clock.group(1)
    assert "exceeded" in english and "dépassé" not in english


def _texts(html: str) -> dict:
    raw = re.search(r'<script type="application/json" id="desk-texts">(.*?)</script>', html, re.S)
    return json.loads(raw.group(1))


def test_speakers_and_pause_reasons_speak_the_screens_language(client, login, csrf_from, shift):
    login("candidat1")
    html = client.get("/desk").get_data(as_text=True)
    french = _texts(html)
    assert french["speaker_line"] % {"speaker": french["speakers"]["customer"]} == "Client :"
    assert french["pause_reasons"]["Formation"] == "Formation"
    client.post("/lang/en", data={"csrf_token": csrf_from(html)})
    refresh()  # the test's app context (shared by its requests) caches the French locale
    english = _texts(client.get("/desk").get_data(as_text=True))
    assert english["speaker_line"] % {"speaker": english["speakers"]["customer"]} == "Customer:"
    assert english["pause_reasons"]["Formation"] == "Training"
    assert english["pause_reasons"]["Réunion"] == "Meeting"
