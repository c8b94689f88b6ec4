"""How many SMS a text costs: GSM-7 or UCS-2 encoding, length in units, segment count.

GSM 03.38: the default alphabet costs one septet per character, its extension table (€, [, ],
{, }, ^, ~, |, \\, form feed) two (an escape then the character). One SMS holds 160 septets; a
long message is split into parts of 153 (7 septets go to the concatenation header). A single
character outside both tables (â, ê, ô, ç, œ, «, ’, an emoji…) switches the whole text to
UCS-2: 70 UTF-16 units in one SMS, 67 per part, and characters beyond the BMP (most emoji)
take two units. A character's units are never split across two parts.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The GSM 03.38 default alphabet (0x1B, the escape, is not a character one can type).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The extension table: each costs two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_LIMIT = {"gsm7": 160, "ucs2": 70}
PART_LIMIT = {"gsm7": 153, "ucs2": 67}
MAX_SEGMENTS = 6


@dataclass(frozen=True)
class SmsMeasure:
    """What a text costs as SMS."""

    #: "gsm7" or "ucs2".
    encoding: str
    #: Characters as a person counts them.
    characters: int
    #: Septets (GSM-7) or UTF-16 units (UCS-2).
    units: int
    segments: int
    #: Units one segment holds at this length (160/153 or 70/67).
    per_segment: int
    #: Units still free in the last segment before another one is needed.
    remaining: int
    #: The characters that forced UCS-2, in order of first use (empty for GSM-7).
    unicode_characters: tuple[str, ...] = ()


def is_gsm7(text: str) -> bool:
    """Whether every character of the text is in the GSM-7 alphabet or its extension."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _units(ch: str, encoding: str) -> int:
    if encoding == "gsm7":
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def measure_sms(text: str) -> SmsMeasure:
    """Encoding, length and segment count of a text sent as SMS."""
    encoding = "gsm7" if is_gsm7(text) else "ucs2"
    unicode_chars: list[str] = []
    if encoding == "ucs2":
        for ch in text:
            if ch not in GSM7_BASIC and ch not in GSM7_EXTENSION and ch not in unicode_chars:
                unicode_chars.append(ch)
    costs = [_units(ch, encoding) for ch in text]
    units = sum(costs)
    single = SINGLE_LIMIT[encoding]
    if units <= single:
        segments = 1 if units else 0
        return SmsMeasure(
            encoding, len(text), units, segments, single, single - units, tuple(unicode_chars)
        )
    part = PART_LIMIT[encoding]
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return SmsMeasure(encoding, len(text), units, segments, part, part - used, tuple(unicode_chars))
