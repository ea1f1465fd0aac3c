"""The admins' form: what the plan will do about each line, for adults and for children."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, FormField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from analysis import LINES

from ..timeutil import today_local

ADULT_MAX = 2000
CHILD_MAX = 400  # a few short sentences, read aloud in under half a minute


class DayField(DateField):
    """A date field whose parse error speaks the page's language (WTForms' own is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("La fecha no es válida."))) from error


class LineForm(Form):
    text_es = TextAreaField(
        _l("Para personas adultas (español)"), validators=[Optional(), Length(max=ADULT_MAX)]
    )
    text_en = TextAreaField(
        _l("Para personas adultas (inglés)"), validators=[Optional(), Length(max=ADULT_MAX)]
    )
    children_text_es = TextAreaField(
        _l("Para niñas y niños: frases cortas (español)"),
        validators=[Optional(), Length(max=CHILD_MAX)],
    )
    children_text_en = TextAreaField(
        _l("Para niñas y niños: frases cortas (inglés)"),
        validators=[Optional(), Length(max=CHILD_MAX)],
    )
    next_update = DayField(_l("Próxima actualización"), validators=[Optional()])

    def validate_next_update(self, field):
        if field.data and field.data < today_local():
            raise ValidationError(
                _l("La fecha de la próxima actualización no puede estar en el pasado.")
            )

    def validate_text_en(self, field):
        if (field.data or "").strip() and not (self.text_es.data or "").strip():
            raise ValidationError(_l("Escriba primero el texto en español."))

    def validate_children_text_en(self, field):
        if (field.data or "").strip() and not (self.children_text_es.data or "").strip():
            raise ValidationError(_l("Escriba primero el texto en español."))


class DevolucionForm(FlaskForm):
    """One sub-form per line, named by the line's identifier (fields E1-text_es, ...)."""


for _line in LINES:
    setattr(DevolucionForm, _line, FormField(LineForm, label=_line))
