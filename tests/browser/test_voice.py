"""Voice for real: two Chromium sessions with fake microphones speaking French (espeak-ng).

The candidate answers a call of a live shift; the trainer takes it from the role-player
console; WebRTC carries each side's voice to the other (WebRTC stats: audio bytes and energy
received on each side, and the console's analyser hears the candidate); the customer hangs
up and the console uploads the recording of both sides, which the server keeps with the call,
its SHA-256 in the log (`call.recorded`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from crm.actionlog.models import Action
from crm.extensions import db
from softphone.voice.models import CallRecording
from tests.browser.conftest import (
    CHROMIUM_FLAGS,
    DEMO_PASSWORD,
    _binaries,
    csp_violations,
    log_in,
)
from tests.browser.test_roleplay import _make_live
from tests.browser.test_room import CLIENT_PHONE, _ids, _wait

pytestmark = pytest.mark.browser

#: What each fake microphone says, over and over.
LINES = {
    "candidate": "Bureau Direct bonjour, Camille à votre écoute. Que puis-je faire pour vous ?",
    "customer": "Bonjour madame, je voudrais commander des ramettes de papier et des classeurs.",
    "trainer": "Pensez à vérifier l'identité du client avant de prendre la commande.",
}


def _speech(tmp_path, who: str) -> str:
    """A WAV of French speech made by espeak-ng (required in CI, else the test is skipped)."""
    if shutil.which("espeak-ng") is None:
        message = "espeak-ng is needed to make the fake microphones' speech"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    path = tmp_path / f"{who}.wav"
    subprocess.run(["espeak-ng", "-v", "fr", "-w", str(path), LINES[who]], check=True)
    return str(path)


@pytest.fixture
def speaking(tmp_path):
    """Factory: speaking("candidate") is a headless Chromium whose microphone says its line
    (`microphone=False`: one whose user refuses the microphone)."""
    drivers = []

    def make(who: str, *, microphone: bool = True):
        binary, driver_path = _binaries()
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        media = (
            (
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={_speech(tmp_path, who)}",
            )
            if microphone
            # The person says no to the microphone.
            else ("--deny-permission-prompts",)
        )
        for flag in (*media, "--autoplay-policy=no-user-gesture-required"):
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={tmp_path / (who + '-profile')}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.implicitly_wait(10)
        drivers.append(driver)
        return driver

    yield make
    refused = []
    for driver in drivers:
        refused += csp_violations(driver)
        driver.quit()
    assert refused == [], "the Content-Security-Policy refused something a page needs"


def _inbound(browser, link: str | None = None) -> dict:
    """Audio received by this page over WebRTC (voice.js sums its links' inbound-rtp stats)."""
    return browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "window.plateauVoice.inbound(arguments[0]).then(done,"
        " function (e) { done({error: String(e)}); });",
        link,
    )


def _hears(browser, link: str | None = None) -> bool:
    stats = _inbound(browser, link)
    return stats.get("bytesReceived", 0) > 2000 and stats.get("totalAudioEnergy", 0) > 0


def _clicked(locator):
    """Wait condition: the element was clicked (the room redraws its tiles on every push)."""

    def click(browser) -> bool:
        try:
            browser.find_element(*locator).click()
        except (StaleElementReferenceException, NoSuchElementException):
            return False
        return True

    return click


def _voice_state(browser) -> dict:
    """What a page's voice is doing: its status line and each connection's state."""
    return browser.execute_script(
        "var v = window.plateauVoice, out = {};"
        "Object.keys(v.links).forEach(function (k) {"
        " out[k] = v.links[k].pc.connectionState + '/' + v.links[k].pc.signalingState; });"
        "return {status: document.getElementById('voice-status').textContent, links: out};"
    )


def _until(browser, condition, *pages):
    """Wait long for `condition`; on a timeout, say what each page's voice was doing."""
    try:
        _long(browser).until(condition)
    except TimeoutException:
        raise AssertionError([_voice_state(page) for page in pages]) from None


def _long(browser):
    wait = _wait(browser)
    wait._timeout = 40
    return wait


def _answered_call(live_server, speaking):
    """cand1's desk, speaking, ready, then on a call the trainer rang in (a live shift):
    (desk, shift id, attempt id, call id)."""
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")
    _make_live(live_server, shift_id)
    desk = speaking("candidate")
    log_in(desk, base, "candidat1")
    desk.get(f"{base}/desk")
    _wait(desk).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(desk).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))
    api = live_server.test_client()
    token = api.post(
        "/api/v1/auth/token", json={"username": "formateur", "password": DEMO_PASSWORD}
    ).get_json()["token"]
    rung = api.post(
        f"/api/v1/attempts/{attempt_id}/inject",
        json={"kind": "call", "party": CLIENT_PHONE},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert rung.status_code == 201, rung.get_json()
    call_id = rung.get_json()["call"]["id"]
    _wait(desk).until(EC.element_to_be_clickable((By.ID, "answer"))).click()
    _wait(desk).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "En communication"))
    return desk, shift_id, attempt_id, call_id


def _voiced_call(live_server, speaking, player: str):
    """cand1's desk and `player`'s console, both speaking, on a call the player took."""
    base = live_server.live_url
    desk, shift_id, attempt_id, call_id = _answered_call(live_server, speaking)
    console = speaking("customer")
    log_in(console, base, player)
    console.get(f"{base}/room/{shift_id}/play")
    _wait(console).until(EC.text_to_be_present_in_element((By.ID, "console-link"), "Connecté"))
    row = f"waiting-call-{call_id}"
    _wait(console).until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#{row} .take"))).click()
    _long(console).until(lambda _: _hears(console))
    _long(desk).until(lambda _: _hears(desk))
    return desk, console, shift_id, attempt_id, call_id


