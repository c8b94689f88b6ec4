"""Knowledge-base services: accent-insensitive search ranked by title, recorded reads."""

from __future__ import annotations

from crm.knowledge.services import categories_of, read_article, search_articles


def test_search_ranks_title_matches_first_and_ignores_accents(ctx, kb, log):
    result = search_articles(ctx, "ZEPHYRINE")
    assert [a.slug for a in result.articles] == ["t-zephyr", "t-autre"]
    (action,) = log.new()
    assert action.verb == "kb.searched"
    assert action.payload["query"] == "ZEPHYRINE"
    assert action.payload["results"] == 2
    assert action.payload["article_ids"] == [kb["title"].id, kb["body"].id]


def test_every_word_must_appear(ctx, kb):
    assert [a.slug for a in search_articles(ctx, "zéphyrine colis").articles] == ["t-autre"]
    assert search_articles(ctx, "zéphyrine licorne").articles == []


def test_browsing_without_a_query_is_not_recorded(ctx, kb, log):
    result = search_articles(ctx, "", category="Tests")
    assert {a.slug for a in result.articles} == {"t-zephyr", "t-autre"}
    assert log.verbs() == []
    assert "Tests" in categories_of(ctx.attempt.id)


def test_reading_an_article_is_recorded(ctx, kb, log):
    read_article(ctx, kb["title"])
    (action,) = log.new()
    assert (action.verb, action.object_type, action.object_id) == (
        "kb.read",
        "article",
        kb["title"].id,
    )
    assert action.payload["slug"] == "t-zephyr"
