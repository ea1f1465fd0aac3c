"""Session pages. Facilitators see the sessions they created; admins see all."""

from __future__ import annotations

from datetime import UTC

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import role_required
from ..extensions import db
from ..i18n import current_language
from ..instruments.definition import ACTIVITIES
from ..models import Consultation, Encounter
from ..profiles import POPULATION_LABELS
from ..services import alert_care, encounters, help_requests, instruments
from ..services.instruments import definition_of
from ..territories import territory
from ..timeutil import BOGOTA
from . import alerts as alert_panel
from . import bp
from .forms import CloseForm, EncounterForm, NoteForm
from .qr import kiosk_url, qr_svg


def _own_encounter(encounter_id: int) -> Encounter:
    encounter = db.get_or_404(Encounter, encounter_id)
    if current_user.role != "admin" and encounter.created_by_id != current_user.id:
        abort(403)
    return encounter


@bp.route("/")
@role_required("facilitator")
def index():
    query = db.select(Encounter).order_by(Encounter.held_on.desc(), Encounter.id.desc())
    if current_user.role != "admin":
        query = query.filter_by(created_by_id=current_user.id)
    rows = db.session.scalars(query).all()
    return render_template(
        "facilitate/index.html",
        encounters=rows,
        territory=territory,
        population_labels=POPULATION_LABELS,
        open_alerts=alert_care.open_counts([e.id for e in rows]),
    )


@bp.route("/nueva", methods=["GET", "POST"])
@role_required("facilitator")
def create():
    form = EncounterForm()
    consultations = db.session.scalars(db.select(Consultation).order_by(Consultation.title)).all()
    form.fill_choices(consultations, instruments.current_instruments())
    if not consultations:
        flash(_("Aún no hay consultas. Un administrador debe crear una primero."), "error")
    if form.validate_on_submit():
        data = encounters.EncounterInput(
            consultation_id=form.consultation_id.data,
            instrument_id=form.instrument_id.data,
            held_on=form.held_on.data,
            territory_code=form.territory_code.data,
            population=form.population.data,
            expected_participants=form.expected_participants.data,
            guardian_authorisation_confirmed=form.guardian_authorisation_confirmed.data,
        )
        try:
            encounter = encounters.create_encounter(data, created_by=current_user)
        except encounters.EncounterError as exc:
            flash(str(exc), "error")
        else:
            flash(
                _("Sesión creada. Código para las tabletas: %(code)s", code=encounter.code),
                "success",
            )
            return redirect(url_for(".detail", encounter_id=encounter.id))
    status = 422 if request.method == "POST" else 200
    return render_template("facilitate/create.html", form=form), status


@bp.route("/<int:encounter_id>")
@role_required("facilitator")
def detail(encounter_id: int):
    return render_detail(_own_encounter(encounter_id))


def render_detail(encounter: Encounter, status: int = 200, alert_form: dict | None = None):
    """The session page; ``alert_form`` carries a refused alert form back with its errors."""
    definition = definition_of(encounter.instrument)
    note_form = NoteForm()
    note_form.activity.choices = _activity_choices(definition)
    return render_template(
        "facilitate/detail.html",
        encounter=encounter,
        definition=definition,
        place=territory(encounter.territory_code),
        count=encounters.submission_count(encounter),
        kiosk_url=kiosk_url(encounter.code),
        note_form=note_form,
        close_form=CloseForm(),
        activity_label=activity_label,
        population_label=POPULATION_LABELS.get(encounter.population, encounter.population),
        help=_help_summary(encounter),
        alerts=alert_panel.context(encounter, alert_form),
    ), status


def _help_summary(encounter: Encounter) -> dict:
    """Help asked on the tablets: how many and at what time (Medellín, to the minute)."""
    rows = help_requests.for_encounter(encounter)
    times = [
        row.created_at.replace(tzinfo=UTC).astimezone(BOGOTA).strftime("%H:%M") for row in rows
    ]
    return {"count": len(rows), "times": times}


@bp.route("/<int:encounter_id>/estado.json")
@role_required("facilitator")
def live_status(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    return jsonify(
        {
            "status": encounter.status,
            "count": encounters.submission_count(encounter),
            "help_requests": _help_summary(encounter),
            "alerts": alert_panel.open_alerts(encounter),
        }
    )


@bp.route("/<int:encounter_id>/qr.svg")
@role_required("facilitator")
def qr(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    return Response(qr_svg(kiosk_url(encounter.code)), mimetype="image/svg+xml")


@bp.route("/<int:encounter_id>/notas", methods=["POST"])
@role_required("facilitator")
def add_note(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    form = NoteForm()
    form.activity.choices = _activity_choices(definition_of(encounter.instrument))
    if form.validate_on_submit():
        encounters.add_note(encounter, form.activity.data, form.text.data, current_user)
        flash(_("Relatoría guardada."), "success")
    else:
        flash(
            _("La relatoría necesita una actividad y un texto de máximo 5.000 caracteres."), "error"
        )
    return redirect(url_for(".detail", encounter_id=encounter.id) + "#relatoria")


@bp.route("/<int:encounter_id>/cerrar", methods=["POST"])
@role_required("facilitator")
def close(encounter_id: int):
    encounter = _own_encounter(encounter_id)
    if CloseForm().validate_on_submit():
        encounters.close(encounter)
        flash(_("Sesión cerrada. Ya no recibe respuestas."), "success")
    return redirect(url_for(".detail", encounter_id=encounter.id))


def _activity_choices(definition) -> list[tuple[str, str]]:
    lang = current_language()
    choices = [(a, ACTIVITIES.get(a, {}).get(lang, a)) for a in definition.activities]
    return choices + [("general", _("Conclusiones generales"))]


def activity_label(activity: str) -> str:
    if activity == "general":
        return _("Conclusiones generales")
    return ACTIVITIES.get(activity, {}).get(current_language(), activity)
