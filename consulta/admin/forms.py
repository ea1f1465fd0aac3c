from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..models import ROLES


class ConsultationForm(FlaskForm):
    title = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=200)])
    purpose = TextAreaField(_l("Propósito"), validators=[DataRequired(), Length(max=2000)])
    retention_until = DateField(_l("Conservar los textos hasta"), validators=[DataRequired()])


def role_labels() -> dict[str, str]:
    return {
        "admin": _l("Administración"),
        "facilitator": _l("Facilitación"),
        "analyst": _l("Análisis"),
        "safeguarding": _l("Protección (líder de salvaguarda)"),
    }


class UserForm(FlaskForm):
    email = EmailField(_l("Correo electrónico"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Rol"), choices=[(r, r) for r in ROLES], validators=[DataRequired()])
    password = PasswordField(
        _l("Contraseña inicial (mínimo 12 caracteres)"),
        validators=[DataRequired(), Length(min=12, max=256)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(key, str(label)) for key, label in role_labels().items()]
