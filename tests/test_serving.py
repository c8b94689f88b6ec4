"""crm.serving.RequestLimit: how many HTTP requests a process works on at once."""

from __future__ import annotations

import threading
import time

import pytest

from crm.serving import RequestLimit


class Recorder:
    """A WSGI app that notes how many of its calls overlap, each lasting until released."""

    def __init__(self):
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()
        self.go = threading.Event()

    def __call__(self, environ, start_response):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        self.go.wait(10)
        with self.lock:
            self.running -= 1
        if environ["PATH_INFO"] == "/boom":
            raise RuntimeError("boom")
        start_response("200 OK", [])
        return [b"ok"]


def _call(app, path: str, results: list) -> None:
    try:
        body = app({"PATH_INFO": path}, lambda *_: None)
        results.append(b"".join(body))
        if hasattr(body, "close"):  # WSGI: the server closes what it was given
            body.close()
    except RuntimeError as error:
        results.append(str(error))


def test_no_more_requests_than_the_limit_run_at_once():
    inner = Recorder()
    app = RequestLimit(inner, 2)
    results: list = []
    threads = [threading.Thread(target=_call, args=(app, "/x", results)) for _ in range(6)]
    for thread in threads:
        thread.start()
    while inner.running < 2:
        time.sleep(0.01)
    inner.go.set()
    for thread in threads:
        thread.join(10)
    assert results == [b"ok"] * 6
    assert inner.most == 2


def test_socket_io_is_not_counted_and_a_failure_gives_its_slot_back():
    inner = Recorder()
    inner.go.set()
    app = RequestLimit(inner, 1)
    results: list = []
    _call(app, "/boom", results)
    _call(app, "/x", results)  # would wait forever had /boom kept the only slot
    assert results == ["boom", b"ok"]
    inner.go.clear()
    held = threading.Thread(target=_call, args=(app, "/x", results))
    held.start()
    while inner.running < 1:
        time.sleep(0.01)
    socket = threading.Thread(target=_call, args=(app, "/socket.io/", results))
    socket.start()
    while inner.running < 2:  # the Socket.IO request runs beside the one holding the slot
        time.sleep(0.01)
    inner.go.set()
    held.join(10)
    socket.join(10)
    assert inner.most == 2


@pytest.mark.parametrize("limit", [1, 8])
def test_the_body_is_returned_whole(limit):
    inner = Recorder()
    inner.go.set()
    results: list = []
    _call(RequestLimit(inner, limit), "/x", results)
    assert results == [b"ok"]
