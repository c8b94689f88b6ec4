"""API: the candidate's softphone (/api/v1/phone, /api/v1/calls) and the trainer's inbound calls,
on the phone's own blueprint from the JSON kit (`crm.web.api`)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, jsonify, request

from crm import clock
from crm.actionlog.services import Ctx
from crm.contacts.models import Callback
from crm.db import db
from crm.errors import NotFound, ValidationFailed
from crm.i18n import _
from crm.training.models import Attempt
from crm.training.staff import require_runs_attempt
from crm.validation import Fields
from crm.web.api import (
    candidate_ctx,
    commit_and,
    error_response,
    in_attempt,
    json_body,
    listing,
    make_api_blueprint,
    page_args,
    roles,
)
from crm.web.openapi import doc, integer, one_of, text
from softphone.phone import services as phone
from softphone.phone.agent import CHOSEN_STATES, load_agent
from softphone.phone.customer import MAX_TURN
from softphone.phone.guide import guide_view, tick_step
from softphone.phone.models import Call
from softphone.phone.plan import call_plan
from softphone.phone.serialize import call_dict, phone_dict
from softphone.phone.states import CALL_STATES
from softphone.room.injection import inject_event
from softphone.scenarios.timeline import call_plan_script

bp = make_api_blueprint("phone_api", __name__)


def _call(call_id: int, ctx: Ctx) -> Call:
    """A call of the caller's attempt, or 404.

    The scenario clock times out rings and lets customers speak from other processes: a
    candidate's write request holds the attempt's lock from `candidate_ctx()` on
    (`crm.training.locking.lock_for_write`), so the call is acted on as the clock left it, and
    the clock waits for this request to commit.
    """
    return in_attempt(Call, call_id, ctx, label="Appel")


def _phone(ctx: Ctx) -> dict:
    """The caller's phone, as GET /phone answers it."""
    return phone_dict(ctx.attempt, load_agent(ctx.attempt.id), clock.now())


def _with_transcript(call: Call) -> dict:
    """A call with its timers now and its transcript."""
    return call_dict(call, clock.now(), transcript=True)


@bp.get("/phone")
@roles("candidate")
@doc(tag="Phone")
def phone_show():
    """The agent's state, its timers (seconds, server-side) and the current call."""
    return jsonify(_phone(candidate_ctx()))


@bp.post("/phone/state")
@roles("candidate")
@doc(tag="Phone", body={"state": one_of(*CHOSEN_STATES), "reason?": text(60)})
def phone_state():
    """Log on (ready), pause with a reason, come back (ready) or log off (offline)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    state = fields.text("state", max_length=10)
    reason = fields.text("reason", required=False, max_length=60)
    fields.done()
    phone.set_agent_state(ctx, state, reason)
    return commit_and(_phone(ctx))


@bp.get("/calls")
@roles("candidate")
@doc(
    tag="Phone", query={"status?": one_of(*CALL_STATES), "limit?": "integer", "offset?": "integer"}
)
def calls():
    """The attempt's calls, newest first."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    status = fields.text("status", required=False, choices=CALL_STATES)
    fields.done()
    query = sa.select(Call).where(Call.attempt_id == ctx.attempt.id).order_by(Call.id.desc())
    if status:
        query = query.where(Call.status == status)
    now = clock.now()
    return listing(query, lambda c: call_dict(c, now), limit, offset)


@bp.post("/calls")
@roles("candidate")
@doc(
    tag="Phone",
    status=201,
    body={"number": text(40), "acknowledge_rules?": "boolean", "callback_id?": "id"},
)
def call_dial():
    """Dial a number; 409 calling_rules lists the rules it would break (recorded as a warning).

    `callback_id`: the callback of the list this call makes (done, kept on time or not).
    """
    ctx = candidate_ctx()
    fields = Fields(json_body())
    number = fields.text("number", max_length=40)
    acknowledge = fields.boolean("acknowledge_rules")
    callback_id = fields.ident("callback_id", required=False)
    fields.done()
    callback = in_attempt(Callback, callback_id, ctx, label="Rappel") if callback_id else None
    # A number of a campaign's call plan is answered by that entry's scripted customer.
    script = call_plan_script(ctx.attempt, number)
    result = phone.dial(
        ctx, number, acknowledge_rules=acknowledge, script=script, callback=callback
    )
    if result.call is None:
        db.session.commit()  # the warning is evidence: keep it, then refuse
        return error_response(
            409,
            "calling_rules",
            _(
                "Règles d'appel : %(breaches)s "
                "Pour appeler malgré tout : acknowledge_rules à true.",
                breaches=" ".join(b.shown() for b in result.breaches),
            ),
            None,
            breaches=[b.to_dict(shown=True) for b in result.breaches],
        )
    body = _with_transcript(result.call)
    body["breaches"] = [b.to_dict(shown=True) for b in result.breaches]
    return commit_and(body, 201)


@bp.get("/call-plan")
@roles("candidate")
@doc(tag="Phone")
def call_plan_show():
    """The outbound campaigns' call plans: history and the calling rules' verdict right now."""
    ctx = candidate_ctx()
    now = clock.now()
    plans = call_plan(ctx.attempt, now)
    return jsonify({"campaigns": [p.to_dict() for p in plans], "checked_at": now.isoformat()})


