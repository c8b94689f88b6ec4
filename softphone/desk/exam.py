"""Exam mode on every page: a candidate whose shift is an exam sees no main navigation."""

from __future__ import annotations

from flask_login import current_user

from crm.training.services import current_attempt


def inject_exam_mode() -> dict:
    """Template context: `hide_nav` for a candidate in an exam-mode shift."""
    if not current_user.is_authenticated or current_user.role != "candidate":
        return {}
    attempt = current_attempt(current_user)
    if attempt is None or not attempt.shift.exam_mode:
        return {}
    # Explicit render_template values win over these (Flask), so pages can still decide.
    return {"hide_nav": True}
