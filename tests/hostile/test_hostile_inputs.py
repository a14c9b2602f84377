"""Hostile input files: broken Turtle, ill-typed values, odd portfolios."""

from __future__ import annotations

import pytest
from _hostile import MINI, PREFIXES, one_error, turtle


def test_turtle_cut_mid_name(run, tmp_path):
    cut = tmp_path / "cut.ttl"
    cut.write_text(PREFIXES + "e:foo e:ba")  # before: IndexError from rdflib's tokenizer
    one_error(run("--store", "rdflib", "--data", cut, "stats"), "cut.ttl:9:", "ends in the middle")
    one_error(run("--data", cut, "stats"), "cut.ttl:9:", "Turtle syntax error")  # the embedded engine


def test_turtle_nested_20000_deep(run, tmp_path):
    deep = turtle(tmp_path / "deep.ttl", "e:a e:b " + "(" * 20000 + ")" * 20000 + " .\n")
    one_error(run("--store", "rdflib", "--data", deep, "stats"), "deep.ttl",
              "nested too deeply")  # before: RecursionError
    embedded = run("--data", deep, "stats")  # Oxigraph's parser is not recursive: it loads
    assert embedded.exit_code == 0 and "Traceback" not in embedded.output


def test_a_folder_named_ttl_inside_a_data_folder(run, tmp_path):
    (tmp_path / "data" / "sub.ttl").mkdir(parents=True)
    turtle(tmp_path / "data" / "ok.ttl", "e:t-x rdfs:label \"x\" .\n")
    result = run("--data", tmp_path / "data", "stats")  # before: IsADirectoryError
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_dangling_symlinks(run, tmp_path):
    (tmp_path / "gone.ttl").symlink_to(tmp_path / "nowhere.ttl")
    one_error(run("--data", tmp_path / "gone.ttl", "stats"), "gone.ttl")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "gone.ttl").symlink_to(tmp_path / "nowhere.ttl")
    # before: FileNotFoundError
    one_error(run("--data", folder, "stats"), "gone.ttl", "symlink to a missing file")


def test_unreadable_turtle_file(run, tmp_path, monkeypatch):
    secret = turtle(tmp_path / "secret.ttl", "e:t-x rdfs:label \"x\" .\n")
    real_open = open

    def guarded(file, *args, **kwargs):  # chmod 000 does not stop root: refuse like the kernel would
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("rdflib.parser.open", guarded, raising=False)
    monkeypatch.setenv("ALLIANCES_NO_CACHE", "1")
    one_error(run("--store", "rdflib", "--data", secret, "stats"), "secret.ttl",
              "Permission denied")  # before: PermissionError
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: guarded(self, "rb").read())
    one_error(run("--data", secret, "stats"), "secret.ttl", "Permission denied")  # the embedded engine


def test_non_utf8_turtle(run, tmp_path):
    latin = tmp_path / "latin.ttl"
    latin.write_bytes(PREFIXES.encode() + b'e:t-x rdfs:label "caf\xe9" .\n')
    one_error(run("--store", "rdflib", "--data", latin, "stats"), "latin.ttl:9", "not UTF-8")
    one_error(run("--data", latin, "stats"), "latin.ttl:9", "UTF-8")  # the embedded engine


def test_bom_turtle_loads_the_same_on_memory_and_oxigraph(run, tmp_path):
    pytest.importorskip("pyoxigraph")
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + (PREFIXES + 'e:t-bom rdfs:label "BOM" .\n').encode())
    ask = "ASK { e:t-bom rdfs:label \"BOM\" }"
    assert run("--data", bom, "query", ask).stdout == "true\n"
    result = run("load", "--store", f"oxigraph:{tmp_path / 'ox'}", bom)  # before: a syntax error at 1:1
    assert result.exit_code == 0, result.output
    assert run("--store", f"oxigraph:{tmp_path / 'ox'}", "query", ask).stdout == "true\n"


ILL_TYPED = """
e:p-t-bad a al:Partnership ; rdfs:label "bad deal" ;
    al:kind kind:chip-supply ; al:consumer e:t-labco ; al:provider e:t-chipco ;
    al:share "abc"^^xsd:decimal ; al:amount "lots"^^xsd:decimal ;
    al:announced "not-a-date"^^xsd:date ; al:source e:src-t-wire .
e:obs-t-bad a al:Observation ; rdfs:label "bad figure" ;
    al:subject e:t-cloudco ; al:metric metric:capex ; al:value "lots" ; al:unit "USD" ;
    al:period "2025" ; al:source e:src-t-wire .
"""