@bp.get("/call-guide")
@roles("candidate")
@doc(tag="Phone")
def call_guide_show():
    """The call guide of the open contact's campaign with its ticked steps (every guide if idle)."""
    return jsonify(guide_view(candidate_ctx().attempt).to_dict())


@bp.post("/call-guide/ticks")
@roles("candidate")
@doc(tag="Phone", body={"campaign": text(60), "step": integer(0), "checked": "boolean"})
def call_guide_tick():
    """Tick (or untick) a step of the guide during a contact; 409 no_open_contact otherwise."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    campaign = fields.text("campaign", max_length=60)
    step = fields.integer("step", minimum=0)
    checked = fields.boolean("checked", required=True)
    fields.done()
    return commit_and(tick_step(ctx, campaign, step, checked).to_dict())


@bp.get("/calls/<int:call_id>")
@roles("candidate", "trainer", "evaluator")
@doc(tag="Phone")
def call_show(call_id):
    """A call with its two-sided transcript and its contact id.

    A candidate reaches the calls of their own attempt; trainers and evaluators the calls of
    the shifts they run (403 `not_staff` otherwise). Reading it records nothing.
    """
    if g.api_user.role != "candidate":
        call = db.session.get(Call, call_id)
        if call is None:
            raise NotFound("Appel introuvable.")
        require_runs_attempt(g.api_user, call.attempt_id)
        return jsonify(_with_transcript(call))
    return jsonify(_with_transcript(_call(call_id, candidate_ctx())))


@bp.post("/calls/<int:call_id>/answer")
@roles("candidate")
@doc(tag="Phone")
def call_answer(call_id):
    """Pick up a ringing call: the contact opens, the caller's client file pops."""
    ctx = candidate_ctx()
    answer = phone.answer_call(ctx, _call(call_id, ctx))
    return commit_and({**_with_transcript(answer.call), "replies": answer.replies})


@bp.post("/calls/<int:call_id>/hold")
@roles("candidate")
@doc(tag="Phone")
def call_hold(call_id):
    """Put the customer on hold."""
    ctx = candidate_ctx()
    return commit_and(_with_transcript(phone.hold_call(ctx, _call(call_id, ctx))))


@bp.post("/calls/<int:call_id>/resume")
@roles("candidate")
@doc(tag="Phone")
def call_resume(call_id):
    """Take the customer back from hold."""
    ctx = candidate_ctx()
    return commit_and(_with_transcript(phone.resume_call(ctx, _call(call_id, ctx))))


@bp.post("/calls/<int:call_id>/hangup")
@roles("candidate")
@doc(tag="Phone")
def call_hangup(call_id):
    """Hang up; the agent stays in wrap-up until the contact is qualified."""
    ctx = candidate_ctx()
    return commit_and(_with_transcript(phone.hang_up(ctx, _call(call_id, ctx))))


@bp.post("/calls/<int:call_id>/transfer")
@roles("candidate")
@doc(tag="Phone", body={"target": text(60), "mode": one_of("blind", "consult")})
def call_transfer(call_id):
    """Transfer to a scenario target, blind or consultative."""
    ctx = candidate_ctx()
    call = _call(call_id, ctx)
    fields = Fields(json_body())
    target = fields.text("target", max_length=60)
    mode = fields.text("mode", max_length=10)
    fields.done()
    transfer = phone.transfer_call(ctx, call, target, mode)
    return commit_and({**_with_transcript(transfer.call), "colleague_reply": transfer.reply})


@bp.post("/calls/<int:call_id>/say")
@roles("candidate")
@doc(tag="Phone", body={"text": text(MAX_TURN)})
def call_say(call_id):
    """The candidate's turn; answers the customer's reply, if any."""
    ctx = candidate_ctx()
    call = _call(call_id, ctx)
    fields = Fields(json_body())
    text = fields.text("text", max_length=MAX_TURN)
    fields.done()
    result = phone.say(ctx, call, text)
    return commit_and(
        {"replies": result.replies, "ended": result.ended, "call": _with_transcript(call)}
    )


@bp.post("/attempts/<int:attempt_id>/inbound-calls")
@roles("trainer")
@doc(tag="Trainer", status=201, body={"number": text(40), "script?": "object"})
def attempt_inbound_call(attempt_id):
    """Make a candidate's phone ring (a trainer playing the customer, or injecting an event).

    The same injection as `POST /attempts/{id}/inject` with `kind: call`: recorded as
    `trainer.injected`; 409 `attempt_not_running` unless the shift runs or is paused.
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("Tentative introuvable.")
    data = json_body()
    fields = Fields(data)
    number = fields.text("number", max_length=40)
    script = data.get("script")
    if script is not None and not isinstance(script, dict):
        fields.errors["script"] = "Objet attendu : un script (persona et étapes)."
    fields.done()
    try:
        injected = inject_event(attempt, g.api_user, kind="call", party=number, script=script)
    except ValidationFailed as error:
        # This endpoint names the caller's number `number`.
        fields = dict(error.fields)
        if "party" in fields:
            fields["number"] = fields.pop("party")
        raise ValidationFailed(fields) from None
    return commit_and(call_dict(injected.call, clock.now()), 201)
