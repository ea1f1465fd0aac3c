"""Safeguarding alerts: a flagged text or the help button reaches the session's facilitator with
the tablet's label and the time (never the text), what was done is recorded and redacted, other
staff see only what their role allows, and details are purged after ALERT_DETAIL_DAYS."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from consulta import care_route, create_app
from consulta.extensions import db
from consulta.models import Alert

from .helpers import csrf_token, login, make_session, make_user, submission

# A child's own words (written for this test): an adult relative, touching, and a secret.
DISCLOSURE = "mi tio me toca cuando mi mama no esta y dice que si le cuento a alguien me pega"
BENIGN = "Que arreglen el parque y pongan luces para jugar en la tarde"


@pytest.fixture
def world(app, consultation):
    """A session created by the facilitator, who is logged in on ``client``."""
    owner = make_user(app, "facilitator")
    make_user(app, "facilitator", "otra@test.co")
    for role in ("analyst", "safeguarding"):
        make_user(app, role)
    code = make_session(app, consultation, facilitator_id=owner)
    with app.app_context():
        from consulta.services import encounters

        encounter_id = encounters.by_code(code).id
    return {"code": code, "encounter_id": encounter_id}


def _send(app, code, words, tablet="Tableta 3"):
    tablet_client = app.test_client()
    payload = submission(tablet_client, code, text=words)
    if tablet is not None:
        payload["tablet"] = tablet
    response = tablet_client.post(f"/api/v1/sessions/{code}/submissions", json=payload)
    assert response.status_code == 201, response.get_json()
    return tablet_client, payload


def _alerts(app) -> list[Alert]:
    with app.app_context():
        rows = db.session.scalars(db.select(Alert).order_by(Alert.id)).all()
        db.session.expunge_all()
        return rows


def _logged(app, email):
    client = app.test_client()
    login(client, email)
    return client


def test_a_flagged_text_alerts_the_facilitator_with_label_and_time_never_the_text(app, world):
    tablet, payload = _send(app, world["code"], DISCLOSURE)
    # The outbox resends after a lost reply: still one alert.
    again = tablet.post(f"/api/v1/sessions/{world['code']}/submissions", json=payload)
    assert again.status_code == 200
    _send(app, world["code"], BENIGN)
    (alert,) = _alerts(app)
    assert (alert.source, alert.tablet_label, alert.status) == ("text", "Tableta 3", "open")
    assert "sexual_abuse" in alert.reasons

    facilitator = _logged(app, "facilitator@test.co")
    live = facilitator.get(f"/sesiones/{world['encounter_id']}/estado.json").get_json()
    (shown,) = live["alerts"]
    assert shown["tablet"] == "Tableta 3" and re.fullmatch(r"\d\d:\d\d", shown["time"])
    assert any("abuso sexual" in reason for reason in shown["reasons"])
    assert set(shown) == {"id", "source", "tablet", "time", "reasons"}
    page = facilitator.get(f"/sesiones/{world['encounter_id']}").get_data(as_text=True)
    assert "Alguien necesita ayuda ahora" in page and "Tableta 3" in page
    assert "Alertas abiertas: 1" in facilitator.get("/sesiones/").get_data(as_text=True)
    for must in ("No prometa guardar el secreto", "141", "123", "CAIVAS", "Ley 1620 de 2013"):
        assert must in page
    assert "me toca" not in page and "me toca" not in str(live)


def test_the_help_button_alerts_once_per_request(app, world):
    tablet = app.test_client()
    body = {"id": str(uuid.uuid4()), "tablet": "  Tableta\n2 "}
    assert tablet.post(f"/api/v1/sessions/{world['code']}/help", json=body).status_code == 201
    assert tablet.post(f"/api/v1/sessions/{world['code']}/help", json=body).status_code == 200
    (alert,) = _alerts(app)
    assert (alert.source, alert.tablet_label) == ("help", "Tableta 2")
    facilitator = _logged(app, "facilitator@test.co")
    (shown,) = facilitator.get(f"/sesiones/{world['encounter_id']}/estado.json").get_json()[
        "alerts"
    ]
    assert shown["source"] == "help" and shown["tablet"] == "Tableta 2"


def _handle(client, url_page, url_post, **data):
    token = csrf_token(client.get(url_page).get_data(as_text=True))
    return client.post(url_post, data={"csrf_token": token, **data})


@pytest.mark.parametrize(
    "data,message,english",
    [
        ({}, "Indique si activó la ruta de atención.", "Say whether you activated the care route."),
        ({"route_activated": "yes"}, "Marque qué ruta activó.", "Tick which route you activated."),
        (
            {"route_activated": "yes", "routes": "linea_inventada"},
            "Alguna ruta elegida no está en la ruta de atención.",
            "A route you ticked is not in the care route.",
        ),
        (
            {"route_activated": "no", "note": "   "},
            "Escriba por qué no activó la ruta.",
            "Write why you did not activate the route.",
        ),
    ],
)
def test_an_incomplete_record_is_refused_with_a_translated_reason_and_changes_nothing(
    app, world, data, message, english
):
    _send(app, world["code"], DISCLOSURE)
    (alert,) = _alerts(app)
    client = _logged(app, "facilitator@test.co")
    page = f"/sesiones/{world['encounter_id']}"
    refused = _handle(client, page, f"{page}/alertas/{alert.id}", **data)
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    client.get("/idioma/en")
    refused = _handle(client, page, f"{page}/alertas/{alert.id}", **data)
    assert refused.status_code == 422 and english in refused.get_data(as_text=True)
    (after,) = _alerts(app)
    assert (after.status, after.route_activated, after.routes, after.action_note) == (
        "open",
        None,
        None,
        None,
    )


def test_recording_what_was_done_closes_the_alert_and_redacts_names(app, world):
    _send(app, world["code"], DISCLOSURE)
    (alert,) = _alerts(app)
    client = _logged(app, "facilitator@test.co")
    page = f"/sesiones/{world['encounter_id']}"
    note = "Hablé con ella y llamamos al 141 con la profesora Marcela Gómez; la acompañó su tía."
    done = _handle(
        client,
        page,
        f"{page}/alertas/{alert.id}",
        route_activated="yes",
        routes=["icbf_141", "ruta_escolar_1620"],
        note=note,
    )
    assert done.status_code == 302
    (after,) = _alerts(app)
    assert after.status == "handled" and after.route_activated is True
    assert after.routes == ["icbf_141", "ruta_escolar_1620"]
    assert "Marcela" not in after.action_note and "[NOMBRE]" in after.action_note
    assert client.get(f"{page}/estado.json").get_json()["alerts"] == []
    shown = client.get(page).get_data(as_text=True)
    assert "Alertas ya atendidas en esta sesión" in shown and "ICBF" in shown
    # A second record of the same alert is refused.
    again = _handle(client, page, f"{page}/alertas/{alert.id}", route_activated="no", note="x")
    assert again.status_code == 422


def test_only_the_sessions_facilitators_and_the_safeguarding_lead_see_details(app, world):
    _send(app, world["code"], DISCLOSURE)
    (alert,) = _alerts(app)
    page = f"/sesiones/{world['encounter_id']}"
    other = _logged(app, "otra@test.co")
    assert other.get(page).status_code == 403
    assert other.get(f"{page}/estado.json").status_code == 403
    token = csrf_token(other.get("/sesiones/").get_data(as_text=True))
    assert other.post(f"{page}/alertas/{alert.id}", data={"csrf_token": token}).status_code == 403

    analyst = _logged(app, "analyst@test.co")
    assert analyst.get("/alertas").status_code == 403
    index = analyst.get("/analisis/").get_data(as_text=True)
    assert "1 alertas de protección (1 abiertas)." in index
    assert "Tableta 3" not in index and "abuso sexual" not in index

    lead = _logged(app, "safeguarding@test.co")
    listing = lead.get("/alertas").get_data(as_text=True)
    assert "Tableta 3" in listing and world["code"] in listing and "CAIVAS" in listing
    assert "me toca" not in listing
    assert lead.get("/alertas/estado.json").get_json() == {
        "open": [alert.id],
        "counts": {"total": 1, "open": 1},
    }
    done = _handle(
        lead,
        "/alertas",
        f"/alertas/{alert.id}",
        route_activated="no",
        note="La niña ya estaba acompañada por la Comisaría de Familia.",
    )
    assert done.status_code == 302
    assert "Ruta no activada." in lead.get("/alertas").get_data(as_text=True)
    assert "(0 abiertas)" in analyst.get("/analisis/").get_data(as_text=True)


def test_purge_removes_details_after_the_configured_days_and_keeps_counts(app, world):
    _send(app, world["code"], DISCLOSURE)
    _send(app, world["code"], DISCLOSURE, tablet="Tableta 9")
    old, recent = _alerts(app)
    app.config["ALERT_DETAIL_DAYS"] = 10
    with app.app_context():
        row = db.session.get(Alert, old.id)
        row.raised_at = row.raised_at - timedelta(days=11)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["alerts", "purge"])
    assert result.exit_code == 0, result.output
    assert "purged 1 alert(s) older than 10 days" in result.output
    assert "alerts kept for counts: 2 (2 open)" in result.output
    purged, kept = _alerts(app)
    assert purged.purged_at is not None
    assert (purged.tablet_label, purged.reasons, purged.routes, purged.action_note) == (None,) * 4
    assert (purged.raised_at.hour, purged.raised_at.minute) == (0, 0)
    assert kept.tablet_label == "Tableta 9" and kept.purged_at is None
    with app.app_context():
        from consulta.services import alert_care

        assert alert_care.counts().total == 2
        # Running it again purges nothing new.
        assert alert_care.purge_expired_details(datetime.now(UTC)) == 0
    facilitator = _logged(app, "facilitator@test.co")
    live = facilitator.get(f"/sesiones/{world['encounter_id']}/estado.json").get_json()
    assert [a["tablet"] for a in live["alerts"]] == ["Tableta 9"]


def test_the_alert_table_holds_no_text_and_no_link_to_the_submission(app, world):
    _, payload = _send(app, world["code"], DISCLOSURE)
    with app.app_context():
        columns = [c.name for c in Alert.__table__.columns]
        assert not [c for c in columns if "submission" in c or "answer" in c or "text" in c]
        rows = db.session.execute(text("SELECT * FROM safeguarding_alert")).all()
    dump = " ".join(str(v) for row in rows for v in row)
    assert rows and payload["id"] not in dump
    for fragment in ("tio", "toca", "pega", "mama"):
        assert fragment not in dump.lower()


def test_a_malformed_care_route_stops_the_app_at_start(tmp_path):
    broken = tmp_path / "ruta.yaml"
    broken.write_text(
        "checklist:\n  - {key: listen, es: Escuche, en: Listen}\n"
        "contacts:\n  - {key: icbf, name: {es: ICBF, en: ICBF}, phone: '141', where: {es: a, en: b}}\n",
        "utf-8",
    )
    with pytest.raises(
        care_route.CareRouteError, match=r"contacts\[0\]: missing fields \['when'\]"
    ):
        create_app(
            {
                "TESTING": True,
                "CARE_ROUTE_FILE": str(broken),
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )
    route = care_route.load()
    assert {"icbf_141", "policia_infancia", "fiscalia_caivas", "ruta_escolar_1620"} <= set(
        route.keys
    )


def test_two_records_of_the_same_alert_at_once_keep_the_first(app, world):
    from consulta.models import User
    from consulta.services import alert_care

    _send(app, world["code"], DISCLOSURE)
    with app.app_context():
        facilitator = db.session.scalar(db.select(User).filter_by(email="facilitator@test.co"))
        first = db.session.get(Alert, _alerts(app)[0].id)
        # Another request records it between this page's load and its submit.
        db.session.execute(
            db.update(Alert).where(Alert.id == first.id).values(status="handled", routes=[])
        )
        db.session.commit()
        stale = Alert(id=first.id, status="open")  # what the slower request still believes
        with pytest.raises(alert_care.HandleError) as refused:
            alert_care.handle(stale, True, ["icbf_141"], "", facilitator)
        assert "alert" in refused.value.errors
    (after,) = _alerts(app)
    assert after.status == "handled" and after.routes == []
