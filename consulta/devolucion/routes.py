"""Public devolución pages (adults and children) and the facilitators' printable QR page."""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..models import Consultation, Encounter
from ..participate.strings import help_lines
from ..ratelimits import public_page
from . import bp, content
from .links import printable_qr_svg, public_url

HELP_ICONS = {"phone": "help_line", "police": "police", "shield": "computer"}


def group_names() -> dict[str, str]:
    return {
        "ninez": _("Niñas y niños"),
        "adolescencia": _("Adolescentes"),
        "adultos": _("Personas adultas"),
        "sin_dato": _("Sin dato de edad"),
    }


def _public(consultation_id: int, children: bool):
    consultation = db.get_or_404(Consultation, consultation_id)
    lang = current_language()
    page = content.build(consultation.id, lang, children)
    endpoint = "devolucion.children" if children else "devolucion.adults"
    template = "devolucion/children.html" if children else "devolucion/adults.html"
    return render_template(
        template,
        consultation=consultation,
        page=page,
        lang=lang,
        languages=[
            (code, url_for(endpoint, consultation_id=consultation.id, lang=code))
            for code in current_app.config["LANGUAGES"]
        ],
        other_url=url_for(
            "devolucion.adults" if children else "devolucion.children",
            consultation_id=consultation.id,
            lang=lang,
        ),
        group_names=group_names(),
        help_lines=[
            {
                **line,
                "icon_url": url_for(
                    "static", filename=f"pictograms/{HELP_ICONS[line['icon']]}.svg"
                ),
            }
            for line in help_lines()
        ],
    )


@bp.route("/devolucion/<int:consultation_id>")
@public_page()
def adults(consultation_id: int):
    return _public(consultation_id, children=False)


@bp.route("/devolucion/<int:consultation_id>/ninos")
@public_page()
def children(consultation_id: int):
    return _public(consultation_id, children=True)


@bp.route("/sesiones/<int:encounter_id>/devolucion-qr")
@role_required("facilitator")
def qr_page(encounter_id: int):
    """A sheet to print (A4) and leave in the room: the QR opens the children's page."""
    encounter = db.get_or_404(Encounter, encounter_id)
    if current_user.role != "admin" and encounter.created_by_id != current_user.id:
        abort(403)
    lang = current_language()
    consultation_id = encounter.consultation_id
    children_url = public_url(consultation_id, children=True, lang=lang)
    svg = printable_qr_svg(children_url)
    return render_template(
        "devolucion/qr.html",
        encounter=encounter,
        consultation=encounter.consultation,
        children_url=children_url,
        adults_url=public_url(consultation_id, children=False, lang=lang),
        qr=Markup(svg),  # noqa: S704 - segno's own SVG for our own URL
    )
