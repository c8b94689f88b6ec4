"""Section validator for `surveys`: a questionnaire attached to an outbound campaign.

Beyond each question's shape, the branching must hold together: every `next` names a question
of the survey (or `end`), answers named in a branch are the question's own, the branching has
no cycle, every question can be reached from the first, and each quota counts answers that
exist (crm.training.questionnaire reads the same data at the desk).
"""

from __future__ import annotations

import crm.training.questionnaire as qn
from crm.i18n import lazy as _l
from crm.i18n import lazy_plural as ngettext

from .formats import _SLUG, _SLUG_HINT
from .problems import _join
from .structure import StructureChecks

_SURVEY_KEYS = ("key", "campaign", "title", "intro", "closing", "questions", "quotas")
_QUESTION_KEYS = ("key", "text", "kind", "options", "required", "min", "max", "next")
_QUOTA_KEYS = ("key", "label", "question", "answers", "max")
MAX_QUESTIONS = 40
SCRIPT_MAX = 2000
QUESTION_MAX = 500
#: Where a question's key comes from, said when one is unknown.
_NOT_A_QUESTION = _l("ce n'est pas une clé de question de cette enquête")


class SurveySections(StructureChecks):
    """The ``surveys`` section."""

    def surveys(self, data) -> None:
        """Each survey: its campaign (outbound, one survey each), scripts, questions, quotas."""
        campaigns = data.get("campaigns")
        outbound = {
            str(c.get("key"))
            for c in (campaigns if isinstance(campaigns, list) else [])
            if isinstance(c, dict) and c.get("kind") == "outbound"
        }
        seen: dict = {}
        used: dict = {}
        for where, survey in self.records(data, "surveys", "", _SURVEY_KEYS, optional=True):
            key = self.text(survey, "key", where, max_len=60, pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, _l("clé d'enquête"))
            campaign = self.text(survey, "campaign", where, max_len=60)
            if campaign is not None and self.ref(
                _join(where, "campaign"), campaign, outbound, _l("campagne"),
                _l("une enquête est menée par une campagne sortante de campaigns"),
            ):  # fmt: skip
                self.unique(_join(where, "campaign"), campaign, used, _l("campagne d'enquête"))
            self.text(survey, "title", where, max_len=200)
            self.text(survey, "intro", where, max_len=SCRIPT_MAX)
            self.text(survey, "closing", where, max_len=SCRIPT_MAX)
            questions = self.survey_questions(survey, where)
            self.survey_flow(survey, where, questions)
            self.survey_quotas(survey, where, questions)

    def survey_questions(self, survey, where) -> dict[str, tuple[str, dict]]:
        """The questions by key (with their path), each checked on its own."""
        found: dict[str, tuple[str, dict]] = {}
        seen: dict = {}
        records = self.records(survey, "questions", where, _QUESTION_KEYS, non_empty=True)
        if len(records) > MAX_QUESTIONS:
            self.add(
                _join(where, "questions"),
                ngettext("%(num)s question au plus", "%(num)s questions au plus", MAX_QUESTIONS),
            )
        for qw, q in records:
            key = self.text(q, "key", qw, max_len=60, pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(qw, "key"), key, seen, _l("clé de question"))
            self.text(q, "text", qw, max_len=QUESTION_MAX)
            kind = self.choice(q, "kind", qw, qn.KINDS)
            self.boolean(q, "required", qw, optional=True)
            self.question_kind(q, qw, kind)
            if key is not None and key not in found:
                found[key] = (qw, q)
        return found

    def question_kind(self, q, qw, kind) -> None:
        """Options for choice questions only, bounds for a scale only."""
        if kind in ("single", "multiple"):
            seen: dict = {}
            options = self.records(q, "options", qw, ("value", "label"), non_empty=True)
            if len(options) == 1:
                self.add(_join(qw, "options"), _l("un choix demande au moins deux options"))
            for ow, option in options:
                value = self.text(option, "value", ow, max_len=60, pattern=_SLUG, hint=_SLUG_HINT)
                self.unique(_join(ow, "value"), value, seen, _l("valeur d'option"))
                self.text(option, "label", ow, max_len=200)
        elif kind is not None and "options" in q:
            self.add(
                _join(qw, "options"),
                _l("seules les questions single et multiple ont des options"),
            )
        if kind == "scale":
            low = self.integer(q, "min", qw, low=0, high=100)
            high = self.integer(q, "max", qw, low=1, high=100)
            if low is not None and high is not None and high <= low:
                self.add(_join(qw, "max"), _l("doit dépasser min (%(low)s)", low=low))
        else:
            for key in ("min", "max"):
                if key in q:
                    self.add(_join(qw, key), _l("seule une question scale a min et max"))

    def survey_flow(self, survey, where, questions: dict[str, tuple[str, dict]]) -> None:
        """Branches name questions and answers that exist; no cycle; every question reachable."""
        before = len(self.problems)
        known = [*questions, qn.END]
        edges: dict[str, list[str]] = {}
        for key, (qw, q) in questions.items():
            nxt = q.get("next")
            nw = _join(qw, "next")
            targets: list[tuple[str, str]] = []
            if isinstance(nxt, str):
                targets.append((nw, nxt))
            elif isinstance(nxt, dict):
                if q.get("kind") not in ("single", "multiple", "yes_no"):
                    self.add(
                        nw,
                        _l("des branches par réponse demandent une question à choix ou yes_no"),
                    )
                values = [*qn.option_values(q), qn.OTHERWISE]
                for answer, target in nxt.items():
                    aw = _join(nw, answer)
                    self.ref(
                        aw,
                        str(answer),
                        values,
                        _l("réponse"),
                        _l("ce n'est pas une option de la question"),
                    )
                    if isinstance(target, str):
                        targets.append((aw, target))
                    else:
                        self.add(aw, _l("doit être une clé de question ou 'end'"))
            elif nxt is not None:
                self.add(
                    nw,
                    _l(
                        "doit être une clé de question, 'end', ou un mapping "
                        "réponse: clé de question"
                    ),
                )
            for tw, target in targets:
                self.ref(tw, target, known, _l("question"), _NOT_A_QUESTION)
            edges[key] = [t for t in qn.branch_targets(survey, q) if t in questions]
        if len(self.problems) > before or not questions:
            return
        self._cycles_and_reach(where, questions, edges)

    def _cycles_and_reach(self, where, questions, edges) -> None:
        order = list(questions)
        state: dict[str, int] = {}

        def visit(key: str, trail: list[str]) -> None:
            state[key] = 1
            for target in edges.get(key, []):
                if state.get(target) == 1:
                    loop = " → ".join([*trail[trail.index(target) :], target])
                    self.add(
                        _join(questions[key][0], "next"),
                        _l("l'enchaînement tourne en boucle : %(loop)s", loop=loop),
                    )
                elif target not in state:
                    visit(target, [*trail, target])
            state[key] = 2

        visit(order[0], [order[0]])
        for key in order:
            if key not in state:
                self.add(
                    _join(questions[key][0], "key"),
                    _l(
                        "la question %(key)s ne peut jamais être posée : aucune branche n'y mène",
                        key=repr(key),
                    ),
                )

    def survey_quotas(self, survey, where, questions: dict[str, tuple[str, dict]]) -> None:
        """Quotas: a segment (answers of a choice question) and a maximum of completed ones."""
        seen: dict = {}
        for zw, quota in self.records(survey, "quotas", where, _QUOTA_KEYS, optional=True):
            key = self.text(quota, "key", zw, max_len=60, pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(zw, "key"), key, seen, _l("clé de quota"))
            self.text(quota, "label", zw, max_len=200)
            self.integer(quota, "max", zw, low=1, high=10000)
            name = self.text(quota, "question", zw, max_len=60)
            if name is None or not self.ref(
                _join(zw, "question"), name, list(questions), _l("question"), _NOT_A_QUESTION,
            ):  # fmt: skip
                continue
            q = questions[name][1]
            if q.get("kind") not in ("single", "multiple", "yes_no"):
                self.add(
                    _join(zw, "question"),
                    _l("un quota compte les réponses d'une question à choix"),
                )
                continue
            self.refs(
                quota, "answers", zw, qn.option_values(q), _l("réponse"),
                _l("ce n'est pas une option de la question %(name)s", name=repr(name)),
                non_empty=True,
            )  # fmt: skip
