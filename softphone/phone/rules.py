"""Calling rules for outbound calls, pure: what dialling a number now would breach.

The facts (do-not-call, refusals, earlier attempts) are read from the database by `lookup`;
the rules here only judge them at a given moment, so they are tested with any clock.

Every breach warns the candidate, who may go on knowingly: the breach is then recorded as
evidence for the evaluator (a sandbox must let a candidate make the mistake an exam looks for).
A breach is *severe* when the client opposed calls (do-not-call list, or a number blocked after a
refusal): the desk shows it in red and the CRM only opens such a contact when the candidate
acknowledged the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crm.contacts.agenda import B2C_CALL_DAYS, B2C_CALL_WINDOWS, PARIS, WEEKDAYS, WINDOWS_TEXT
from crm.i18n import N_, translate
from softphone.phone.holidays import holiday_name


@dataclass(frozen=True)
class CallingPolicy:
    """The limits a campaign applies (French defaults)."""

    max_attempts: int = 4
    attempts_days: int = 30
    refusal_days: int = 60
    windows: tuple[tuple[time, time], ...] = B2C_CALL_WINDOWS
    #: Shortest wait between two attempts to one number (a shift's campaign sets it).
    min_spacing_minutes: int = 0
    #: The campaign's own calling windows (any client), Paris time; None: no campaign windows.
    campaign_windows: tuple[tuple[time, time], ...] | None = None

    @classmethod
    def from_settings(cls, settings: dict | None) -> CallingPolicy:
        """The policy of `settings["calling_rules"]` (numbers, and "HH:MM-HH:MM" windows)."""
        rules = (settings or {}).get("calling_rules") or {}
        values = {
            key: rules[key]
            for key in ("max_attempts", "attempts_days", "refusal_days", "min_spacing_minutes")
            if isinstance(rules.get(key), int) and not isinstance(rules.get(key), bool)
        }
        windows = parse_windows(rules.get("windows"))
        if windows:
            values["campaign_windows"] = windows
        return cls(**values)


def parse_windows(value) -> tuple[tuple[time, time], ...]:
    """Windows written "HH:MM-HH:MM" (the end may be 24:00), the ones that read well."""
    found = []
    for item in value if isinstance(value, list) else []:
        try:
            start, end = (part.strip() for part in str(item).split("-"))
            begin = time.fromisoformat(start)
            finish = time.max if end == "24:00" else time.fromisoformat(end)
        except ValueError:
            continue
        if begin < finish:
            found.append((begin, finish))
    return tuple(found)


def windows_text(windows: tuple[tuple[time, time], ...]) -> str:
    """Windows as people read them: « 09:00–12:00, 14:00–18:00 »."""
    return ", ".join(
        f"{start:%H:%M}–{'24:00' if end == time.max else f'{end:%H:%M}'}" for start, end in windows
    )


@dataclass(frozen=True)
class DialFacts:
    """What the attempt's world knows about the number being dialled."""

    number: str
    client_id: int | None = None
    #: A consumer (B2C) or an unknown number: the legal calling windows apply.
    consumer: bool = True
    do_not_call: bool = False
    #: The client's number is blocked until this day (after a refusal).
    blocked_until: date | None = None
    #: Outbound calls to this number within the policy's `attempts_days`.
    recent_attempts: int = 0
    #: The last contact to this number qualified with a refusal, within `refusal_days`.
    last_refusal_at: datetime | None = None
    #: When the last outbound call to this number started (the spacing rule reads it).
    last_attempt_at: datetime | None = None


@dataclass(frozen=True)
class Breach:
    """One rule a dial would break: French source text and its values (see `crm.i18n`)."""

    rule: str
    #: French source with %(name)s placeholders, marked N_ for the catalog.
    text: str
    #: The client opposed calls (do-not-call list, blocked after a refusal): shown in red.
    severe: bool = False
    #: The placeholders' values as (name, value) pairs; words among them are translated too.
    values: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        """The sentence in French, as the action log keeps it."""
        return self.text % dict(self.values) if self.values else self.text

    def shown(self) -> str:
        """The sentence in the screen's language."""
        return translate(self.text, **{name: translate(v) for name, v in self.values})

    def to_dict(self, *, shown: bool = False) -> dict:
        """JSON form: French for the action payloads, the screen's language when `shown`."""
        message = self.shown() if shown else self.message
        return {"rule": self.rule, "message": message, "severe": self.severe}


@dataclass(frozen=True)
class Verdict:
    """Every breach of a dial; none means the call may go."""

    breaches: tuple[Breach, ...] = ()

    @property
    def ok(self) -> bool:
        """No rule broken."""
        return not self.breaches


def _d(day: date) -> str:
    """A day as French people write it (31/12/2026)."""
    return day.strftime("%d/%m/%Y")


