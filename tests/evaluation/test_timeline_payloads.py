"""The timeline shows payloads in words (crm/bench/payload_view.py): labels instead of
keys, clients by name and linked to their actions, amounts, durations and numbers as people
read them, and the self-assessment handed in as a grid."""

from __future__ import annotations

import re

import sqlalchemy as sa
from markupsafe import escape

from crm.actionlog.services import Ctx, record
from crm.clients.models import Client
from crm.evaluation.standards import get_standard
from crm.extensions import db

CQP = "cqp-relation-commerciale-a-distance"


def _client(attempt) -> Client:
    return db.session.scalars(
        sa.select(Client).where(Client.attempt_id == attempt.id).order_by(Client.id)
    ).first()


def test_payload_keys_become_words_and_clients_names(client, login, attempt, people):
    someone = _client(attempt)
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    offered = record(
        ctx,
        "call.offered",
        None,
        {
            "call_id": 3,
            "number": "+33465712050",
            "client_id": someone.id,
            "matching_client_ids": [someone.id],
            "agent_state": "ringing",
            "scripted": True,
        },
    )
    confirmed = record(
        ctx,
        "order.confirmed",
        None,
        {
            "number": "CMD-2026-00001",
            "client_id": someone.id,
            "total": "342.82",
            "lines": [{"sku": "PAP-A4", "quantity": 2, "additional": False}],
            "stock": [{"sku": "PAP-A4", "old": 100, "new": 98}],
            "backorders": [],
        },
    )
    ended = record(ctx, "call.ended", None, {"call_id": 3, "talk_seconds": 190.0})
    ready = record(
        ctx,
        "agent.state_changed",
        None,
        {"from": "wrap_up", "to": "ready", "cause": "contact.qualified"},
    )
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    rows = {
        a.id: page.split(f'id="action-{a.id}"')[1].split("</tr>")[0]
        for a in (offered, confirmed, ended)
    }
    for row in rows.values():
        row = re.sub(r"<[^>]+>", " ", row)  # what the reader sees
        assert "client_id" not in row and "matching_client_ids" not in row
        assert "_seconds" not in row and "agent_state" not in row
    link = f'/attempts/{attempt.id}/timeline?client={someone.id}"'
    assert rows[offered.id].count(link) == 2
    name = str(escape(someone.display_name))
    assert re.search(r"Client</dt><dd><a [^>]*>" + re.escape(name), rows[offered.id])
    assert "04 65 71 20 50" in rows[offered.id] and "Sonnerie" in rows[offered.id]
    assert "342,82 €" in rows[confirmed.id]
    assert "PAP-A4 × 2" in rows[confirmed.id] and "PAP-A4 : 100 → 98" in rows[confirmed.id]
    assert "3 min 10 s" in rows[ended.id]
    state = page.split(f'id="action-{ready.id}"')[1].split("</tr>")[0]
    assert "Après-appel" in state and "Prêt" in state and "Contact qualifié" in state
    # The client's name leads to the actions that name them.
    only = client.get(f"/attempts/{attempt.id}/timeline?client={someone.id}").get_data(as_text=True)
    assert f'id="action-{offered.id}"' in only and f'id="action-{ended.id}"' not in only
    assert name in only.split('id="client-filter"')[1].split("</p>")[0]


def test_self_assessment_is_a_readable_grid(client, login, attempt, people):
    criteria = get_standard(CQP).criteria
    record(
        Ctx(attempt, people["cand1"].id, "candidate"),
        "self_assessment.submitted",
        None,
        {
            "standard": CQP,
            "criteria": len(criteria),
            "counts": {"acquired": len(criteria)},
            "grades": {c.id: "acquired" for c in criteria},
            "comments": {criteria[0].id: "J'ai <reformulé> la demande"},
        },
    )
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    grid = page.split('class="self-assessment-grid"')[1].split("</table>")[0]
    assert grid.count("<tr>") == len(criteria) + 1
    assert str(escape(criteria[0].text)) in grid and "Acquis" in grid
    assert "J&#39;ai &lt;reformulé&gt; la demande" in grid
    assert "\\u003c" not in page and '"grades"' not in page


