"""SMS encoding and segments: GSM-7 (160/153, extension characters count double) vs UCS-2."""

from __future__ import annotations

import pytest

from softphone.inbox.sms import measure_sms


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "gsm7", 0, 0),
        ("Bonjour", "gsm7", 7, 1),
        ("a" * 160, "gsm7", 160, 1),
        ("a" * 161, "gsm7", 161, 2),
        ("a" * 306, "gsm7", 306, 2),
        ("a" * 307, "gsm7", 307, 3),
        ("a" * 918, "gsm7", 918, 6),
        ("a" * 919, "gsm7", 919, 7),
        # Extension characters cost two septets.
        ("€", "gsm7", 2, 1),
        ("a" * 158 + "€", "gsm7", 160, 1),
        ("a" * 159 + "€", "gsm7", 161, 2),
        ("[{~}]|^\\", "gsm7", 16, 1),
        # An escape pair is never split: the € opens the second part, the last "a" a third.
        ("a" * 152 + "€" + "a" * 152, "gsm7", 306, 3),
        # French accents of the GSM alphabet: é è à ù ì ò, É and the capital Ç.
        ("Été à Noël ? Ça ira, où ça… ", "ucs2", 28, 1),
        ("Reçu", "ucs2", 4, 1),
        ("Ça va", "gsm7", 5, 1),
        ("élève à l'école, où ?", "gsm7", 21, 1),
        ("Pâques", "ucs2", 6, 1),
        ("cœur", "ucs2", 4, 1),
        ("l’été", "ucs2", 5, 1),
        ("« oui »", "ucs2", 7, 1),
        ("â" * 70, "ucs2", 70, 1),
        ("â" * 71, "ucs2", 71, 2),
        ("â" * 134, "ucs2", 134, 2),
        ("â" * 135, "ucs2", 135, 3),
        # An emoji outside the BMP takes two UTF-16 units and is never split either.
        ("😀", "ucs2", 2, 1),
        ("a" * 69 + "😀", "ucs2", 71, 2),
        ("a" * 66 + "😀" + "a" * 66, "ucs2", 134, 3),
    ],
)
def test_encoding_units_and_segments(text, encoding, units, segments):
    measure = measure_sms(text)
    assert (measure.encoding, measure.units, measure.segments) == (encoding, units, segments)
    assert measure.characters == len(text)


@pytest.mark.parametrize(
    ("text", "per_segment", "remaining"),
    [("a" * 10, 160, 150), ("a" * 200, 153, 106), ("ê" * 10, 70, 60), ("ê" * 100, 67, 34)],
)
def test_room_left_in_the_last_segment(text, per_segment, remaining):
    measure = measure_sms(text)
    assert (measure.per_segment, measure.remaining) == (per_segment, remaining)


def test_the_characters_that_force_unicode_are_named_once_in_order():
    assert measure_sms("Reçu : à bientôt, ça marche ç").unicode_characters == ("ç", "ô")
    assert measure_sms("Tout est GSM").unicode_characters == ()
