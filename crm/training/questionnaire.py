"""A survey's questionnaire as the pack gives it: questions, branching, answers by kind, quotas.

Pure functions over the pack's `surveys[]` entry (stored in the campaign's settings under
`survey`): the pack validator, the services, the desk and the evidence rules all read a
questionnaire through here, so they agree on which question follows which answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from crm.i18n import _

KINDS = ("single", "multiple", "scale", "text", "yes_no")
#: The values of a yes/no question.
YES_NO = ("oui", "non")
#: A branch target that ends the questionnaire.
END = "end"
#: The branch of any answer not named in a `next` mapping.
OTHERWISE = "else"
TEXT_MAX = 500


def questions(survey: dict) -> list[dict]:
    """The questions in the pack's order."""
    found = survey.get("questions") if isinstance(survey, dict) else None
    return [q for q in found if isinstance(q, dict)] if isinstance(found, list) else []


def question(survey: dict, key: str) -> dict | None:
    """The question with this key, if any."""
    return next((q for q in questions(survey) if q.get("key") == key), None)


def first_key(survey: dict) -> str | None:
    """The first question asked."""
    found = questions(survey)
    return found[0].get("key") if found else None


def option_values(q: dict) -> list[str]:
    """The answers a choice question accepts (yes/no: oui, non)."""
    if q.get("kind") == "yes_no":
        return list(YES_NO)
    options = q.get("options")
    if not isinstance(options, list):
        return []
    return [str(o.get("value")) for o in options if isinstance(o, dict)]


def option_label(q: dict, value: str) -> str:
    """How an answer value reads (its option's label, « Oui »/« Non », else the value)."""
    if q.get("kind") == "yes_no" and value in YES_NO:
        return _("Oui") if value == "oui" else _("Non")
    options = q.get("options")
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict) and str(option.get("value")) == value:
            return str(option.get("label") or value)
    return value


def _following(survey: dict, key: str) -> str:
    keys = [q.get("key") for q in questions(survey) if isinstance(q.get("key"), str)]
    index = keys.index(key) if key in keys else len(keys)
    return keys[index + 1] if index + 1 < len(keys) else END


def branch_targets(survey: dict, q: dict) -> list[str]:
    """Every question (or `end`) that may follow this one."""
    nxt = q.get("next")
    if isinstance(nxt, str):
        return [nxt]
    if isinstance(nxt, dict):
        targets = [str(t) for t in nxt.values()]
        if OTHERWISE not in nxt:
            targets.append(_following(survey, q["key"]))
        return targets
    return [_following(survey, q["key"])]


def next_key(survey: dict, q: dict, answer) -> str:
    """The question that follows this answer (`end` when the questionnaire is over).

    `next` is a key (always), a mapping answer → key (single, yes/no; a multiple answer takes the
    branch of its first option that has one), or absent (the following question).
    """
    nxt = q.get("next")
    if isinstance(nxt, str):
        return nxt
    if isinstance(nxt, dict):
        values = answer if isinstance(answer, list) else [answer]
        for value in values:
            if value is not None and str(value) in nxt:
                return str(nxt[str(value)])
        if OTHERWISE in nxt:
            return str(nxt[OTHERWISE])
    return _following(survey, q["key"])


def path_of(survey: dict, answers: dict) -> tuple[list[str], str | None]:
    """The questions asked, in order, given the answers so far, and the one to ask next.

    The walk follows the branching from the first question while questions are answered (a
    question left without an answer that is not required is passed over as skipped); it stops
    at the first unanswered question (asked next) or at the end (None).
    """
    path: list[str] = []
    key = first_key(survey)
    while key and key != END and key not in path:
        q = question(survey, key)
        if q is None:
            break
        path.append(key)
        if key not in answers:
            return path, key
        key = next_key(survey, q, answers[key])
    return path, None


def read_answer(q: dict, raw) -> tuple[object, str | None]:
    """(answer, None) when the raw value suits the question's kind, else (None, French message).

    None or "" is accepted only for a question that is not required (the question is skipped).
    """
    kind = q.get("kind")
    if raw in (None, "", []):
        if q.get("required", True):
            return None, _("Réponse obligatoire pour cette question.")
        return None, None
    if kind in ("single", "yes_no"):
        value = raw.strip() if isinstance(raw, str) else raw
        if not isinstance(value, str) or value not in option_values(q):
            return None, _(
                "Réponse attendue parmi : %(values)s.", values=", ".join(option_values(q))
            )
        return value, None
    if kind == "multiple":
        values = [raw] if isinstance(raw, str) else raw
        allowed = option_values(q)
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None, _("Liste de réponses attendue.")
        if any(v not in allowed for v in values):
            return None, _("Réponses attendues parmi : %(values)s.", values=", ".join(allowed))
        return [v for v in allowed if v in values], None
    if kind == "scale":
        low, high = int(q.get("min", 0)), int(q.get("max", 10))
        text = raw.strip() if isinstance(raw, str) else raw
        if isinstance(text, str) and text.lstrip("-").isdigit():
            text = int(text)
        if not isinstance(text, int) or isinstance(text, bool) or not low <= text <= high:
            return None, _("Note entière de %(low)s à %(high)s attendue.", low=low, high=high)
        return text, None
    value = raw.strip() if isinstance(raw, str) else None
    if not value or len(value) > TEXT_MAX:
        return None, _("Texte de %(n)s caractères au plus attendu.", n=TEXT_MAX)
    return value, None


def answer_text(q: dict, answer) -> str:
    """An answer in words (labels of the options chosen)."""
    if answer is None:
        return _("(sans réponse)")
    if isinstance(answer, list):
        return ", ".join(option_label(q, str(v)) for v in answer)
    return option_label(q, str(answer))


def _quotas(survey: dict) -> list[dict]:
    found = survey.get("quotas")
    return [q for q in found if isinstance(q, dict)] if isinstance(found, list) else []


def quota_matches(quota: dict, answers: dict) -> bool:
    """Whether a respondent with these answers falls in the quota's segment."""
    given = answers.get(quota.get("question"))
    values = given if isinstance(given, list) else [given]
    listed = quota.get("answers")
    wanted = {str(v) for v in listed} if isinstance(listed, list) else set()
    return any(v is not None and str(v) in wanted for v in values)


def quota_counts(survey: dict, completed: Iterable[dict]) -> list[dict]:
    """Each quota with the completed interviews in its segment and whether it is full."""
    done = list(completed)
    states = []
    for quota in _quotas(survey):
        count = sum(1 for answers in done if quota_matches(quota, answers))
        states.append(
            {
                "key": quota.get("key"),
                "label": quota.get("label"),
                "max": quota.get("max"),
                "count": count,
                "full": count >= int(quota.get("max") or 0),
            }
        )
    return states


def full_quota_for(survey: dict, answers: dict, states: list[dict]) -> dict | None:
    """The full quota these answers fall in, if any (the respondent is then out of quota)."""
    full = {s["key"] for s in states if s["full"]}
    for quota in _quotas(survey):
        if quota.get("key") in full and quota_matches(quota, answers):
            return quota
    return None
