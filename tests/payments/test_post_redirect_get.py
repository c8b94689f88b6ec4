"""Post/Redirect/Get (crm.prg): a form's POST never answers with a page, so *Back* and *Reload*
never ask to resubmit it; the refused form is shown once at its GET address, errors and typed
values kept, with its status."""

from __future__ import annotations

import re
import time

from crm.prg import KeptPage, PageStore


def _refused_cheque(client, url, csrf_from, **headers):
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "method": "cheque", "amount": "150",
            "reference": "CHQ 778"}  # fmt: skip
    return client.post(url, data=data, headers=headers)


def test_a_refused_form_redirects_and_is_shown_once(login, world, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?invoice_id={world.overdue.id}"
    response = _refused_cheque(client, url, csrf_from)
    assert response.status_code == 303
    assert response.headers["Location"] == url
    shown = client.get(url)
    assert shown.status_code == 422
    html = shown.get_data(as_text=True)
    assert "Montant supérieur au reste dû" in html and 'value="CHQ 778"' in html
    # Shown once: reloading the address is a fresh GET of the form.
    again = client.get(url)
    assert again.status_code == 200 and "Montant supérieur au reste dû" not in again.get_data(
        as_text=True
    )


def test_a_post_only_address_goes_back_to_the_page_of_the_form(login, world, csrf_from):
    client = login("candidat1")
    page = f"/payments/new?invoice_id={world.overdue.id}"
    html = client.get(page).get_data(as_text=True)
    # The identity check posts to an address without GET: back to the client's file.
    file_url = f"/clients/{world.overdue.client_id}"
    client.get(file_url)
    response = client.post(
        f"/clients/{world.overdue.client_id}/verify-identity",
        data={"csrf_token": csrf_from(html), "client_number": "", "postcode": ""},
        headers={"Referer": "http://localhost" + file_url},
    )
    assert response.status_code == 303 and response.headers["Location"] == file_url
    shown = client.get(file_url)
    assert shown.status_code == 422
    assert re.search(r'class="error" role="alert">[^<]+<', shown.get_data(as_text=True))


def test_refusals_about_the_request_and_the_api_are_left_alone(login, world):
    client = login("candidat1")
    # No CSRF token: a 400 about the request itself, not a form to show again.
    stale = client.post(f"/payments/new?invoice_id={world.overdue.id}", data={"amount": "1"})
    assert stale.status_code == 400
    # The JSON API answers its own errors, as JSON.
    refused = client.post("/api/v1/payments", json={"invoice_id": world.overdue.id})
    assert refused.status_code == 400 and refused.is_json


def test_a_kept_page_is_shown_to_its_user_only(login, world, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?invoice_id={world.overdue.id}"
    _refused_cheque(client, url, csrf_from)
    with client.session_transaction() as session:
        session["_user_id"] = "999999"  # another user now holds this browser's session
    assert client.get(url).status_code != 422


def test_the_store_forgets_old_pages_and_keeps_a_bounded_number():
    store = PageStore(limit=2, seconds=60)
    page = KeptPage(b"x", 422, (), "1", "/a", kept_at=time.monotonic() - 61)  # expired
    assert store.take(store.put(page)) is None

    fresh = [KeptPage(b"%d" % i, 422, (), "1", "/a", time.monotonic()) for i in range(3)]
    tokens = [store.put(p) for p in fresh]
    assert store.take(tokens[0]) is None  # pushed out by the third
    assert store.take(tokens[2]).body == b"2"
    assert store.take(tokens[2]) is None  # once
