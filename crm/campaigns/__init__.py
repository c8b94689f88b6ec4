"""Campaigns package."""


def init_app(app) -> None:
    """Register this package's blueprints (none yet)."""
