"""The retention block and clients' contracts in packs: each mistake reported at its path."""

from __future__ import annotations

import copy

import pytest

from crm.config import ROOT
from crm.training.scenario_schema import validate_scenario
from crm.yaml_text import load_yaml

PACK = ROOT / "seed_data" / "scenarios" / "fidelisation-mistral-mobile.yaml"


@pytest.fixture(scope="module")
def pack() -> dict:
    return load_yaml(PACK.read_text(encoding="utf-8"))


def _problems(doc) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in validate_scenario(doc, PACK.name)]


def test_the_retention_pack_is_valid(app, pack):
    assert _problems(copy.deepcopy(pack)) == []


def _offer(d, key):
    return next(o for o in d["retention"]["offers"] if o["key"] == key)


MISTAKES = [
    (lambda d: _offer(d, "remise-20-6-mois").update(percent=150),
     "retention.offers[0].percent", "100"),
    (lambda d: _offer(d, "mois-offert").update(percent=10),
     "retention.offers[2].percent", "seulement pour une offre discount"),
    (lambda d: _offer(d, "remise-20-6-mois").update(kind="cadeau"),
     "retention.offers[0].kind", "discount"),
    (lambda d: _offer(d, "remise-30-3-mois").update(plans=["Box Cuivre"]),
     "retention.offers[1].plans[0]", "aucun contrat du pack ne l'a"),
    (lambda d: d["retention"]["offers"].append(dict(_offer(d, "mois-offert"))),
     "retention.offers[3].key", "clé d'offre 'mois-offert' en double"),
    (lambda d: d["retention"].update(notice_days=-1), "retention.notice_days", "0"),
    (lambda d: d["retention"].update(bonus=True), "retention.bonus", "clé inconnue"),
    (lambda d: d["clients"][1]["contracts"].append(dict(d["clients"][0]["contracts"][0])),
     "clients[1].contracts[1].number", "en double : déjà à clients[0].contracts[0].number"),
    (lambda d: d["clients"][2]["contracts"][0].update(commitment_ends_on="-500d"),
     "clients[2].contracts[0].commitment_ends_on", "avant started_on"),
    (lambda d: d["clients"][0]["contracts"][0].update(monthly_price=34.99),
     "clients[0].contracts[0].monthly_price", ""),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "path", "words"), MISTAKES)
def test_each_retention_mistake_is_reported_at_its_path(pack, mutate, path, words):
    doc = copy.deepcopy(pack)
    mutate(doc)
    found = _problems(doc)
    assert any(p == path and words in m for p, m in found), found
