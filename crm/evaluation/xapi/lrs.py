"""A client of a Learning Record Store's statements resource (xAPI 1.0.3, basic auth).

Standard library only (urllib): two requests, POST and GET on one resource, do not justify a
dependency. Failures become `LrsError` (502 at the API) carrying what the LRS said.
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from crm.errors import DomainError
from crm.i18n import _

VERSION_HEADER = "X-Experience-API-Version"
#: How much of an LRS's error body is quoted back (enough for its message, not a whole page).
MAX_QUOTED = 500


class LrsError(DomainError):
    """The LRS could not be reached, or refused the statements (502 Bad Gateway)."""

    status = 502
    code = "lrs_error"


class LrsNotConfigured(DomainError):
    """No LRS endpoint in the configuration (503)."""

    status = 503
    code = "lrs_not_configured"


@dataclass(frozen=True)
class LrsConfig:
    """Where and how to reach the LRS: endpoint (ends with /), credentials, version, limits."""

    endpoint: str
    key: str
    secret: str
    version: str = "1.0.3"
    batch_size: int = 100
    timeout: float = 10.0

    @classmethod
    def from_app(cls, config) -> LrsConfig:
        """From the app config (`XAPI_LRS_*`); LrsNotConfigured without an http(s) endpoint."""
        endpoint = (config.get("XAPI_LRS_ENDPOINT") or "").strip()
        if not endpoint:
            raise LrsNotConfigured(
                _("Aucun LRS configuré (XAPI_LRS_ENDPOINT) : envoi impossible."),
            )
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise LrsNotConfigured(
                _(
                    "XAPI_LRS_ENDPOINT n'est pas une URL http(s) : %(value)s",
                    value=endpoint,
                ),
            )
        return cls(
            endpoint=endpoint if endpoint.endswith("/") else endpoint + "/",
            key=config.get("XAPI_LRS_KEY") or "",
            secret=config.get("XAPI_LRS_SECRET") or "",
            version=config.get("XAPI_VERSION", "1.0.3"),
            batch_size=int(config.get("XAPI_BATCH_SIZE", 100)),
            timeout=float(config.get("XAPI_TIMEOUT", 10)),
        )

    @property
    def statements_url(self) -> str:
        return urllib.parse.urljoin(self.endpoint, "statements")


class LrsClient:
    """POST statements in batches, GET them back."""

    def __init__(self, config: LrsConfig):
        self.config = config

    def _headers(self) -> dict[str, str]:
        headers = {VERSION_HEADER: self.config.version, "Accept": "application/json"}
        if self.config.key or self.config.secret:
            token = f"{self.config.key}:{self.config.secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        return headers

    def _send(self, request: urllib.request.Request):
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            said = _quote(error.read())
            raise LrsError(
                _(
                    "Le LRS a refusé la requête (HTTP %(status)s) : %(said)s",
                    status=error.code,
                    said=said,
                ),
                code="lrs_refused",
                details={"lrs_status": error.code, "lrs_message": said},
            ) from None
        # Refused or timed out: OSError; an answer cut short: HTTPException.
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise LrsError(
                _(
                    "LRS injoignable (%(url)s) : %(reason)s",
                    url=self.config.endpoint,
                    reason=reason,
                ),
                code="lrs_unreachable",
                details={"lrs_message": str(reason)},
            ) from None
        try:
            return json.loads(body) if body.strip() else None
        except ValueError:
            raise LrsError(
                _("Réponse du LRS illisible (JSON attendu) : %(said)s", said=_quote(body)),
                code="lrs_bad_answer",
                details={"lrs_message": _quote(body)},
            ) from None

    def post_statements(self, statements: list[dict]) -> list[str]:
        """POST one batch; the ids the LRS stored (none when it had them all: 204, no body)."""
        data = json.dumps(statements, ensure_ascii=False).encode("utf-8")
        headers = self._headers() | {"Content-Type": "application/json; charset=utf-8"}
        request = urllib.request.Request(
            self.config.statements_url, data=data, headers=headers, method="POST"
        )
        answer = self._send(request)
        if answer is None:
            return []
        if not isinstance(answer, list):
            raise LrsError(
                _("Réponse du LRS inattendue : une liste d'identifiants était attendue."),
                code="lrs_bad_answer",
                details={"lrs_message": _quote(json.dumps(answer).encode())},
            )
        return [str(item) for item in answer]

    def push(self, statements: list[dict]) -> list[str]:
        """POST every statement, `batch_size` at a time; the ids the LRS acknowledged.

        A failure stops at the failing batch: earlier batches stay in the LRS (statement ids are
        stable, so pushing again is safe and completes the set).
        """
        acknowledged: list[str] = []
        size = max(1, self.config.batch_size)
        for start in range(0, len(statements), size):
            try:
                acknowledged += self.post_statements(statements[start : start + size])
            except LrsError as error:
                error.details["accepted_before_failure"] = len(acknowledged)
                raise
        return acknowledged

    def get_statements(self, **params) -> dict:
        """GET /statements with query parameters (e.g. registration=…): the StatementResult."""
        query = urllib.parse.urlencode(params)
        url = self.config.statements_url + (f"?{query}" if query else "")
        return self._send(urllib.request.Request(url, headers=self._headers(), method="GET"))


def _quote(body: bytes) -> str:
    """The LRS's words: its JSON `message`/`detail` when it sends one, else the text, shortened."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("message", "detail", "error"):
            if data.get(key):
                text = data[key] if isinstance(data[key], str) else json.dumps(data[key])
                break
    return text[:MAX_QUOTED] or "—"
