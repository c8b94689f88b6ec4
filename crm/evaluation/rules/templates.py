"""Written messages from letter templates: variables filled, template in the exchange's language."""

from __future__ import annotations

import re

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.wording import listing
from crm.i18n import _, _l

#: A blank left in the text: {{ client.name }}, {% if … %}, [[NOM]], <PRÉNOM>, [Nom du client],
#: XXX. The inbox renders its own {{ }} variables (or refuses them) before sending; blanks typed
#: the way paper letter templates mark them reach the customer unless the candidate fills them.
PLACEHOLDER = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\[\[[^\]]+\]\]|<[A-ZÉÈ_]{3,}>|\bX{3,}\b"
    r"|\[(?:nom|prénom|prenom|name|first name|date|heure|time|numéro|numero|montant|amount|client"
    r"|société|company|adresse|address)\b[^\]\n]{0,30}\]",
    re.IGNORECASE,
)


def _label(action) -> str:
    payload = action.payload or {}
    return _("message n° %(n)s", n=action.object_id) + (
        f" ({payload['template']})" if payload.get("template") else ""
    )


@register
class TemplatesWellUsed(EvidenceRule):
    """Messages sent carry no unfilled variable, and a template in the exchange's language."""

    id = "templates_well_used"
    title = _l("Lettres-types : variables remplies, modèle dans la langue de l'échange")

    def evaluate(self, evidence):
        sent = [a for a in evidence.of("message.sent") if a.actor_role != "customer"]
        if not sent:
            return self.not_observed(_("Aucun message écrit envoyé."))
        good, faults = [], []
        for action in sent:
            payload = action.payload or {}
            problems = []
            left = PLACEHOLDER.findall(
                f"{payload.get('subject') or ''}\n{payload.get('body') or ''}"
            )
            if left:
                problems.append(
                    _("variables non remplies : %(list)s", list=listing(sorted(set(left)), 3))
                )
            template_language = payload.get("template_language")
            language = payload.get("language")
            if template_language and language and template_language != language:
                problems.append(
                    _(
                        "modèle en %(template)s pour un échange en %(language)s",
                        template=template_language,
                        language=language,
                    )
                )
            if problems:
                faults.append((action, f"{_label(action)} : {', '.join(problems)}"))
            else:
                good.append(action)
        from_templates = sum(1 for a in sent if (a.payload or {}).get("template"))
        figures = {"messages": len(sent), "from_templates": from_templates}
        if faults:
            return self.not_met(
                _("Lettre-type mal employée : %(items)s.", items="; ".join(f for _a, f in faults)),
                [a for a, _f in faults],
                met=good,
                **figures,
            )
        return self.met(
            _(
                "Messages envoyés : %(n)s, dont %(t)s à partir d'une lettre-type, sans variable "
                "oubliée et dans la langue de l'échange.",
                n=len(sent),
                t=from_templates,
            ),
            good,
            **figures,
        )
