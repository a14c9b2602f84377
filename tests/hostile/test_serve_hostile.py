"""`alliances serve` and the `--endpoint` client against hostile and careless peers (issue 12,
section 2), with real HTTP clients (http.client, urllib, raw sockets) on 127.0.0.1:0."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from _hostile import MINI, one_error
from loopback import in_thread, running_serve

from alliances.errors import AlliancesError

pyoxigraph = pytest.importorskip("pyoxigraph")

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def embedded():
    from alliances.store.embedded import load_embedded

    return load_embedded([MINI], shipped=False)


@pytest.fixture(scope="module")
def rdflib_store():
    from alliances.store.memory import load

    return load([MINI], shipped=False)


@pytest.fixture(scope="module")
def ox_disk(tmp_path_factory):
    from alliances.store.oxigraph import OxigraphStore, load_oxigraph
    from alliances.store.paths import ontology_path

    where = tmp_path_factory.mktemp("oxserve") / "store"
    load_oxigraph(where, [ontology_path(), MINI], report=None)
    return OxigraphStore.open(where)


@pytest.fixture(scope="module")
def server(embedded):
    with running_serve(embedded, timeout=20, max_rows=50, cors="https://app.example") as srv:
        yield srv


def ask(server, method="POST", headers=None, body="ASK { ?s ?p ?o }", path="/sparql"):
    """One request with http.client; (status, body text)."""
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        sent = {"Content-Type": "application/sparql-query", **(headers or {})}
        conn.request(method, path, body=body.encode() if method == "POST" else None, headers=sent)
        reply = conn.getresponse()
        return reply.status, reply.read().decode("utf-8", "replace")
    finally:
        conn.close()


def form_post(origin=None, site=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin is not None:
        headers["Origin"] = origin
    if site is not None:
        headers["Sec-Fetch-Site"] = site
    return headers, urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


# ---------------------------------------------------------------- who may ask

@pytest.mark.parametrize("origin, site", [
    ("null", "cross-site"),               # a form auto-submitted by a file:// page
    ("http://evil.example", "cross-site"),
    ("http://127.0.0.1.evil.example", None),
    (None, "cross-site"),                 # a cross-site navigation without Origin
    (None, "same-site"),                  # another local web app
])
def test_cross_site_post_is_refused(server, origin, site):
    headers, body = form_post(origin, site)
    status, text = ask(server, headers=headers, body=body)
    assert status == 403 and "cross-site" in text


def test_same_origin_and_cors_origin_are_answered(server):
    port = server.server_address[1]
    for origin, site in [(f"http://127.0.0.1:{port}", "same-origin"), (f"http://localhost:{port}", None),
                         ("https://app.example", "cross-site"), (None, None), (None, "none")]:
        headers, body = form_post(origin, site)
        status, text = ask(server, headers=headers, body=body)
        assert (origin, status) == (origin, 200) and json.loads(text)["boolean"] is True


@pytest.mark.parametrize("host", ["evil.example", "evil.example:7878", "attacker.127.0.0.1.nip.io",
                                  "localhost.evil.example", "[::1]x", "10.0.0.1"])
def test_dns_rebinding_host_is_refused(server, host):
    status, text = ask(server, headers={"Host": host})
    assert status == 403 and "--allow-host" in text


def test_allowed_hosts_are_answered(embedded):
    with running_serve(embedded, timeout=20, allow_hosts=("graph.internal",)) as srv:
        port = srv.server_address[1]
        for host in [f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}",
                     f"graph.internal:{port}"]:
            assert ask(srv, headers={"Host": host})[0] == 200, host
        assert ask(srv, headers={"Host": "other.internal"})[0] == 403


# ---------------------------------------------------------------- runaway queries

@pytest.mark.parametrize("which", ["rdflib_store", "embedded"])
def test_after_a_runaway_query_the_next_is_answered(request, which):
    store = request.getfixturevalue(which)
    with running_serve(store, timeout=2, workers=1) as srv:
        before = srv.pool.pids()
        status, text = ask(srv, body=CARTESIAN)
        assert status == 503 and "stopped after 2 s" in text
        status, text = ask(srv, body="ASK {}")  # answered by a fresh worker
        assert status == 200 and json.loads(text) == {"head": {}, "boolean": True}
        gone = set(before) - set(srv.pool.pids())
        assert gone  # the runaway's process was killed, its memory returned
        for pid in gone:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)


def test_reading_stops_past_max_rows(rdflib_store, embedded, ox_disk):
    from alliances.errors import ResultTooLarge
    from alliances.store.gate import check_query

    checked = check_query("SELECT * WHERE { ?s ?p ?o }")
    for store in (rdflib_store, embedded, ox_disk):
        with pytest.raises(ResultTooLarge):
            store.run_checked(checked, max_rows=3)
        assert len(store.run_checked(check_query("SELECT * WHERE { ?s ?p ?o } LIMIT 3"),
                                     max_rows=3).rows) == 3


def test_concurrent_clients_on_oxigraph(ox_disk):
    # 4 threads x 20 prefixed queries: the parser is shared, every answer must be 200
    codes: list[int] = []
    lock = threading.Lock()
    with running_serve(ox_disk, timeout=30, workers=2) as srv:
        def client(i):
            for j in range(20):
                text = (f"PREFIX x{i}: <urn:x{i}:> SELECT ?p WHERE {{ ?p a al:Partnership ;"
                        f" al:kind ?k }} ORDER BY ?p LIMIT {1 + j % 3}")
                status, _ = ask(srv, body=text)
                with lock:
                    codes.append(status)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert codes == [200] * 80


# ---------------------------------------------------------------- careless clients

def test_idle_and_slow_clients_are_closed(embedded):
    with running_serve(embedded, timeout=20, idle_timeout=0.5) as srv:
        idle = socket.create_connection(srv.server_address[:2], timeout=20)
        slow = socket.create_connection(srv.server_address[:2], timeout=20)
        try:
            slow.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nASK")
            assert idle.recv(100) == b""  # closed by the server, not by our timeout
            assert slow.recv(100) == b""
            assert ask(srv)[0] == 200  # and it still answers others
        finally:
            idle.close()
            slow.close()


def test_connections_are_bounded(embedded):
    with running_serve(embedded, timeout=20, max_connections=3, idle_timeout=30) as srv:
        held = [socket.create_connection(srv.server_address[:2], timeout=20) for _ in range(3)]
        try:
            extra = socket.create_connection(srv.server_address[:2], timeout=20)
            assert extra.recv(100).startswith(b"HTTP/1.0 503")
            extra.close()
        finally:
            for sock in held:
                sock.close()
        codes = []
        for _ in range(50):  # the server sees the held connections close: slots free again
            try:
                codes.append(ask(srv)[0])
            except OSError:  # still full: a 503 and close can beat our request body (broken pipe)
                codes.append(None)
            if codes[-1] == 200:
                break
            time.sleep(0.1)
        assert codes[-1] == 200, codes


@pytest.mark.parametrize("lengths", [["abc"], ["-1"], ["1_0"], [" 1e3"], ["99999999999"], ["5", "6"]])
def test_bad_content_length_is_400(server, capfd, lengths):
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=20) as sock:
        head = "".join(f"Content-Length: {v}\r\n" for v in lengths)
        sock.sendall(f"POST /sparql HTTP/1.1\r\nHost: localhost\r\n{head}"
                     "Content-Type: application/sparql-query\r\n\r\nASK {}".encode())
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.0 400")
    assert "Traceback" not in capfd.readouterr().err


def test_errors_choose_their_status_by_type_not_text():
    from alliances.store.base import QueryResult, Store
    from alliances.store.serve import answer

    class Refusing(Store):
        def _run(self, query, limit=None) -> QueryResult:
            raise AlliancesError("the upstream refused the query")

    assert answer(Refusing(), "ASK {}", "", None)[0] == 400
    assert answer(Refusing(), "SELECT * { SERVICE <http://x/> {} }", "", None)[0] == 403


# ---------------------------------------------------------------- the --endpoint client

class FakeEndpoint(ThreadingHTTPServer):
    """Answers every POST with `self.reply` = (content type, body bytes, send Content-Length)."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _FakeHandler)
        self.reply = ("application/sparql-results+json", b"{}", True)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _FakeHandler(BaseHTTPRequestHandler):
    timeout = 10

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type, body, with_length = self.server.reply
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if with_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass
        self.close_connection = True


