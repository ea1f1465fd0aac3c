"""The public ideas wall of one consultation: no login, no cookie, nothing that points to a
session or a person; large type and read-aloud for children who barely read."""

from __future__ import annotations

from babel.dates import format_date
from flask import current_app, render_template, url_for

from ..errors import error_response
from ..extensions import db
from ..i18n import current_language
from ..models import Consultation
from ..participate.strings import kiosk_strings
from ..ratelimits import public_page
from ..services import idea_wall
from ..territories import territory
from . import bp

# Page role -> pictogram file stem in static/pictograms.
ICONS = {
    "idea": "idea",
    "support": "heart",
    "speaker": "speaker",
    "globe": "globe",
    "phone": "help_line",
    "police": "police",
    "shield": "computer",
}


def _place(code: int) -> str:
    """Comuna or corregimiento by name: the finest place the wall shows."""
    found = territory(code)
    return found.name if found else ""


@bp.route("/ideas/<int:consultation_id>")
@public_page()
def wall(consultation_id: int):
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        return error_response(404)
    lang = current_language()
    ideas = idea_wall.approved_ideas(consultation_id)
    strings = kiosk_strings()
    return render_template(
        "ideas/wall.html",
        lang=lang,
        t=strings["base"],
        strings=strings,
        consultation=consultation,
        groups=idea_wall.grouped(ideas, lang),
        total=len(ideas),
        month=lambda day: format_date(day, "LLLL y", locale=lang),
        place=_place,
        icons={k: url_for("static", filename=f"pictograms/{v}.svg") for k, v in ICONS.items()},
        languages=[
            {
                "code": code,
                "name": {"es": "Español", "en": "English"}.get(code, code),
                "href": url_for(".wall", consultation_id=consultation_id, lang=code),
            }
            for code in current_app.config["LANGUAGES"]
        ],
    )
