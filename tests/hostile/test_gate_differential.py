"""The gate checks exactly what the engines run (issue 12, section 1).

A corpus of tricky queries goes through the gate and, where the gate lets one pass,
through the memory (rdflib) store, pyoxigraph's in-memory Store and `alliances serve` on
both, with a counting loopback HTTP server standing where every query tries to go:
no request may reach it. {U} is the counting server's URL, {HOST} its host:port.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from loopback import counting_server, running_serve

from alliances.errors import AlliancesError, QueryRefused
from alliances.store.gate import CheckedQuery, check_query, expand_escapes

pyoxigraph = pytest.importorskip("pyoxigraph")

S = "\\u0053"  # a backslash-u escape of "S", written out in the query text

# (query, what the gate says: "refused", "error" (bad syntax or escape) or "ok")
CORPUS = [
    ("SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } }", "refused"),
    ("SELECT * WHERE { SERVICE SILENT <{U}> { ?s ?p ?o } }", "refused"),
    ("select * where { service <{U}> { ?s ?p ?o } }", "refused"),
    (f"SELECT * WHERE {{ {S}ERVICE <{{U}}> {{ ?s ?p ?o }} }}", "refused"),
    ("SELECT * WHERE { \\u0073ervice <{U}> { ?s ?p ?o } }", "refused"),
    ("SELECT * WHERE { \\U00000053ERVICE <{U}> { ?s ?p ?o } }", "refused"),
    ("SELECT * WHERE { SERVIC\\u0045 <{U}> { ?s ?p ?o } }", "refused"),
    # rdflib reads \u005C" as an escaped quote (one string), Oxigraph as a backslash then
    # the string's end: before the fix, Oxigraph ran the SERVICE that rdflib saw as text
    ('SELECT * WHERE { BIND("a\\u005C" AS ?x) SERVICE <{U}> { ?s ?p ?o } BIND(" AS ?x) } #" AS ?y) }',
     "ok"),
    ('SELECT * WHERE { BIND("a\\u005C" AS ?x) BIND(IRI(STR(<{U}>)) AS ?u) '
     'LATERAL { SERVICE ?u { ?s ?p ?o } } BIND(" AS ?x) } #" AS ?y) }', "ok"),
    ('SELECT * WHERE { BIND("a\\u005C" AS ?x) SERVICE <{U}> { ?s ?p ?o } BIND("" AS ?y) }', "error"),
    ('SELECT ?x WHERE { BIND("\\u005C" AS ?x) } # ") SERVICE <{U}> { ?s ?p ?o } }', "refused"),
    # the other way round: rdflib ends the string at \u0022, Oxigraph keeps it as text
    ('SELECT * WHERE { BIND("\\u0022) SERVICE <{U}> { ?s ?p ?o } BIND(\\u0022" AS ?z) }', "refused"),
    ("SELECT * WHERE { ?s ?p ?o } # \\u000A SERVICE <{U}> { ?s ?p ?o }", "refused"),
    ("SELECT * WHERE { ?s ?p ?o # \\u000A SERVICE <{U}> { ?s ?p ?o }\n}", "refused"),
    ("SELECT * WHERE { \\u005Cu0053ERVICE <{U}> { ?s ?p ?o } }", "refused"),
    ("SELECT * WHERE { \\uD800 }", "error"),
    ("SELECT * WHERE { \\U0053 }", "error"),
    ("SELECT * WHERE { { { { SERVICE <{U}> { ?s ?p ?o } } } } }", "refused"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?r MINUS { SERVICE <{U}> { ?s ?p ?o } } } }", "refused"),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{U}> { ?s ?p ?o } } }", "refused"),
    ("SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{U}> { ?s ?p ?o } } }", "refused"),
    ("SELECT * WHERE { { SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } } } }", "refused"),
    ("SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{U}> { ?s ?p ?o } } }", "refused"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{U}> { ?s ?p ?o } }", "refused"),
    ("ASK { SERVICE <{U}> { ?s ?p ?o } }", "refused"),
    ('SELECT * WHERE { BIND(IRI("{U}") AS ?u) SERVICE ?u { ?s ?p ?o } }', "refused"),
    ('SELECT * WHERE { BIND(IRI(CONCAT("http://", "{HOST}/")) AS ?u) LATERAL { SERVICE ?u { ?s ?p ?o } } }',
     "refused"),
    ('SELECT * WHERE { BIND(<{U}> AS ?u) LATERAL { SERVICE ?u { ?s ?p ?o } } }', "refused"),
    ("SELECT * WHERE { VALUES ?u { <{U}> } SERVICE ?u { ?s ?p ?o } }", "refused"),
    ("SELECT * WHERE { ?s ?p ?u SERVICE ?u { ?s ?p ?o } }", "refused"),
    ("PREFIX x: <{U}> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }", "refused"),
    ("BASE <{U}> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", "refused"),
    ("PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }", "refused"),
    ("SELECT * FROM <{U}g> WHERE { ?s ?p ?o }", "refused"),
    ("SELECT * FROM NAMED <{U}g> WHERE { GRAPH ?g { ?s ?p ?o } }", "refused"),
    ("SELECT * \\u0046ROM <{U}g> WHERE { ?s ?p ?o }", "refused"),
    ("LOAD <{U}data.ttl>", "refused"),
    ("LOAD SILENT <{U}data.ttl> INTO GRAPH <urn:g>", "refused"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "refused"),
    ("CLEAR ALL", "refused"),
    ("COPY <{U}g> TO DEFAULT", "refused"),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <{U}> { ?s ?p ?o } }", "refused"),
    ("", "error"),
    ("SELECT * WHERE { " + "(" * 40 + "1" + ")" * 40 + " }", "refused"),
    ("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 3000 + "}", "refused"),
    ("SELECT * WHERE { FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }", "refused"),
    ("SELECT ?x WHERE { BIND(" + "1 + " * 30000 + "1 AS ?x) }", "refused"),
    # harmless: they name the URL, or the word SERVICE, without calling it
    ("DESCRIBE <{U}>", "ok"),
    ("DESCRIBE ?x WHERE { BIND(<{U}> AS ?x) }", "ok"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?s = <{U}>) } LIMIT 1", "ok"),
    ('SELECT (IRI("{U}") AS ?x) WHERE {}', "ok"),
    ('SELECT ?x WHERE { BIND("SERVICE <{U}> { ?s ?p ?o }" AS ?x) }', "ok"),
    ("SELECT ?x WHERE { BIND('''SERVICE\n<{U}>''' AS ?x) }", "ok"),
    ("SELECT ?service WHERE { BIND(<{U}> AS ?service) } # SERVICE <{U}> { }", "ok"),
    ("PREFIX ex: <urn:ex:> SELECT * WHERE { ?s ex:SERVICE ?o }", "ok"),
    ('ASK { FILTER("\\u0053" = "S") }', "ok"),
]


def fill(text: str, server) -> str:
    return text.replace("{U}", server.url).replace("{HOST}", server.url[len("http://"):-1])


def verdict(text: str):
    try:
        return "ok", check_query(text)
    except QueryRefused:
        return "refused", None
    except AlliancesError:
        return "error", None


@pytest.fixture(scope="module")
def counter():
    with counting_server() as server:
        yield server


@pytest.fixture(scope="module")
def embedded_store():
    """The default store: the files in an in-memory Oxigraph dataset, a graph per file."""
    from _hostile import MINI

    from alliances.store.embedded import load_embedded

    return load_embedded([MINI], shipped=False)


@pytest.fixture(scope="module")
def oxigraph_store():
    """pyoxigraph's in-memory Store holding the ontology."""
    from alliances.store.oxigraph import OxigraphStore
    from alliances.store.paths import ontology_path

    store = pyoxigraph.Store()
    store.bulk_load(path=str(ontology_path()), format=pyoxigraph.RdfFormat.TURTLE)
    return OxigraphStore(store, "oxigraph (in memory)")


