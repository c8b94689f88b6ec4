"""What the browsers need to set up voice: the ICE servers, from the configuration."""

from __future__ import annotations

import json

from flask import current_app


def ice_servers() -> list[dict]:
    """ICE_SERVERS as a list of RTCIceServer objects (a JSON string or a list in the config).

    A value that is not a list of objects each with `urls` is a configuration error, refused
    when the app starts (`check_ice_servers`), not when a call begins.
    """
    value = current_app.config.get("ICE_SERVERS") or []
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return value


def check_ice_servers(app) -> None:
    """Refuse a malformed ICE_SERVERS at start-up, saying what is wrong."""
    with app.app_context():
        try:
            servers = ice_servers()
        except ValueError as error:
            raise ValueError(f"ICE_SERVERS is not JSON: {error}") from None
    if not isinstance(servers, list) or not all(
        isinstance(s, dict) and isinstance(s.get("urls"), str | list) for s in servers
    ):
        raise ValueError('ICE_SERVERS must be a JSON list of {"urls": ...} objects')
