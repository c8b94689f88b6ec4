"""Surveys (MC ACVAD 1.7 « Mener une enquête ou réaliser un sondage»): the respondent's file
consulted before dialling (1.7-C2), the questionnaire's script run to a proper end (1.7-C3), the
answers recorded during the call (1.7-C4).

A survey campaign is an outbound campaign with a questionnaire (`settings.survey`); its calls
are those dialled to a number of its call plan, and its contacts those calls' contacts.
"""

from __future__ import annotations

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.wording import listing, phone
from crm.i18n import _, _l, ngettext
from crm.phones import normalize_phone

#: How an interview may end and still follow the script.
PROPER_ENDS = ("survey.completed", "survey.over_quota", "survey.refused", "survey.postponed")
#: Qualification families of a contact that reached nobody (no interview expected).
UNREACHED = ("CNA",)


def _survey_dials(evidence) -> list:
    """The calls dialled to a number of a survey campaign's call plan, in log order."""
    numbers = set()
    for campaign in evidence.campaigns:
        settings = campaign.settings or {}
        if not isinstance(settings.get("survey"), dict):
            continue
        for entry in settings.get("call_plan") or []:
            if isinstance(entry, dict) and (n := normalize_phone(entry.get("number") or "")):
                numbers.add(n)
    return [
        a
        for a in evidence.of("call.dialed")
        if normalize_phone(a.payload.get("number") or "") in numbers
    ]


def _interviews(evidence) -> dict[int, list]:
    """The survey actions of each interview, by interview id, in log order."""
    found: dict[int, list] = {}
    for action in evidence.actions:
        if action.verb.startswith("survey.") and action.object_type == "survey_interview":
            found.setdefault(action.object_id, []).append(action)
    return found


@register
class SurveyRespondentFileOpened(EvidenceRule):
    """Before each survey call, the respondent's file is opened (the name list consulted)."""

    id = "survey_respondent_file_opened"
    title = _l("Fiche du répondant consultée avant chaque appel d'enquête")

    def evaluate(self, evidence):
        dials = _survey_dials(evidence)
        if not dials:
            return self.not_observed(_("Aucun appel d'enquête passé."))
        good, bad = [], []
        for dial in dials:
            client = dial.payload.get("client_id")
            viewed = [
                a
                for a in evidence.of("client.viewed")
                if a.object_id == client and a.seq < dial.seq
            ]
            (good if client and viewed else bad).append((dial, viewed[-1] if viewed else None))
        if bad:
            return self.not_met(
                _(
                    "Appel passé sans consulter la fiche du répondant : %(calls)s.",
                    calls=listing([phone(d.payload.get("number")) for d, _v in bad]),
                ),
                [d for d, _v in bad],
                met=[v for _d, v in good] + [d for d, _v in good],
                checked=len(dials),
            )
        return self.met(
            ngettext(
                "%(num)s appel d'enquête, passé après ouverture de la fiche du répondant.",
                "%(num)s appels d'enquête, chacun passé après ouverture de la fiche du répondant.",
                len(dials),
            ),
            [v for _d, v in good] + [d for d, _v in good],
            checked=len(dials),
        )


@register
class SurveyScriptFollowed(EvidenceRule):
    """Each respondent reached is interviewed with the questionnaire, run to a proper end."""

    id = "survey_script_followed"
    title = _l("Questionnaire administré selon le script jusqu'à sa fin")

    def evaluate(self, evidence):
        interviews = _interviews(evidence)
        good, bad, reasons = [], [], []
        for actions in interviews.values():
            ends = [a for a in actions if a.verb in PROPER_ENDS]
            if ends:
                good.append(ends[-1])
                continue
            abandoned = actions[-1].verb == "survey.abandoned"
            trace = evidence.contact_of(actions[0])
            running = trace is not None and trace.qualified is None and not evidence.final
            if not abandoned and running:
                continue  # the interview is going on now: nothing to judge yet
            bad.append(actions[-1])
            reasons.append(
                _("entretien n° %(n)s abandonné", n=actions[0].object_id)
                if abandoned
                else _("entretien n° %(n)s laissé en cours", n=actions[0].object_id)
            )
        interviewed = {a.interaction_id for acts in interviews.values() for a in acts}
        for dial in _survey_dials(evidence):
            trace = evidence.contacts.get(dial.payload.get("contact_id"))
            if trace is None or trace.qualified is None or trace.id in interviewed:
                continue
            if trace.qualified.payload.get("family") not in UNREACHED:
                bad.append(trace.qualified)
                reasons.append(
                    _("contact n° %(n)s qualifié sans questionnaire administré", n=trace.id)
                )
        if not good and not bad:
            return self.not_observed(_("Aucun entretien d'enquête mené."))
        if bad:
            return self.not_met(
                _("Script non respecté : %(items)s.", items=listing(reasons)),
                bad,
                met=good,
                interviews=len(interviews),
            )
        return self.met(
            ngettext(
                "%(num)s entretien a suivi le questionnaire jusqu'à sa fin (complété, hors quota, "
                "refus ou rappel).",
                "%(num)s entretiens ont suivi le questionnaire jusqu'à leur fin (complété, "
                "hors quota, refus ou rappel).",
                len(good),
            ),
            good,
            interviews=len(interviews),
        )


@register
class SurveyAnswersRecorded(EvidenceRule):
    """Answers are recorded as they are given, during the call, and a contact qualified as
    a completed survey has its questionnaire completed."""

    id = "survey_answers_recorded"
    title = _l("Réponses enregistrées fidèlement pendant l'appel")

    def evaluate(self, evidence):
        good, bad, reasons = [], [], []
        for actions in _interviews(evidence).values():
            answers = [a for a in actions if a.verb == "survey.answered"]
            trace = evidence.contact_of(actions[0])
            ended = trace.did("call.ended") if trace else []
            late = [a for a in answers if ended and a.seq > ended[0].seq]
            if late:
                bad.extend(late)
                reasons.append(
                    ngettext(
                        "entretien n° %(n)s : %(num)s réponse saisie après avoir raccroché",
                        "entretien n° %(n)s : %(num)s réponses saisies après avoir raccroché",
                        len(late),
                        n=actions[0].object_id,
                    )
                )
            elif answers:
                good.extend(answers)
        for dial in _survey_dials(evidence):
            trace = evidence.contacts.get(dial.payload.get("contact_id"))
            if trace is None or trace.qualified is None:
                continue
            completed = trace.did("survey.completed")
            if trace.qualified.payload.get("family") == "CA+" and not completed:
                bad.append(trace.qualified)
                reasons.append(
                    _(
                        "contact n° %(n)s qualifié « %(code)s » sans questionnaire complété",
                        n=trace.id,
                        code=trace.code,
                    )
                )
        if not good and not bad:
            return self.not_observed(_("Aucune réponse d'enquête enregistrée."))
        if bad:
            return self.not_met(
                _("Réponses mal enregistrées : %(items)s.", items=listing(reasons)),
                bad,
                met=good,
            )
        return self.met(
            ngettext(
                "%(num)s réponse enregistrée pendant l'appel.",
                "%(num)s réponses enregistrées pendant les appels.",
                len(good),
            ),
            good,
        )