@pytest.fixture()
def fake():
    with in_thread(FakeEndpoint()) as srv:
        yield srv


@pytest.mark.parametrize("url", ["http://[::1", "http://", "http://127.0.0.1:99999/sparql",
                                 "http://exa mple.org/sparql", "ftp://x"])
def test_malformed_endpoint_url_is_one_line(run, url):
    one_error(run("--endpoint", url, "query", "ASK {}"), "--endpoint")


@pytest.mark.parametrize("body", [
    {"head": [], "results": {"bindings": []}},
    {"head": {"vars": "x"}, "results": {"bindings": []}},
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": "plain"}]}},
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": 5}}]}},
    {"head": {}, "boolean": "false"},
    {"head": {}, "boolean": 0},
    [1, 2, 3],
    "just a string",
])
def test_malformed_endpoint_answers_are_one_line(run, fake, body):
    fake.reply = ("application/sparql-results+json", json.dumps(body).encode(), True)
    one_error(run("--endpoint", fake.url, "query", "ASK {}"), "bad SPARQL JSON results")


def test_a_boolean_string_never_prints_true(run, fake):
    fake.reply = ("application/sparql-results+json", b'{"head": {}, "boolean": "false"}', True)
    result = run("--endpoint", fake.url, "query", "ASK {}")
    assert result.stdout == "" and result.exit_code == 2
    fake.reply = ("application/sparql-results+json", b'{"head": {}, "boolean": false}', True)
    result = run("--endpoint", fake.url, "query", "ASK {}")
    assert result.stdout == "false\n" and result.exit_code == 0


@pytest.mark.parametrize("with_length", [True, False])
def test_a_huge_answer_is_refused_not_read(run, fake, monkeypatch, with_length):
    monkeypatch.setattr("alliances.store.endpoint.MAX_REPLY", 2**20)
    row = b'{"x": {"type": "literal", "value": "0123456789"}},'
    body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + row * 60_000 + b'{}]}}'
    fake.reply = ("application/sparql-results+json", body, with_length)
    one_error(run("--endpoint", fake.url, "query", "SELECT ?x WHERE { ?x ?p ?o }"), "than 1 MB", "LIMIT")
