"""Every word the kiosk shows, translated on the server and handed to the kiosk script as JSON.

The script never holds its own text: one catalogue (Flask-Babel) serves templates and script, so
a missing translation is caught by the catalogue test. Children (ninez, adolescencia, mixto) are
addressed with "tú" in short sentences; adults (familias, actores) with "usted".
Placeholders in braces ({n}, {total}) are filled in by the script.
"""

from __future__ import annotations

from flask_babel import gettext as _

CHILD_VOICE = {"ninez", "adolescencia", "mixto"}


def _common() -> dict[str, str]:
    return {
        "app_name": "Consulta",  # the product name is not translated
        "loading": _("Cargando…"),
        "language_switch": _("Cambiar idioma"),
        "other_language": _("English"),
        "help_button": _("Quiero hablar con alguien"),
        "read_aloud": _("Escuchar"),
        "pending_label": _("Respuestas guardadas en esta tableta, esperando para enviarse: {n}"),
        "help_title": _("Puedes pedir ayuda"),
        "help_intro": _("Si alguien te hace daño o te sientes en peligro, llama gratis."),
        "help_tell_adult": _("También puedes hablar con la persona que te trajo aquí."),
        "close": _("Cerrar"),
        "start": _("Empezar"),
        "welcome_title": _("Queremos saber lo que piensas"),
        "welcome_body": _("Son preguntas cortas. No hay respuestas buenas ni malas."),
        "assent_title": _("¿Quieres participar?"),
        "assent_body": _("Puedes parar cuando quieras y nadie sabrá tu nombre."),
        "assent_yes": _("Sí, quiero"),
        "assent_no": _("No, gracias"),
        "profile_title": _("Cuéntanos un poco de ti"),
        "profile_body": _("Si no quieres, toca «Saltar»."),
        "profile_age": _("¿Cuántos años tienes?"),
        "profile_gender": _("¿Eres…?"),
        "next": _("Siguiente"),
        "back": _("Atrás"),
        "skip": _("Saltar"),
        "skip_question": _("Saltar esta pregunta"),
        "skipped": _("Saltaste esta pregunta"),
        "stop": _("Parar"),
        "stop_title": _("¿Quieres parar?"),
        "stop_body": _("Tus respuestas se borrarán. No pasa nada."),
        "stop_yes": _("Sí, parar"),
        "stop_no": _("No, seguir"),
        "progress": _("Pregunta {n} de {total}"),
        "page_progress": _("Parte {n} de {total}"),
        "text_placeholder": _("Escribe aquí…"),
        "text_label": _("Tu respuesta"),
        "chars_left": _("Puedes escribir {n} letras más."),
        "chars_full": _("Ya no caben más letras."),
        "choose_one": _("Toca una respuesta."),
        "choose_many": _("Puedes tocar varias respuestas."),
        "selected": _("Elegida"),
        "ideas_title": _("Ideas de otros grupos"),
        "ideas_body": _(
            "Niñas, niños y jóvenes de otros talleres propusieron estas ideas. "
            "Toca «Apoyar» en las que te gusten."
        ),
        "ideas_support": _("Apoyar"),
        "ideas_count": _("Apoyos: {n}"),
        "ideas_chosen": _("Ideas que apoyas: {n}"),
        "review_title": _("¡Terminaste!"),
        "review_body": _("¿Enviamos tus respuestas?"),
        "review_list": _("Tus respuestas"),
        "review_empty": _("Sin respuesta"),
        "review_change": _("Cambiar"),
        "send": _("Enviar"),
        "sending": _("Enviando…"),
        "thanks_title": _("¡Gracias!"),
        "thanks_body": _("Lo que dijiste es muy importante para nosotros."),
        "thanks_help": _("Si necesitas ayuda, llama gratis:"),
        "next_person": _("Siguiente persona"),
        "devolucion_title": _("¿Qué pasará con lo que dijiste?"),
        "devolucion_body": _(
            "Escanea este código con un celular, o pide la hoja con el código a quien te acompaña."
        ),
        "devolucion_qr_alt": _("Código QR de la página de devolución"),
        "reset_countdown": _("La tableta queda lista para otra persona en {n} segundos."),
        "closed_title": _("Esta consulta ya terminó"),
        "closed_body": _("Ya no se reciben respuestas. Gracias por venir."),
        "not_found_title": _("No encontramos esa consulta"),
        "not_found_body": _("Revisa el código con la persona que te ayuda."),
        "error_title": _("No pudimos enviar tus respuestas"),
        "error_network": _("Parece que no hay conexión. Tus respuestas siguen aquí."),
        "error_busy": _("Hay mucha gente enviando a la vez. Espera un momento."),
        "error_invalid": _(
            "Algo no salió bien con estas respuestas. Pide ayuda a quien te acompaña."
        ),
        "error_server": _("Algo falló de nuestro lado. Tus respuestas siguen aquí."),
        "retry": _("Intentar de nuevo"),
        "start_over": _("Volver al inicio"),
        "load_error": _("No pudimos cargar las preguntas. Revisa la conexión."),
        **_facilitator(),
    }