def do_not_call_breach(facts: DialFacts) -> Breach | None:
    """A client on the do-not-call list (opposition)."""
    if not facts.do_not_call:
        return None
    return Breach(
        "do_not_call",
        N_("Ce client est sur la liste « ne pas appeler » (opposition au démarchage)."),
        severe=True,
    )


def refusal_breach(facts: DialFacts, today: date, policy: CallingPolicy) -> Breach | None:
    """A refusal less than `refusal_days` ago (the client's block, or the contact history)."""
    if facts.blocked_until and facts.blocked_until >= today:
        return Breach(
            "refusal",
            N_("Refus récent : pas de nouvelle sollicitation avant le %(until)s."),
            severe=True,
            values=(("until", _d(facts.blocked_until)),),
        )
    if facts.last_refusal_at is None:
        return None
    refused_on = facts.last_refusal_at.astimezone(PARIS).date()
    until = refused_on + timedelta(days=policy.refusal_days)
    if until < today:
        return None
    return Breach(
        "refusal",
        N_("Refus le %(on)s : pas de nouvelle sollicitation avant le %(until)s."),
        values=(("on", _d(refused_on)), ("until", _d(until))),
    )


def window_breaches(facts: DialFacts, moment: datetime, policy: CallingPolicy) -> list[Breach]:
    """Outside the consumer calling windows, or on a public holiday (consumers only)."""
    if not facts.consumer:
        return []
    local = moment.astimezone(PARIS)
    clock = local.time().replace(tzinfo=None)
    breaches = []
    inside = local.weekday() in B2C_CALL_DAYS and any(
        start <= clock < end for start, end in policy.windows
    )
    if not inside:
        breaches.append(
            Breach(
                "calling_window",
                N_(
                    "Hors des plages d'appel des particuliers (%(windows)s) : nous sommes "
                    "%(day)s à %(time)s."
                ),
                values=(
                    ("windows", WINDOWS_TEXT),
                    ("day", WEEKDAYS[local.weekday()]),
                    ("time", f"{local:%H:%M}"),
                ),
            )
        )
    holiday = holiday_name(local.date())
    if holiday:
        breaches.append(
            Breach(
                "public_holiday",
                N_("Jour férié (%(holiday)s) : pas d'appel aux particuliers."),
                values=(("holiday", holiday),),
            )
        )
    return breaches


def campaign_window_breach(moment: datetime, policy: CallingPolicy) -> Breach | None:
    """Outside the calling windows the campaign set (whatever the client)."""
    if not policy.campaign_windows:
        return None
    local = moment.astimezone(PARIS)
    clock = local.time().replace(tzinfo=None)
    if any(start <= clock < end for start, end in policy.campaign_windows):
        return None
    return Breach(
        "campaign_window",
        N_("Hors des plages d'appel de la campagne (%(windows)s) : il est %(time)s."),
        values=(("windows", windows_text(policy.campaign_windows)), ("time", f"{local:%H:%M}")),
    )


def spacing_breach(facts: DialFacts, moment: datetime, policy: CallingPolicy) -> Breach | None:
    """A new attempt to this number sooner than the campaign's minimum spacing."""
    if not policy.min_spacing_minutes or facts.last_attempt_at is None:
        return None
    until = facts.last_attempt_at + timedelta(minutes=policy.min_spacing_minutes)
    if moment >= until:
        return None
    return Breach(
        "spacing",
        N_(
            "Dernière tentative vers ce numéro à %(last)s : la campagne demande %(minutes)s min "
            "entre deux tentatives (pas avant %(until)s)."
        ),
        values=(
            ("last", f"{facts.last_attempt_at.astimezone(PARIS):%H:%M}"),
            ("minutes", str(policy.min_spacing_minutes)),
            ("until", f"{until.astimezone(PARIS):%H:%M}"),
        ),
    )


def attempts_breach(facts: DialFacts, policy: CallingPolicy) -> Breach | None:
    """Already `max_attempts` calls to this number within `attempts_days`."""
    if facts.recent_attempts < policy.max_attempts:
        return None
    return Breach(
        "max_attempts",
        N_(
            "Déjà %(count)s tentatives d'appel vers ce numéro ces %(days)s derniers jours "
            "(%(max)s au plus)."
        ),
        values=(
            ("count", str(facts.recent_attempts)),
            ("days", str(policy.attempts_days)),
            ("max", str(policy.max_attempts)),
        ),
    )


def check_dial(facts: DialFacts, moment: datetime, policy: CallingPolicy | None = None) -> Verdict:
    """Every rule a dial to this number at this moment would break."""
    policy = policy or CallingPolicy()
    today = moment.astimezone(PARIS).date()
    found = [
        do_not_call_breach(facts),
        refusal_breach(facts, today, policy),
        *window_breaches(facts, moment, policy),
        campaign_window_breach(moment, policy),
        attempts_breach(facts, policy),
        spacing_breach(facts, moment, policy),
    ]
    return Verdict(tuple(b for b in found if b is not None))
