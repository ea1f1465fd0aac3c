"""Acceptance thresholds of issue 3 on the development sets (kept in tests/data/).

The same figures are judged again on a held-out set written independently; these tests guard
against regressions, they are not targets to tune to.
"""

import json
from pathlib import Path

import pytest

from analysis import LINES, evaluation

DATA = Path(__file__).resolve().parents[1] / "data"


def gold(name):
    with open(DATA / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def lines_report():
    return evaluation.evaluate("lines", gold("dev_lines.jsonl"))


def test_lines_macro_f1_is_at_least_080(lines_report):
    assert lines_report["macro"]["f1"] >= 0.80, evaluation.format_report(lines_report)


def test_no_line_has_f1_below_065(lines_report):
    weak = {line: round(lines_report["labels"][line]["f1"], 3) for line in LINES}
    assert min(weak.values()) >= 0.65, weak


def test_texts_with_no_gold_line_mostly_get_none(lines_report):
    assert lines_report["empty_gold"]["texts"] > 0
    assert lines_report["empty_gold"]["rate"] >= 0.90, lines_report["empty_gold"]


@pytest.fixture(scope="module")
def pii_report():
    return evaluation.evaluate("pii", gold("dev_pii.jsonl"))


def test_at_least_97_percent_of_personal_strings_are_gone(pii_report):
    assert pii_report["micro"]["recall"] >= 0.97, evaluation.format_report(pii_report)


def test_at_least_95_percent_of_keep_strings_survive(pii_report):
    assert pii_report["keep"]["rate"] >= 0.95, pii_report["keep"]


def test_alerts_recall_095_precision_075():
    report = evaluation.evaluate("alerts", gold("dev_alerts.jsonl"))
    alert = report["labels"]["alert"]
    assert alert["recall"] >= 0.95 and alert["precision"] >= 0.75, evaluation.format_report(report)