def test_a_payload_shape_a_key_does_not_expect_is_still_shown(client, login, attempt, people):
    """`lines` is a list of lines on order.confirmed but a count on order.recap_read."""
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    recap = record(
        ctx,
        "order.recap_read",
        None,
        {"number": "CMD-1", "lines": 2, "additional": 1, "backorders": 0, "stock": "?"},
    )
    db.session.commit()
    login("jury")
    response = client.get(f"/attempts/{attempt.id}/timeline")
    assert response.status_code == 200
    row = response.get_data(as_text=True).split(f'id="action-{recap.id}"')[1].split("</tr>")[0]
    assert 'data-key="lines">Lignes</dt><dd>2</dd>' in row
    assert 'data-key="additional">Vente additionnelle</dt><dd>1</dd>' in row


def test_payload_words_in_english(client, login, attempt, people, csrf_from):
    from tests.test_translations import switch_to_english

    someone = _client(attempt)
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    offered = record(
        ctx,
        "call.offered",
        None,
        {"call_id": 1, "matching_client_ids": [someone.id], "agent_state": "ringing"},
    )
    db.session.commit()
    login("jury")
    url = f"/attempts/{attempt.id}/timeline"
    switch_to_english(client, csrf_from, client.get(url).get_data(as_text=True), url)
    page = client.get(url).get_data(as_text=True)
    row = page.split(f'id="action-{offered.id}"')[1].split("</tr>")[0]
    assert "Clients matching the number" in row and "Desk state" in row and "Ringing" in row


def test_objects_and_interactions_in_words(client, login, attempt, people):
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    someone = _client(attempt)
    opened = record(ctx, "client.viewed", someone, {"client_id": someone.id})
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    row = page.split(f'id="action-{opened.id}"')[1].split("</tr>")[0]
    assert f"Client n° {someone.id}" in row and f"client {someone.id}" not in row


def test_dates_callbacks_and_documents_in_words(client, login, attempt, people):
    someone = _client(attempt)
    system = Ctx(attempt, None, "system")
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    broken = record(
        system,
        "promise.broken",
        None,
        {"client_id": someone.id, "paid_in_time": "20.00", "payment_ids": [4], "amount": "50.00"},
    )
    early = record(
        ctx,
        "callback.done",
        None,
        {"client_id": someone.id, "delay_seconds": -180.0, "kept": True, "source": {}},
    )
    generated = record(
        ctx,
        "document.generated",
        None,
        {"kind": "invoice", "source_id": 9, "filename": "facture-FA-1.pdf", "sha256": "ab" * 32},
    )
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)

    def row(action):
        return re.sub(r"<[^>]+>", " ", page.split(f'id="action-{action.id}"')[1].split("</tr>")[0])

    assert "Réglé à temps" in row(broken) and "20,00 €" in row(broken)
    assert "payment_ids" not in row(broken)
    assert "3 min en avance" in row(early) and "Tenu à l&#39;heure" in row(early)
    assert "Empreinte SHA-256" in row(generated) and "facture-FA-1.pdf" in row(generated)
    assert "source_id" not in row(generated)


def test_survey_actions_in_words(client, login, attempt, people):
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    answered = record(
        ctx,
        "survey.answered",
        None,
        {
            "interview_id": 4,
            "survey": "bureaux-2026",
            "question": "teletravail",
            "answer": "non",
            "correction": True,
            "previous": "oui",
            "dropped": ["jours"],
            "next": "amenagement",
        },
    )
    over = record(ctx, "survey.over_quota", None, {"interview_id": 4, "quota": "grandes"})
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)

    def row(action):
        return re.sub(r"<[^>]+>", " ", page.split(f'id="action-{action.id}"')[1].split("</tr>")[0])

    shown = row(answered)
    assert "Réponse du répondant enregistrée" in shown
    assert "Correction d&#39;une réponse" in shown and "Réponse précédente" in shown
    assert "Question suivante" in shown and "n° 4" in shown
    assert "interview_id" not in shown and "dropped" not in shown
    assert "Répondant hors quota" in row(over) and "Quota atteint" in row(over)
