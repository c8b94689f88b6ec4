"""The written channels at the desk: what each accepts, expects and promises.

One small class per written channel of `crm.channels` (its labels, deadlines and KPIs), each
answering with dataclasses: the check of an outgoing message, the default answer deadline, the
consent verdict, how a party's address is written and whether a new inbound message continues an
existing conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from crm import channels
from crm.phones import normalize_phone
from softphone.inbox.sms import MAX_SEGMENTS, SmsMeasure, measure_sms

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
#: Reply and forward prefixes, French and English, stripped to compare email subjects.
_SUBJECT_PREFIX = re.compile(r"^\s*((re|tr|fwd?|aw)\s*:\s*)+", re.IGNORECASE)
MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class OutgoingCheck:
    """The verdict on a message about to be sent: problems per field, and its measures."""

    errors: dict[str, str] = field(default_factory=dict)
    #: Characters of the body.
    length: int = 0
    #: SMS only: encoding and segments.
    sms: SmsMeasure | None = None

    @property
    def ok(self) -> bool:
        """Whether the message may go out."""
        return not self.errors


@dataclass(frozen=True)
class ConsentVerdict:
    """Whether a message may be sent to a client on this channel, and why not."""

    allowed: bool
    reason: str | None = None


def subject_key(subject: str | None) -> str:
    """A subject without its Re:/TR:/Fwd: prefixes, case and spacing: what threads compare."""
    return " ".join(_SUBJECT_PREFIX.sub("", subject or "").split()).casefold()


class Channel:
    """A written channel; subclasses set the limits and may refine the checks."""

    name = ""
    label = ""
    #: The first answer is due within this delay unless the scenario says otherwise.
    default_deadline = timedelta(hours=24)
    max_length = 20000
    needs_subject = False
    allows_attachments = False
    #: Channels of the message templates usable on this channel.
    template_channels: tuple[str, ...] = ()
    #: The client's consent flag that non-transactional messages need.
    consent_field: str | None = None

    def prepare(self, text: str) -> str:
        """The text as this channel carries it (unchanged unless a channel says otherwise)."""
        return text

    def deadline(self, settings: dict | None) -> timedelta:
        """The answer deadline: `settings["channel_deadlines"][channel]` minutes, or default."""
        minutes = ((settings or {}).get("channel_deadlines") or {}).get(self.name)
        if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0:
            return timedelta(minutes=minutes)
        return self.default_deadline

    def normalize_party(self, raw: str | None) -> str | None:
        """The party's address as stored and compared, or None when it is not valid."""
        raise NotImplementedError

    def party_hint(self) -> str:
        """What a valid party looks like, in French."""
        raise NotImplementedError

    def continues(self, conversation, subject: str | None) -> bool:
        """Whether a new inbound message from the same party belongs to this conversation."""
        return conversation.status != "resolved"

    def consent(self, client, *, transactional: bool) -> ConsentVerdict:
        """Replies and transactional messages are always allowed; others need the consent."""
        if transactional:
            return ConsentVerdict(True)
        if client is None or self.consent_field is None:
            return ConsentVerdict(False, f"Pas de message {self.label} sans demande du client.")
        if not getattr(client, self.consent_field):
            return ConsentVerdict(
                False, f"Le client n'a pas consenti à recevoir des messages par {self.label}."
            )
        return ConsentVerdict(True)

    def check_outgoing(
        self, subject: str | None, body: str | None, attachments: list | None = None
    ) -> OutgoingCheck:
        """Check a message before it goes out: subject, body length, attachments."""
        errors: dict[str, str] = {}
        body = body or ""
        if not body.strip():
            errors["body"] = "Le message est vide."
        elif len(body) > self.max_length:
            errors["body"] = (
                f"{self.max_length} caractères au plus par {self.label} ({len(body)} saisis)."
            )
        if self.needs_subject and not (subject or "").strip():
            errors["subject"] = f"Un {self.label} doit avoir un objet."
        elif not self.needs_subject and (subject or "").strip():
            errors["subject"] = f"Pas d'objet pour un message {self.label}."
        elif len(subject or "") > 200:
            errors["subject"] = "200 caractères au plus."
        if attachments and not self.allows_attachments:
            errors["attachment_ids"] = f"Pas de pièce jointe par {self.label}."
        elif attachments and len(attachments) > MAX_ATTACHMENTS:
            errors["attachment_ids"] = f"{MAX_ATTACHMENTS} pièces jointes au plus."
        return OutgoingCheck(errors, len(body))


