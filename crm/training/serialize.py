"""Scenarios, shifts and attempts as the JSON API shows them."""

from __future__ import annotations

from crm.training.models import Attempt, Shift


def attempt_dict(attempt: Attempt) -> dict:
    """Public fields of an attempt."""
    return {
        "id": attempt.id,
        "shift_id": attempt.shift_id,
        "candidate": {"id": attempt.candidate.id, "username": attempt.candidate.username},
        "number": attempt.number,
        "status": attempt.status,
        "world_date": attempt.world_date.isoformat(),
        "created_at": attempt.created_at.isoformat(timespec="seconds"),
        "replaced_by": attempt.replaced_by_id,
        "actions": attempt.action_count,
    }


def shift_dict(shift: Shift) -> dict:
    """Public fields of a shift with its attempts."""
    return {
        "id": shift.id,
        "name": shift.name,
        "scenario": shift.scenario,
        "mode": shift.mode,
        "status": shift.status,
        "exam_mode": shift.exam_mode,
        "standard": shift.standard,
        "attempts": [attempt_dict(a) for a in shift.attempts],
    }


def scenario_dict(scenario) -> dict:
    """A scenario of the library, with its validation problems if any."""
    return {
        "slug": scenario.slug,
        "title": scenario.title,
        "description": scenario.description,
        "valid": not scenario.problems,
        "problems": [str(p) for p in scenario.problems],
    }


def current_attempt_dict(attempt: Attempt) -> dict:
    """A candidate's current attempt as `GET /me` shows it."""
    return {
        "id": attempt.id,
        "shift_id": attempt.shift_id,
        "scenario": attempt.shift.scenario,
        "status": attempt.status,
        "shift_status": attempt.shift.status,
    }


def staff_dict(shift: Shift, staff) -> dict:
    """The people who run a shift (`crm.training.staff.shift_staff`: creator first)."""
    items = [
        {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "created_shift": user.id == shift.created_by_id,
        }
        for user in staff
    ]
    return {"shift_id": shift.id, "items": items, "total": len(items)}
