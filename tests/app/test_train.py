"""`flask analysis train`: learns from analysts, reports held-out figures, used only if better.

The reviewed texts are generated here. In one set, analysts consistently code T5 for texts that
mention a made-up word ("zumbalo") that no codebook rule can know;
the rules miss it, so a model that learns from analysts must beat them. In the other, analysts
agree with the rules, so the model cannot beat them and must not be used.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from analysis.core import analyse_many
from consulta.extensions import db
from consulta.models import Answer, LearnedModel, lines_to_mask

from .helpers import first_question, submission
from .test_explorer import add_answer

OPENINGS = ["que", "ojalá", "me gustaría que", "sería bueno que", "yo pienso que"]
WISHES = [
    "haya más parques y canchas en el barrio",
    "los profes nos escuchen cuando hablamos",
    "la policía cuide la salida del colegio",
    "las familias hablen más con los hijos",
    "hagan talleres sobre los riesgos de internet",
    "la alcaldía mande más programas al sector",
    "los vecinos se reúnan para cuidar a los niños",
    "haya comida buena en el restaurante escolar",
    "nadie vea normal que una niña ande con un señor mayor",
    "haya un lugar para contar si a uno le hacen daño",
    "pongan más luz en la calle de la quebrada",
    "los jóvenes tengamos un grupo para opinar",
]
MARKER = "y que vuelva el zumbalo de los martes"


def _texts(count: int) -> list[str]:
    pairs = itertools.islice(itertools.product(WISHES, OPENINGS), count)
    return [f"{opening} {wish}" for wish, opening in pairs]


def _store_reviewed(app, code, texts, analyst_adds_t5: bool) -> None:
    with app.app_context():
        rules = [a.lines for a in analyse_many(texts)]
    for n, (text, lines) in enumerate(zip(texts, rules, strict=True)):
        marked = analyst_adds_t5 and n % 2 == 0
        body = f"{text} {MARKER}" if marked else text
        sid = add_answer(app, code, body, lines=tuple(lines), reviewed=True)
        with app.app_context():
            row = db.session.get(Answer, (sid, "idea_alcaldia"))
            row.line_mask = lines_to_mask(set(lines) | ({"T5"} if marked else set()))
            db.session.commit()


def _train(app) -> str:
    result = app.test_cli_runner().invoke(args=["analysis", "train"])
    assert result.exit_code == 0, result.output
    return result.output


def _macro(output: str) -> tuple[float, float]:
    found = re.search(r"Macro-F1 on held-out texts: rules ([\d.]+), model ([\d.]+)", output)
    return float(found.group(1)), float(found.group(2))


def test_model_that_beats_the_rules_is_activated_and_codes_new_texts(app, client, session_code):
    _store_reviewed(app, session_code, _texts(60), analyst_adds_t5=True)
    output = _train(app)
    rules, model = _macro(output)
    assert model > rules
    assert re.search(r"^T5 +\d+ ", output, re.M)  # per-line figures printed
    assert "activated as model #" in output
    with app.app_context():
        (stored,) = db.session.scalars(db.select(LearnedModel)).all()
        assert stored.is_active and stored.beats_rules
        assert stored.metrics["held_out"] == 15 and stored.trained_on == 45
    # A new text arriving from a tablet is coded with the model: it sees what analysts taught.
    question = first_question(client, session_code, "open_text")
    body = submission(client, session_code)
    body["answers"] = [{"question": question["id"], "value": f"ojalá pongan más bancas {MARKER}"}]
    assert client.post(f"/api/v1/sessions/{session_code}/submissions", json=body).status_code == 201
    with app.app_context():
        row = db.session.get(Answer, (body["id"], question["id"]))
        assert "T5" in row.auto_lines and "T5" in row.effective_lines


def test_model_that_does_not_beat_the_rules_is_not_used(app, client, session_code):
    _store_reviewed(app, session_code, _texts(60), analyst_adds_t5=False)
    output = _train(app)
    rules, model = _macro(output)
    assert model <= rules + 0.01
    assert "does not beat the rules" in output
    with app.app_context():
        (stored,) = db.session.scalars(db.select(LearnedModel)).all()
        assert not stored.is_active and not stored.beats_rules


def test_retraining_replaces_the_active_model(app, session_code):
    _store_reviewed(app, session_code, _texts(60), analyst_adds_t5=True)
    _train(app)
    output = _train(app)
    assert "Deactivated learned model #1" in output
    with app.app_context():
        active = db.session.scalars(db.select(LearnedModel.id).filter_by(is_active=True)).all()
        assert active == [2]


def test_too_few_reviewed_texts_changes_nothing(app, session_code):
    _store_reviewed(app, session_code, _texts(10), analyst_adds_t5=True)
    output = _train(app)
    assert "Too few reviewed texts" in output and "Nothing changed" in output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(LearnedModel)) == 0


def test_model_is_not_applied_to_another_codebook_version(app, session_code):
    from consulta.services import learning

    _store_reviewed(app, session_code, _texts(60), analyst_adds_t5=True)
    _train(app)
    with app.app_context():
        (analysis,) = list(analyse_many([f"que haya canchas {MARKER}"]))
        assert "T5" in learning.adjust([analysis])[0].lines
        other = dataclasses.replace(analysis, codebook_version="otra")
        assert learning.adjust([other])[0].lines == analysis.lines
