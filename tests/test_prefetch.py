"""Store.prefetched: the Oxigraph stores answer the dependency graph's bulk queries two at
a time (the engine runs without the GIL); the answers must be the ones asked one by one."""

import pytest

from alliances.errors import AlliancesError

QUERIES = ["SELECT ?x WHERE { ?x a al:ChipDesigner }", "SELECT ?p ?x WHERE { ?p al:provider ?x }",
           "SELECT ?x ?l WHERE { ?x rdfs:label ?l }"]


@pytest.fixture()
def embedded():
    from alliances.store.embedded import load_embedded

    return load_embedded()


def test_prefetched_answers_equal_answers_one_by_one(embedded):
    alone = [embedded.values(q, cached=False) for q in QUERIES]
    with embedded.prefetched(QUERIES):
        assert set(embedded._prefetched) == set(QUERIES)
        assert [embedded.values(q) for q in QUERIES] == alone
        assert embedded._prefetched == {}  # each answer is handed out once
    assert "_prefetched" not in embedded.__dict__


def test_a_failing_query_fails_as_it_would_alone(embedded):
    with pytest.raises(AlliancesError, match="SPARQL syntax error"):
        with embedded.prefetched([QUERIES[0], "SELECT ?x WHERE { ?x <urn:f>(?x) ?y }"]):
            pass
    with pytest.raises(AlliancesError, match="failed in Oxigraph"):
        with embedded.prefetched([QUERIES[1], "SELECT ?x WHERE { BIND(<urn:no-such-function>(1) AS ?x) }"]):
            pass
    assert "_prefetched" not in embedded.__dict__


def test_the_dependency_graph_keeps_no_answer_behind(embedded):
    from alliances.graph.dependency import dependency_graph

    graph = dependency_graph(embedded)
    assert "_prefetched" not in embedded.__dict__
    assert graph.number_of_edges() > 100


def test_other_stores_prefetch_nothing(shipped_store):
    with shipped_store.prefetched(QUERIES):  # the rdflib store answers one query at a time
        assert not getattr(shipped_store, "_prefetched", None)
