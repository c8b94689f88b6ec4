"""The channels registry: everything the house knows about a channel, registered once by name.

In CTFd's manner (a dict of small classes registered by name), each `Channel` says its screen
labels (French, translated lazily on screen), its icon, whether it is written (messages answered
within a deadline) and that default deadline, the timeline event kind that brings it to the
candidate, the verbs of the action log that are its own and the keys of its KPIs. Pages, forms,
evidence rules, KPIs, the scenario schema and the softphone ask the registry instead of spelling
channel names.

To add a channel: `register(Channel(...))` below; the database CHECK constraints of
`contact.channel` and `conversation.channel` need a migration when its name is new there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from crm.i18n import N_, _l


@dataclass(frozen=True)
class Channel:
    """One channel of contact with a customer."""

    name: str
    #: As a heading or an option: « E-mail ».
    label: object
    #: Inside a sentence: « e-mail ».
    word: object
    #: An interaction on it, as a live tile names it: « Appel », « E-mail ».
    interaction_label: object
    #: As the option of a timeline event to inject: « Appel entrant », « E-mail ».
    event_label: object
    #: A short sign for dense lists (the room's event list).
    icon: str
    #: Written: customer messages await an answer within a deadline.
    written: bool
    #: The first answer is due within this delay unless the scenario says otherwise.
    answer_deadline: timedelta | None
    #: Seconds a scripted customer takes to answer on it (typing, then sending); written only.
    customer_reply_seconds: int | None
    #: The timeline event kind that brings it to the candidate (None: no timeline event).
    timeline_kind: str | None
    #: At the desk: the candidate works it (a letter is only ever in a scenario's history).
    at_desk: bool
    #: Message templates (lettres-types) are written for it.
    templates: bool
    #: The client file's consent flag for it (`consent_phone`…), None when it needs none.
    consent_field: str | None
    #: Canvassing on it needs the client's consent and respects do-not-call (phone, SMS).
    canvassing: bool
    #: Verb prefixes of the action log that belong to this channel even when their payload
    #: names none (the phone's `call.*` and `agent.*`); written messages carry their channel.
    verb_prefixes: tuple[str, ...]
    #: KPI labels (catalog markers, translated when a report is drawn).
    contacts_kpi_label: str
    deadline_kpi_label: str | None = None
    #: The address a message on it goes to: "email", "mobile", "phone" (any number), "postal";
    #: None when the customer comes to it (chat).
    address_kind: str | None = None
    #: The name a dunning ladder's step gives it (`dunning.steps[].channel`), None if no step.
    dunning_step: str | None = None
    #: A reminder on it, inside a sentence (« appel »), when it is not its `word`.
    reminder_word: object | None = None
    #: An order's written confirmation may be sent on it.
    confirmations: bool = False
    #: A contract's cancellation or retention may be confirmed in writing on it.
    contract_confirmations: bool = False
    #: Characters at most in a scenario message's body on it (written channels).
    body_limit: int | None = None

    @property
    def contacts_kpi(self) -> str:
        """KPI key: contacts qualified on this channel."""
        return f"contacts.{self.name}"

    @property
    def deadline_kpi(self) -> str | None:
        """KPI key: answers within the deadline on this channel (written channels only)."""
        return f"deadline_compliance.{self.name}" if self.written else None


#: The registry: name → channel, in the order screens list them.
CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Add a channel to the registry (a name is registered once)."""
    if channel.name in CHANNELS:
        raise ValueError(f"channel {channel.name!r} is already registered")
    CHANNELS[channel.name] = channel
    return channel


def get(name: str) -> Channel:
    """The channel registered under `name` (KeyError for an unknown name)."""
    return CHANNELS[name]


def names(*, written: bool | None = None, at_desk: bool | None = None) -> tuple[str, ...]:
    """Channel names in registry order, optionally only the written ones or those at the desk."""
    return tuple(
        c.name
        for c in CHANNELS.values()
        if (written is None or c.written == written) and (at_desk is None or c.at_desk == at_desk)
    )


def template_channels() -> tuple[str, ...]:
    """Channels message templates are written for (a scenario's `templates[].channel`)."""
    return tuple(c.name for c in CHANNELS.values() if c.templates)


def with_consent() -> tuple[str, ...]:
    """Channels a client consents to or not (a scenario's `consent:` keys, the file's flags)."""
    return tuple(c.name for c in CHANNELS.values() if c.consent_field)


def labels(*, written: bool | None = None, at_desk: bool | None = None) -> dict[str, object]:
    """name → screen label (lazy), for options and legends."""
    return {n: CHANNELS[n].label for n in names(written=written, at_desk=at_desk)}


def words(*, written: bool | None = None) -> dict[str, object]:
    """name → the word used inside a sentence (lazy)."""
    return {n: CHANNELS[n].word for n in names(written=written)}


def label_of(name: str | None):
    """A channel's screen label, or the name itself when it is not a registered channel."""
    return CHANNELS[name].label if name in CHANNELS else (name or "")


def word_of(name: str | None):
    """A channel's word inside a sentence, or the name itself when it is not registered."""
    return CHANNELS[name].word if name in CHANNELS else (name or "")


def of_verb(verb: str) -> str | None:
    """The channel whose verb prefixes the verb has (`call.answered` → phone), else None."""
    return next((c.name for c in CHANNELS.values() if verb.startswith(c.verb_prefixes)), None)


def interaction_labels(*, by_kind: bool = False) -> dict[str, str]:
    """Channel name (or timeline kind) → how a live tile names an interaction, translated now
    (for the texts a page's script receives)."""
    return {
        (c.timeline_kind if by_kind else c.name): str(c.interaction_label)
        for c in CHANNELS.values()
        if c.at_desk
    }


