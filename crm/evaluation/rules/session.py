"""The phone session: logged on before working, logged off at the end of the shift."""

from __future__ import annotations

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.wording import duration, local_time
from crm.i18n import _, _l


@register
class PhoneSessionProcedure(EvidenceRule):
    """The candidate logs on to the phone to work and logs off at the end, leaving nothing open."""

    id = "phone_session_procedure"
    title = _l("Connexion et déconnexion du poste téléphonique selon la procédure")

    def evaluate(self, evidence):
        sessions = evidence.of("agent.logged_on", "agent.logged_off")
        if not sessions:
            return self.not_observed(_("Le poste téléphonique n'a jamais été connecté."))
        ons = [a for a in sessions if a.verb == "agent.logged_on"]
        offs = [a for a in sessions if a.verb == "agent.logged_off"]
        figures = {"log_ons": len(ons), "log_offs": len(offs)}
        last = sessions[-1]
        if last.verb == "agent.logged_on":
            if not evidence.final:
                return self.not_observed(
                    _(
                        "Poste connecté le %(when)s ; la séance n'est pas terminée : la "
                        "déconnexion est attendue à la fin.",
                        when=local_time(ons[-1].at),
                    ),
                    **figures,
                )
            return self.not_met(
                _(
                    "Poste resté connecté à la fin de la séance (connexion du %(when)s, jamais "
                    "suivie d'une déconnexion).",
                    when=local_time(last.at),
                ),
                [last],
                met=offs,
                **figures,
            )
        worked = sum(float((a.payload or {}).get("logged_on_seconds") or 0) for a in offs)
        return self.met(
            _(
                "Sessions téléphoniques ouvertes et fermées selon la procédure : %(n)s "
                "(%(time)s connecté au total).",
                n=len(offs),
                time=duration(worked),
            ),
            [*ons, *offs],
            **figures,
        )
