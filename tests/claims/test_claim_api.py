"""Claims API: open, read, list, status changes; 401, 403, 404, 409, 422, 400."""

from __future__ import annotations

import pytest


@pytest.fixture
def cand(api, world):
    """cand1's API client."""
    return api.as_("candidat1")


def _open(cand, world, **extra):
    body = {
        "client_id": world["buyer"].id,
        "category": "wrong_item",
        "description": "Reçu des enveloppes C5 au lieu de C4.",
        **extra,
    }
    response = cand.post("/claims", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_open_read_and_move_a_claim(cand, world, log):
    claim = _open(cand, world, order_id=world["orders"]["buyer"].id)
    assert claim["status"] == "open" and claim["number"].startswith("REC-")
    assert claim["allowed_events"] == ["start", "reject"]
    assert cand.get(f"/claims/{claim['id']}").get_json()["id"] == claim["id"]
    moved = cand.post(f"/claims/{claim['id']}/status", {"event": "start"})
    assert moved.status_code == 200 and moved.get_json()["status"] == "in_progress"
    refused = cand.post(f"/claims/{claim['id']}/status", {"event": "close"})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "invalid_transition"
    listed = cand.get("/claims", client_id=world["buyer"].id).get_json()
    assert listed["total"] == 1
    assert log.verbs() == ["claim.opened", "claim.status_changed"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"category": "lost"}, "category"),
        ({"description": "court"}, "description"),
        ({"description": ""}, "description"),
        ({"client_id": "un"}, "client_id"),
    ],
)
def test_open_refusals_name_the_field(cand, world, log, extra, field):
    body = {
        "client_id": world["buyer"].id,
        "category": "billing",
        "description": "Montant facturé erroné.",
        **extra,
    }
    response = cand.post("/claims", body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert log.verbs() == []


def test_an_order_of_another_client_is_refused(cand, world, log):
    response = cand.post(
        "/claims",
        {
            "client_id": world["buyer"].id,
            "order_id": world["orders"]["other"].id,
            "category": "billing",
            "description": "Montant facturé erroné.",
        },
    )
    assert response.status_code == 422
    assert "order_id" in response.get_json()["error"]["fields"]
    assert log.verbs() == []


def test_unknown_event_is_422(cand, world):
    claim = _open(cand, world)
    response = cand.post(f"/claims/{claim['id']}/status", {"event": "escalate"})
    assert response.status_code == 422
    assert "event" in response.get_json()["error"]["fields"]


def test_another_attempts_ids_are_404(cand, world, other_attempt, log):
    from crm.claims.models import Claim
    from crm.db import db

    foreign_claim = Claim(
        attempt_id=other_attempt.id,
        number="REC-T-1",
        client_id=world["foreign"].id,
        category="other",
        description="Réclamation de quelqu'un d'autre.",
    )
    db.session.add(foreign_claim)
    db.session.commit()
    body = {"category": "billing", "description": "Montant facturé erroné."}
    calls = [
        cand.post("/claims", {**body, "client_id": world["foreign"].id}),
        cand.post(
            "/claims",
            {**body, "client_id": world["buyer"].id, "order_id": world["orders"]["foreign"].id},
        ),
        cand.get(f"/claims/{foreign_claim.id}"),
        cand.post(f"/claims/{foreign_claim.id}/status", {"event": "start"}),
    ]
    assert [c.status_code for c in calls] == [404] * 4
    assert log.verbs() == []
    assert db.session.get(Claim, foreign_claim.id).status == "open"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/claims", {"client_id": 1}),
        ("get", "/claims", None),
        ("get", "/claims/1", None),
        ("post", "/claims/1/status", {"event": "start"}),
    ],
)
def test_anonymous_401_and_trainer_403(api, people, world, method, path, body):
    call = getattr(api, method)
    assert (call(path, body) if body is not None else call(path)).status_code == 401
    trainer = getattr(api.as_("formateur"), method)
    assert (trainer(path, body) if body is not None else trainer(path)).status_code == 403


def test_malformed_json_is_400(cand, client, world):
    claim = _open(cand, world)
    for path in ("/claims", f"/claims/{claim['id']}/status"):
        response = client.post(
            "/api/v1" + path,
            data="nope",
            headers={"Authorization": f"Bearer {cand.token}", "Content-Type": "application/json"},
        )
        assert response.status_code == 400
