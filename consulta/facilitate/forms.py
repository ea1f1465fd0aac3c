from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..profiles import POPULATION_LABELS
from ..territories import all_territories


class EncounterForm(FlaskForm):
    consultation_id = SelectField(_l("Consulta"), coerce=int, validators=[InputRequired()])
    held_on = DateField(_l("Fecha"), default=date.today, validators=[DataRequired()])
    territory_code = SelectField(_l("Territorio"), coerce=int, validators=[InputRequired()])
    population = SelectField(_l("Grupo de población"), validators=[DataRequired()])
    instrument_id = SelectField(_l("Instrumento"), coerce=int, validators=[InputRequired()])
    expected_participants = IntegerField(
        _l("Participantes esperados"), default=20, validators=[InputRequired(), NumberRange(1, 500)]
    )
    guardian_authorisation_confirmed = BooleanField(
        _l(
            "Confirmo que las autorizaciones de los acudientes de las niñas, niños y adolescentes "
            "están guardadas fuera del sistema (aquí no se guarda ningún dato de acudientes)."
        )
    )

    def fill_choices(self, consultations, instruments) -> None:
        self.consultation_id.choices = [(c.id, c.title) for c in consultations]
        self.territory_code.choices = [(t.code, f"{t.label} ({t.kind})") for t in all_territories()]
        self.population.choices = [(k, str(v)) for k, v in POPULATION_LABELS.items()]
        self.instrument_id.choices = [(i.id, f"{i.title_es} · v{i.version}") for i in instruments]


class NoteForm(FlaskForm):
    activity = SelectField(_l("Actividad"), validators=[DataRequired()])
    text = TextAreaField(
        _l("Conclusiones del grupo"), validators=[DataRequired(), Length(max=5000)]
    )


class CloseForm(FlaskForm):
    """Only a CSRF token: closing is a deliberate POST."""
