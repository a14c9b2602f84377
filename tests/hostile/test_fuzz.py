"""Fuzzing: random and truncated Turtle (--data), SPARQL (query) and CSV (portfolio) through
the CLI. Whatever the input, the answer is exit 0, 1 or 2, and never a traceback."""

from __future__ import annotations

import pytest
from _hostile import MINI, PREFIXES

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def fuzz(examples: int):
    """Settings of every fuzz test: no deadline, the same examples on every run."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
VALID_TURTLE = PREFIXES + MINI.read_text(encoding="utf-8").split("\n", 11)[-1]
TURTLE_TOKENS = ["e:t-x", "al:share", "rdfs:label", "a", "al:Partnership", ";", ",", ".", "[", "]", "(", ")",
                 '"text"', '"""long', "'", "0.5", "1e999", "-", "^^", "xsd:decimal", "xsd:date", "@en", "<",
                 ">", "<http://x/", "@prefix", "@base", "_:b", "#", "\\u00", "\\U0010FFFF", "\n", " ", "\t",
                 '"abc"^^xsd:decimal', '"not-a-date"^^xsd:date', "true", "e:", ":"]
SPARQL_TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o", "*",
                 ".", ";", ",", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "VALUES", "BIND",
                 "AS", "LIMIT", "ORDER BY", "GROUP BY", "COUNT", "STR", "REGEX", "\\u0041", "\\U0000007B",
                 '"x"', "'y'", "<http://x>", "al:Partnership", "e:t-chipco", "1", "-1.5e9", "#", "\n",
                 "INSERT DATA", "DELETE", "LOAD", "FROM", "PREFIX", "BASE", "a", "!", "^", "|", "/", "+",
                 "investments", "investmnts", " ", "LATERAL", "<fn:x>"]
CSV_TOKENS = ["t-chipco", "t-cloudco", "TCHP", "Tee LabCo", "nobody", "entity", "weight", ",", "\n", '"',
              "#", "0", "1", "0.5", "-1", "1e308", "1e-320", "nan", "inf", "x", " ", "\r\n", ";", "\ufeff"]


def assert_clean(result):
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output


@pytest.fixture()
def no_cache(monkeypatch):
    monkeypatch.setenv("ALLIANCES_NO_CACHE", "1")  # every example is a new file: nothing to reuse


def tokens(pool, max_size):
    return st.lists(st.sampled_from(pool) | st.text(max_size=4), max_size=max_size).map(" ".join)


@fuzz(80)
@given(text=st.one_of(
    st.integers(0, len(VALID_TURTLE)).map(lambda n: VALID_TURTLE[:n]),   # a valid file cut anywhere
    tokens(TURTLE_TOKENS, 40).map(lambda body: PREFIXES + body),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
))
def test_fuzz_turtle(run, tmp_path, no_cache, monkeypatch, text):
    tiny = tmp_path / "tiny-ontology.ttl"  # the user's file is what is fuzzed: skip parsing the ontology
    tiny.write_text(PREFIXES + "al:Entity a rdfs:Class .\n", encoding="utf-8")
    monkeypatch.setattr("alliances.store.paths.ontology_path", lambda: tiny)
    data = tmp_path / "fuzz.ttl"
    data.write_bytes(text.encode("utf-8", "surrogatepass"))
    assert_clean(run("--data", data, "stats"))


@fuzz(70)
@given(text=st.one_of(tokens(SPARQL_TOKENS, 30), st.text(max_size=60)))
def test_fuzz_sparql(run, text):
    assert_clean(run("--data", MINI, "query", "--", text))


@fuzz(50)
@given(rows=st.lists(st.lists(st.sampled_from(CSV_TOKENS) | st.text(max_size=6), max_size=4), max_size=6),
       cut=st.integers(0, 200))
def test_fuzz_portfolio_csv(run, tmp_path, rows, cut):
    text = "\n".join(",".join(cells) for cells in rows)
    path = tmp_path / "holdings.csv"
    path.write_bytes(text.encode("utf-8", "surrogatepass")[:cut or None])
    assert_clean(run("--data", MINI, "portfolio", path))
