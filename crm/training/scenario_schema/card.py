"""Section validator for a pack's card: who the candidate is, the brief, what it exercises."""

from __future__ import annotations

from crm.i18n import lazy as _l

from .problems import _describe, _join
from .structure import StructureChecks
from .values import _MISSING

#: The standards' ids and criteria are checked by the evaluation package's plugged-in validator
#: (`crm.evaluation.pack_card`): the scenario schema does not read the standards.
CARD_KEYS = ("candidate", "brief", "length_minutes", "exercises")


class CardSections(StructureChecks):
    """The optional ``card`` section."""

    def card(self, data) -> None:
        """Text for the trainer's library and the candidate's brief; what criteria it exercises."""
        raw = self.take(data, "card", "", True)
        if raw is _MISSING:
            return
        card = self.mapping(raw, "card", CARD_KEYS)
        if card is None:
            return
        self.text(card, "candidate", "card", max_len=400)
        self.text(card, "brief", "card", max_len=2000)
        self.integer(card, "length_minutes", "card", low=5, high=480)
        for where, item in self.records(card, "exercises", "card", ("standard", "criteria")):
            self.text(item, "standard", where, max_len=64)
            criteria = self.seq(item, "criteria", where, non_empty=True)
            for i, criterion in enumerate(criteria):
                if not isinstance(criterion, str) or not criterion.strip():
                    self.add(
                        f"{_join(where, 'criteria')}[{i}]",
                        _l(
                            "doit être l'identifiant d'un critère (texte), pas %(value)s",
                            value=_describe(criterion),
                        ),
                    )