def timeline_kinds() -> tuple[str, ...]:
    """The kinds of timeline events a scenario may schedule (one per channel at the desk)."""
    return tuple(c.timeline_kind for c in CHANNELS.values() if c.timeline_kind)


def timeline_options() -> list[tuple[str, object]]:
    """(kind, label) of each timeline event kind, for the injection form."""
    return [(c.timeline_kind, c.event_label) for c in CHANNELS.values() if c.timeline_kind]


def kind_icon(kind: str) -> str:
    """The icon of the channel a timeline event kind brings, or the kind itself."""
    found = [c for c in CHANNELS.values() if c.timeline_kind == kind]
    return found[0].icon if found else kind


def dunning_steps() -> tuple[str, ...]:
    """The channel names a dunning ladder's steps use: written reminders first, as a ladder
    usually climbs (e-mail, SMS, then a call and a letter)."""
    found = [c for c in CHANNELS.values() if c.dunning_step]
    return tuple(c.dunning_step for c in sorted(found, key=lambda c: not c.written))


def of_dunning_step(step: str) -> Channel | None:
    """The channel a dunning step names (`call` → phone), or None."""
    return next((c for c in CHANNELS.values() if c.dunning_step == step), None)


def reminder_words() -> dict[str, object]:
    """Dunning step name → how a reminder on it is named in a sentence (lazy)."""
    steps = [of_dunning_step(step) for step in dunning_steps()]
    return {c.dunning_step: c.reminder_word or c.word for c in steps}


def confirmation_channels() -> tuple[str, ...]:
    """Channels an order's written confirmation may be sent on, in registry order."""
    return tuple(c.name for c in CHANNELS.values() if c.confirmations)


def contract_confirmation_channels() -> tuple[str, ...]:
    """Channels a contract's change may be confirmed in writing on, in registry order."""
    return tuple(c.name for c in CHANNELS.values() if c.contract_confirmations)


def body_limits() -> dict[str, int]:
    """Timeline kind → characters at most in a scenario message's body on its channel."""
    return {c.timeline_kind: c.body_limit for c in CHANNELS.values() if c.body_limit}


def sql_in(column: str, values: Iterable[str]) -> str:
    """`column in ('phone', …)`: a CHECK constraint over registered names or kinds."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} in ({quoted})"


register(
    Channel(
        name="phone",
        consent_field="consent_phone",
        templates=False,
        canvassing=True,
        label=_l("Téléphone"),
        word=_l("téléphone"),
        interaction_label=_l("Appel"),
        event_label=_l("Appel entrant"),
        icon="☎",
        written=False,
        answer_deadline=None,
        customer_reply_seconds=None,
        timeline_kind="call",
        at_desk=True,
        verb_prefixes=("call.", "agent."),
        contacts_kpi_label=N_("Contacts traités : téléphone"),
        address_kind="phone",
        dunning_step="call",
        reminder_word=_l("appel"),
    )
)
register(
    Channel(
        name="email",
        consent_field="consent_email",
        templates=True,
        canvassing=False,
        label=_l("E-mail"),
        word=_l("e-mail"),
        interaction_label=_l("E-mail"),
        event_label=_l("E-mail"),
        icon="✉",
        written=True,
        answer_deadline=timedelta(hours=24),
        customer_reply_seconds=180,
        timeline_kind="email",
        at_desk=True,
        verb_prefixes=(),
        contacts_kpi_label=N_("Contacts traités : e-mail"),
        deadline_kpi_label=N_("Respect du délai de réponse : e-mail"),
        address_kind="email",
        dunning_step="email",
        confirmations=True,
        body_limit=20000,
        contract_confirmations=True,
    )
)
register(
    Channel(
        name="sms",
        consent_field="consent_sms",
        templates=True,
        canvassing=True,
        label=_l("SMS"),
        word=_l("SMS"),
        interaction_label=_l("SMS"),
        event_label=_l("SMS"),
        icon="SMS",
        written=True,
        answer_deadline=timedelta(hours=4),
        customer_reply_seconds=60,
        timeline_kind="sms",
        at_desk=True,
        verb_prefixes=(),
        contacts_kpi_label=N_("Contacts traités : SMS"),
        deadline_kpi_label=N_("Respect du délai de réponse : SMS"),
        address_kind="mobile",
        dunning_step="sms",
        confirmations=True,
        body_limit=1000,
    )
)
register(
    Channel(
        name="chat",
        consent_field=None,
        templates=True,
        canvassing=False,
        label=_l("Chat"),
        word=_l("chat"),
        interaction_label=_l("Chat"),
        event_label=_l("Chat"),
        icon="Chat",
        written=True,
        answer_deadline=timedelta(minutes=2),
        customer_reply_seconds=12,
        timeline_kind="chat",
        at_desk=True,
        verb_prefixes=(),
        contacts_kpi_label=N_("Contacts traités : chat"),
        deadline_kpi_label=N_("Respect du délai de réponse : chat"),
        body_limit=1000,
    )
)
register(
    Channel(
        name="letter",
        consent_field=None,
        templates=True,
        canvassing=False,
        label=_l("Courrier"),
        word=_l("courrier"),
        interaction_label=_l("Courrier"),
        event_label=_l("Courrier"),
        icon="✉",
        written=False,
        answer_deadline=None,
        customer_reply_seconds=None,
        timeline_kind=None,
        at_desk=False,
        verb_prefixes=(),
        contacts_kpi_label=N_("Contacts traités : courrier"),
        address_kind="postal",
        dunning_step="letter",
        contract_confirmations=True,
    )
)
