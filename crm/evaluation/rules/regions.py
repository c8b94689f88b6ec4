"""Which French region a postcode is in, and which regions a sales rep's sector names.

Used to check that an appointment goes to the rep of the client's sector. Sectors are free
text in the scenario ("Île-de-France et Hauts-de-France", "Grand Ouest et Grand Est"): official
region names are found in them, plus the usual "Grand Ouest".
"""

from __future__ import annotations

from crm.evaluation.rules.wording import fold

#: The 13 regions of metropolitan France and their départements (first two postcode digits).
REGIONS = {
    "Auvergne-Rhône-Alpes": "01 03 07 15 26 38 42 43 63 69 73 74",
    "Bourgogne-Franche-Comté": "21 25 39 58 70 71 89 90",
    "Bretagne": "22 29 35 56",
    "Centre-Val de Loire": "18 28 36 37 41 45",
    "Corse": "20",
    "Grand Est": "08 10 51 52 54 55 57 67 68 88",
    "Hauts-de-France": "02 59 60 62 80",
    "Île-de-France": "75 77 78 91 92 93 94 95",
    "Normandie": "14 27 50 61 76",
    "Nouvelle-Aquitaine": "16 17 19 23 24 33 40 47 64 79 86 87",
    "Occitanie": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "Pays de la Loire": "44 49 53 72 85",
    "Provence-Alpes-Côte d'Azur": "04 05 06 13 83 84",
}
_BY_DEPARTMENT = {d: region for region, ds in REGIONS.items() for d in ds.split()}
#: Sector names that are not regions but commonly group some.
ALIASES = {"grand ouest": ("Bretagne", "Pays de la Loire", "Normandie")}


def region_of(postcode: str | None, country: str | None = "FR") -> str | None:
    """The region of a metropolitan French postcode, else None."""
    code = (postcode or "").strip()
    if (country or "FR") != "FR" or len(code) != 5 or not code.isdigit():
        return None
    return _BY_DEPARTMENT.get(code[:2])


def sector_regions(sector: str | None) -> set[str]:
    """The regions a rep's sector text names."""
    text = fold(sector).replace("-", " ")
    found = {r for r in REGIONS if fold(r).replace("-", " ") in text}
    for alias, regions in ALIASES.items():
        if alias in text:
            found.update(regions)
    return found
