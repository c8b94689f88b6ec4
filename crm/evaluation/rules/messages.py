"""Written channels: every customer message answered within its channel's deadline."""

from __future__ import annotations

from crm import channels, clock
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import conversations
from crm.evaluation.rules.wording import duration, local_time, moment
from crm.i18n import _, _l, ngettext


def reference_time(evidence):
    """When unanswered messages are judged: the end of the shift, else now."""
    shift = evidence.attempt.shift
    return (shift.ended_at if shift is not None else None) or clock.now()


def late_answer(closing, deadline) -> bool:
    """A reply says whether it was within the deadline; a closing is compared with it."""
    within = (closing.payload or {}).get("within_deadline")
    return not within if isinstance(within, bool) else closing.at > deadline


def answer_delay(received, closing) -> float:
    """Seconds the customer waited: the reply's own measure, else between the two actions."""
    delay = (closing.payload or {}).get("answer_delay_seconds")
    return delay if isinstance(delay, int | float) else (closing.at - received.at).total_seconds()


def _is_reply(action) -> bool:
    return action.verb == "message.sent" and (action.payload or {}).get("kind") == "reply"


def answers(facts):
    """Each wait of a conversation and how it ended: (received, deadline, closing action).

    A wait starts with a customer message while nothing else waits (the payload carries the
    channel's deadline) and ends with the first reply, or with the conversation resolved
    without one (the candidate handled it otherwise, e.g. an opt-out). Open waits end None.
    """
    waits, pending = [], None
    for action in facts.actions:
        payload = action.payload or {}
        if action.verb == "message.received":
            deadline = moment(payload.get("deadline_at"))
            if pending is None and deadline is not None:
                pending = (action, deadline)
        elif pending and (action in facts.resolved or _is_reply(action)):
            waits.append((*pending, action))
            pending = None
    if pending:
        waits.append((*pending, None))
    return waits


@register
class ChannelDeadlinesMet(EvidenceRule):
    """Emails, SMS and chats answered (or handled) within the scenario's deadline per channel."""

    id = "channel_deadlines_met"
    title = _l("Réponse dans le délai de chaque canal (e-mail, SMS, chat)")

    def evaluate(self, evidence):
        now = reference_time(evidence)
        in_time, late, waiting = [], [], 0
        for facts in conversations(evidence).values():
            label = channels.words().get(facts.channel, facts.channel)
            for received, deadline, closing in answers(facts):
                if closing is None:
                    if deadline >= now:
                        waiting += 1
                        continue
                    late.append(
                        (
                            received,
                            _(
                                "%(channel)s n° %(message)s sans réponse, échéance du "
                                "%(deadline)s dépassée",
                                channel=label,
                                message=received.object_id,
                                deadline=local_time(deadline),
                            ),
                        )
                    )
                elif late_answer(closing, deadline):
                    late.append(
                        (
                            closing,
                            _(
                                "%(channel)s n° %(message)s traité après %(delay)s, au-delà de "
                                "l'échéance du %(deadline)s",
                                channel=label,
                                message=received.object_id,
                                delay=duration(answer_delay(received, closing)),
                                deadline=local_time(deadline),
                            ),
                        )
                    )
                else:
                    in_time.append(closing)
        if late:
            return self.not_met(
                _("Délai de réponse dépassé : %(items)s.", items="; ".join(i for _a, i in late)),
                [a for a, _i in late],
                met=in_time,
                in_time=len(in_time),
                late=len(late),
                waiting=waiting,
            )
        if not in_time:
            return self.not_observed(
                _("Aucun message client traité dans cette tentative.")
                if not waiting
                else ngettext(
                    "%(num)s message en attente, délai pas encore atteint.",
                    "%(num)s messages en attente, délai pas encore atteint.",
                    waiting,
                ),
                waiting=waiting,
            )
        return self.met(
            ngettext(
                "%(num)s message client traité dans le délai de son canal.",
                "%(num)s messages client traités dans le délai de leur canal.",
                len(in_time),
            ),
            in_time,
            in_time=len(in_time),
            waiting=waiting,
        )
