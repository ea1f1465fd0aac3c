"""A line classifier learned from analysts' codings, used only when it beats the rules.

The model is one logistic regression per line (numpy, no extra dependency) over three kinds of
binary features: folded word stems and stem pairs of the redacted text, the themes the codebook
found, and the lines the rules coded. It therefore learns *corrections* to the rules from what
analysts changed. Training is deterministic (sorted keys, fixed seed); a quarter of the reviewed
texts is held out, and both the rules and the model are scored against the analysts there. The
model is stored either way, with its figures, but activated only if its macro-F1 is higher.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import numpy as np

from analysis import LINES
from analysis.normalize import fold
from analysis.pipeline import get_nlp
from analysis.tagger import tag_doc

from ..extensions import db
from ..models import LearnedModel
from .agreement import macro_f1, reviewed_texts, score

SEED = 20181028
HELD_OUT = 0.25
MIN_REVIEWED = 40  # below this there is nothing worth learning or measuring
MIN_POSITIVES = 5  # a line seen fewer times in training keeps the rules' decision
MAX_FEATURES = 4000
MIN_COUNT = 2
MARGIN = 0.01  # the model must beat the rules by at least this macro-F1
EPOCHS = 400
RATE = 0.5
L2 = 1e-2
STEM = 6
PRIOR = 4.0  # logit weight of the rules' own decision before any training
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class TrainReport:
    reviewed: int
    trained_on: int = 0
    held_out: int = 0
    rules_macro_f1: float | None = None
    model_macro_f1: float | None = None
    per_line: list[dict] = dataclasses.field(default_factory=list)
    beats_rules: bool = False
    model_id: int | None = None
    deactivated: list[int] = dataclasses.field(default_factory=list)
    too_few: bool = False
    codebook_version: str = ""


def features(text: str, themes, rule_lines) -> set[str]:
    stems = [w[:STEM] for w in _WORD.findall(fold(text)) if len(w) > 1]
    out = {f"w:{s}" for s in stems}
    out.update(f"b:{a}_{b}" for a, b in zip(stems, stems[1:], strict=False))
    out.update(f"t:{t}" for t in themes)
    out.update(f"r:{line}" for line in rule_lines)
    return out


def _matrix(rows: list[set[str]], vocab: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(rows), len(vocab)), dtype=np.float32)  # dense: reviewed texts are few
    for i, feats in enumerate(rows):
        for f in feats:
            j = vocab.get(f)
            if j is not None:
                x[i, j] = 1.0
    return x


def _prior(vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Weights that reproduce the rules: "the rules coded line k" pushes line k to yes."""
    w = np.zeros((len(vocab), len(LINES)))
    for k, line in enumerate(LINES):
        j = vocab.get(f"r:{line}")
        if j is not None:
            w[j, k] = PRIOR
    return w, np.full(len(LINES), -PRIOR / 2)


def _fit(x: np.ndarray, y: np.ndarray, vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent on the log loss, regularised towards the rules rather than towards 0:
    without evidence the model says what the rules say; analysts' corrections move it."""
    w0, b = _prior(vocab)
    w = w0.copy()
    n = max(1, x.shape[0])
    for _ in range(EPOCHS):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        grad = p - y
        w -= RATE * (x.T @ grad / n + L2 * (w - w0))
        b -= RATE * grad.mean(axis=0)
    return w, b


def _predict(params: dict, rows: list[set[str]], rule_lines: list) -> list[set[str]]:
    vocab = {f: i for i, f in enumerate(params["vocab"])}
    w, b = np.array(params["weights"]), np.array(params["bias"])
    p = 1 / (1 + np.exp(-(_matrix(rows, vocab) @ w + b))) if vocab else None
    out = []
    for i, rules in enumerate(rule_lines):
        lines = set()
        for k, line in enumerate(LINES):
            if line in params["rules_only"] or p is None:
                if line in rules:
                    lines.add(line)
            elif p[i, k] >= params["threshold"]:
                lines.add(line)
        out.append(lines)
    return out


def train(codebook) -> TrainReport:
    """Learn from every reviewed text, evaluate on held-out ones, store, activate if better."""
    # Texts deleted by retention keep their codes but have no words left to learn from.
    texts = sorted((t for t in reviewed_texts() if t.text), key=lambda t: (t.kind, t.key))
    report = TrainReport(reviewed=len(texts), codebook_version=codebook.version)
    if len(texts) < MIN_REVIEWED:
        report.too_few = True
        return report
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(texts))
    cut = max(1, round(len(texts) * HELD_OUT))
    test_idx, train_idx = sorted(order[:cut]), sorted(order[cut:])
    analyses = _rules(texts, codebook)
    feats = [features(t.text, a.themes, a.lines) for t, a in zip(texts, analyses, strict=True)]
    gold = [set(t.analyst) for t in texts]

    counts: dict[str, int] = {}
    for i in train_idx:
        for f in feats[i]:
            counts[f] = counts.get(f, 0) + 1
    kept = sorted((f for f, c in counts.items() if c >= MIN_COUNT), key=lambda f: (-counts[f], f))
    vocab_list = sorted(set(kept[:MAX_FEATURES]) | {f"r:{line}" for line in LINES})
    vocab = {f: i for i, f in enumerate(vocab_list)}
    y = np.array([[1.0 if line in gold[i] else 0.0 for line in LINES] for i in train_idx])
    w, b = _fit(_matrix([feats[i] for i in train_idx], vocab), y, vocab)
    positives = y.sum(axis=0)
    params = {
        "vocab": vocab_list,
        "weights": np.round(w, 5).tolist(),
        "bias": np.round(b, 5).tolist(),
        "rules_only": [line for k, line in enumerate(LINES) if positives[k] < MIN_POSITIVES],
        "threshold": 0.5,
        "stem": STEM,
    }
    rules_pred = [set(analyses[i].lines) for i in test_idx]
    model_pred = _predict(params, [feats[i] for i in test_idx], rules_pred)
    reference = [gold[i] for i in test_idx]
    rules_scores = score(zip(rules_pred, reference, strict=True))
    model_scores = score(zip(model_pred, reference, strict=True))
    report.trained_on, report.held_out = len(train_idx), len(test_idx)
    report.rules_macro_f1 = macro_f1(rules_scores)
    report.model_macro_f1 = macro_f1(model_scores)
    report.per_line = [
        {
            "line": r.line,
            "support": r.support,
            "rules": _figures(r),
            "model": _figures(m),
            "rules_only": r.line in params["rules_only"],
        }
        for r, m in zip(rules_scores, model_scores, strict=True)
    ]
    report.beats_rules = (
        report.model_macro_f1 is not None
        and report.rules_macro_f1 is not None
        and report.model_macro_f1 > report.rules_macro_f1 + MARGIN
    )
    _store(report, params)
    return report


