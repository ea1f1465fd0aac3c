"""The one-pass orchestration: what the app stores must be redacted and self-consistent."""

from itertools import count, islice

import pytest

from analysis import LINES, core
from analysis.redaction import Redaction, RedactionResult
from analysis.tagger import Evidence, TagResult

DISCLOSURE = (
    "Mi amiga Valentina Gómez me contó que un señor le ofrece plata y un celular para que le "
    "mande fotos, su número es 312 456 7890. En el colegio deberían enseñarnos a cuidarnos."
)


def test_analysis_holds_only_redacted_text_with_evidence_in_its_offsets():
    result = core.analyse(DISCLOSURE)
    assert "Valentina" not in result.text and "312 456 7890" not in result.text
    for r in result.redactions:
        assert result.text[r.start : r.end] == f"[{r.type}]"
    assert result.evidence, "the text speaks of gifts for images: some evidence is expected"
    for ev in result.evidence:
        assert result.text[ev.start : ev.end] == ev.text
        assert not any(r.start < ev.end and ev.start < r.end for r in result.redactions)
    assert result.lines == sorted(result.lines) and set(result.lines) <= set(LINES)
    assert set(result.confidence) == set(result.lines)
    assert result.alert is True and result.reasons
    assert result.codebook_version


def test_to_dict_is_what_the_app_stores():
    data = core.analyse(DISCLOSURE).to_dict()
    assert {"text", "redactions", "themes", "lines", "evidence", "alert", "reasons"} <= set(data)
    assert all(set(r) == {"type", "start", "end"} for r in data["redactions"])
    assert "Valentina" not in str(data)


def _fake_redaction():
    # original: "hola Ana come pan" -> "hola [NOMBRE] come pan"
    class Fake(RedactionResult):
        def map_span(self, start, end):
            if start < 8 and 5 < end:
                return None
            return (start, end) if end <= 5 else (start + 5, end + 5)

    return Fake("hola [NOMBRE] come pan", [Redaction("NOMBRE", 5, 13)])


def test_evidence_touching_personal_data_is_dropped_and_the_rest_is_moved():
    tag = TagResult(
        themes=["a", "b"],
        lines=["E1"],
        confidence={"E1": 0.9},
        evidence=[Evidence("a", 5, 8, "Ana"), Evidence("b", 9, 13, "come")],
    )
    spans = core.map_evidence(tag, _fake_redaction())
    assert [(s.theme, s.start, s.end, s.text) for s in spans] == [("b", 14, 18, "come")]


def test_analyse_many_streams_without_reading_the_whole_input():
    endless = (f"texto número {i} sobre el colegio" for i in count())
    first = list(islice(core.analyse_many(endless), 3))
    assert len(first) == 3


def test_analyse_many_keeps_order():
    texts = ["no sé", DISCLOSURE, "gracias"]
    results = list(core.analyse_many(texts))
    assert len(results) == 3
    assert results[1].alert and not results[0].alert and not results[2].alert


def test_too_long_and_non_string_texts_are_refused_with_a_message():
    with pytest.raises(core.TextTooLongError, match="máximo"):
        core.analyse("a" * (core.MAX_TEXT_CHARS + 1))
    with pytest.raises(TypeError, match="cadena"):
        core.check_text(42)


def test_run_isolates_a_failing_text_when_asked(monkeypatch):
    import analysis.signals as signals

    real = signals.assess_doc

    def fragile(doc):
        if "rompe" in doc.text:
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(signals, "assess_doc", fragile)
    items = [("todo bien", 1), ("esto rompe", 2), ("nada", 3)]
    out = list(core.run(items, {"alert"}, isolate=True))
    assert [ctx for _, ctx in out] == [1, 2, 3]
    assert out[1][0].error is not None and out[0][0].error is None
