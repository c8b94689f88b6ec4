"""The conversation status machine, as a table: every event from every status."""

from __future__ import annotations

import pytest

from crm.errors import InvalidTransition
from softphone.inbox.states import (
    CONVERSATION_TRANSITIONS,
    STATUS_EVENTS,
    STATUSES,
    conversation_next_status,
)

ALLOWED = {
    ("wait", "open"): "pending",
    ("resolve", "open"): "resolved",
    ("resolve", "pending"): "resolved",
    ("reopen", "pending"): "open",
    ("reopen", "resolved"): "open",
    ("agent_replied", "open"): "pending",
    ("agent_replied", "pending"): "pending",
    ("customer_wrote", "open"): "open",
    ("customer_wrote", "pending"): "open",
    ("customer_wrote", "resolved"): "open",
}
ALL = [(event, status) for event in CONVERSATION_TRANSITIONS for status in STATUSES]


def test_the_table_is_exactly_the_allowed_list():
    table = {(e, s): t for e, row in CONVERSATION_TRANSITIONS.items() for s, t in row.items()}
    assert table == ALLOWED


@pytest.mark.parametrize(("event", "status"), ALL)
def test_every_transition(event, status):
    if (event, status) in ALLOWED:
        assert conversation_next_status(status, event) == ALLOWED[(event, status)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            conversation_next_status(status, event)
        assert refused.value.status == 409 and refused.value.code == "invalid_transition"
        assert refused.value.message.startswith("Conversation ")


def test_a_resolved_conversation_must_be_reopened_before_a_reply():
    with pytest.raises(InvalidTransition) as refused:
        conversation_next_status("resolved", "agent_replied")
    assert "Rouvrez-la" in refused.value.message


def test_each_requested_status_is_an_event():
    assert set(STATUS_EVENTS) == set(STATUSES)
    assert all(event in CONVERSATION_TRANSITIONS for event in STATUS_EVENTS.values())
