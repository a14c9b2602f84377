"""`alliances serve`: a real SPARQL client (SPARQLWrapper) queries it; the gate applies."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest

SPARQLWrapper = pytest.importorskip("SPARQLWrapper")


@pytest.fixture(scope="module")
def endpoint(shipped_store):
    from alliances.store.serve import make_server

    server = make_server(shipped_store, "127.0.0.1", 0, timeout=20, max_rows=50, cors=None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def client(url):
    sparql = SPARQLWrapper.SPARQLWrapper(url)
    sparql.setReturnFormat(SPARQLWrapper.JSON)
    sparql.setTimeout(20)
    return sparql


def test_select_with_sparqlwrapper(endpoint):
    sparql = client(endpoint)
    sparql.setQuery("SELECT ?c WHERE { ?c a al:Hyperscaler } ORDER BY ?c")
    rows = sparql.query().convert()["results"]["bindings"]
    assert {"type": "uri", "value": "https://w3id.org/alliances/id/google"} in [r["c"] for r in rows]


def test_post_and_ask(endpoint):
    sparql = client(endpoint)
    sparql.setMethod(SPARQLWrapper.POST)
    sparql.setQuery("ASK { e:nvidia ?p ?o }")
    assert sparql.query().convert()["boolean"] is True


def test_endpoint_store_reads_it(endpoint, shipped_store):
    from alliances.store.endpoint import EndpointStore

    assert EndpointStore(endpoint).ask("ASK { e:nvidia a ?c }")


@pytest.mark.parametrize("text, code", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403),
    ("SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }", 403),
    ("DELETE WHERE { ?s ?p ?o }", 403),
    ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", 413),
    ("SELECT WHERE {", 400),
])
def test_gate_and_limits(endpoint, text, code):
    request = urllib.request.Request(endpoint, data=text.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=20)
    assert info.value.code == code
    assert info.value.headers.get("Access-Control-Allow-Origin") is None


def test_update_form_refused(endpoint):
    request = urllib.request.Request(endpoint, data=b"update=CLEAR%20ALL", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=20)
    assert info.value.code == 403


def test_remote_bind_needs_a_flag(cli):
    result = cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2 and "--allow-remote" in result.stderr