@pytest.fixture(scope="module")
def ox_disk(tmp_path_factory):
    """An on-disk Oxigraph store of the ontology, opened read-only (serve reopens it per worker)."""
    from alliances.store.oxigraph import OxigraphStore, load_oxigraph
    from alliances.store.paths import ontology_path

    where = tmp_path_factory.mktemp("oxgate") / "store"
    load_oxigraph(where, [ontology_path()], report=None)
    return OxigraphStore.open(where)


def test_the_counter_counts(counter):
    # the bypass the corpus guards against is real: Oxigraph itself calls a SERVICE
    before = counter.connections
    with pytest.raises(OSError):
        list(pyoxigraph.Store().query(fill("SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } }", counter)))
    assert counter.connections == before + 1


@pytest.mark.parametrize("text, expected", CORPUS, ids=[f"{i:02d}" for i in range(len(CORPUS))])
def test_corpus_through_gate_and_every_engine(counter, mini_store, embedded_store, oxigraph_store, text,
                                              expected):
    text = fill(text, counter)
    before = counter.connections
    got, checked = verdict(text)
    assert got == expected
    if checked is not None:
        for store in (mini_store, embedded_store, oxigraph_store):  # rdflib, Oxigraph x2
            store.run_checked(checked)
    assert counter.connections == before, counter.requests


