"""Answers of the library's bulk queries are cached on stores whose content is fixed,
and never served once the data changed."""

from __future__ import annotations

import os

import pytest

from alliances.store import cache
from alliances.store.memory import load

TTL = """@prefix al: <https://w3id.org/alliances/ontology#> .
@prefix e: <https://w3id.org/alliances/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
e:x rdfs:label "%s" .
"""
LABELS = "SELECT ?label WHERE { e:x rdfs:label ?label }"


@pytest.fixture()
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    monkeypatch.delenv("ALLIANCES_NO_CACHE", raising=False)
    return tmp_path


def test_values_are_lexical_with_none_for_unbound(shipped_store):
    rows = shipped_store.values(
        "SELECT ?s ?share ?none WHERE { BIND(e:nvidia AS ?s) OPTIONAL { ?s al:share ?share }"
        " OPTIONAL { ?s al:nothing ?none } }")
    assert rows == [("https://w3id.org/alliances/id/nvidia", None, None)]


def test_answers_cached_and_invalidated_when_a_file_changes(private_cache):
    mine = private_cache / "mine.ttl"
    mine.write_text(TTL % "first")
    first = load([mine], shipped=False)
    assert first.values(LABELS) == [("first",)]
    assert cache.get_answer(first.cache_key(), LABELS) == first.values(LABELS)
    # a store made from the parse cache answers from the answers cache without unpickling
    second = load([mine], shipped=False)
    assert second._dataset is None
    assert second.values(LABELS)[0][0] == "first" and second._dataset is None
    # but a user query needs the graph: it is unpickled then
    assert second.ask('ASK { e:x rdfs:label "first" }') and second._dataset is not None
    mine.write_text(TTL % "second")
    os.utime(mine, ns=(1, 1))
    third = load([mine], shipped=False)
    assert third.cache_key() != first.cache_key()
    assert third.values(LABELS)[0][0] == "second"


def test_no_cache_switch(private_cache, monkeypatch):
    monkeypatch.setenv("ALLIANCES_NO_CACHE", "1")
    mine = private_cache / "mine.ttl"
    mine.write_text(TTL % "first")
    store = load([mine], shipped=False)
    store.values(LABELS)
    assert not (private_cache / "c").exists()


def test_answers_of_a_reloaded_oxigraph_store_are_not_reused(private_cache):
    pytest.importorskip("pyoxigraph")
    from alliances.store.oxigraph import OxigraphStore, load_oxigraph

    mine, where = private_cache / "mine.ttl", private_cache / "ox"
    mine.write_text(TTL % "first")
    load_oxigraph(where, [mine], report=None)
    before = OxigraphStore.open(where)
    assert before.values(LABELS)[0][0] == "first"
    mine.write_text(TTL % "second")
    load_oxigraph(where, [mine], report=None)
    after = OxigraphStore.open(where)
    assert after.cache_key() != before.cache_key()
    assert after.values(LABELS)[0][0] == "second"


def test_endpoint_answers_are_never_cached():
    from alliances.store.endpoint import EndpointStore

    assert EndpointStore("http://127.0.0.1:9/sparql").cache_key() is None


def test_gc_paused_restores_the_collector():
    import gc

    from alliances.gcpause import gc_paused

    seen = []
    gc_paused(lambda: seen.append(gc.isenabled()))()
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        gc_paused(lambda: 1 / 0)()
    assert gc.isenabled()