@pytest.fixture(scope="module")
def ill_typed(tmp_path_factory):
    """One file for every test (parsed once, then read from the parse cache)."""
    return turtle(tmp_path_factory.mktemp("ill") / "bad.ttl", ILL_TYPED)


@pytest.mark.parametrize("args, bad", [
    (["risk", "t-chipco"], ["share"]),
    (["graph", "-o", "{tmp}/map.html"], ["share", "announced"]),
    (["metrics", "concentration"], ["share"]),
    (["list", "observations"], ["value"]),
    (["list", "partnerships"], ["share", "amount", "announced"]),
    (["conflicts"], ["value"]),
])
def test_ill_typed_literals_are_warnings_not_crashes(run, tmp_path, caplog, ill_typed, args, bad):
    data = ill_typed
    result = run("--data", MINI, "--data", data, *[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 0, result.output  # before: ValueError
    assert "Traceback" not in result.stderr and "Failed to convert" not in result.stderr
    assert not [r for r in caplog.records if "Failed to convert" in r.getMessage()]  # rdflib's log tracebacks
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    where = {"share": "bad.ttl:12:", "amount": "bad.ttl:12:", "announced": "bad.ttl:13:",
             "value": "bad.ttl:15:"}
    for prop in bad:
        found = [w for w in warnings if f"al:{prop} " in w]
        assert len(found) == 1, result.stderr  # once, however often the value is read
        assert where[prop] in found[0] and "value skipped" in found[0], found[0]


def test_ill_typed_literals_are_shacl_violations(run, caplog, ill_typed):
    data = ill_typed
    result = run("--data", MINI, "--data", data, "validate", "--format", "csv")
    assert result.exit_code == 1
    assert "Failed to convert" not in result.stderr and "Traceback" not in result.stderr
    # before: rdflib logged a traceback per ill-typed value
    assert not [r for r in caplog.records if "Failed to convert" in r.getMessage()]
    flagged = {tuple(line.split(",")[:2]) for line in result.stdout.splitlines()[1:]}
    assert {("p-t-bad", "share"), ("p-t-bad", "amount"), ("p-t-bad", "announced"),
            ("obs-t-bad", "value")} <= flagged


def holdings(tmp_path, text: str | bytes):
    path = tmp_path / "holdings.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_portfolio_weights_that_overflow(run, tmp_path):
    # before: "(no rows)" and exit 0 (the total is inf, every weight / inf is 0)
    path = holdings(tmp_path, "t-chipco,1e308\nt-cloudco,1e308\n")
    one_error(run("--data", MINI, "portfolio", path), "holdings.csv:1", "more than a float")


@pytest.mark.parametrize("weight", ["nan", "inf", "-inf", "1e999"])
def test_portfolio_non_finite_weights(run, tmp_path, weight):
    path = holdings(tmp_path, f"t-chipco,{weight}\n")
    one_error(run("--data", MINI, "portfolio", path), "holdings.csv:1", "finite number")


def test_portfolio_field_of_5_mb(run, tmp_path):
    path = holdings(tmp_path, 't-chipco,"' + "x" * 5_000_000 + '"\n')
    one_error(run("--data", MINI, "portfolio", path), "holdings.csv:1", "not a CSV row")  # before: _csv.Error


def test_portfolio_not_utf8(run, tmp_path):
    path = holdings(tmp_path, b"t-chipco,1\nt-cloudco\xff,1\n")
    # before: UnicodeDecodeError
    one_error(run("--data", MINI, "portfolio", path), "holdings.csv:2", "not UTF-8")



def test_an_endpoint_trickling_its_answer_is_stopped_by_the_deadline():
    """Regression: each socket read had a timeout, the whole answer none: a server sending
    a few bytes under the timeout each time kept the client waiting without end."""
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from loopback import in_thread

    from alliances.errors import AlliancesError
    from alliances.store.endpoint import EndpointStore

    class Trickle(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    with in_thread(server):
        store = EndpointStore(f"http://127.0.0.1:{server.server_address[1]}/sparql", timeout=5, deadline=1)
        started = time.monotonic()
        with pytest.raises(AlliancesError, match="more than 1 s in all"):
            store.select("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - started < 5
