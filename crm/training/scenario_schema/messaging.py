"""Section validators for written messages: message templates and the dunning ladder.

Templates may only use ``{{ variable }}`` placeholders naming a known template variable; each
written dunning step must point to a template of its own channel.
"""

from __future__ import annotations

import difflib

from crm.i18n import lazy as _l
from crm.i18n import lazy_plural as ngettext

from .formats import _PLACEHOLDER, _SLUG, _SLUG_HINT
from .problems import _join
from .structure import StructureChecks
from .values import _raw
from .vocabulary import _LEN, DUNNING_CHANNELS, LANGUAGES, TEMPLATE_CHANNELS, TEMPLATE_VARIABLES


class MessagingSections(StructureChecks):
    """The ``message_templates`` and ``dunning_ladder`` sections."""

    def placeholders(self, text, where):
        """Only ``{{ variable }}`` placeholders with an allowed variable name."""
        if text is None:
            return
        for m in _PLACEHOLDER.finditer(text):
            name = m.group(1).strip()
            if name not in TEMPLATE_VARIABLES:
                close = difflib.get_close_matches(name, sorted(TEMPLATE_VARIABLES), n=1)
                allowed = ", ".join(sorted(TEMPLATE_VARIABLES))
                variable = f"{{{{ {name} }}}}"
                if close:
                    message = _l(
                        "variable inconnue %(variable)s : vouliez-vous dire %(close)s ? "
                        "permises : %(allowed)s",
                        variable=variable,
                        close=close[0],
                        allowed=allowed,
                    )
                else:
                    message = _l(
                        "variable inconnue %(variable)s : permises : %(allowed)s",
                        variable=variable,
                        allowed=allowed,
                    )
                self.add(where, message)
        rest = _PLACEHOLDER.sub("", text)
        if "{%" in rest or "%}" in rest:
            self.add(
                where,
                _l(
                    "les instructions %(statement)s ne sont pas prises en charge : "
                    "utilisez des variables %(placeholder)s",
                    statement="{% … %}",
                    placeholder="{{ variable }}",
                ),
            )
        elif "{{" in rest or "}}" in rest:
            self.add(
                where,
                _l(
                    "accolades déséquilibrées : chaque %(open)s demande son %(close)s "
                    "(comme dans %(example)s)",
                    open="{{",
                    close="}}",
                    example="{{ client.last_name }}",
                ),
            )

    def message_templates(self, data) -> dict[str, str]:
        """Letter templates; returns key -> channel for the dunning ladder."""
        seen: dict = {}
        channels: dict[str, str] = {}
        keys = ("key", "name", "channel", "language", "subject", "body")
        for where, tpl in self.records(data, "message_templates", "", keys, non_empty=True):
            self.text(tpl, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            key = _raw(tpl, "key")
            self.unique(_join(where, "key"), key, seen, _l("clé de lettre-type"))
            self.text(tpl, "name", where, max_len=_LEN["name"])
            channel = self.choice(tpl, "channel", where, TEMPLATE_CHANNELS)
            self.choice(tpl, "language", where, LANGUAGES)
            if channel in ("email", None):
                subject = self.text(
                    tpl, "subject", where, optional=channel is None, max_len=_LEN["title"]
                )
                self.placeholders(subject, _join(where, "subject"))
            elif tpl.get("subject") not in (None, ""):
                self.add(
                    _join(where, "subject"),
                    _l(
                        "seules les lettres-types e-mail ont un objet, pas %(channel)s",
                        channel=channel,
                    ),
                )
            self.placeholders(self.text(tpl, "body", where), _join(where, "body"))
            if key and channel:
                channels.setdefault(key, channel)
        return channels

    def dunning_ladder(self, data, templates: dict[str, str]) -> None:
        """Reminder steps in increasing level and delay, each with a template of its channel."""
        last_level = last_days = None
        keys = ("level", "days_after_due", "channel", "template", "label")
        for where, step in self.records(data, "dunning_ladder", "", keys, non_empty=True):
            level = self.integer(step, "level", where, low=1)
            days = self.integer(step, "days_after_due", where, low=0)
            channel = self.choice(step, "channel", where, DUNNING_CHANNELS)
            # A phone call needs no letter; every written reminder is sent from a template.
            template = self.text(step, "template", where, optional=channel in ("call", None))
            known = template is not None and self.ref(
                _join(where, "template"), template, templates, _l("lettre-type"),
                _l("aucune lettre-type n'a cette clé"),
            )  # fmt: skip
            if known and channel not in ("call", None) and templates[template] != channel:
                self.add(
                    _join(where, "template"),
                    _l(
                        "%(template)s est une lettre-type %(its)s ; cette étape est %(channel)s",
                        template=repr(template),
                        its=templates[template],
                        channel=channel,
                    ),
                )
            self.text(step, "label", where, max_len=_LEN["label"])
            if level is not None:
                if last_level is not None and level <= last_level:
                    self.add(
                        _join(where, "level"),
                        _l(
                            "les niveaux doivent croître dans la liste : %(level)s vient après "
                            "%(last)s",
                            level=level,
                            last=last_level,
                        ),
                    )
                last_level = level
            if days is not None:
                if last_days is not None and days <= last_days:
                    self.add(
                        _join(where, "days_after_due"),
                        ngettext(
                            "doit dépasser l'étape précédente (%(num)s jour)",
                            "doit dépasser l'étape précédente (%(num)s jours)",
                            last_days,
                        ),
                    )
                last_days = days
