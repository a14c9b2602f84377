"""The sweep: every command and option of `alliances` with hostile values, as an outside
tester would run them. Whatever the input, the run ends with exit 0, 1 or 2, never a
traceback; exit 2 is ONE `error: ...` line on stderr (the last line, after any warnings)
and nothing on stdout; a failed -o leaves its folder as it was.

Cases are (id, args); `{d}` is a folder of hostile files built once (see `world`).
"""

from __future__ import annotations

import os

import pytest
from _hostile import MINI, PREFIXES

# A character a terminal does not show as written (ESC sequences rewrite the screen, bidi
# overrides reorder it) in a message would reach the user's terminal: messages escape them.

BAD_DATES = ["2025-13", "2025-02-30", "99999", "", " ", "0000", "\uff12\uff10\uff12\uff15",
             "2025-06-01T00:00", "-2025", "2025\x00", "1e3", "2025-1-1", "\u0662\u0660\u0662\u0665"]
GOOD_DATES = ["9999-12", "9999", "0001-01-01", "2025-02-28"]
SHOCKS = ["nan", "NaN", "inf", "-inf", "-0.1", "1.5", "1e-400", "-0", "0x1p-1", "", "0.5 "]
TOPS = ["0", "-1", str(10 ** 30), "abc", "1e3", "9" * 5000, ""]
KINDS = ["chip", "", ",", "CHIPS", "chips\x00", "chips,", "all", "chips;foundry", "x" * 10000]
ENTITIES = ["nvidai", "", " ", "\x1b[2J\x1b[31mred", "a\nb", "a\rb", "x" * 100_000, "e:t-chipco",
            "<urn:x>", "t-chipco> ?p ?o } SERVICE <http://127.0.0.1:9/> {", "%", "*", ".*", "t-chipco\t",
            "\U0001f642", "\u202eevil", "\udcff", "t-chipco\x00", "\\u0074-chipco", '"', "'", "?x"]
FORMATS = ["xml", "", "TABLE", "json\x00"]

TTL = {
    "empty.ttl": "",
    "comment.ttl": "# nothing\n",
    "bom.ttl": "\ufeff" + PREFIXES + 'e:t-bom rdfs:label "BOM" .\n',
    "crlf.ttl": (PREFIXES + 'e:t-crlf a al:Company ;\n  rdfs:label "CRLF" .\n').replace("\n", "\r\n"),
    "invalid.ttl": PREFIXES + "e:a e:b .\n",
    "undeclared.ttl": "zz:a zz:b zz:c .\n",
    "hugeline.ttl": PREFIXES + 'e:t-huge rdfs:label "' + "x" * 300_000 + '" .\n',
    "hostile-iris.ttl": PREFIXES + """
e:t-evil a al:Company ; rdfs:label "</script><script>alert(1)</script>" ;
    skos:altLabel "\\u2028line", "\\"quoted\\" & 'single'" ; al:source <file:///etc/passwd> ;
    al:layer <javascript:alert(1)> ; al:developedBy <file:///etc/shadow> .
<javascript:alert(2)> a al:Company ; rdfs:label "js" .
e:p-t-evil a al:Partnership ; rdfs:label "evil deal" ; al:kind kind:chip-supply ;
    al:consumer <javascript:alert(3)> ; al:provider e:t-chipco ; al:share 0.5 ; al:source <file:///x> .
e:src-t-evil a al:Source ; dcterms:title "<img src=x onerror=alert(1)>" ; dcterms:publisher "x" ;
    dcterms:date "2025-01-01"^^xsd:date ; <https://schema.org/url> <javascript:alert(4)> .
e:p-t-cloudco-chipco al:source e:src-t-evil .
""",
    "ill-typed.ttl": PREFIXES + """
e:p-t-ill a al:Partnership ; rdfs:label "ill" ; al:kind kind:investment ;
    al:consumer e:t-labco ; al:provider e:t-cloudco ;
    al:share "NaN"^^xsd:double ; al:amount "1e309"^^xsd:double ; al:amountMax "abc"^^xsd:decimal ;
    al:announced "2025-02-30"^^xsd:date ; al:start "99999"^^xsd:gYear ; al:end "2025-13"^^xsd:gYearMonth ;
    al:source e:src-t-wire .
e:p-t-neg a al:Partnership ; rdfs:label "neg" ; al:kind kind:chip-supply ;
    al:consumer e:t-labco ; al:provider e:t-chipco ; al:share -3.5 ; al:amount -1e300 ;
    al:source e:src-t-wire .
e:p-t-big a al:Partnership ; rdfs:label "big" ; al:kind kind:cloud-compute ;
    al:consumer e:t-chipco ; al:provider e:t-cloudco ; al:share 1e308 ; al:amount "INF"^^xsd:double ;
    al:source e:src-t-wire .
e:obs-t-ill a al:Observation ; rdfs:label "ill obs" ; al:subject e:t-chipco ; al:metric metric:capex ;
    al:value "-INF"^^xsd:double ; al:valueMax "x" ; al:unit "USD" ; al:period "2025-99" ;
    al:asOf "yesterday"^^xsd:date ; al:source e:src-t-wire .
e:t-chipco al:share "0.5"^^xsd:string .
""",
    "controls.ttl": PREFIXES
    + 'e:t-ctl a al:Company ; rdfs:label "bad\\u001b[31mred\\u0000nul\\r\\nline" .\n',
}

