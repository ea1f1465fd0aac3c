"""Kiosk pages for the shared tablet: the join-code page and the kiosk shell of one session.

The shell only renders text and configuration; the kiosk script loads the questions from the
tablet API, so the same page can later run offline. Participant routes never touch
``flask.session``: a shared tablet must not carry a cookie from one child to the next.
"""

from __future__ import annotations

import hashlib
import os
import re

from flask import current_app, redirect, render_template, request, url_for

from ..i18n import current_language
from ..ratelimits import join_code_misses, public_page
from ..services import encounters
from . import bp
from .strings import kiosk_strings

CODE_PATTERN = re.compile(rf"^[{encounters.CODE_ALPHABET}]{{{encounters.CODE_LENGTH}}}$")
LANGUAGE_NAMES = {"es": "Español", "en": "English"}

# Kiosk role -> pictogram file in static/pictograms; a missing file simply shows no picture.
ICON_FILES = {
    "help": "help",
    "stop": "stop",
    "next": "next",
    "back": "back",
    "skip": "skip",
    "globe": "globe",
    "lightbulb": "idea",
    "pencil": "pencil",
    "yes": "yes",
    "no": "no",
    "send": "check",
    "thanks": "heart",
    "welcome": "hug",
    "phone": "help_line",
    "police": "police",
    "shield": "computer",
    "speaker": "speaker",
    "wait": "slow",
    "face_happy": "face_happy",
    "cloud": "cloud",
}


def clean_code(raw: str) -> str:
    """Codes are typed on a tablet keyboard: ignore case, spaces and dashes."""
    return re.sub(r"[\s\-]", "", raw or "").upper()[: encounters.CODE_LENGTH * 2]


def _icons() -> dict[str, str]:
    folder = os.path.join(current_app.static_folder, "pictograms")
    return {
        role: url_for("static", filename=f"pictograms/{name}.svg")
        for role, name in ICON_FILES.items()
        if os.path.exists(os.path.join(folder, f"{name}.svg"))
    }


def _languages(endpoint: str, **values) -> list[dict[str, str]]:
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "href": url_for(endpoint, lang=code, **values),
        }
        for code in current_app.config["LANGUAGES"]
    ]


def _page(template: str, status: int = 200, **context):
    lang = current_language()
    strings = kiosk_strings()
    response = current_app.make_response(
        (
            render_template(
                template, lang=lang, strings=strings, t=strings["base"], icons=_icons(), **context
            ),
            status,
        )
    )
    # A participant's screens must not be kept by the browser for the next person's Back button.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/k")
@public_page()
@join_code_misses
def join():
    lang = current_language()
    raw = request.args.get("code")
    error = False
    if raw is not None:
        code = clean_code(raw)
        if CODE_PATTERN.match(code) and encounters.by_code(code) is not None:
            return redirect(url_for("participate.kiosk", code=code, lang=lang))
        error = True
    return _page(
        "participate/join.html",
        status=404 if error else 200,
        error=error,
        languages=_languages("participate.join"),
        code_length=encounters.CODE_LENGTH,
    )


@bp.route("/k/<code>")
@public_page()
@join_code_misses
def kiosk(code: str):
    lang = current_language()
    cleaned = clean_code(code)
    if cleaned != code and CODE_PATTERN.match(cleaned):
        return redirect(url_for("participate.kiosk", code=cleaned, lang=lang))
    encounter = encounters.by_code(cleaned) if CODE_PATTERN.match(cleaned) else None
    if encounter is None:
        return _page(
            "participate/not_found.html",
            status=404,
            languages=_languages("participate.join"),
            join_url=url_for("participate.join", lang=lang),
        )
    config = {
        "code": encounter.code,
        "lang": lang,
        "apiBase": url_for("api.session_detail", code="X").rsplit("/sessions/", 1)[0],
        "joinUrl": url_for("participate.join", lang=lang),
        "languages": _languages("participate.kiosk", code=encounter.code),
        "icons": _icons(),
        "strings": kiosk_strings(),
        # Seconds the thank-you screen stays before the tablet resets for the next person.
        "resetSeconds": int(current_app.config.get("KIOSK_RESET_SECONDS", 20)),
        # Seconds without a touch after which an abandoned participant's answers are dropped.
        "idleSeconds": int(current_app.config.get("KIOSK_IDLE_SECONDS", 300)),
    }
    config.update(_offline_config(encounter.code, lang))
    return _page("participate/kiosk.html", config=config)


def _static_files(*folders: str) -> list[str]:
    root = current_app.static_folder
    found = []
    for folder in folders:
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if name.endswith((".js", ".css", ".svg")) and name != "sw.js":
                found.append(f"{folder}/{name}")
    return found


def _offline_config(code: str, lang: str) -> dict:
    """What the tablet keeps for offline use, and how patiently it retries its outbox."""
    assets = [url_for("static", filename=name) for name in _static_files("kiosk", "pictograms")]
    return {
        "serviceWorker": url_for("participate.service_worker"),
        "serviceWorkerScope": url_for("participate.join") + "/",
        "offlineAssets": assets,
        "sessionApi": url_for("api.session_detail", code=code, lang=lang),
        "ideasApi": url_for("api.session_ideas", code=code, lang=lang),
        "retryBaseSeconds": float(current_app.config.get("KIOSK_RETRY_BASE_SECONDS", 2)),
        "retryCapSeconds": float(current_app.config.get("KIOSK_RETRY_CAP_SECONDS", 300)),
        # The facilitator sets a PIN when opening the session on a tablet (tests may turn it off).
        "requirePin": bool(current_app.config.get("KIOSK_REQUIRE_PIN", True)),
        "exitUrl": url_for("auth.home"),
    }


def _kiosk_version() -> str:
    """A digest of the kiosk's files: a new release gets a new cache, and old ones are dropped."""
    digest = hashlib.sha256()
    root = current_app.static_folder
    for name in _static_files("kiosk", "pictograms") + ["kiosk/sw.js"]:
        with open(os.path.join(root, name), "rb") as handle:
            digest.update(name.encode() + handle.read())
    return digest.hexdigest()[:16]


@bp.route("/k/sw.js")
@public_page()
def service_worker():
    """Served under /k/ so that its default scope covers every kiosk page."""
    with open(os.path.join(current_app.static_folder, "kiosk", "sw.js"), encoding="utf-8") as f:
        script = f.read().replace("__KIOSK_VERSION__", _kiosk_version())
    response = current_app.response_class(script, mimetype="text/javascript")
    # The browser checks for a new worker on each visit; never serve it a stale one.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("participate.join") + "/"
    return response