def test_voice_between_the_desk_and_the_console_is_heard_and_recorded(
    live_server, speaking, tmp_path
):
    live_server.config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    # Each side hears the other: audio bytes and energy arrive over WebRTC.
    desk, console, _shift_id, attempt_id, call_id = _voiced_call(live_server, speaking, "formateur")
    long_wait = _long(console)
    _wait(console).until(
        EC.text_to_be_present_in_element((By.ID, "voice-status"), "appel enregistré")
    )
    # The console's analyser hears the candidate's voice (not silence) while it records.
    long_wait.until(lambda b: b.execute_script("return window.plateauVoice.level()") > 10)
    _wait(desk).until(EC.text_to_be_present_in_element((By.ID, "voice-status"), "en ligne"))

    # A call lasts longer than the recorder's first slice: hang up once it has handed over
    # audio (a hang-up two seconds after the take could find nothing recorded yet).
    long_wait.until(lambda b: b.execute_script("return window.plateauVoice.recorded()") > 0)
    # The customer hangs up: the console uploads both sides.
    console.find_element(By.ID, "played-hangup").click()
    long_wait.until(EC.text_to_be_present_in_element((By.ID, "voice-status"), "de l'appel déposé"))
    uploaded = console.execute_script("return window.plateauVoice.uploaded")
    assert uploaded["status"] == 201, uploaded

    with live_server.app_context():
        recording = db.session.scalar(
            sa.select(CallRecording).where(CallRecording.call_id == call_id)
        )
        [action] = db.session.scalars(
            sa.select(Action).where(Action.attempt_id == attempt_id, Action.verb == "call.recorded")
        ).all()
        stored = tmp_path / "recordings" / recording.path
        data = stored.read_bytes()
        assert data[:4] == b"\x1a\x45\xdf\xa3"  # a WebM file
        # Several seconds of Opus speech, not a header alone.
        assert len(data) > 8000 and recording.size == len(data)
        assert action.payload["sha256"] == hashlib.sha256(data).hexdigest() == recording.sha256
        db.session.remove()


def test_a_trainer_listens_to_both_voices_and_whispers_to_the_candidate(live_server, speaking):
    # The evaluator plays the customer; the trainer follows the room.
    desk, console, shift_id, _attempt_id, call_id = _voiced_call(live_server, speaking, "jury")
    room = speaking("trainer")
    log_in(room, live_server.live_url, "formateur")
    room.get(f"{live_server.live_url}/room/{shift_id}")
    listen = (By.CSS_SELECTOR, f'[data-voice-call="{call_id}"][data-voice="listen"]')
    _wait(room).until(_clicked(listen))
    # Listening: the role-player's mix reaches the trainer; nothing goes back.
    _until(room, lambda _: _hears(room, "listen"), room, console)
    assert _inbound(console, "listen")["bytesReceived"] == 0
    _wait(room).until(EC.text_to_be_present_in_element(listen, "Arrêter l'écoute"))

    whisper = (By.CSS_SELECTOR, f'[data-voice-call="{call_id}"][data-voice="whisper"]')
    _wait(room).until(_clicked(whisper))
    # Whispering: the candidate hears the trainer, on a link the role-player is not part of.
    _until(desk, lambda _: _hears(desk, "whisper"), room, desk)
    _wait(desk).until(EC.text_to_be_present_in_element((By.ID, "voice-status"), "formateur"))
    assert (
        console.execute_script(
            "return Object.keys(window.plateauVoice.links).filter(function (k) {"
            " return k.indexOf('whisper') === 0; }).length"
        )
        == 0
    )


def test_a_refused_microphone_is_said_and_typed_turns_keep_working(live_server, speaking):
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")
    _make_live(live_server, shift_id)
    desk = speaking("candidate", microphone=False)
    log_in(desk, base, "candidat1")
    desk.get(f"{base}/desk")
    _wait(desk).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(desk).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))
    api = live_server.test_client()
    bearer = {
        "Authorization": "Bearer "
        + api.post(
            "/api/v1/auth/token", json={"username": "jury", "password": DEMO_PASSWORD}
        ).get_json()["token"]
    }
    trainer = {
        "Authorization": "Bearer "
        + api.post(
            "/api/v1/auth/token", json={"username": "formateur", "password": DEMO_PASSWORD}
        ).get_json()["token"]
    }
    rung = api.post(
        f"/api/v1/attempts/{attempt_id}/inject",
        json={"kind": "call", "party": CLIENT_PHONE},
        headers=trainer,
    )
    call_id = rung.get_json()["call"]["id"]
    _wait(desk).until(EC.element_to_be_clickable((By.ID, "answer"))).click()
    _wait(desk).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "En communication"))
    assert api.post(f"/api/v1/roleplay/calls/{call_id}/take", headers=bearer).status_code == 200
    said = api.post(
        f"/api/v1/calls/{call_id}/customer-say", json={"text": "Allô ?"}, headers=bearer
    )
    assert said.status_code == 200, said.get_json()
    # A person plays the call: the desk asks for the microphone, is refused and says so.
    _wait(desk).until(
        EC.text_to_be_present_in_element((By.ID, "voice-status"), "Micro refusé ou absent")
    )
    assert "répliques écrites" in desk.find_element(By.ID, "voice-status").text
    desk.find_element(By.ID, "say-text").send_keys("Je vous entends mal, écrivons.")
    desk.find_element(By.ID, "say").click()
    _wait(desk).until(
        EC.text_to_be_present_in_element((By.ID, "transcript"), "Je vous entends mal, écrivons.")
    )
