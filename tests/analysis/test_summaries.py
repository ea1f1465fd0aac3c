"""Summaries an analyst may publish: small cells hidden, and not recoverable from totals."""

import pytest

from analysis import LINES
from analysis.summaries import Summarizer, _words, jaccard, summarize
from analysis.suppression import Table


def rec(text="más canchas", lines=("E1",), population=None, territory=None, themes=("x",), **kw):
    return {
        "text": text,
        "lines": list(lines),
        "themes": list(themes),
        "population": population,
        "territory": territory,
        **kw,
    }


def dataset():
    """E1: ninez 10, adolescencia 2, familia 8 -> 20; E2: ninez 6, adolescencia 6."""
    rows = [rec(population="ninez", territory="Manrique") for _ in range(10)]
    rows += [rec(population="adolescencia", territory="Belén") for _ in range(2)]
    rows += [rec(population="familia", territory="Manrique") for _ in range(8)]
    rows += [rec(lines=("E2",), population="ninez", territory="Manrique") for _ in range(6)]
    rows += [rec(lines=("E2",), population="adolescencia", territory="Belén") for _ in range(6)]
    return rows


def visible_cells(summary):
    yield from summary["by_line"].values()
    for key in ("by_theme", "by_population", "by_territory", "by_kind"):
        yield from summary[key].values()
    for key in ("population_by_line", "territory_by_line", "line_cooccurrence"):
        for row in summary[key].values():
            yield from row.values()


def assert_no_single_hidden_member(total, parts):
    """A published sum with exactly one hidden member would give that member away."""
    members = [total, *parts]
    assert sum(m is None for m in members) != 1, members


def test_no_shown_cell_is_below_k():
    summary = summarize(dataset(), k=5)
    assert all(v is None or v >= 5 for v in visible_cells(summary))


def test_small_cells_are_hidden_and_their_complement_too():
    summary = summarize(dataset(), k=5)
    column = {pop: row["E1"] for pop, row in summary["population_by_line"].items()}
    assert summary["by_line"]["E1"] == 20
    assert column["adolescencia"] is None  # 2 < 5
    assert column["familia"] is None  # 8 >= 5 but 20 - 10 - 8 would give the 2 back
    assert column["ninez"] == 10


def test_no_published_sum_can_be_subtracted_back():
    summary = summarize(dataset(), k=5)
    total = summary["texts"]["total"]
    for field in ("by_population", "by_territory", "by_kind"):
        assert_no_single_hidden_member(total, list(summary[field].values()))
    assert_no_single_hidden_member(
        total, [summary["texts"]["with_lines"], summary["texts"]["without_lines"]]
    )
    for line in LINES:
        for key in ("population_by_line", "territory_by_line"):
            parts = [row[line] for row in summary[key].values()]
            assert_no_single_hidden_member(summary["by_line"][line], parts)


def test_population_margin_is_protected_against_the_total():
    rows = [rec(population="ninez") for _ in range(30)] + [rec(population="familia")] * 3
    rows += [rec(population="adolescencia") for _ in range(7)]
    summary = summarize(rows, k=5)
    assert summary["texts"]["total"] == 40
    pops = summary["by_population"]
    assert pops["familia"] is None and pops["adolescencia"] is None and pops["ninez"] == 30


def test_fewer_than_k_texts_show_nothing_broken_down():
    summary = summarize([rec(population="ninez")] * 3, k=5)
    assert all(v is None for v in visible_cells(summary))
    assert summary["quotes"] == {}


def test_k_is_a_parameter():
    summary = summarize(dataset(), k=2)
    assert summary["population_by_line"]["adolescencia"]["E1"] == 2


def test_table_hides_the_total_when_it_has_a_single_hidden_part():
    table = Table(5)
    table.add("total", 3, primary=False)
    table.add("only", 3)
    table.add_sum("total", ["only"])
    table.suppress()
    assert table.value("total") is None and table.value("only") is None


def test_quotes_are_diverse_redacted_and_never_from_alerts():
    rows = [rec("que haya más canchas de fútbol en el barrio para jugar") for _ in range(8)]
    rows += [rec("que haya más canchas de fútbol en el barrio para jugar!!")]
    rows += [rec("clases de música y danza los sábados en la casa de la cultura") for _ in range(3)]
    rows += [rec("llamen a Julián Restrepo al 300 765 4321 para las clases de pintura")]
    rows += [rec("mi tío me toca y me da miedo decirle a alguien", alert=True) for _ in range(3)]
    summary = summarize(rows, k=5, quotes=3)
    quotes = summary["quotes"]["E1"]
    assert 2 <= len(quotes) <= 3
    sets = [_words(q) for q in quotes]
    assert all(jaccard(a, b) < 0.5 for i, a in enumerate(sets) for b in sets[i + 1 :])
    assert not any("300 765 4321" in q or "Julián" in q for q in quotes)
    assert not any("tío" in q for q in quotes)


def test_emerging_terms_come_from_untagged_texts_and_hide_rare_or_personal_ones():
    rows = [
        rec("falta una ciclovía segura para ir al colegio", lines=(), themes=()) for _ in range(6)
    ]
    rows += [
        rec(f"Valentina dice que la ciclovía está oscura {i}", lines=(), themes=())
        for i in range(5)
    ]
    rows += [rec("el trapiche del barrio quedó cerrado", lines=(), themes=()) for _ in range(2)]
    rows += [rec("ciclovía ciclovía", lines=("E1",)) for _ in range(5)]
    summary = summarize(rows, k=5)
    terms = {t["term"]: t for t in summary["emerging_terms"]}
    assert terms["ciclovia"]["texts"] == 11 and terms["ciclovia"]["type"] == "lemma"
    assert not any("valentina" in term for term in terms)
    assert "trapiche" not in terms  # fewer than k texts


def test_bad_records_are_rejected_with_a_message():
    with pytest.raises(ValueError, match="lines"):
        summarize([{"text": "hola"}])
    with pytest.raises(ValueError, match="population"):
        summarize([rec(population=3)])


def test_summary_is_built_incrementally():
    summary = Summarizer(k=5)
    for row in dataset():
        summary.add(row)
    assert summary.result()["texts"]["total"] == len(dataset())


def test_table_terminates_when_a_hidden_total_has_no_parts():
    table = Table(5)
    table.add("line", 0)
    table.add_sum("line", [])
    table.suppress()
    assert table.value("line") is None
