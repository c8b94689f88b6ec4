"""The KPI pages' charts (crm/bench/charts.py, crm/evaluation/charts.py): server-rendered SVG
with accessible titles, coloured by CSS class (no style attribute: the CSP forbids them), every
text escaped, and the same figures as a table."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, record
from crm.db import db

from .kpi_desk import work_the_desk

CHARTS = ("chart-handle-time", "chart-states", "chart-outcomes", "chart-delays")


@pytest.fixture
def worked(app, attempt, people):
    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    return attempt


def _figure(page: str, chart_id: str) -> str:
    start = page.index(f'id="{chart_id}-figure"')
    return page[start : page.index("</figure>", start)]


def _data(figure: str) -> list[list[str]]:
    body = figure.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_attempt_kpis_draw_four_charts_with_their_data(client, login, worked):
    login("jury")
    page = client.get(f"/bench/attempts/{worked.id}/kpis").get_data(as_text=True)
    for chart_id in CHARTS:
        figure = _figure(page, chart_id)
        assert f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}"' in figure
        assert 'role="img"' in figure and f'aria-labelledby="{chart_id}-title' in figure
        assert "style=" not in figure and "<script" not in figure
    handle = _data(_figure(page, "chart-handle-time"))
    # Two calls ended (the third was lost): talk, hold, after-call work and their total.
    assert handle[0] == ["n° 1", "1 min 30 s", "30 s", "20 s", "2 min 20 s"]
    assert handle[1] == ["n° 3", "40 s", "0 s", "10 s", "50 s"]
    outcomes = dict(_data(_figure(page, "chart-outcomes")))
    codes = Counter(
        a.payload["code"]
        for a in db.session.scalars(sa.select(Action).where(Action.verb == "contact.qualified"))
    )
    assert outcomes == {code: str(n) for code, n in codes.items()}
    assert {"VENTE", "ABSENT", "INFO"} <= set(outcomes)
    states = _data(_figure(page, "chart-states"))
    assert {row[1] for row in states} >= {"Prêt", "En communication", "Après-appel"}
    assert 'class="chart-bar state-on_call"' in _figure(page, "chart-states")


def test_texts_in_charts_are_escaped(client, login, attempt, people):
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    record(ctx, "contact.qualified", None, {"code": '<script>"x"</script>', "family": "closed"})
    db.session.commit()
    login("jury")
    page = client.get(f"/bench/attempts/{attempt.id}/kpis").get_data(as_text=True)
    figure = _figure(page, "chart-outcomes")
    assert "<script>" not in figure and "&lt;script&gt;" in figure


def test_empty_charts_say_so(client, login, attempt):
    login("jury")
    page = client.get(f"/bench/attempts/{attempt.id}/kpis").get_data(as_text=True)
    assert "Aucun appel terminé." in _figure(page, "chart-handle-time")
    assert "<svg" not in _figure(page, "chart-handle-time")


def test_shift_charts_name_each_candidate(client, login, worked, people):
    login("formateur")
    page = client.get(f"/bench/shifts/{worked.shift_id}").get_data(as_text=True)
    name = people["cand1"].display_name
    states = _data(_figure(page, "chart-states"))
    assert states and {row[0] for row in states} == {name}
    assert all(
        row[0].startswith(f"{name} · n° ") for row in _data(_figure(page, "chart-handle-time"))
    )