CSV = {
    "dupes.csv": "t-chipco,1\nt-chipco,2\nTCHP,3\n",
    "negative.csv": "t-chipco,-1\nt-cloudco,2\n",
    "sum.csv": "t-chipco,0.7\nt-cloudco,0.7\n",
    "zero.csv": "t-chipco,0\n",
    "header-only.csv": "entity,weight\n",
    "empty.csv": "",
    "badrows.csv": "t-chipco\nt-cloudco,1,2\n,1\nnobody,1\nt-labco,abc\nt-labco,nan\n",
    "semicolon.csv": "t-chipco;1\n",
    "bom-crlf.csv": "\ufeffentity,weight\r\nt-chipco,1\r\n",
    "quoted.csv": '"t-chipco","1"\n"Tee, ChipCo",1\n',
    "tiny.csv": "t-chipco,1e-320\nt-cloudco,1e-320\n",
    "formula.csv": "=cmd|' /C calc'!A0,1\n",
    "controls.csv": "\x1b[2Jt-chipco,1\n",
    "unterminated.csv": 't-chipco,"1\n',
    "nul.csv": "t-chipco,1\x00\n",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep")
    for name, text in {**TTL, **CSV}.items():
        (d / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    (d / "latin1.csv").write_bytes(b"t-chipco,1\ncaf\xe9,1\n")
    (d / "latin1.rq").write_bytes(b"ASK { ?s ?p \"caf\xe9\" }")
    (d / "empty-dir").mkdir()
    (d / "dir.csv").mkdir()
    os.mkfifo(d / "fifo")
    os.mkfifo(d / "fifo.csv")
    (d / "out").mkdir()
    return d


def check(result, out_dir=None, before=None):
    """The promises every run keeps, whatever its input."""
    out = result.output
    assert result.exit_code in (0, 1, 2), (result.exit_code, out[-2000:])
    assert "Traceback" not in out and "internal error" not in out, out[-2000:]
    err = result.stderr
    unshown = {c for c in set(err) - {"\n"} if not c.isprintable()}
    assert not unshown, ("characters a terminal does not show on stderr", unshown, err[-500:])
    if result.exit_code == 2:
        lines = err.splitlines()
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == 1 and lines[-1] == errors[0], err[-2000:]
        assert len(errors[0]) <= 2000, f"error line of {len(errors[0])} characters"
        assert result.stdout == "", result.stdout[:500]
        if out_dir is not None:
            assert sorted(os.listdir(out_dir)) == before, "left behind after a failure"


def cases():
    date_commands = [["list", "partnerships"], ["show", "t-chipco"], ["risk", "t-chipco"],
                     ["metrics", "capex"], ["money"], ["portfolio", "{d}/dupes.csv"],
                     ["export", "--format", "csv", "--table", "nodes"], ["query", "ASK {}"]]
    for command in date_commands:
        for date in BAD_DATES + GOOD_DATES:
            yield f"{command[0]}-as-of-{date!r}", [*command, "--as-of", date]
    for date in BAD_DATES + GOOD_DATES:
        yield f"diff-from-{date!r}", ["diff", "--from", date, "--to", "2025"]
        yield f"diff-to-{date!r}", ["diff", "--from", "2024", "--to", date]
    for shock in SHOCKS:
        yield f"risk-shock-{shock!r}", ["risk", "t-chipco", "--shock", shock]
        yield f"portfolio-shock-{shock!r}", ["portfolio", "{d}/dupes.csv", "--shock", shock]
    for value in ["nan", "inf", "1e999", "", "x"]:
        yield f"fail-above-{value!r}", ["risk", "t-chipco", "--fail-above", value]
        yield f"serve-timeout-{value!r}", ["serve", "--timeout", value, "--port", "-1"]
    for top in TOPS:
        for command in (["risk", "t-chipco"], ["metrics"], ["money"], ["money", "--cycles"],
                        ["portfolio", "{d}/dupes.csv"], ["timeline", "t-chipco"], ["diff", "--from", "2024"]):
            yield f"{command[0]}-top-{top[:20]!r}", [*command, "--top", top]
        yield f"graph-depth-{top[:20]!r}", ["graph", "--focus", "t-chipco", "--depth", top,
                                            "-o", "{d}/out/x.html"]
        yield f"diff-chokepoints-{top[:20]!r}", ["diff", "--from", "2024", "--chokepoints", top]
    for kind in KINDS:
        for command in (["risk", "t-chipco"], ["metrics", "chokepoints"], ["money"],
                        ["portfolio", "{d}/dupes.csv"], ["graph", "-o", "{d}/out/k.html"],
                        ["graph", "--money", "-o", "{d}/out/k.html"]):
            yield f"{command[0]}-kind-{kind[:20]!r}", [*command, "--kind", kind]
        yield f"list-kind-{kind[:20]!r}", ["list", "partnerships", "--kind", kind]
        yield f"list-metric-{kind[:20]!r}", ["list", "observations", "--metric", kind]
        yield f"list-what-{kind[:20]!r}", ["list", kind]
        yield f"export-graph-{kind[:20]!r}", ["export", "--graph", kind]
    for fmt in FORMATS:
        for command in (["stats"], ["export"], ["queries"], ["list"]):
            yield f"{command[0]}-format-{fmt!r}", [*command, "--format", fmt]
    for name in ENTITIES:
        short = name[:20]
        for command in (["show"], ["risk"], ["timeline"], ["money"]):
            yield f"{command[0]}-entity-{short!r}", [*command, name]
        yield f"graph-focus-{short!r}", ["graph", "--focus", name, "-o", "{d}/out/f.html"]
        yield f"risk-for-{short!r}", ["risk", "t-chipco", "--fail-above", "0", "--for", name]
        yield f"query-name-{short!r}", ["query", name]
        yield f"query-saved-{short!r}", ["query", "--saved", name]
        yield f"graph-title-{short!r}", ["graph", "--title", name, "-o", "{d}/out/t.html"]
    for name in sorted(TTL) + ["empty-dir", "fifo", "missing.ttl", "latin1.rq"]:
        for command in (["stats"], ["risk", "t-chipco"], ["metrics"], ["money"], ["timeline", "t-chipco"],
                        ["export", "--format", "gexf"], ["graph", "--money", "-o", "{d}/out/m.html"]):
            yield f"data-{name}-{'-'.join(command[:2])}", ["--data", f"{{d}}/{name}", *command]
    for name in sorted(CSV) + ["latin1.csv", "dir.csv", "fifo.csv", "missing.csv", "empty-dir"]:
        yield f"portfolio-{name}", ["portfolio", f"{{d}}/{name}"]
    for name in ["fifo", "empty-dir", "missing.rq", "latin1.rq", "empty.ttl", "dupes.csv"]:
        yield f"query-file-{name}", ["query", "-f", f"{{d}}/{name}"]
    for target in ["{d}/missing/x", "{d}/out", "{d}/fifo", "{d}/out/", "", "{d}/out/x\x00y",
                   "{d}/out/" + "x" * 300]:
        for command in (["export"], ["export", "--format", "csv"], ["graph"], ["graph", "--money"],
                        ["export", "--format", "csv", "--table", "nodes"]):
            yield f"{'-'.join(command)}-o-{target[-12:]!r}", [*command, "-o", target]
    for spec in ["", "oxigraph:", "oxigraph:{d}/missing", "oxigraph:{d}/empty-dir", "oxigraph:{d}/fifo",
                 "oxigraph:{d}/empty.ttl", "sqlite", "memory:x", "rdflib:"]:
        yield f"store-{spec}", ["--store", spec, "stats"]
        yield f"load-store-{spec}", ["load", "--no-shipped", "--store", spec, str(MINI)]
    for url in ["", "ftp://x/", "file:///etc/passwd", "http://", "http://[::1", "javascript:alert(1)",
                "http://127.0.0.1:9/sparql\r\nX: y", "http://user:pw@127.0.0.1:9/", "http://127.0.0.1:99999/"]:
        yield f"endpoint-{url!r}", ["--endpoint", url, "stats"]
    for name in sorted(TTL) + ["fifo", "empty-dir"]:
        yield f"load-{name}", ["load", "--no-shipped", "--store", "oxigraph:{d}/ox-" + name, f"{{d}}/{name}"]
    for host in ["0.0.0.0", "", "::", "x" * 300, "127.0.0.1\x00"]:
        yield f"serve-host-{host[:12]!r}", ["serve", "--host", host, "--port", "-1"]


CASES = list(cases())


@pytest.mark.parametrize("args", [a for _, a in CASES], ids=[i for i, _ in CASES])
def test_sweep(run, world, monkeypatch, args):
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: pytest.fail("opened a browser"))
    args = [a.replace("{d}", str(world)) for a in args]
    out = world / "out"
    before = sorted(os.listdir(out))
    result = run("--data", MINI, *args) if args[0] not in ("--data", "--store", "--endpoint", "load") \
        else run(*args)
    check(result, out, before)
    for name in set(os.listdir(out)) - set(before):  # a success may write: start the next case clean
        path = out / name
        if path.is_dir():
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink()


# --- every engine: the same commands, and the gate's refusals, on each -------------------

GATE = [  # each would reach {U} (a counting loopback server) if it ran
    "SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } }",
    "SELECT * FROM <{U}> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <{U}> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD <{U}>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "SELECT * WHERE { \\u0053ERVICE <{U}> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(IRI(\"{U}\") AS ?u) LATERAL { SERVICE ?u { ?s ?p ?o } } }",
    "SELECT * WHERE { BIND(IRI(\"{U}\") AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } FROM <{U}> WHERE { ?s ?p ?o }",
    "ASK FROM <{U}> { ?s ?p ?o }",
]
ENGINE_COMMANDS = [["list", "partnerships"], ["risk", "t-chipco"], ["money"], ["show", "t-chipco"],
                   ["export", "--format", "nt"], ["graph", "-o", "{d}/out/e.html"], ["timeline", "t-chipco"],
                   ["query", "SELECT ?l WHERE { ?s rdfs:label ?l }"]]
ENGINES = ["rdflib", "oxigraph", "endpoint"]


@pytest.fixture(scope="module")
def engines(world):
    """How to reach each engine (global options), all holding MINI and the hostile files;
    a counting server stands where the gate's refusals would go."""
    pytest.importorskip("pyoxigraph")
    from loopback import counting_server, running_serve

    from alliances.store.embedded import load_embedded
    from alliances.store.oxigraph import load_oxigraph
    from alliances.store.paths import ontology_path

    files = [MINI, world / "hostile-iris.ttl", world / "ill-typed.ttl", world / "hugeline.ttl"]
    load_oxigraph(world / "ox-engine", [ontology_path(), *files], report=None)
    with counting_server() as counter, running_serve(load_embedded(files, shipped=False), timeout=20) as srv:
        host, port = srv.server_address[:2]
        yield counter, {
            "rdflib": ["--store", "rdflib", *[a for f in files for a in ("--data", f)]],
            "oxigraph": ["--store", f"oxigraph:{world / 'ox-engine'}"],
            "endpoint": ["--endpoint", f"http://{host}:{port}/sparql"],
            "memory": [a for f in files for a in ("--data", f)],
        }


@pytest.mark.parametrize("engine", ENGINES + ["memory"])
@pytest.mark.parametrize("command", ENGINE_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_every_engine(run, world, engines, monkeypatch, engine, command):
    monkeypatch.setattr("alliances.store.paths.shipped_data_files", lambda: [])
    counter, options = engines
    out = world / "out"
    before = sorted(os.listdir(out))
    result = run(*options[engine], *[a.replace("{d}", str(world)) for a in command])
    check(result, out, before)
    assert result.exit_code == 0, result.output[-1000:]  # hostile values are warnings, not failures
    for name in set(os.listdir(out)) - set(before):
        (out / name).unlink()


@pytest.mark.parametrize("engine", ENGINES + ["memory"])
@pytest.mark.parametrize("query", GATE)
def test_the_gate_on_every_engine(run, engines, engine, query):
    counter, options = engines
    before = counter.connections
    result = run(*options[engine], "query", query.replace("{U}", counter.url))
    check(result)
    assert result.exit_code == 2, result.output
    assert counter.connections == before  # nothing reached outside


# --- Ctrl-C and failures in the middle of a write -----------------------------------------

@pytest.mark.parametrize("command", [["export", "-o", "{o}/all.ttl"],
                                     ["export", "--format", "csv", "-o", "{o}/t"],
                                     ["export", "--format", "csv", "-o", "{o}"],
                                     ["graph", "-o", "{o}/map.html"],
                                     ["graph", "--money", "-o", "{o}/m.html"]])
@pytest.mark.parametrize("when", [1, 2])
def test_ctrl_c_in_the_middle_of_a_write_leaves_nothing(run, tmp_path, monkeypatch, command, when):
    """The `when`-th file flushed to disk is interrupted: nothing new is left in the folder."""
    out = tmp_path / "o"
    out.mkdir()
    (out / "keep.txt").write_text("keep\n")
    calls = []
    real = os.fsync

    def interrupted(fd):
        calls.append(fd)
        if len(calls) == when:
            raise KeyboardInterrupt
        return real(fd)

    monkeypatch.setattr("alliances.atomic.os.fsync", interrupted)
    result = run("--data", MINI, *[a.replace("{o}", str(out)) for a in command])
    if len(calls) < when:
        assert result.exit_code == 0  # one file only: nothing to interrupt a second time
        return
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"], sorted(p.name for p in out.rglob("*"))


# --- the classes the sweep found, each pinned to its exact answer -------------------------

@pytest.mark.parametrize("args, line", [
    (["show", "t-chipco\x1b[2J"], "error: no entity 't-chipco\\x1b[2J'"),  # before: ESC reached the terminal
    (["list", "x" * 5000], " ... "),  # before: an error line of 5,000+ characters
    (["graph", "--title", "caf\udce9"], "is not UTF-8 (byte 0xe9)"),  # before: UnicodeEncodeError
    (["list", "partnerships", "--as-of", "\uff12\uff10\uff12\uff15"], "is not a date"),  # before: accepted
    (["risk", "t-chipco", "--shock", "nan"], "nan is not a finite number"),  # before: deep in the library
    (["risk", "t-chipco", "--kind", "chip"], "did you mean 'chips'?"),
    (["export", "-o", "x" * 300], "File name too long"),  # before: internal error OSError
    (["query", "--saved", ""], "no saved query ''"),  # before: AttributeError
])
def test_found_by_the_sweep(run, args, line):
    result = run("--data", MINI, *args)
    check(result)
    assert result.exit_code == 2 and line in result.stderr, result.stderr


def test_9999_12_is_a_date():
    from alliances.timeline import parse_as_of

    assert parse_as_of("9999-12") == "9999-12-31"  # before: "not a date" (no month after it)


def test_table_cells_escape_what_a_terminal_would_act_on(run, world):
    out = run("--data", MINI, "--data", world / "controls.ttl", "list", "companies").stdout
    assert "bad\\x1b[31mred\\x00nul\\r\\nline" in out and "\x1b" not in out  # before: raw ESC, CR, LF


def test_ill_typed_figures_in_timeline_and_money(run, world):
    result = run("--data", MINI, "--data", world / "ill-typed.ttl", "timeline", "t-chipco")
    assert result.exit_code == 0 and "al:valueMax 'x' is not a finite number" in result.stderr
    from alliances.graph.money import _number

    assert [_number(v) for v in ("NaN", "1e309", "12.5")] == [None, None, 12.5]  # before: nan, inf


def test_a_fifo_nobody_writes_is_read_as_empty(run, world):
    # before: open() waited for a writer forever
    assert "no holdings" in run("--data", MINI, "portfolio", world / "fifo.csv").stderr
    assert "empty query" in run("--data", MINI, "query", "-f", world / "fifo").stderr
