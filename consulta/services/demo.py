"""Demo data for `make run`: a consultation, one account per role and an open session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..extensions import db
from ..models import ROLES, Consultation, Encounter, User
from . import accounts, demo_content, encounters, instruments

DEMO_PASSWORD = "consulta-demo-2027"
DEMO_TITLE = "Diálogos de saberes 2027"


@dataclass
class DemoResult:
    logins: list[tuple[str, str]]
    code: str


def load() -> DemoResult:
    logins = []
    for role in ROLES:
        email = f"{role}@demo.consulta.co"
        if db.session.scalar(db.select(User).filter_by(email=email)) is None:
            accounts.create_user(email, role, DEMO_PASSWORD)
        logins.append((email, role))
    consultation = db.session.scalar(db.select(Consultation).filter_by(title=DEMO_TITLE))
    if consultation is None:
        consultation = Consultation(
            title=DEMO_TITLE,
            purpose="Escuchar a niñas, niños, adolescentes, familias y actores de Medellín para "
            "ajustar el Plan Intersectorial contra la ESCNNA 2018-2028.",
            retention_until=date(2028, 12, 31),
        )
        db.session.add(consultation)
        db.session.commit()
        demo_content.load_earlier_session(consultation.id)
        demo_content.load_plan_replies(consultation.id)
    open_demo = db.session.scalar(
        db.select(Encounter).filter_by(consultation_id=consultation.id, status="open")
    )
    if open_demo is None:
        facilitator = db.session.scalar(db.select(User).filter_by(role="facilitator"))
        instrument = instruments.latest_version("ninez")
        open_demo = encounters.create_encounter(
            encounters.EncounterInput(
                consultation_id=consultation.id,
                instrument_id=instrument.id,
                held_on=date.today(),
                territory_code=60,
                population="ninez",
                expected_participants=25,
                guardian_authorisation_confirmed=True,
            ),
            created_by=facilitator,
        )
    return DemoResult(logins=logins, code=open_demo.code)
