"""GET /contacts/current: the banner and a file's contact box the desk swaps into its CRM pane
when the open contact changes; candidates only, their own world only, nothing recorded."""

from __future__ import annotations

from tests.factories import gen_client

from .test_contact_pages import _open_from_file


def test_the_fragment_follows_the_open_contact(login, world, csrf_from, log):
    browser = login("candidat1")
    consumer = world["consumer"]
    url = f"/contacts/current?client_id={consumer.id}"
    before = browser.get(url).get_data(as_text=True)
    assert 'id="open-contact-banner"' not in before and 'id="open-contact-form"' in before

    contact = _open_from_file(browser, csrf_from, consumer)
    recorded = len(log.verbs())
    html = browser.get(url).get_data(as_text=True)
    assert f'data-contact="{contact.id}"' in html
    # The banner says who and since when, the box what the contact is: not the same line twice.
    assert html.count("Contact en cours") == 1
    assert "Ce contact : Téléphone, entrant, « Question facture »." in html
    # Another client's box says another contact is open; no client: the banner alone.
    other = browser.get(f"/contacts/current?client_id={world['company'].id}").get_data(as_text=True)
    assert "Un autre contact est en cours" in other
    alone = browser.get("/contacts/current").get_data(as_text=True)
    assert 'id="open-contact-banner"' in alone and 'id="contact-box"' not in alone
    assert len(log.verbs()) == recorded  # the file is not opened again


def test_the_fragment_is_for_candidates_and_their_own_world(login, world, other_attempt):
    stranger = gen_client(other_attempt, "T99001", "Ailleurs")
    browser = login("candidat1")
    assert browser.get(f"/contacts/current?client_id={stranger.id}").status_code == 404


def test_the_fragment_is_refused_to_staff(login, world):
    assert login("formateur").get("/contacts/current").status_code == 403
