"""French public holidays (jours fériés), computed: fixed dates and the Easter-based ones.

Metropolitan France's eleven national holidays; the local ones of Alsace-Moselle (Good Friday,
26 December) are not included, as the scenario company calls from Lyon.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from crm.i18n import N_

_FIXED = {
    (1, 1): N_("Jour de l'an"),
    (5, 1): N_("Fête du Travail"),
    (5, 8): N_("Victoire 1945"),
    (7, 14): N_("Fête nationale"),
    (8, 15): N_("Assomption"),
    (11, 1): N_("Toussaint"),
    (11, 11): N_("Armistice 1918"),
    (12, 25): N_("Noël"),
}


def easter_sunday(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=32)
def public_holidays(year: int) -> dict[date, str]:
    """The year's public holidays, day → French name (source text: the screens translate it,
    the log keeps it French)."""
    easter = easter_sunday(year)
    days = {date(year, month, day): name for (month, day), name in _FIXED.items()}
    days[easter + timedelta(days=1)] = N_("Lundi de Pâques")
    days[easter + timedelta(days=39)] = N_("Ascension")
    days[easter + timedelta(days=50)] = N_("Lundi de Pentecôte")
    return dict(sorted(days.items()))


def holiday_name(day: date) -> str | None:
    """The holiday's name when the day is a public holiday, else None."""
    return public_holidays(day.year).get(day)
