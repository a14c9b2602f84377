"""`alliances export`: every format opened with a real reader (rdflib, networkx, json, csv),
counts and attributes checked against the store and the hand-made graph of risk-x.ttl."""

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from alliances.errors import AlliancesError
from alliances.render import export as ex

FIXTURES = Path(__file__).resolve().parent / "fixtures"

AL = rdflib.Namespace("https://w3id.org/alliances/ontology#")
E = rdflib.Namespace("https://w3id.org/alliances/id/")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_rdf_formats_read_back_every_triple(shipped_store, fmt):
    data = ex.export(shipped_store, fmt)
    graph = rdflib.Graph().parse(data=data, format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert len(graph) == shipped_store.triple_count()
    assert (E["nvidia"], rdflib.RDF.type, AL["ChipDesigner"]) in graph
    if fmt == "jsonld":
        context = json.loads(data)["@context"]
        assert context["al"] == str(AL) and context["e"] == str(E)
        assert context["dcterms"] == "http://purl.org/dc/terms/" and context["schema"] == "https://schema.org/"
        assert {"kind", "dep", "metric"} <= set(context)


def test_trig_keeps_one_named_graph_per_loaded_file(shipped_store):
    dataset = rdflib.Dataset()
    dataset.parse(data=ex.export(shipped_store, "trig"), format="trig")
    named = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    files = shipped_store.files()
    assert sorted(named) == sorted(ex.graph_name_for(p.resolve().as_uri()) for p in files)
    entities = named["https://w3id.org/alliances/graph/data/entities.ttl"]
    assert (E["nvidia"], rdflib.RDF.type, AL["ChipDesigner"]) in entities
    ontology = named["https://w3id.org/alliances/graph/ontology/alliances.ttl"]
    assert (E["nvidia"], None, None) not in ontology
    # every triple kept, in the graph of each file that states it
    union = {t for g in named.values() for t in g}
    assert len(union) == shipped_store.triple_count()
    assert sum(len(g) for g in named.values()) >= len(union)


def test_trig_of_one_file_and_user_files_keep_their_file_iri(mini_store):
    dataset = rdflib.Dataset()
    dataset.parse(data=ex.export(mini_store, "trig", graph_name="mini.ttl"), format="trig")
    named = [g for g in dataset.graphs() if len(g)]
    assert [str(g.identifier) for g in named] == [(FIXTURES / "mini.ttl").resolve().as_uri()]
    assert (E["t-chipco"], rdflib.RDFS.label, rdflib.Literal("Tee ChipCo")) in named[0]


def test_trig_on_oxigraph_says_why_it_cannot(tmp_path):
    pytest.importorskip("pyoxigraph")
    from alliances.store.oxigraph import OxigraphStore, load_oxigraph
    from alliances.store.paths import ontology_path

    load_oxigraph(tmp_path / "ox", [ontology_path(), FIXTURES / "mini.ttl"], report=None)
    store = OxigraphStore.open(tmp_path / "ox")
    with pytest.raises(AlliancesError, match="keeps no named graph per file"):
        ex.export(store, "trig")
    # the other RDF formats work on it
    assert len(rdflib.Graph().parse(data=ex.export(store, "jsonld"), format="json-ld")) == len(store)


def _check_lab_cloud(attrs):
    """The edge t-r-lab -> t-r-cloud of risk-x.ttl, flattened (values checked by hand:
    compute 0.6 stated, capital 1.0 estimated as the only investor, weight (0.6+1)/2)."""
    assert attrs["kind"] == "capital+compute"
    assert attrs["weight"] == pytest.approx(0.8)
    assert attrs["share_compute"] == pytest.approx(0.6) and attrs["share_capital"] == pytest.approx(1.0)
    assert attrs["stated_share_compute"] == pytest.approx(0.6) and "stated_share_capital" not in attrs
    assert attrs["estimated"] is True and attrs["basis"] == "estimated"
    assert attrs["estimated_kinds"] == "capital"
    assert attrs["partnerships"].split(";") == ["p-t-r-cloud-invests-lab", "p-t-r-lab-cloud"]
    assert attrs["sources"].split(";") == ["src-t-r", "src-t-r2"]
    assert attrs["announced"] == "2024-06-01"


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_in_networkx(store, graph, fmt, reader):
    back = reader(io.BytesIO(ex.export(store, fmt)))
    assert back.is_directed()
    assert back.number_of_nodes() == graph.number_of_nodes() == 10
    assert back.number_of_edges() == graph.number_of_edges() == 9
    _check_lab_cloud(back.edges["t-r-lab", "t-r-cloud"])
    stated = back.edges["t-r-cloud", "t-r-chip"]
    assert stated["basis"] == "derived" and stated["estimated"] is False
    assert stated["share_chips"] == pytest.approx(0.5)
    node = back.nodes["t-r-lab"]
    assert node["label"] == "Tee Lab" and node["cls"] == "ModelLab" and node["layers"] == "models"


def test_graph_formats_of_the_shipped_data_match_the_dependency_graph(shipped_store):
    from alliances.graph.dependency import dependency_graph

    graph = dependency_graph(shipped_store)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = reader(io.BytesIO(ex.export(shipped_store, fmt)))
        assert (back.number_of_nodes(), back.number_of_edges()) == \
            (graph.number_of_nodes(), graph.number_of_edges()), fmt
        for x, y, data in graph.edges(data=True):
            assert back.edges[x, y]["weight"] == pytest.approx(data["weight"])
            assert back.edges[x, y]["kind"] == data["kind"]


def test_cytoscape_json(store, graph):
    doc = json.loads(ex.export(store, "cytoscape"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert len(nodes) == 10 and len(edges) == 9
    by_id = {e["data"]["id"]: e["data"] for e in edges}
    edge = by_id["t-r-lab->t-r-cloud"]
    assert (edge["source"], edge["target"]) == ("t-r-lab", "t-r-cloud")
    _check_lab_cloud(edge)
    assert {n["data"]["id"] for n in nodes} == set(graph)


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_tables(store):
    nodes = _csv(ex.export(store, "csv", table_name="nodes").decode())
    edges = _csv(ex.export(store, "csv", table_name="edges").decode())
    assert len(nodes) == 10 and len(edges) == 9
    row = next(r for r in edges if (r["source"], r["target"]) == ("t-r-lab", "t-r-cloud"))
    assert float(row["weight"]) == pytest.approx(0.8) and float(row["share_compute"]) == pytest.approx(0.6)
    assert row["sources"] == "src-t-r;src-t-r2" and row["share_chips"] == ""
    parts = _csv(ex.export(store, "csv", table_name="partnerships").decode())
    assert len(parts) == 9
    lab = next(r for r in parts if r["id"] == "p-t-r-lab-cloud")
    assert (lab["kind"], lab["parties"], lab["announced"]) == \
        ("cloud-compute", "consumer: t-r-lab; provider: t-r-cloud", "2025-03-01")
    assert float(lab["share"]) == pytest.approx(0.6) and lab["sources"] == "src-t-r"
    obs = _csv(ex.export(store, "csv", table_name="observations").decode())
    assert sorted(r["id"] for r in obs) == ["obs-t-r-chip-share", "obs-t-r-chip2-share",
                                            "obs-t-r-cloud-capex-a", "obs-t-r-cloud-capex-b"]
    sources = _csv(ex.export(store, "csv", table_name="sources").decode())
    assert [(r["id"], r["publisher"], r["date"]) for r in sources] == \
        [("src-t-r", "Test", "2025-01-01"), ("src-t-r2", "Test 2", "2025-02-01")]


def test_as_of_applies_to_graph_formats(store):
    # on 2025-01-31: Cloud buys Chip (2025-01-15) holds, Cloud buys Chip Two (2025-02-15) not yet
    back = nx.read_graphml(io.BytesIO(ex.export(store, "graphml", as_of="2025-01-31")))
    assert back.has_edge("t-r-cloud", "t-r-chip") and not back.has_edge("t-r-cloud", "t-r-chip2")
    assert back.edges["t-r-cloud", "t-r-chip"]["share_chips"] == pytest.approx(0.5)


def test_cli_writes_the_csv_folder_and_files(cli, tmp_path):
    result = cli("--data", FIXTURES / "risk-x.ttl", "export", "--format", "csv", "-o", tmp_path / "tables")
    assert result.exit_code == 0, result.stderr
    assert "nodes.csv" in result.stderr and "edges.csv" in result.stderr
    edges = _csv((tmp_path / "tables" / "edges.csv").read_text())
    nodes = _csv((tmp_path / "tables" / "nodes.csv").read_text())
    row = next(r for r in edges if (r["source"], r["target"]) == ("t-r-lab", "t-r-cloud"))
    assert row["kind"] == "capital+compute" and row["basis"] == "estimated"
    assert {"t-r-lab", "nvidia"} <= {r["id"] for r in nodes}
    result = cli("--data", FIXTURES / "risk-x.ttl", "export", "--format", "gexf", "-o", tmp_path / "g.gexf")
    assert result.exit_code == 0 and "wrote" in result.stderr
    _check_lab_cloud(nx.read_gexf(tmp_path / "g.gexf").edges["t-r-lab", "t-r-cloud"])
    assert not list(tmp_path.glob(".g.gexf.*"))  # no temporary file left behind
    result = cli("export", "--format", "csv", "--table", "sources")
    assert result.exit_code == 0 and result.stdout.startswith("id,title,publisher,date,url\n")


@pytest.mark.parametrize("args,message", [
    (["--format", "csv"], "give -o DIR"),
    (["--format", "gexf", "--table", "nodes"], "--table: only with --format csv"),
    (["--format", "graphml", "--graph", "entities.ttl"], "--graph (one loaded file) goes with"),
    (["--format", "turtle", "--as-of", "2025"], "--as-of: not with --format turtle"),
    (["--format", "nt", "--projection", "money"], "--projection: not with --format nt"),
    (["--format", "gexf", "--as-of", "2025-13"], "--as-of: '2025-13' is not a date"),
    (["--format", "trig", "--graph", "nope.ttl"], "--graph: no loaded file named 'nope.ttl'"),
])
def test_cli_refuses_bad_combinations_in_one_line(cli, args, message):
    result = cli("export", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_money_projection_waits_for_the_money_graph(cli):
    import importlib.util

    result = cli("export", "--format", "graphml", "--projection", "money")
    if importlib.util.find_spec("alliances.graph.money") is None:
        assert result.exit_code == 2
        assert result.stderr == "error: --projection money: the money graph is not in this version" \
                                " (graph/money.py)\n"
    else:  # the money graph has landed: it exports like the dependency graph
        assert result.exit_code == 0
        assert nx.read_graphml(io.BytesIO(result.stdout_bytes)).number_of_nodes() > 0


def test_flat_attrs_never_leaves_a_list_dict_or_none():
    flat = ex.flat_attrs({"a": [1, 2], "b": {"x": 1, "y": None}, "c": None, "d": (True,), "e": 3})
    assert flat == {"a": "1.0;2.0", "b_x": 1.0, "d": "True", "e": 3.0}


def test_csv_folder_can_be_written_again(cli, tmp_path):
    """Regression: the check that -o is a regular file refused the folder csv writes into."""
    folder = tmp_path / "tables"
    for _ in range(2):
        result = cli("export", "--format", "csv", "-o", folder)
        assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]
