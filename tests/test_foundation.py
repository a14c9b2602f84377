"""The foundation: loading, lookup, SPARQL gate, catalog commands and validation."""

import json
import re
from pathlib import Path

import pytest

from alliances.catalog.resolve import Resolver
from alliances.errors import AlliancesError
from alliances.store.gate import check_query, run_user_query
from alliances.timeline import active_as_of, parse_as_of

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

MINI = ["--data", FIXTURES / "mini.ttl"]


# ---------------------------------------------------------------- loading

def test_malformed_turtle_names_file_and_line(cli):
    result = cli("--data", FIXTURES / "broken.ttl", "stats")
    assert result.exit_code == 2
    assert re.search(r"broken\.ttl:5: Turtle syntax error", result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_data_path_is_bad_input(cli):
    result = cli("--data", "no/such/file.ttl", "stats")
    assert result.exit_code == 2
    assert "no/such/file.ttl: no such file or directory" in result.stderr


def test_data_directory_loads_every_ttl(tmp_path, cli):
    (tmp_path / "a.ttl").write_text((FIXTURES / "mini.ttl").read_text())
    result = cli("--data", tmp_path, "show", "t-labco")
    assert result.exit_code == 0, result.stderr
    assert "Tee LabCo" in result.stdout


def test_one_named_graph_per_file(mini_store):
    graphs = {str(g.identifier) for g in mini_store.dataset.graphs() if len(g)}
    assert any(g.endswith("/ontology/alliances.ttl") for g in graphs)
    assert any(g.endswith("/fixtures/mini.ttl") for g in graphs)


# ---------------------------------------------------------------- lookup

@pytest.mark.parametrize("name", ["t-chipco", "T-CHIPCO", "Tee ChipCo", "tee chipco", "TCC", "tchp",
                                  "e:t-chipco"])
def test_resolve_by_id_label_alias_ticker(mini_store, name):
    assert Resolver(mini_store).resolve(name).id == "t-chipco"


def test_unknown_entity_suggests_the_nearest(mini_store):
    with pytest.raises(AlliancesError, match=r"no entity 't-chipko'; did you mean 't-chipco'\?"):
        Resolver(mini_store).resolve("t-chipko")


def test_unknown_entity_on_the_cli(cli):
    result = cli("show", "nvidai")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no entity 'nvidai'")


# ---------------------------------------------------------------- the SPARQL gate

@pytest.mark.parametrize("query, reason", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates"),
    ("DELETE WHERE { ?s ?p ?o }", "updates"),
    ("LOAD <http://example.org/data.ttl>", "updates"),
    ("CLEAR ALL", "updates"),
])
def test_gate_refuses_what_reaches_outside_or_writes(query, reason):
    with pytest.raises(AlliancesError, match=f"query refused: {reason}"):
        check_query(query)


def test_gate_refuses_nested_service():
    query = "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://x> { ?s ?q ?r } } }"
    with pytest.raises(AlliancesError, match="SERVICE"):
        check_query(query)


def test_syntax_error_names_line_and_column():
    with pytest.raises(AlliancesError, match=r"^2:\d+: SPARQL syntax error"):
        check_query("SELECT ?s\nWHERE { ?s ?p }")


