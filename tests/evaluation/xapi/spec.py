"""A checker of xAPI 1.0.3 statement shape (the parts of the spec Plateau's statements use).

Returns the list of problems (empty: valid), so tests can show every problem at once. Follows
xAPI 1.0.3 Part Two §2.4: required properties, one inverse functional identifier per agent,
absolute IRIs, UUIDs, language maps, ISO 8601 timestamps and durations.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
IRL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$"
)
STATEMENT_KEYS = {
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
    "version", "attachments",
}  # fmt: skip
CONTEXT_KEYS = {
    "registration", "instructor", "team", "contextActivities", "revision", "platform",
    "language", "statement", "extensions",
}  # fmt: skip
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}


def _uuid(value) -> bool:
    try:
        return str(uuid.UUID(str(value))) == str(value).lower()
    except ValueError:
        return False


def _language_map(value, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where}: a non-empty language map is required")
        return
    for tag, text in value.items():
        if not LANGUAGE_TAG.match(tag) or not isinstance(text, str):
            problems.append(f"{where}: bad language map entry {tag!r}")


def _agent(value, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict) or value.get("objectType", "Agent") != "Agent":
        problems.append(f"{where}: an Agent is required")
        return
    ifis = [key for key in ("mbox", "mbox_sha1sum", "openid", "account") if key in value]
    if len(ifis) != 1:
        problems.append(f"{where}: exactly one inverse functional identifier, got {ifis}")
    account = value.get("account")
    if account is not None and (
        set(account) != {"homePage", "name"}
        or not IRL.match(str(account["homePage"]))
        or not account["name"]
    ):
        problems.append(f"{where}: account needs an IRL homePage and a name")


def _extensions(value, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where}: extensions must be an object")
        return
    for key in value:
        if not IRI.match(key):
            problems.append(f"{where}: extension key {key!r} is not an IRI")


def _activity(value, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict) or value.get("objectType", "Activity") != "Activity":
        problems.append(f"{where}: an Activity is required")
        return
    if not IRI.match(str(value.get("id", ""))):
        problems.append(f"{where}: activity id must be an IRI")
    definition = value.get("definition", {})
    if "name" in definition:
        _language_map(definition["name"], f"{where}.definition.name", problems)
    if "type" in definition and not IRI.match(str(definition["type"])):
        problems.append(f"{where}: definition type must be an IRI")


def timestamp_ok(value: str) -> bool:
    """ISO 8601 with an explicit offset."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return parsed.tzinfo is not None and re.search(r"(Z|[+-]\d{2}:\d{2})$", value) is not None


def problems_of(statement: dict) -> list[str]:
    """Everything that breaks xAPI 1.0.3 in one statement."""
    problems: list[str] = []
    unknown = set(statement) - STATEMENT_KEYS
    if unknown:
        problems.append(f"unknown statement properties {sorted(unknown)}")
    for key in ("actor", "verb", "object"):
        if key not in statement:
            problems.append(f"{key} is required")
    if "id" in statement and not _uuid(statement["id"]):
        problems.append("id must be a UUID")
    _agent(statement.get("actor"), "actor", problems)
    verb = statement.get("verb") or {}
    if not IRI.match(str(verb.get("id", ""))):
        problems.append("verb.id must be an IRI")
    if "display" in verb:
        _language_map(verb["display"], "verb.display", problems)
    _activity(statement.get("object"), "object", problems)
    if "timestamp" in statement and not timestamp_ok(statement["timestamp"]):
        problems.append(f"timestamp {statement['timestamp']!r} is not ISO 8601 with an offset")
    result = statement.get("result")
    if result is not None:
        if not result or set(result) - RESULT_KEYS:
            problems.append(f"result has unknown or no properties: {sorted(result)}")
        if "duration" in result and not DURATION.match(result["duration"]):
            problems.append(f"result.duration {result['duration']!r} is not ISO 8601")
        if "success" in result and not isinstance(result["success"], bool):
            problems.append("result.success must be a boolean")
        if "response" in result and not isinstance(result["response"], str):
            problems.append("result.response must be a string")
        if "extensions" in result:
            _extensions(result["extensions"], "result.extensions", problems)
    context = statement.get("context")
    if context is not None:
        if set(context) - CONTEXT_KEYS:
            problems.append(f"context has unknown properties {sorted(set(context) - CONTEXT_KEYS)}")
        if "registration" in context and not _uuid(context["registration"]):
            problems.append("context.registration must be a UUID")
        if "instructor" in context:
            _agent(context["instructor"], "context.instructor", problems)
        if "language" in context and not LANGUAGE_TAG.match(context["language"]):
            problems.append("context.language must be an RFC 5646 tag")
        for kind, activities in (context.get("contextActivities") or {}).items():
            if kind not in ("parent", "grouping", "category", "other"):
                problems.append(f"contextActivities.{kind} is not a known key")
            for i, activity in enumerate(activities if isinstance(activities, list) else [None]):
                _activity(activity, f"contextActivities.{kind}[{i}]", problems)
        if "extensions" in context:
            _extensions(context["extensions"], "context.extensions", problems)
    return problems