def _rules(texts, codebook) -> list:
    """The codebook's own coding of the stored (already redacted) texts: tagging only, so
    the parser and NER are skipped, as in the codebook preview."""
    nlp = get_nlp()
    skip = [name for name in ("parser", "ner") if name in nlp.pipe_names]
    docs = nlp.pipe((t.text for t in texts), batch_size=256, disable=skip)
    return [tag_doc(doc, codebook) for doc in docs]


def _figures(s) -> dict:
    return {
        "precision": _round(s.precision),
        "recall": _round(s.recall),
        "f1": _round(s.f1),
        "kappa": _round(s.kappa),
    }


def _round(value):
    return None if value is None else round(value, 4)


def _store(report: TrainReport, params: dict) -> None:
    """The newest evaluation decides: earlier models stop being used either way."""
    previous = db.session.scalars(db.select(LearnedModel).filter_by(is_active=True)).all()
    for row in previous:
        row.is_active = False
    model = LearnedModel(
        codebook_version=report.codebook_version,
        trained_on=report.trained_on,
        metrics={
            "held_out": report.held_out,
            "rules_macro_f1": _round(report.rules_macro_f1),
            "model_macro_f1": _round(report.model_macro_f1),
            "per_line": report.per_line,
            "seed": SEED,
        },
        parameters=params,
        beats_rules=report.beats_rules,
        is_active=report.beats_rules,
    )
    db.session.add(model)
    db.session.commit()
    report.model_id = model.id
    report.deactivated = [row.id for row in previous]


def active_model() -> LearnedModel | None:
    row = db.session.execute(
        db.select(LearnedModel.id, LearnedModel.codebook_version, LearnedModel.created_at)
        .filter_by(is_active=True)
        .limit(1)
    ).first()
    if row is None:
        return None
    return _load(row.id, row.codebook_version, str(row.created_at))


@lru_cache(maxsize=4)
def _load(model_id: int, version: str, created_at: str):
    """Parameters of a stored model; a row's numbers never change once written (the creation
    time is part of the key so that another database's model #1 is never mistaken for it)."""
    row = db.session.get(LearnedModel, model_id)
    return SimpleNamespace(id=model_id, codebook_version=version, parameters=row.parameters)


def learned_lines(texts, themes, rule_lines, model=None) -> list[set[str]] | None:
    """The active model's lines for each text, or None when the rules stand alone."""
    model = model or active_model()
    if model is None:
        return None
    feats = [features(t, th, rl) for t, th, rl in zip(texts, themes, rule_lines, strict=True)]
    return _predict(model.parameters, feats, [set(r) for r in rule_lines])


def adjust(analyses: list) -> list:
    """Hook for on-arrival coding: the learned model's lines replace the rules' when a model
    trained on this codebook version is active; otherwise the analyses pass unchanged."""
    if not analyses:
        return analyses
    model = active_model()
    if model is None or any(a.codebook_version != model.codebook_version for a in analyses):
        return analyses
    predicted = learned_lines(
        [a.text for a in analyses], [a.themes for a in analyses], [a.lines for a in analyses], model
    )
    out = []
    for a, lines in zip(analyses, predicted, strict=True):
        ordered = [line for line in LINES if line in lines]
        confidence = {line: a.confidence.get(line, 0.5) for line in ordered}
        out.append(dataclasses.replace(a, lines=ordered, confidence=confidence))
    return out
