"""Section validators for qualification codes and the campaigns that use them."""

from __future__ import annotations

from crm.i18n import lazy as _l
from crm.i18n import lazy_plural as ngettext

from .formats import _CODE, _CODE_HINT, _SLUG, _SLUG_HINT
from .problems import _join
from .structure import StructureChecks
from .values import _raw
from .vocabulary import _LEN, EFFECTS, FAMILIES

#: A call guide is a short checklist read during a call, not a script.
MAX_GUIDE_STEPS = 15
MAX_GUIDE_STEP_LENGTH = 200


class QualificationSections(StructureChecks):
    """The ``qualification_codes`` and ``campaigns`` sections."""

    def qualification_codes(self, data) -> set[str]:
        """The codes a contact is qualified with; returns the set of valid codes."""
        seen: dict = {}
        keys = ("code", "label", "family", "description", "effects")
        for where, qc in self.records(data, "qualification_codes", "", keys, non_empty=True):
            self.text(qc, "code", where, max_len=_LEN["code"], pattern=_CODE, hint=_CODE_HINT)
            self.unique(_join(where, "code"), _raw(qc, "code"), seen, _l("code de qualification"))
            self.text(qc, "label", where, max_len=_LEN["label"])
            self.choice(qc, "family", where, FAMILIES)
            self.text(qc, "description", where)
            self.refs(
                qc, "effects", where, EFFECTS, _l("effet"),
                _l("attendu l'un de %(choices)s", choices=", ".join(EFFECTS)),
            )  # fmt: skip
        return set(seen)

    def campaigns(self, data, codes: set[str]) -> None:
        """Campaigns and the codes their contacts may be qualified with."""
        seen: dict = {}
        keys = ("key", "name", "kind", "qualification_codes")
        # Open mapping: the desk reads further settings (call guide, call plan…) that the loader
        # keeps as they are, so extra keys are not typos here.
        for where, camp in self.records(data, "campaigns", "", keys, optional=True, open_=True):
            key = self.text(
                camp, "key", where, max_len=_LEN["campaign"], pattern=_SLUG, hint=_SLUG_HINT
            )
            self.unique(_join(where, "key"), key, seen, _l("clé de campagne"))
            self.text(camp, "name", where, max_len=_LEN["name"])
            self.choice(camp, "kind", where, ("inbound", "outbound"))
            self.refs(
                camp, "qualification_codes", where, codes, _l("code de qualification"),
                _l("il n'est pas dans qualification_codes"), non_empty=True,
            )  # fmt: skip
            # The campaign's target for one call's after-call work (wrap-up), in seconds.
            self.integer(camp, "after_call_work_seconds", where, low=1, high=3600, optional=True)
            self.call_guide(camp, where)

    def call_guide(self, camp: dict, where: str) -> None:
        """A campaign's optional call guide: the steps the candidate ticks during a contact."""
        steps = self.seq(camp, "call_guide", where, optional=True, non_empty=True)
        path = _join(where, "call_guide")
        if len(steps) > MAX_GUIDE_STEPS:
            self.add(
                path,
                ngettext(
                    "%(steps)s étapes, c'est trop : %(num)s étape au plus",
                    "%(steps)s étapes, c'est trop : %(num)s étapes au plus",
                    MAX_GUIDE_STEPS,
                    steps=len(steps),
                ),
            )
        for i, step in enumerate(steps):
            if not isinstance(step, str) or not step.strip():
                self.add(f"{path}[{i}]", _l("doit être une étape : un texte non vide"))
            elif len(step) > MAX_GUIDE_STEP_LENGTH:
                self.add(
                    f"{path}[{i}]",
                    ngettext(
                        "%(num)s caractère au plus",
                        "%(num)s caractères au plus",
                        MAX_GUIDE_STEP_LENGTH,
                    ),  # fmt: skip
                )
