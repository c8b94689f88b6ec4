"""A tiny LRS stand-in on 127.0.0.1 in a thread: records requests, answers from a script."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    """One request the fake LRS received."""

    method: str
    path: str
    #: Case-insensitive, as HTTP headers are (urllib sends "X-experience-api-version").
    headers: Message
    body: object


@dataclass
class FakeLrs:
    """Answers each POST with the next scripted (status, body); then with 200 and the ids."""

    answers: list[tuple[int, object]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def endpoint(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/xAPI/"

    def posted_statements(self) -> list[dict]:
        return [s for r in self.received if r.method == "POST" for s in r.body]

    def start(self) -> FakeLrs:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"null")
                fake.received.append(Received("POST", self.path, self.headers, body))
                if fake.answers:
                    status, answer = fake.answers.pop(0)
                else:
                    status, answer = 200, [s["id"] for s in body]
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