def test_refused_query_on_cli_exits_2_and_prints_nothing(cli):
    result = cli("query", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "FROM" in result.stderr


def test_user_query_runs_with_predeclared_prefixes(mini_store):
    result = run_user_query(mini_store, "SELECT ?x WHERE { ?x a al:Hyperscaler }")
    assert [str(r["x"]).rsplit("/", 1)[-1] for r in result.rows] == ["t-cloudco"]


def test_query_formats(cli):
    q = "SELECT ?x ?label WHERE { ?x a al:ModelLab ; rdfs:label ?label FILTER(?x = e:t-labco) }"
    as_json = json.loads(cli(*MINI, "query", q, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["x", "label"]
    binding = as_json["results"]["bindings"][0]
    assert binding["x"] == {"type": "uri", "value": "https://w3id.org/alliances/id/t-labco"}
    assert binding["label"]["value"] == "Tee LabCo"
    as_csv = cli(*MINI, "query", q, "--format", "csv").stdout
    assert as_csv.splitlines() == ["x,label", "https://w3id.org/alliances/id/t-labco,Tee LabCo"]
    assert "e:t-labco" in cli(*MINI, "query", q).stdout


def test_ask_query(cli):
    assert cli(*MINI, "query", "ASK { e:t-labco ?p ?o }").stdout == "true\n"
    out = json.loads(cli(*MINI, "query", "ASK { e:t-nobody ?p ?o }", "--format", "json").stdout)
    assert out["boolean"] is False


def test_query_from_file_and_saved(tmp_path, cli):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?p WHERE { ?p a al:Partnership ; al:kind kind:chip-supply }")
    result = cli(*MINI, "query", "-f", rq, "--format", "csv")
    assert "p-t-cloudco-chipco" in result.stdout
    saved = cli(*MINI, "query", "chip-suppliers", "--format", "json")
    assert saved.exit_code == 0, saved.stderr
    deals = [b["deal"]["value"] for b in json.loads(saved.stdout)["results"]["bindings"]]
    assert "https://w3id.org/alliances/id/p-t-cloudco-chipco" in deals


def test_every_saved_query_runs(cli):
    listing = cli("queries", "--format", "json")
    names = [q["name"] for q in json.loads(listing.stdout)]
    assert len(names) >= 10
    for name in names:
        result = cli(*MINI, "query", "--saved", name)
        assert result.exit_code == 0, (name, result.stderr)


def test_unknown_saved_query(cli):
    result = cli("query", "--saved", "chip-supplier")
    assert result.exit_code == 2
    assert "did you mean 'chip-suppliers'" in result.stderr


def test_query_needs_exactly_one_input(cli, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    for args in (("query",), ("query", "ASK {}", "-f", rq), ("query", "-f", rq, "--saved", "sources")):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert "give exactly one of: query text, -f FILE, --saved NAME" in result.stderr, args
        assert result.stdout == ""


# ---------------------------------------------------------------- catalog commands

def test_stats_counts(cli):
    rows = json.loads(cli(*MINI, "stats", "--format", "json").stdout)
    by_name = {(r["section"], r["name"]): r["count"] for r in rows}
    assert by_name[("total", "triples")] > 600
    assert by_name[("class", "ModelLab")] >= 1
    assert by_name[("partnership kind", "chip-supply")] >= 1


def test_list_companies_and_partnerships_by_kind(cli):
    companies = json.loads(cli(*MINI, "list", "companies", "--format", "json").stdout)
    ids = {c["id"] for c in companies}
    assert {"t-chipco", "t-cloudco", "t-labco"} <= ids
    deals = json.loads(cli(*MINI, "list", "partnerships", "--kind", "cloud-compute",
                           "--format", "json").stdout)
    mine = [d for d in deals if d["id"].startswith("p-t-")]
    assert [d["id"] for d in mine] == ["p-t-labco-cloudco"]
    assert mine[0]["amount"] == 1e9
    assert mine[0]["sources"] == ["src-t-blog"]


def test_list_as_of_hides_later_deals(cli):
    before = json.loads(cli(*MINI, "list", "partnerships", "--as-of", "2025-06",
                            "--format", "json").stdout)
    ids = {d["id"] for d in before}
    assert "p-t-cloudco-chipco" in ids and "p-t-labco-cloudco" not in ids


def test_list_unknown_class(cli):
    result = cli("list", "compnies")
    assert result.exit_code == 2
    assert "did you mean 'companies'" in result.stderr


def test_bad_as_of(cli):
    result = cli("list", "partnerships", "--as-of", "last tuesday")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_show_lists_facts_partnerships_figures_claims(cli):
    out = json.loads(cli(*MINI, "show", "Tee CloudCo", "--format", "json").stdout)
    assert out["id"] == "t-cloudco" and out["class"] == "Hyperscaler"
    roles = {p["id"]: p["role"] for p in out["partnerships"]}
    assert roles == {"p-t-cloudco-chipco": "consumer", "p-t-labco-cloudco": "provider"}
    assert {o["value"] for o in out["observations"]} == {1e10, 1.2e10}
    assert [c["id"] for c in out["claims"]] == ["claim-t-risk"]
    assert all(f["sources"] == ["src-t-wire"] for f in out["facts"])
    table = cli(*MINI, "show", "t-cloudco").stdout
    assert table.startswith("Tee CloudCo (t-cloudco, Hyperscaler)")
    assert "## partnerships (2)" in table


def test_conflicts_side_by_side(cli):
    rows = json.loads(cli(*MINI, "conflicts", "--format", "json").stdout)
    mine = [r for r in rows if r["subject"] == "t-cloudco"]
    assert [(r["value"], r["sources"]) for r in mine] == [
        (1e10, ["src-t-wire"]), (1.2e10, ["src-t-blog"])]


def test_as_of_rules():
    assert parse_as_of("2025-02") == "2025-02-28"
    assert parse_as_of("2024") == "2024-12-31"
    assert active_as_of(None, None, None, "2020-01-01")
    assert not active_as_of("2025-09-01", None, None, "2025-08-31")
    assert not active_as_of("2024", "2024-02-01", "2025-01-01", "2025-06-01")


# ---------------------------------------------------------------- validation

def test_validate_fixture_conforms(cli):
    from alliances.catalog.validate import validate
    from alliances.store.memory import load

    assert validate(load([FIXTURES / "mini.ttl"], shipped=False)).conforms


def test_validate_reports_violations_with_exit_1(cli):
    result = cli("--data", FIXTURES / "unsourced.ttl", "validate", "--format", "json")
    assert result.exit_code == 1
    focus = {(v["focus"], v["message"]) for v in json.loads(result.stdout)}
    assert ("p-t-unsourced", "a partnership has at least one source") in focus
    assert ("p-t-unsourced", "a partnership has at least two parties, each an entity") in focus


def test_shipped_data_validates(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.stdout
    assert "conforms" in result.stderr


# ---------------------------------------------------------------- CLI conventions

def test_version_and_help_everywhere(cli):
    from alliances.cli.app import main

    assert cli("--version").stdout.strip() == "alliances, version 0.1.0"
    for name in main.commands:
        for flag in ("-h", "--help"):
            result = cli(name, flag)
            assert result.exit_code == 0 and "Usage:" in result.stdout, name


def test_every_command_is_in_the_readme():
    from alliances.cli.app import main

    readme = (ROOT / "README.md").read_text()
    for name in main.commands:
        assert f"$ alliances {name}" in readme or "$ alliances --" in readme and \
            re.search(rf"\$ alliances( --\S+ \S+)* {name}\b", readme), f"README lacks `$ alliances {name}`"


def test_projection_is_not_a_conflict_with_a_measurement(tmp_path, cli):
    # Regression: Project Rainier's 500K chips and its "scaling to 1M" plan were listed as a conflict.
    extra = tmp_path / "plan.ttl"
    extra.write_text((FIXTURES / "mini.ttl").read_text().split("e:obs-t-cloudco-capex-wire")[0] + """
e:obs-t-chips-now a al:Observation ; al:subject e:t-cloudco ; al:metric metric:chip-count ;
    al:value 500000.0 ; al:unit "chips" ; al:source e:src-t-wire .
e:obs-t-chips-plan a al:Observation ; al:subject e:t-cloudco ; al:metric metric:chip-count ;
    al:value 1000000.0 ; al:unit "chips" ; al:qualifier "projection" ; al:source e:src-t-wire .
""")
    rows = json.loads(cli("--data", extra, "conflicts", "--format", "json").stdout)
    assert not [r for r in rows if r["subject"] == "t-cloudco"]


def test_table_numbers_are_readable():
    from alliances.render.formats import cell

    assert cell(500000.0) == "500,000"
    assert cell(0.125) == "0.125"
    assert cell(30.5) == "30.5"


def test_resolver_index_is_built_once_per_store(mini_store, monkeypatch):
    # Regression: `risk A B --for C` built the entity index four times (three names + the graph).
    from alliances.catalog import resolve as resolve_module
    from alliances.graph.dependency import dependency_graph

    built = []
    original = resolve_module.Resolver.__init__
    monkeypatch.setattr(resolve_module.Resolver, "__init__",
                        lambda self, store: (built.append(1), original(self, store))[1])
    fresh = type(mini_store).__new__(type(mini_store))
    fresh.__dict__.update({k: v for k, v in mini_store.__dict__.items() if k != "_resolver"})
    for name in ("t-chipco", "Tee CloudCo", "TCC"):
        resolve_module.resolve(fresh, name)
    dependency_graph(fresh)
    assert len(built) == 1


def test_query_as_of_leaves_out_rows_naming_later_facts(cli):
    """`query --as-of` keeps undated facts and drops rows naming a deal not yet announced."""
    import csv
    import io

    every = list(csv.DictReader(io.StringIO(cli("query", "chip-suppliers", "--format", "csv").stdout)))
    then = cli("query", "chip-suppliers", "--as-of", "2023", "--format", "csv")
    assert then.exit_code == 0 and "rows left out" in then.stderr
    kept = list(csv.DictReader(io.StringIO(then.stdout)))
    assert 0 < len(kept) < len(every)
    assert all(not r["announced"] or r["announced"] <= "2023-12-31" for r in kept)
    later = {r["deal"] for r in every if r["announced"] and r["announced"] > "2023-12-31"}
    assert later and not later & {r["deal"] for r in kept}
    refused = cli("query", "ASK { ?s ?p ?o }", "--as-of", "2024")
    assert refused.exit_code == 2 and "SELECT" in refused.stderr
    assert cli("query", "chip-suppliers", "--as-of", "20x4").exit_code == 2


def test_iris_from_data_cannot_change_a_library_query():
    """IRIs read back from a store are written into VALUES clauses; one that could
    close the clause (from an endpoint or a lax parser) is left out."""
    from alliances.vocab import iri_list, safe_iri

    hostile = "http://x> } SERVICE <http://evil/sparql> { ?a ?b ?c"
    assert iri_list(["https://w3id.org/alliances/id/b", hostile, "https://w3id.org/alliances/id/a"]) == \
        "<https://w3id.org/alliances/id/a> <https://w3id.org/alliances/id/b>"
    assert not safe_iri("http://x y") and safe_iri("https://w3id.org/alliances/id/nvidia")


def test_help_imports_no_heavy_library():
    """`alliances --help` stays near the cost of importing click: the heavy libraries are
    imported by the commands that use them (benchmarks/run.py measures the time)."""
    import subprocess
    import sys

    code = ("import sys\nfrom alliances.cli.app import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n"
            "    pass\nheavy = ('rdflib', 'networkx', 'numpy', 'scipy', 'pyvis', 'pyshacl', 'pyoxigraph')\n"
            "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "[]"


def test_long_lists_are_shortened_in_text_tables_only():
    """Regression: `metrics chokepoints` printed thousands of dominated ids in one cell
    on a large graph; tables show 8 and say how many more, CSV and JSON keep all."""
    from alliances.render.formats import render

    rows = [{"entity": "x", "dominated": [f"n{i}" for i in range(20)]}]
    table = render(rows, ["entity", "dominated"], "table")
    assert "n7, ... (+12)" in table and "n8" not in table
    assert "n19" in render(rows, ["entity", "dominated"], "csv")
    assert "n19" in render(rows, ["entity", "dominated"], "json")


def test_validate_reaches_subclass_instances_without_inference(tmp_path):
    """validate runs pyshacl without RDFS inference (12.7 of 20 s went to owlrl): class
    targets must still reach an instance of a subclass (a Hyperscaler is an Entity)."""
    from alliances.catalog.validate import validate
    from alliances.store.memory import load

    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix al: <https://w3id.org/alliances/ontology#> .
@prefix e: <https://w3id.org/alliances/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
e:t-cloud a al:Hyperscaler ; rdfs:label "T Cloud" ; al:lei "not-an-lei" .
""", encoding="utf-8")
    report = validate(load([bad], shipped=False))
    assert not report.conforms
    assert any(v.focus == "t-cloud" and v.path == "lei" for v in report.violations)


def test_a_command_restores_the_collector(cli):
    """One-shot commands run with the cyclic collector off (large graphs); the caller's
    collector is on again afterwards, after an error too."""
    import gc

    assert cli("show", "nvidia").exit_code == 0
    assert gc.isenabled()
    assert cli("show", "no-such-entity").exit_code == 2
    assert gc.isenabled()


def test_serve_runs_with_the_collector_on(cli, monkeypatch):
    """Regression: the pause for one-shot commands asked click for the subcommand before
    click knew it, so `serve` (a long-running process) ran with the collector off."""
    import gc

    import alliances.store.serve as serve_module

    seen = []
    monkeypatch.setattr(serve_module, "serve_forever", lambda server: (seen.append(gc.isenabled()),
                                                                       server.server_close()))
    assert cli("serve", "--port", "0").exit_code == 0
    assert seen == [True]
