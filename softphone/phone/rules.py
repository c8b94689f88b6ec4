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

    @classmethod
    def from_settings(cls, settings: dict | None) -> CallingPolicy:
        """The policy of `settings["calling_rules"]` (numbers only), defaults elsewhere."""
        rules = (settings or {}).get("calling_rules") or {}
        values = {
            key: rules[key]
            for key in ("max_attempts", "attempts_days", "refusal_days")
            if isinstance(rules.get(key), int) and not isinstance(rules.get(key), bool)
        }
        return cls(**values)


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
        attempts_breach(facts, policy),
    ]
    return Verdict(tuple(b for b in found if b is not None))
