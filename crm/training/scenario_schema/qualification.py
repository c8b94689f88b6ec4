"""Section validators for qualification codes and the campaigns that use them."""

from __future__ import annotations

from .formats import _CODE, _CODE_HINT, _SLUG, _SLUG_HINT
from .problems import _join
from .structure import StructureChecks
from .values import _raw
from .vocabulary import _LEN, EFFECTS, FAMILIES


class QualificationSections(StructureChecks):
    """The ``qualification_codes`` and ``campaigns`` sections."""

    def qualification_codes(self, data) -> set[str]:
        """The codes a contact is qualified with; returns the set of valid codes."""
        seen: dict = {}
        keys = ("code", "label", "family", "description", "effects")
        for where, qc in self.records(data, "qualification_codes", "", keys, non_empty=True):
            self.text(qc, "code", where, max_len=_LEN["code"], pattern=_CODE, hint=_CODE_HINT)
            self.unique(_join(where, "code"), _raw(qc, "code"), seen, "qualification code")
            self.text(qc, "label", where, max_len=_LEN["label"])
            self.choice(qc, "family", where, FAMILIES)
            self.text(qc, "description", where)
            self.refs(
                qc, "effects", where, EFFECTS, "effect", "expected one of " + ", ".join(EFFECTS)
            )
        return set(seen)

    def campaigns(self, data, codes: set[str]) -> None:
        """Campaigns and the codes their contacts may be qualified with."""
        seen: dict = {}
        keys = ("key", "name", "kind", "qualification_codes")
        # Open mapping: the desk reads further settings (script, call list…) that the loader
        # keeps as they are, so extra keys are not typos here.
        for where, camp in self.records(data, "campaigns", "", keys, optional=True, open_=True):
            key = self.text(
                camp, "key", where, max_len=_LEN["campaign"], pattern=_SLUG, hint=_SLUG_HINT
            )
            self.unique(_join(where, "key"), key, seen, "campaign key")
            self.text(camp, "name", where, max_len=_LEN["name"])
            self.choice(camp, "kind", where, ("inbound", "outbound"))
            self.refs(
                camp, "qualification_codes", where, codes, "qualification code",
                "it is not in qualification_codes", non_empty=True,
            )  # fmt: skip
            # The campaign's target for one call's after-call work (wrap-up), in seconds.
            self.integer(camp, "after_call_work_seconds", where, low=1, high=3600, optional=True)
