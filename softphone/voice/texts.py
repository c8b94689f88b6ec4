"""The words voice.js shows (wrapped for translation, handed to the page as JSON)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from softphone.voice.settings import ice_servers


def voice_texts() -> dict:
    """Every word voice.js writes, in the page's language."""
    return {
        "unsupported": _("Ce navigateur ne permet pas la voix : les répliques écrites restent."),
        "offline": _("Voix : connexion perdue, nouvel essai…"),
        "mic_refused": _(
            "Micro refusé ou absent : pas de voix sur cet appel. Autorisez le micro dans le "
            "navigateur ; les répliques écrites fonctionnent toujours."
        ),
        "connecting": _("Voix : connexion…"),
        "call_on": _("Voix : en ligne"),
        "listen_on": _("Écoute en cours (les deux voix)"),
        "whisper_on": _("Chuchotement : seul le candidat vous entend"),
        "failed": _("Voix : la connexion a échoué (réseau)."),
        "click_to_hear": _("Cliquez dans la page pour entendre la voix."),
        "recording": _("Voix : en ligne, appel enregistré"),
        "uploading": _("Dépôt de l'enregistrement…"),
        "uploaded": _("Enregistrement de l'appel déposé."),
        "upload_failed": _("L'enregistrement n'a pas pu être déposé."),
        "too_short": _("Appel trop court : rien n'a été enregistré."),
        "lost_on_reload": _(
            "Page rechargée pendant un appel enregistré : l'enregistrement jusqu'ici est perdu. "
            "Rouvrez l'appel pour enregistrer la suite."
        ),
        "recording_resumed": _(
            "Voix : en ligne, appel enregistré depuis le rechargement (le début est perdu)"
        ),
        "whispered": _("Le formateur vous parle (le client ne l'entend pas)."),
        "listen": _("Écouter"),
        "stop_listen": _("Arrêter l'écoute"),
        "whisper": _("Chuchoter"),
        "stop_whisper": _("Arrêter de chuchoter"),
    }


def voice_page(mode: str) -> dict:
    """What a page hands voice.js: its mode (desk, console, room), ICE servers and words."""
    return {
        "mode": mode,
        "iceServers": ice_servers(),
        "recordingUrl": url_for("voice_api.call_recording_upload", call_id=0),
        "texts": voice_texts(),
    }