def _facilitator() -> dict[str, str]:
    """Screens only the facilitator sees (PIN, export, leaving): always "usted"."""
    return {
        "pin_setup_title": _("PIN de quien facilita"),
        "pin_setup_body": _(
            "Antes de entregar la tableta, elija un PIN de 4 a 6 números. Se pedirá para salir "
            "del quiosco o exportar respuestas. Solo se guarda en esta tableta."
        ),
        "pin_new": _("PIN nuevo (4 a 6 números)"),
        "pin_repeat": _("Repita el PIN"),
        "pin_format": _("El PIN debe tener de 4 a 6 números."),
        "pin_mismatch": _("Los dos PIN no coinciden."),
        "pin_save": _("Guardar PIN"),
        "pin_enter": _("PIN de quien facilita"),
        "pin_wrong": _("Ese PIN no es correcto."),
        "pin_open": _("Entrar"),
        "tablet_label": _("Nombre de esta tableta"),
        "tablet_hint": _(
            "Aparece en las alertas de quien facilita, por ejemplo «Tableta 3». "
            "No escriba nombres de personas."
        ),
        "tablet_default": _("Tableta 1"),
        "tablet_save": _("Guardar nombre"),
        "tablet_saved": _("Nombre guardado: {name}"),
        "tablet_empty": _("Escriba un nombre para la tableta."),
        "facilitator_button": _("Facilitación"),
        "facilitator_title": _("Solo para quien facilita"),
        "facilitator_waiting": _("Respuestas en esta tableta que aún no llegan al servidor: {n}"),
        "export_waiting": _("Exportar respuestas pendientes"),
        "leave_kiosk": _("Salir del quiosco"),
    }


def _adult_overrides() -> dict[str, str]:
    """Adults are addressed with "usted", as is courteous in Medellín."""
    return {
        "help_title": _("Puede pedir ayuda"),
        "help_intro": _("Si un niño, niña o adolescente está en peligro, llame gratis."),
        "help_tell_adult": _("También puede hablar con quien facilita esta sesión."),
        "welcome_title": _("Queremos conocer su opinión"),
        "welcome_body": _("Son pocas preguntas. No hay respuestas buenas ni malas."),
        "assent_title": _("¿Quiere participar?"),
        "assent_body": _("Puede parar cuando quiera y nadie sabrá su nombre."),
        "profile_title": _("Cuéntenos un poco de usted"),
        "profile_body": _("Es opcional: puede tocar «Saltar»."),
        "profile_age": _("¿Cuántos años tiene?"),
        "profile_gender": _("¿Usted es…?"),
        "stop_title": _("¿Quiere parar?"),
        "stop_body": _("Sus respuestas se borrarán."),
        "text_placeholder": _("Escriba aquí…"),
        "text_label": _("Su respuesta"),
        "chars_left": _("Puede escribir {n} caracteres más."),
        "choose_one": _("Elija una respuesta."),
        "choose_many": _("Puede elegir varias respuestas."),
        "skipped": _("Pregunta omitida"),
        "ideas_body": _(
            "Personas de otros talleres propusieron estas ideas. "
            "Toque «Apoyar» en las que le parezcan buenas."
        ),
        "review_body": _("¿Enviamos sus respuestas?"),
        "review_list": _("Sus respuestas"),
        "thanks_body": _("Lo que usted dijo es muy importante para el plan."),
        "thanks_help": _("Si necesita ayuda, llame gratis:"),
        "devolucion_title": _("¿Qué pasará con lo que usted dijo?"),
        "devolucion_body": _(
            "Escanee este código con su celular, o pida la hoja impresa a quien facilita."
        ),
        "error_title": _("No pudimos enviar sus respuestas"),
        "error_network": _("Parece que no hay conexión. Sus respuestas siguen aquí."),
        "error_invalid": _("Algo no salió bien con estas respuestas. Avise a quien facilita."),
        "error_server": _("Algo falló de nuestro lado. Sus respuestas siguen aquí."),
        "closed_body": _("Ya no se reciben respuestas. Gracias por venir."),
    }


def help_lines() -> list[dict[str, str]]:
    """Colombia's national lines; free from any phone. Shown on every screen via the help button."""
    return [
        {
            "name": _("ICBF"),
            "detail": _("Línea 141: protección de niñas, niños y adolescentes"),
            "phone": "141",
            "icon": "phone",
        },
        {
            "name": _("Policía"),
            "detail": _("Línea 123: emergencias"),
            "phone": "123",
            "icon": "police",
        },
        {
            "name": _("Te Protejo"),
            "detail": _("Denuncia en teprotejo.org"),
            "phone": "",
            "icon": "shield",
        },
    ]


def kiosk_strings() -> dict:
    """All kiosk text in the active locale: the script picks the voice once it knows the population."""
    return {
        "base": _common(),
        "adult": _adult_overrides(),
        "child_voice": sorted(CHILD_VOICE),
        "help_lines": help_lines(),
    }
