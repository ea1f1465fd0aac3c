"""Building valid submissions from what the API says, as a tablet would."""

from __future__ import annotations

import re
import uuid
from datetime import date

from consulta.extensions import db
from consulta.models import User
from consulta.services import accounts, encounters, instruments

PASSWORD = "correct horse battery staple"


def full_answers(session_json: dict, text: str = "Que haya más parques y canchas") -> list[dict]:
    answers = []
    for q in session_json["instrument"]["questions"]:
        if q["type"] in ("open_text", "idea"):
            answers.append({"question": q["id"], "value": text})
        elif q["type"] == "multiple_choice":
            answers.append(
                {"question": q["id"], "value": [q["options"][0]["value"], q["options"][1]["value"]]}
            )
        else:
            answers.append({"question": q["id"], "value": q["options"][-1]["value"]})
    return answers


def submission(client, code: str, text: str = "Que haya más parques y canchas", **profile) -> dict:
    detail = client.get(f"/api/v1/sessions/{code}").get_json()
    return {
        "id": str(uuid.uuid4()),
        "profile": {"age_band": profile.get("age_band"), "gender": profile.get("gender")},
        "answers": full_answers(detail, text),
    }


def first_question(client, code: str, kind: str) -> dict:
    detail = client.get(f"/api/v1/sessions/{code}").get_json()
    return next(q for q in detail["instrument"]["questions"] if q["type"] == kind)


def make_user(app, role: str, email: str | None = None) -> int:
    with app.app_context():
        return accounts.create_user(email or f"{role}@test.co", role, PASSWORD).id


def make_session(
    app,
    consultation_id: int,
    slug: str = "ninez",
    population: str = "ninez",
    facilitator_id: int | None = None,
) -> str:
    with app.app_context():
        data = encounters.EncounterInput(
            consultation_id=consultation_id,
            instrument_id=instruments.latest_version(slug).id,
            held_on=date(2027, 3, 14),
            territory_code=60,
            population=population,
            expected_participants=20,
            guardian_authorisation_confirmed=True,
        )
        creator = db.session.get(User, facilitator_id) if facilitator_id else None
        return encounters.create_encounter(data, created_by=creator).code


def login(client, email: str, password: str = PASSWORD):
    data = {"email": email, "password": password}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data=data)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "page has no CSRF token"
    return match.group(1)
