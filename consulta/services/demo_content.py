"""Demo answers for `make run`: an earlier, closed adolescents' session with coded texts, ideas
on the wall and the plan's first replies, so every page has something real to show.

The texts are written for the demo (not taken from any annotated set) and go through the same
service as a tablet's submission: redacted, coded and flagged like real answers.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from ..extensions import db
from ..models import Encounter, Idea, User
from . import encounters, ideas, instruments, submissions

WHY = [
    "Porque en el barrio hay mucha plata fácil y a los pelados les ofrecen regalos.",
    "Pasa porque muchas familias no tienen trabajo y los muchachos dejan el colegio.",
    "Por las redes sociales les escriben a las niñas y les prometen cosas.",
    "Porque nadie denuncia, la gente tiene miedo y se queda callada.",
    "Porque los turistas buscan a las chicas cerca de los hoteles y nadie hace nada.",
    "Los combos controlan el barrio y usan a los menores.",
]
SUPPORT = [
    "Que los profes nos escuchen sin regañarnos.",
    "Un lugar en el colegio donde uno pueda hablar con una psicóloga.",
    "Que la policía llegue rápido cuando uno llama a la línea.",
    "Que en la casa nos pregunten cómo estamos y nos crean.",
    "Talleres para saber cómo cuidarnos en internet.",
]
IDEAS = [
    "Canchas y talleres de música gratis por la tarde para que no estemos en la calle.",
    "Una campaña en redes hecha por jóvenes para avisar de los engaños por internet.",
    "Que en cada colegio haya un buzón para contar lo que pasa sin decir el nombre.",
    "Capacitar a los taxistas y a los hoteles para que denuncien.",
    "Becas y primer empleo para los jóvenes del barrio.",
]
PLAN_REPLIES = {
    "E1": (
        "Llevaremos talleres de autocuidado y uso seguro de internet a los colegios de las "
        "comunas donde más se habló del tema.",
        "Vamos a ir a los colegios a enseñar cómo cuidarse, también en internet.",
    ),
    "E2": (
        "Revisaremos con la Policía de Infancia y Adolescencia y la Fiscalía los tiempos de "
        "respuesta de la línea 123 en los barrios que lo pidieron.",
        "Vamos a pedir que la ayuda llegue más rápido cuando alguien llama.",
    ),
}


def load_earlier_session(consultation_id: int) -> int:
    """Creates the closed demo session once; returns how many submissions it holds."""
    existing = db.session.scalar(
        db.select(Encounter).filter_by(consultation_id=consultation_id, population="adolescencia")
    )
    if existing is not None:
        return encounters.submission_count(existing)
    facilitator = db.session.scalar(db.select(User).filter_by(role="facilitator"))
    admin = db.session.scalar(db.select(User).filter_by(role="admin"))
    encounter = encounters.create_encounter(
        encounters.EncounterInput(
            consultation_id=consultation_id,
            instrument_id=instruments.latest_version("adolescencia").id,
            held_on=date.today() - timedelta(days=14),
            territory_code=1,
            population="adolescencia",
            expected_participants=20,
            guardian_authorisation_confirmed=True,
        ),
        created_by=facilitator,
    )
    picker = random.Random(2027)
    for index in range(18):
        answers = [
            {"question": "seguridad_barrio", "value": str(picker.randint(1, 5))},
            {"question": "por_que_pasa", "value": picker.choice(WHY)},
            {"question": "apoyo_sin_juzgar", "value": picker.choice(SUPPORT)},
        ]
        if index < len(IDEAS):
            answers.append({"question": "idea_alcaldia", "value": IDEAS[index]})
        payload = {
            "id": str(uuid.UUID(int=picker.getrandbits(128), version=4)),
            "profile": {"age_band": picker.choice(["12-14", "15-17"])},
            "answers": answers,
        }
        submissions.receive(encounter, payload)
    encounters.add_note(
        encounter,
        "general",
        "El grupo habló de la plata fácil, de los engaños por redes y de la falta de lugares "
        "para jugar. Pidieron que los adultos del colegio escuchen sin juzgar.",
        facilitator,
    )
    for idea in db.session.scalars(db.select(Idea).filter_by(encounter_id=encounter.id)):
        line = ideas.default_line(idea.answer)
        if line:
            ideas.decide(admin, idea.id, "approve", line)
    encounters.close(encounter)
    return encounters.submission_count(encounter)


def load_plan_replies(consultation_id: int) -> None:
    from ..devolucion.services import save_line_responses

    next_update = date.today() + timedelta(days=60)
    data = {
        line: {"text_es": adults, "children_text_es": children, "next_update": next_update}
        for line, (adults, children) in PLAN_REPLIES.items()
    }
    save_line_responses(consultation_id, data, None)
