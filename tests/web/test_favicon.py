"""The icon: every page names it, and the browser's default address leads to it (no 404 in the
server's log for each page a browser opens)."""

from __future__ import annotations


def test_pages_name_the_icon_and_it_is_served(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in page
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")


def test_the_default_icon_address_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"] == "/static/favicon.svg"
    with client.get("/favicon.ico", follow_redirects=True) as icon:
        assert icon.status_code == 200
