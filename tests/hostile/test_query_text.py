"""User input never becomes query text (issue 12, section 1): `list --kind`, `list
observations --metric`, `show` and `export --graph` validate or bind their values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from loopback import counting_server

from alliances.errors import AlliancesError

PAYLOAD = "investment . SERVICE <{U}> { ?s ?p ?o }"  # on main: 1 request per query


@pytest.fixture(scope="module")
def counter():
    with counting_server() as server:
        yield server


@pytest.mark.parametrize("args", [
    ["list", "partnerships", "--kind", PAYLOAD],
    ["list", "observations", "--metric", PAYLOAD.replace("investment", "capex")],
    ["export", "--graph", PAYLOAD],
])
def test_crafted_option_values_reach_nothing(cli, counter, args):
    args = [a.replace("{U}", counter.url) for a in args]
    before = counter.connections
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert counter.connections == before


@pytest.mark.parametrize("args, hint", [
    (["list", "partnerships", "--kind", "investmnt"], "did you mean 'investment'?"),
    (["list", "observations", "--metric", "capx"], "did you mean 'capex'?"),
    (["list", "partnerships", "--kind", "nothing-like-it-at-all"], "(one of: acquisition, "),
])
def test_unknown_kind_or_metric_is_exit_2_with_a_hint(cli, args, hint):
    result = cli(*args)
    assert result.exit_code == 2
    assert hint in result.stderr and result.stderr.startswith(f"error: {args[2]}: unknown")


def test_known_values_still_filter(mini_store):
    from _hostile import MINI

    from alliances.catalog.listing import observations, partnerships
    from alliances.store.embedded import load_embedded

    for store in (mini_store, load_embedded([MINI], shipped=False)):
        assert [p["id"] for p in partnerships(store, kind="Chip-Supply")] == ["p-t-cloudco-chipco"]
        assert partnerships(store, kind="investment") == []
        assert [o["metric"] for o in observations(store, metric="capex")] == ["capex", "capex"]


def test_show_refuses_an_iri_that_would_change_the_query(counter, mini_store):
    from alliances.catalog.listing import show
    from alliances.catalog.resolve import EntityRef

    evil = EntityRef(f"urn:x> ?p ?o }} SERVICE <{counter.url}> {{ ?s ?p ?o", "x", "x", "Entity")
    before = counter.connections
    with pytest.raises(AlliancesError, match="not a valid IRI"):
        show(mini_store, evil)
    assert counter.connections == before


def test_partnerships_api_refuses_a_crafted_kind(mini_store):
    from alliances.catalog.listing import partnerships

    with pytest.raises(AlliancesError, match="unknown partnership kind"):
        partnerships(mini_store, kind="investment . ?p ?q ?r")


def test_no_query_text_is_built_with_f_strings():
    # values go into the library's SPARQL as checked <iri>s or VALUES (vocab.iri_list), never
    # pasted into an f-string query as <{x}> or al:{x}
    package = Path(__file__).resolve().parents[2] / "alliances"
    literal = re.compile(r'\bf(?P<q>"""|"|\')(?P<body>(?:(?!(?P=q)).)*)(?P=q)', re.S)
    slot = re.compile(r"<\{|\b(?:al|e|kind|metric|dep):\{")
    sparql = re.compile(r"\b(?:SELECT|CONSTRUCT|ASK|DESCRIBE|WHERE|FILTER|GRAPH|VALUES)\b")
    found = []
    for path in package.rglob("*.py"):
        if path.name == "vocab.py":  # iri_list and the prefixes: the one place that writes <iri>
            continue
        text = path.read_text(encoding="utf-8")
        for match in literal.finditer(text):
            if slot.search(match.group("body")) and sparql.search(match.group("body")):
                found.append(f"{path.name}:{text.count(chr(10), 0, match.start()) + 1}")
    assert found == []
