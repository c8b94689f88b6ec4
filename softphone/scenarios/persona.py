"""Who the scripted customer is: name, temper, language and how they take offers."""

from __future__ import annotations

from dataclasses import dataclass

TEMPERS = ("calm", "hurried", "angry")
#: Seconds of silence before the customer nudges, by temper (a script or step may say otherwise).
NUDGE_AFTER = {"calm": 30, "hurried": 15, "angry": 10}
#: What the customer says after a silence when the step gives no nudge of its own, by language.
DEFAULT_NUDGES = {
    "fr": {
        "calm": ["Allô ? Vous êtes toujours là ?"],
        "hurried": ["Allô ? Ça avance ? Je n'ai pas beaucoup de temps."],
        "angry": ["Allô ?! Vous m'écoutez, oui ?"],
    },
    "en": {
        "calm": ["Hello? Are you still there?"],
        "hurried": ["Hello? Any news? I'm in a bit of a hurry."],
        "angry": ["Hello?! Are you even listening?"],
    },
}


@dataclass(frozen=True)
class Persona:
    """Who the customer is and how they react to offers."""

    name: str
    temper: str = "calm"
    accepts_substitute: bool = True
    accepts_additional: bool = False
    language: str = "fr"

    @classmethod
    def from_dict(cls, data: dict) -> Persona:
        """Build from a script's `persona` mapping (already validated)."""
        return cls(
            name=data["name"],
            temper=data.get("temper", "calm"),
            accepts_substitute=data.get("accepts_substitute", True),
            accepts_additional=data.get("accepts_additional", False),
            language=data.get("language", "fr"),
        )