def test_corpus_through_serve(counter, mini_store, embedded_store, ox_disk):
    status = {"refused": 403, "error": 400, "ok": 200}
    before = counter.connections
    for store in (mini_store, embedded_store, ox_disk):
        with running_serve(store, timeout=20, max_rows=1000) as server:
            for text, expected in CORPUS:
                body = fill(text, counter).encode()
                if len(body) > 1_000_000:
                    continue
                request = urllib.request.Request(server.url, data=body, method="POST",
                                                 headers={"Content-Type": "application/sparql-query"})
                try:
                    with urllib.request.urlopen(request, timeout=30) as reply:
                        code = reply.status
                except urllib.error.HTTPError as exc:
                    code = exc.code
                assert (store.description, text, code) == (store.description, text, status[expected])
    assert counter.connections == before, counter.requests


def test_engines_receive_the_expanded_text():
    checked = check_query('SELECT ?x WHERE { BIND("\\u0041\\U0001F600" AS ?x) }')
    assert checked.text.endswith('SELECT ?x WHERE { BIND("A\U0001F600" AS ?x) }')
    assert "\\u" not in checked.text and "\\U" not in checked.text


@pytest.mark.parametrize("text, where", [
    ("SELECT * WHERE {\n  \\u00ZZ }", "2:3"),
    ("ASK { FILTER(\"\\U0011FFFF\" = \"\") }", "1:15"),
    ("ASK {}\n\n   \\u12", "3:4"),
])
def test_bad_escapes_name_line_and_column(text, where):
    with pytest.raises(AlliancesError, match=f"^{where}: bad escape"):
        expand_escapes(text)


def test_bad_escape_on_the_cli_is_one_line(cli):
    result = cli("query", "SELECT * WHERE { \\U0053 }")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: 1:18: bad escape") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("text, why", [
    ("SELECT * WHERE { " + "{ " * 25 + "?s ?p ?o" + " }" * 25 + " }", "nested 26 deep"),
    ("SELECT * WHERE { FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }", "nested 32 deep"),
    ("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 3000 + "}", "3001 group patterns"),
    ("SELECT ?x WHERE { BIND(" + "1 + " * 30000 + "1 AS ?x) }", "120033 bytes"),
    ("SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 200 + "}", "201 group patterns"),
])
def test_size_depth_and_pattern_limits_are_clear(text, why):
    with pytest.raises(QueryRefused, match=why):
        check_query(text)


def test_a_checked_query_is_made_by_the_gate_only(mini_store):
    with pytest.raises(TypeError):
        CheckedQuery("ASK {}", "ASK")
    with pytest.raises(TypeError, match="CheckedQuery"):
        mini_store.run_checked("ASK { ?s ?p ?o }")
    assert mini_store.run_checked(check_query("ASK { ?s ?p ?o }")).boolean is True


def test_second_layer_rdflib_cannot_reach_the_network(counter, mini_store):
    # a SERVICE that skipped the gate still reaches nothing from the memory store
    from alliances.store.gate import no_network

    text = fill("SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } }", counter)
    before = counter.connections
    with no_network(), pytest.raises(AlliancesError):
        mini_store._run(text)
    assert counter.connections == before


def test_concurrent_check_query_is_safe():
    # rdflib's pyparsing grammar is not thread-safe: 4 threads x 40 checks, all correct
    texts = ["PREFIX x: <urn:x:> SELECT ?s WHERE { ?s x:p ?o } LIMIT 1",
             "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"]
    results: list[str] = []
    lock = threading.Lock()

    def work():
        for i in range(40):
            got = verdict(texts[i % 2])[0]
            with lock:
                results.append(got)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(set(results)) == ["ok", "refused"]
    assert results.count("ok") == 80 and results.count("refused") == 80


def test_json_answer_of_serve_is_sparql_json(mini_store):
    with running_serve(mini_store, timeout=20, max_rows=10) as server:
        request = urllib.request.Request(server.url + "?query=ASK%20%7B%7D")
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert json.loads(reply.read()) == {"head": {}, "boolean": True}
