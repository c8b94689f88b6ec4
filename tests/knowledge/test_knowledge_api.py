"""Knowledge API: search and read (recorded), templates and documents (not recorded)."""

from __future__ import annotations

import pytest


@pytest.fixture
def cand(api, kb):
    """cand1's API client."""
    return api.as_("candidat1")


def test_search_and_read(cand, kb, log):
    body = cand.get("/knowledge", q="zéphyrine").get_json()
    assert body["total"] == 2
    assert [i["slug"] for i in body["items"]] == ["t-zephyr", "t-autre"]
    assert "excerpt" in body["items"][0] and "body" not in body["items"][0]
    article = cand.get(f"/knowledge/{kb['title'].id}")
    assert article.status_code == 200
    assert article.get_json()["body"] == "Comment traiter une demande."
    assert log.verbs() == ["kb.searched", "kb.read"]


def test_templates_filter_by_channel_and_language(cand, kb, log):
    body = cand.get("/templates", channel="sms", language="en").get_json()
    mine = [t for t in body["items"] if t["key"].startswith("t-")]
    assert [t["name"] for t in mine] == ["Test EN"]
    assert set(mine[0]) >= {"id", "name", "channel", "language", "subject", "body"}
    bad = cand.get("/templates", channel="pigeon")
    assert bad.status_code == 422 and "channel" in bad.get_json()["error"]["fields"]
    assert log.verbs() == []


def test_documents(cand, kb, log):
    body = cand.get("/documents", limit=200).get_json()
    doc = next(d for d in body["items"] if d["key"] == "t-doc")
    assert doc == {
        "id": kb["doc"].id,
        "key": "t-doc",
        "title": "Fiche test",
        "filename": "fiche-test.pdf",
    }
    assert log.verbs() == []


def test_another_attempts_article_is_404(cand, kb, log):
    assert cand.get(f"/knowledge/{kb['foreign'].id}").status_code == 404
    body = cand.get("/knowledge", q="ailleurs").get_json()
    assert kb["foreign"].id not in [i["id"] for i in body["items"]]
    assert log.verbs() == ["kb.searched"]


@pytest.mark.parametrize("path", ["/knowledge", "/knowledge/1", "/templates", "/documents"])
def test_anonymous_401_and_trainer_403(api, people, kb, path):
    assert api.get(path).status_code == 401
    assert api.as_("formateur").get(path).status_code == 403


def test_bad_paging_is_422(cand, kb):
    response = cand.get("/knowledge", limit=0)
    assert response.status_code == 422 and "limit" in response.get_json()["error"]["fields"]