#: No-break and narrow no-break spaces (French typography, money formatting) → space.
_TYPOGRAPHIC_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


class Email(Channel):
    """Email: a subject, attachments from the document library, 24 h to answer by default."""

    name, label = "email", "e-mail"
    default_deadline = channels.get("email").answer_deadline
    needs_subject = True
    allows_attachments = True
    template_channels = ("email",)
    consent_field = channels.get("email").consent_field

    def normalize_party(self, raw):
        text = (raw or "").strip().lower()
        return text if _EMAIL.fullmatch(text) and len(text) <= 160 else None

    def party_hint(self):
        return "Adresse e-mail attendue, par exemple « client@exemple.fr »."

    def continues(self, conversation, subject):
        """Same subject once Re:/TR: are stripped: a reply even to a resolved thread."""
        return subject_key(conversation.subject) == subject_key(subject)


class Sms(Channel):
    """SMS: plain text, GSM-7 or UCS-2, at most six segments, 4 h to answer by default."""

    name, label = "sms", "SMS"
    default_deadline = channels.get("sms").answer_deadline
    template_channels = ("sms",)
    consent_field = channels.get("sms").consent_field

    def normalize_party(self, raw):
        return normalize_phone(raw) if isinstance(raw, str) else None

    def party_hint(self):
        return "Numéro de téléphone français attendu, par exemple « 06 12 34 56 78 »."

    def continues(self, conversation, subject):
        """A phone keeps one SMS thread per number, even after it was resolved."""
        return True

    def prepare(self, text: str) -> str:
        """French typography's no-break spaces become plain ones: they are not GSM-7, and one
        of them (« Bureau Direct : » from a template) would turn the whole SMS into Unicode,
        at 70 characters a segment instead of 160."""
        return text.translate(_TYPOGRAPHIC_SPACES)

    def check_outgoing(self, subject, body, attachments=None):
        checked = super().check_outgoing(subject, body, attachments)
        measure = measure_sms(body or "")
        errors = dict(checked.errors)
        if "body" not in errors and measure.segments > MAX_SEGMENTS:
            errors["body"] = (
                f"SMS trop long : {measure.segments} segments ({measure.units} caractères "
                f"{'GSM' if measure.encoding == 'gsm7' else 'Unicode'}) ; "
                f"{MAX_SEGMENTS} au plus."
            )
        return OutgoingCheck(errors, checked.length, measure)


class Chat(Channel):
    """Chat: short live turns, no attachment, 2 minutes to take it by default."""

    name, label = "chat", "chat"
    default_deadline = channels.get("chat").answer_deadline
    max_length = 1000
    #: Chat has its own templates (greeting, holding on, closing): short, live, no subject.
    template_channels = ("chat",)

    def normalize_party(self, raw):
        text = " ".join((raw or "").split()) if isinstance(raw, str) else ""
        return text if 0 < len(text) <= 160 else None

    def party_hint(self):
        return "Nom ou adresse du visiteur attendu (160 caractères au plus)."

    def consent(self, client, *, transactional):
        """A chat is only ever an answer to a visitor who opened it."""
        return ConsentVerdict(True)


#: The written channels of the registry (`crm.channels`), each with its behaviour at the desk.
CHANNELS: dict[str, type[Channel]] = {c.name: c for c in (Email, Sms, Chat)}


def channel_for(name: str) -> Channel:
    """The channel object for a name known to CHANNELS."""
    return CHANNELS[name]()
