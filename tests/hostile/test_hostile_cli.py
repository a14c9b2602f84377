"""Hostile command lines: usage errors, crashes deep inside, Ctrl-C, odd queries and dates."""

from __future__ import annotations

import pytest
from _hostile import MINI, one_error


@pytest.mark.parametrize("args, words", [
    (["risk", "t-chipco", "--shock", "2"], ["--shock", "alliances risk -h"]),
    (["risk", "t-chipco", "--bogus"], ["--bogus"]),
    (["bogus"], ["bogus"]),
    (["rsk", "t-chipco"], ["did you mean 'risk'?"]),
    (["graph", "--layer", "nowhere"], ["--layer"]),
    (["--store"], ["--store"]),
])
def test_usage_errors_are_one_error_line(run, args, words):
    # before: click's "Usage: ... Try ... Error: ..." block over three lines
    one_error(run("--data", MINI, *args), *words)


def test_an_unexpected_exception_is_one_internal_error_line(run, monkeypatch):
    def broken(store):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr("alliances.catalog.listing.stats", broken)
    result = run("stats")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: internal error: ZeroDivisionError: division by zero second line"
        " (ALLIANCES_DEBUG=1 shows the traceback)"]


def test_alliances_debug_shows_the_traceback(run, monkeypatch):
    monkeypatch.setattr("alliances.catalog.listing.stats", lambda store: 1 / 0)
    monkeypatch.setenv("ALLIANCES_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        run("stats")


def test_ctrl_c_exits_130_without_traceback(run, monkeypatch):
    def interrupted(store):
        raise KeyboardInterrupt

    monkeypatch.setattr("alliances.catalog.listing.stats", interrupted)
    result = run("stats")
    assert result.exit_code == 130  # before: 1, the code of "a finding"
    assert "Traceback" not in result.output and "Aborted" not in result.output


def test_non_utf8_query_file(run, tmp_path):
    rq = tmp_path / "latin1.rq"
    rq.write_bytes(b'SELECT * WHERE {\n ?s ?p "caf\xe9" }')
    one_error(run("query", "-f", rq), "latin1.rq:2", "not UTF-8", "0xe9")


@pytest.mark.parametrize("text", ["   ", "\n\t", "# only a comment\n"])
def test_empty_query_is_not_called_an_update(run, text):
    line = one_error(run("query", text))
    assert "update" not in line
    if not text.strip():
        assert line == "error: empty query"


def test_empty_query_file(run, tmp_path):
    (tmp_path / "empty.rq").write_text("\n")
    one_error(run("query", "-f", tmp_path / "empty.rq"), "empty query")


def test_a_misspelt_saved_query_gets_a_suggestion(run):
    line = one_error(run("query", "investmnts"))
    assert line == "error: no saved query 'investmnts'; did you mean 'investments'?"
    assert run("query", "ASK{}").stdout == "true\n"  # braces: SPARQL, not a name


def test_unknown_function_on_oxigraph(run, tmp_path):
    pytest.importorskip("pyoxigraph")
    from alliances.store.oxigraph import load_oxigraph
    from alliances.store.paths import ontology_path

    load_oxigraph(tmp_path / "ox", [ontology_path()], report=None)
    result = run("--store", f"oxigraph:{tmp_path / 'ox'}", "query",
                 "SELECT (<http://example.org/fn>(1) AS ?x) WHERE {}")
    one_error(result, "Oxigraph", "http://example.org/fn")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN"])
def test_fail_above_must_be_finite(run, value):
    # before: nan passed silently (no exposure is ever > nan)
    one_error(run("--data", MINI, "risk", "t-chipco", "--fail-above", value), "--fail-above", "finite")


@pytest.mark.parametrize("date", ["2025-13", "2025-00", "2025-02-30", "2025-1", "20251"])
def test_impossible_as_of_dates_are_refused(run, date):
    # before: 2025-13 became 2026-01-31 and 2025-00 became 2024-12-31
    one_error(run("--data", MINI, "list", "partnerships", "--as-of", date), f"'{date}'", "not a date")
