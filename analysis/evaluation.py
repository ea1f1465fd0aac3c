"""Measure the automatic coding, redaction and alerts against hand-coded gold files.

Gold formats (one JSON object per line, as in ``tests/data/``):
  lines   ``text`` and ``lines`` (list of line ids, possibly empty)
  pii     ``text``, ``pii`` ([[string, TYPE], ...]) and ``keep`` ([string, ...])
  alerts  ``text`` and ``alert`` (true/false)

Every report has ``labels`` (per label: precision, recall, f1, support), ``macro`` and ``micro``.
For pii, recall of a gold string means it is gone from the redacted text; precision of a
placeholder means it replaced text overlapping some gold pii string; ``keep`` is the share of
keep strings that survive intact. Streams rows: memory does not grow with the gold file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from analysis import LINES, core

GOLD_TO_PLACEHOLDER = {
    "PERSON": "NOMBRE",
    "PHONE": "TELÉFONO",
    "EMAIL": "CORREO",
    "ID_NUMBER": "DOCUMENTO",
    "ADDRESS": "DIRECCIÓN",
    "HANDLE": "USUARIO",
    "URL": "ENLACE",
    "PLATE": "PLACA",
}


def _check_lines(record: dict) -> None:
    lines = record.get("lines")
    if not isinstance(lines, list) or not all(line in LINES for line in lines):
        raise ValueError("'lines' debe ser una lista de identificadores de línea (E1…T5)")


def _check_pii(record: dict) -> None:
    pii, keep = record.get("pii"), record.get("keep", [])
    if not isinstance(pii, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pii
    ):
        raise ValueError("'pii' debe ser una lista de pares [texto, TIPO]")
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise ValueError("'keep' debe ser una lista de textos")


def _check_alerts(record: dict) -> None:
    if not isinstance(record.get("alert"), bool):
        raise ValueError("'alert' debe ser true o false")


CHECKS: dict[str, Callable[[dict], None]] = {
    "lines": _check_lines,
    "pii": _check_pii,
    "alerts": _check_alerts,
}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _summarise(counts: dict[str, Counter], task: str, n: int) -> dict:
    labels = {}
    for label, c in counts.items():
        labels[label] = prf(c["tp"], c["fp"], c["fn"]) | {
            "support": c["tp"] + c["fn"],
            "tp": c["tp"],
            "fp": c["fp"],
            "fn": c["fn"],
        }
    scored = list(labels.values())
    macro = {
        m: sum(s[m] for s in scored) / len(scored) if scored else 0.0
        for m in ("precision", "recall", "f1")
    }
    total = Counter()
    for c in counts.values():
        total.update(c)
    return {
        "task": task,
        "n": n,
        "labels": labels,
        "macro": macro,
        "micro": prf(total["tp"], total["fp"], total["fn"]),
    }


def _predict(rows: Iterable[dict], task: str):
    items = ((row["text"], row) for row in rows)
    for results, row in core.run(items, {task}):
        yield row, results


def evaluate_lines(rows: Iterable[dict]) -> dict:
    counts = {line: Counter() for line in LINES}
    n = empty_gold = empty_ok = 0
    for row, results in _predict(rows, "tag"):
        n += 1
        gold, pred = set(row["lines"]), set(results.tag.lines)
        for line in LINES:
            counts[line]["tp"] += line in gold and line in pred
            counts[line]["fp"] += line in pred and line not in gold
            counts[line]["fn"] += line in gold and line not in pred
        if not gold:
            empty_gold += 1
            empty_ok += not pred
    report = _summarise(counts, "lines", n)
    report["empty_gold"] = {
        "texts": empty_gold,
        "no_line_predicted": empty_ok,
        "rate": empty_ok / empty_gold if empty_gold else 1.0,
    }
    return report


def redacted_original_spans(original: str, result) -> list[tuple[object, int, int]]:
    """The original-text span that each placeholder of ``result`` replaced, in order.

    Text between placeholders is copied unchanged, so a placeholder starts in the original as
    far from the previous one as it does in the redacted text; it ends where ``map_span`` stops
    refusing single characters (they touch redacted data).
    """
    spans = []
    orig_pos = red_pos = 0
    for r in sorted(result.redactions, key=lambda r: r.start):
        start = orig_pos + (r.start - red_pos)
        end = start
        while end < len(original) and result.map_span(end, end + 1) is None:
            end += 1
        spans.append((r, start, end))
        orig_pos, red_pos = end, r.end
    return spans


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    found, at = [], text.find(needle)
    while needle and at >= 0:
        found.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return found


def evaluate_pii(rows: Iterable[dict]) -> dict:
    counts: dict[str, Counter] = {}
    n = keep_total = keep_ok = 0
    for row, results in _predict(rows, "redact"):
        n += 1
        red = results.redaction
        gold_spans = []
        for string, gold_type in row["pii"]:
            label = GOLD_TO_PLACEHOLDER.get(gold_type, gold_type)
            c = counts.setdefault(label, Counter())
            gone = string not in red.text
            c["gold"] += 1
            c["gone"] += gone
            gold_spans += _occurrences(row["text"], string)
        for r, start, end in redacted_original_spans(row["text"], red):
            c = counts.setdefault(r.type, Counter())
            c["placed"] += 1
            c["correct"] += any(s < end and start < e for s, e in gold_spans)
        for keep in row.get("keep", []):
            keep_total += 1
            keep_ok += keep in red.text
    labels = {}
    for label, c in sorted(counts.items()):
        # tp/fn count gold strings (gone or left); fp counts placeholders over no gold pii.
        labels[label] = Counter(tp=c["gone"], fn=c["gold"] - c["gone"])
        labels[label]["fp"] = c["placed"] - c["correct"]
        labels[label]["placed"], labels[label]["correct"] = c["placed"], c["correct"]
    report = _summarise(labels, "pii", n)
    for label, c in labels.items():
        entry = report["labels"][label]
        entry["precision"] = c["correct"] / c["placed"] if c["placed"] else 0.0
        p, r = entry["precision"], entry["recall"]
        entry["f1"] = 2 * p * r / (p + r) if p + r else 0.0
        entry["placeholders"] = c["placed"]
    placed = sum(c["placed"] for c in labels.values())
    correct = sum(c["correct"] for c in labels.values())
    scored = [e for e in report["labels"].values() if e["support"] or e["placeholders"]]
    for metric in ("precision", "recall", "f1"):
        report["macro"][metric] = sum(e[metric] for e in scored) / len(scored) if scored else 0.0
    report["micro"]["precision"] = correct / placed if placed else 0.0
    p, r = report["micro"]["precision"], report["micro"]["recall"]
    report["micro"]["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    report["keep"] = {
        "strings": keep_total,
        "intact": keep_ok,
        "rate": keep_ok / keep_total if keep_total else 1.0,
    }
    return report


def evaluate_alerts(rows: Iterable[dict]) -> dict:
    counts = {"alert": Counter(), "no_alert": Counter()}
    n = 0
    reasons = Counter()
    for row, results in _predict(rows, "alert"):
        n += 1
        gold, pred = row["alert"], bool(results.signal.alert)
        for label, g, p in (("alert", gold, pred), ("no_alert", not gold, not pred)):
            counts[label]["tp"] += g and p
            counts[label]["fp"] += p and not g
            counts[label]["fn"] += g and not p
        reasons.update(results.signal.reasons if pred else ())
    report = _summarise(counts, "alerts", n)
    report["reasons"] = dict(reasons.most_common())
    return report


EVALUATORS = {"lines": evaluate_lines, "pii": evaluate_pii, "alerts": evaluate_alerts}


def evaluate(task: str, rows: Iterable[dict]) -> dict:
    return EVALUATORS[task](rows)


def format_report(report: dict) -> str:
    out = [f"Tarea: {report['task']}  ({report['n']} textos)", ""]
    out.append(f"{'etiqueta':<12}{'precisión':>10}{'exhaust.':>10}{'F1':>8}{'soporte':>9}")
    rows = list(report["labels"].items())
    rows += [("macro", report["macro"]), ("micro", report["micro"])]
    for label, m in rows:
        support = m.get("support", "")
        if label == "macro":
            out.append("-" * 49)
        out.append(
            f"{label:<12}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>8.3f}{support:>9}"
        )
    if "empty_gold" in report:
        e = report["empty_gold"]
        out.append(
            f"\nSin línea en el oro: {e['texts']} textos; {e['no_line_predicted']} sin línea "
            f"predicha ({e['rate']:.1%})"
        )
    if "keep" in report:
        k = report["keep"]
        out.append(f"\nTextos a conservar intactos: {k['intact']}/{k['strings']} ({k['rate']:.1%})")
    if report["task"] == "pii":
        out.append("(exhaustividad = cadenas personales que desaparecen de la salida)")
    if report.get("reasons"):
        out.append(
            "\nRazones de las alertas: "
            + ", ".join(f"{r} {c}" for r, c in report["reasons"].items())
        )
    return "\n".join(out)
