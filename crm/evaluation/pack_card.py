"""The check a pack's card needs from evaluation: the standards and criteria it names exist.

Plugged into the scenario checker (`crm.training.scenario_schema.hooks`), so that the schema
never reads the standards itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from crm.evaluation.standards import StandardNotFound, get_standard
from crm.i18n import lazy as _l


def card_problems(data: dict) -> Iterator[tuple[str, object]]:
    """(path, message) for each standard or criterion of `card.exercises` that does not exist
    (messages are lazy French text, worded where the problem is shown)."""
    card = data.get("card") if isinstance(data, dict) else None
    exercises = card.get("exercises") if isinstance(card, dict) else None
    for i, item in enumerate(exercises if isinstance(exercises, list) else ()):
        if not isinstance(item, dict) or not isinstance(item.get("standard"), str):
            continue
        where = f"card.exercises[{i}]"
        try:
            standard = get_standard(item["standard"])
        except StandardNotFound:
            yield (
                f"{where}.standard",
                _l(
                    "%(standard)s n'est pas un référentiel de cette installation",
                    standard=repr(item["standard"]),
                ),
            )
            continue
        known = {criterion.id for criterion in standard.criteria}
        for j, criterion in enumerate(item.get("criteria") or ()):
            if isinstance(criterion, str) and criterion not in known:
                yield (
                    f"{where}.criteria[{j}]",
                    _l(
                        "%(criterion)s n'est pas un critère de %(standard)s",
                        criterion=repr(criterion),
                        standard=standard.id,
                    ),
                )
