"""Users as the JSON API shows them."""

from __future__ import annotations


def user_dict(user) -> dict:
    """Public fields of a user."""
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "display_name": user.display_name,
    }
