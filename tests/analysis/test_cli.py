"""The command-line contract: how the analysis is run and checked from outside."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import LINES, cli, core, pipeline

ROOT = Path(__file__).resolve().parents[2]

GOOD = {"id": "a1", "text": "Que en el colegio nos enseñen a cuidarnos en internet", "kind": "idea"}
PII = {"id": "a2", "text": "Escríbanme al 321 654 9870 o a sofia.perez@gmail.com, soy Sofía Pérez"}
HELP = {
    "id": "a3",
    "text": "ayuda, un señor me está pidiendo fotos sin ropa y dice que si no le mando me pega",
}
TAGGED = {"id": "s1", "text": "más canchas y clases de música", "lines": ["E1"], "themes": []}


def run(args, lines, **kwargs):
    """Run the CLI in-process (the model stays loaded) on JSON Lines given as objects/strings."""
    raw = "".join(
        (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
    )
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(args, stdin=io.BytesIO(raw.encode("utf-8")), stdout=out, stderr=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def records(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_tag_adds_lines_themes_evidence_and_passes_other_fields_through():
    code, out, err = run(["tag"], [GOOD, HELP])
    assert code == 0, err
    first, second = records(out)
    assert first["id"] == "a1" and first["kind"] == "idea" and first["text"] == GOOD["text"]
    for rec in (first, second):
        assert rec["lines"] == sorted(rec["lines"]) and set(rec["lines"]) <= set(LINES)
        assert set(rec["confidence"]) == set(rec["lines"])
        for ev in rec["evidence"]:
            assert set(ev) == {"theme", "start", "end", "text"}
            assert rec["text"][ev["start"] : ev["end"]] == ev["text"]
            assert ev["theme"] in rec["themes"]
    assert "E2" in first["lines"]


def test_redact_replaces_personal_data_and_points_at_placeholders():
    code, out, _ = run(["redact"], [PII])
    assert code == 0
    (rec,) = records(out)
    for secret in ("321 654 9870", "sofia.perez@gmail.com", "Sofía Pérez"):
        assert secret not in rec["text"]
    types = {r["type"] for r in rec["redactions"]}
    assert {"TELÉFONO", "CORREO", "NOMBRE"} <= types
    for r in rec["redactions"]:
        assert rec["text"][r["start"] : r["end"]] == f"[{r['type']}]"


def test_alert_flags_a_child_asking_for_help_and_not_a_thank_you():
    code, out, _ = run(["alert"], [HELP, {"id": "x", "text": "gracias"}])
    assert code == 0
    flagged, calm = records(out)
    assert flagged["alert"] is True and flagged["reasons"]
    assert calm["alert"] is False and calm["reasons"] == []


def test_summarize_writes_one_document_from_tag_output():
    code, out, _ = run(["summarize", "--k", "2"], [TAGGED] * 3)
    assert code == 0
    summary = json.loads(out)
    assert summary["texts"]["total"] == 3 and summary["by_line"]["E1"] == 3
    assert summary["by_line"]["E2"] is None


def test_evaluate_prints_per_label_figures_and_json(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(
            json.dumps(r) for r in [{**HELP, "alert": True}, {"text": "nada", "alert": False}]
        ),
        encoding="utf-8",
    )
    code, out, _ = run(["evaluate", "--task", "alerts", "--gold", str(gold)], [])
    assert code == 0 and "macro" in out and "micro" in out and "alert" in out
    code, out, _ = run(["evaluate", "--task", "alerts", "--gold", str(gold), "--json"], [])
    report = json.loads(out)
    assert report["labels"]["alert"]["recall"] == 1.0 and report["n"] == 2


def test_output_file_is_utf8_without_escapes(tmp_path):
    target = tmp_path / "out.jsonl"
    code, out, _ = run(["tag", "--output", str(target)], [{"id": 1, "text": "niña y niño"}])
    assert code == 0 and out == ""
    assert "niña" in target.read_text(encoding="utf-8")


# --- bad input, for every command ---------------------------------------------------------

GOLD_FIELDS = {"alert": False}
COMMANDS = {
    "tag": (["tag"], GOOD),
    "redact": (["redact"], GOOD),
    "alert": (["alert"], GOOD),
    "summarize": (["summarize", "--k", "1"], TAGGED),
    "evaluate": (["evaluate", "--task", "alerts", "--json"], {**GOOD, **GOLD_FIELDS}),
}
BAD_LINES = {
    "not JSON": "{esto no es json",
    "missing text": {"id": "b1"},
    "non-string text": {"id": "b2", "text": 12},
    "not an object": ["una", "lista"],
    "1 MB text": {"id": "b3", "text": "palabra " * 131_072},
}


def _invoke(command, lines, tmp_path):
    args, _ = COMMANDS[command]
    if command == "evaluate":
        gold = tmp_path / "gold.jsonl"
        gold.write_text(
            "".join(
                (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n"
                for x in lines
            ),
            encoding="utf-8",
        )
        return run([*args, "--gold", str(gold)], [])
    return run(args, lines)


@pytest.mark.parametrize("case", BAD_LINES)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_line_is_reported_by_number_and_the_others_are_processed(command, case, tmp_path):
    _, good = COMMANDS[command]
    bad = BAD_LINES[case]
    if command in ("summarize", "evaluate") and isinstance(bad, dict):
        bad = {**bad, **({"lines": []} if command == "summarize" else GOLD_FIELDS)}
    code, out, err = _invoke(command, [good, bad, good], tmp_path)
    assert code == 1
    assert "línea 2" in err and "línea 1" not in err and "línea 3" not in err
    if command == "summarize":
        assert json.loads(out)["texts"]["total"] == 2
    elif command == "evaluate":
        assert json.loads(out)["n"] == 2
    else:
        assert len(records(out)) == 2


def test_the_1mb_text_is_refused_with_the_limit_named():
    code, _, err = run(["tag"], [BAD_LINES["1 MB text"]])
    assert code == 1 and f"{core.MAX_TEXT_CHARS:,}".replace(",", ".") in err


@pytest.mark.parametrize("command", COMMANDS)
def test_empty_input_is_an_error_with_a_message(command, tmp_path):
    code, _, err = _invoke(command, [], tmp_path)
    assert code == 1 and "vacía" in err


def test_blank_lines_are_ignored_and_line_numbers_stay_true():
    code, out, err = run(["redact"], [GOOD, "", "   ", "no json"])
    assert code == 1 and "línea 4" in err and len(records(out)) == 1


def test_invalid_utf8_is_reported():
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["tag"], stdin=io.BytesIO(b'{"text": "\xff\xfe"}\n'), stdout=out, stderr=err)
    assert code == 1 and "UTF-8" in err.getvalue()


def test_missing_model_gives_the_install_command_not_a_traceback(monkeypatch):
    import spacy

    def no_model(*args, **kwargs):
        raise OSError("[E050] Can't find model")

    monkeypatch.setattr(spacy, "load", no_model)
    monkeypatch.setattr(pipeline, "get_nlp", pipeline.get_nlp.__wrapped__)
    code, _, err = run(["tag"], [GOOD])
    assert code == cli.EXIT_MODEL
    assert pipeline.INSTALL_HINT in err and "Traceback" not in err


def _module(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )


def test_python_m_analysis_reads_stdin_and_writes_utf8():
    done = _module("redact", stdin=json.dumps({"id": 1, "text": "soy Camila, la niña"}) + "\n")
    assert done.returncode == 0, done.stderr.decode()
    rec = json.loads(done.stdout.decode("utf-8"))
    assert "niña" in done.stdout.decode("utf-8") and "Camila" not in rec["text"]


def test_usage_errors_exit_with_2():
    assert _module("tag", "--nope").returncode == 2
    assert _module("frobnicate").returncode == 2
    missing = _module("tag", "--input", "/nonexistent/file.jsonl")
    assert missing.returncode == 2 and "no se puede abrir" in missing.stderr.decode()


# --- bench ----------------------------------------------------------------------------------


def test_bench_generator_is_reproducible_varied_and_not_the_dev_texts():
    from analysis import bench

    first = list(bench.generate(500, seed=3))
    assert first == list(bench.generate(500, seed=3))
    assert len(set(first)) > 250
    dev = {
        json.loads(line)["text"]
        for name in ("dev_lines", "dev_pii", "dev_alerts")
        for line in (ROOT / "tests" / "data" / f"{name}.jsonl").read_text("utf-8").splitlines()
    }
    assert not {text for text in dev if len(text.split()) >= 4} & set(first)


@pytest.mark.slow
def test_bench_reports_throughput_ratio_and_peak_memory():
    code, out, _ = run(["bench", "--n", "120", "--json"], [])
    figures = json.loads(out)
    assert code == 0
    assert figures["raw_texts_per_s"] > 0 and figures["analysis_texts_per_s"] > 0
    assert 0 < figures["ratio"] <= 1.5 and figures["peak_rss_mb"] > 100
    assert {"tagger.tag_doc", "redaction.redact_doc", "signals.assess_doc"} <= set(
        figures["breakdown_ms_per_1000"]
    )


def test_bench_stream_goes_through_tag_without_failures():
    code, out, _ = run(["bench", "--stream", "200"], [])
    assert code == 0 and "Memoria máxima" in out and "Líneas con error: 0" in out


def test_an_internal_failure_on_one_line_is_reported_without_quoting_the_text(monkeypatch):
    import analysis.signals as signals

    real = signals.assess_doc

    def fragile(doc):
        if "Rigoberto" in doc.text:
            raise ValueError(f"no pude con {doc.text}")
        return real(doc)

    monkeypatch.setattr(signals, "assess_doc", fragile)
    secret = {"id": "z", "text": "Rigoberto me escribe"}
    code, out, err = run(["alert"], [GOOD, secret, GOOD])
    assert code == 1 and len(records(out)) == 2
    assert "línea 2" in err and "fallo interno" in err and "Rigoberto" not in err
