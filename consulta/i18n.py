"""Language selection: Spanish (es-CO) by default, English on request.

Participants choose with ``?lang=`` (no cookie on a shared tablet); staff choice lives in their
login session.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale

from .ratelimits import public_page
from .redirects import local_path


def select_locale() -> str:
    if not has_request_context():  # command line: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    chosen = session.get("lang") if _is_staff_request() else None
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _is_staff_request() -> bool:
    return request.blueprint not in ("participate", "api")


def current_language() -> str:
    return str(get_locale() or "es")


@public_page()
def set_language(lang: str):
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    # Only same-site paths: never an open redirect.
    target = local_path(request.args.get("next")) or url_for("auth.home")
    return redirect(target)


def register(app: Flask) -> None:
    # A module-level view, decorated once: a limit declared on a function defined inside this
    # factory would be registered (and counted) once more for every app built in the process.
    app.add_url_rule("/idioma/<lang>", "set_language", set_language)

    @app.context_processor
    def _language_context():
        return {"current_language": current_language()}
