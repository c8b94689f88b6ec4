"""Voiced calls the recording cannot follow, in real browsers (fake microphones, espeak-ng):
a call hung up before anything was recorded uploads nothing and says so calmly; a console
reloaded mid-call tells its role-player that the recording so far is lost, and records the
rest once the call is reopened."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from crm.actionlog.models import Action
from crm.extensions import db
from softphone.voice.models import CallRecording
from tests.browser.conftest import log_in
from tests.browser.test_room import _wait
from tests.browser.test_voice import (  # noqa: F401  (speaking: the fixture)
    _answered_call,
    _clicked,
    _long,
    _voiced_call,
    speaking,
)

pytestmark = pytest.mark.browser


def _recorded(app, attempt_id: int) -> tuple[int, int]:
    """(recordings stored, `call.recorded` actions) of the attempt."""
    with app.app_context():
        stored = db.session.scalar(
            sa.select(sa.func.count(CallRecording.id)).where(CallRecording.attempt_id == attempt_id)
        )
        logged = db.session.scalar(
            sa.select(sa.func.count(Action.id)).where(
                Action.attempt_id == attempt_id, Action.verb == "call.recorded"
            )
        )
        db.session.remove()
    return stored, logged


def test_a_call_hung_up_at_once_uploads_nothing_and_says_so_calmly(
    live_server,
    speaking,  # noqa: F811
    tmp_path,
):
    live_server.config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    base = live_server.live_url
    desk, shift_id, attempt_id, call_id = _answered_call(live_server, speaking)

    console = speaking("customer")
    log_in(console, base, "formateur")
    console.get(f"{base}/room/{shift_id}/play")
    _wait(console).until(EC.text_to_be_present_in_element((By.ID, "console-link"), "Connecté"))
    _wait(console).until(_clicked((By.CSS_SELECTOR, f"#waiting-call-{call_id} .take")))
    # The customer hangs up as soon as the call is taken: nothing was recorded yet.
    _wait(console).until(EC.visibility_of_element_located((By.ID, "played-hangup"))).click()

    _long(console).until(
        EC.text_to_be_present_in_element((By.ID, "voice-status"), "Appel trop court")
    )
    status = console.find_element(By.ID, "voice-status")
    assert "error" not in status.get_attribute("class")
    uploaded = console.execute_script("return window.plateauVoice.uploaded")
    # Nothing sent, or (had the recorder handed over an empty file) refused as empty, calmly.
    assert uploaded["skipped"] == "empty" or uploaded["body"]["error"]["code"] == (
        "empty_recording"
    ), uploaded
    assert _recorded(live_server, attempt_id) == (0, 0)


def test_a_console_reloaded_mid_call_says_the_recording_so_far_is_lost(
    live_server,
    speaking,  # noqa: F811
    tmp_path,
):
    live_server.config["RECORDINGS_DIR"] = str(tmp_path / "recordings")
    desk, console, _shift_id, attempt_id, call_id = _voiced_call(live_server, speaking, "formateur")
    _long(console).until(
        EC.text_to_be_present_in_element((By.ID, "voice-status"), "appel enregistré")
    )
    console.refresh()
    _wait(console).until(
        EC.text_to_be_present_in_element(
            (By.ID, "voice-status"), "Page rechargée pendant un appel enregistré"
        )
    )
    # Reopened, the call is recorded again from there, and says so (the list is redrawn on
    # every push: finding and clicking happen in one wait step).
    _wait(console).until(_clicked((By.CSS_SELECTOR, f"#waiting-call-{call_id} .take")))
    _long(console).until(
        EC.text_to_be_present_in_element((By.ID, "voice-status"), "depuis le rechargement")
    )
    _long(console).until(lambda b: b.execute_script("return window.plateauVoice.recorded()") > 0)
    console.find_element(By.ID, "played-hangup").click()
    _long(console).until(
        EC.text_to_be_present_in_element((By.ID, "voice-status"), "de l'appel déposé")
    )
    assert _recorded(live_server, attempt_id) == (1, 1)
