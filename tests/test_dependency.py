"""The dependency graph projected from a hand-made fixture (tests/fixtures/risk-x.ttl)."""


import pytest


def test_edges_kinds_and_weights(graph):
    # lab depends on compute and capital: each kind is half of its need
    assert graph.edges["t-r-lab", "t-r-cloud"]["shares"] == {"compute": 0.6, "capital": 1.0}
    assert graph.edges["t-r-lab", "t-r-cloud"]["weight"] == pytest.approx(0.8)
    assert graph.edges["t-r-lab", "t-r-cloud"]["kind"] == "capital+compute"
    assert graph.edges["t-r-lab", "t-r-cloud2"]["weight"] == pytest.approx(0.2)
    assert graph.edges["t-r-cloud", "t-r-chip"]["weight"] == pytest.approx(0.5)
    assert graph.edges["t-r-cloud", "t-r-chip2"]["weight"] == pytest.approx(0.5)
    assert graph.edges["t-r-chip", "t-r-fab"]["kind"] == "foundry"


def test_estimated_flags(graph):
    assert graph.edges["t-r-cloud", "t-r-chip"]["estimated"] is False
    assert graph.edges["t-r-cloud", "t-r-chip2"]["estimated"] is True
    assert graph.edges["t-r-lab", "t-r-cloud2"]["estimated"] is True


def test_rows_sum_to_at_most_one(graph):
    for node in graph:
        assert sum(d["weight"] for _, _, d in graph.out_edges(node, data=True)) <= 1 + 1e-9


def test_direct_dependencies_and_ownership(graph):
    assert graph.edges["t-r-app", "t-r-model"]["kind"] == "models"
    assert graph.edges["t-r-model", "t-r-cloud"]["kind"] == "compute"
    # Regression: ownership points from the parent to its subsidiary (SK hynix was shown
    # fully exposed to Nvidia because its parent buys GPUs).
    assert graph.edges["t-r-parent", "t-r-sub"]["kind"] == "ownership"
    assert not graph.has_edge("t-r-sub", "t-r-parent")


def test_peers_give_no_edge(graph):
    assert not graph.has_edge("t-r-chip", "t-r-chip2")
    assert not graph.has_edge("t-r-chip2", "t-r-chip")


def test_provenance_and_dates(graph):
    data = graph.edges["t-r-lab", "t-r-cloud"]
    assert data["partnerships"] == ["p-t-r-cloud-invests-lab", "p-t-r-lab-cloud"]
    assert data["sources"] == ["src-t-r", "src-t-r2"]
    assert data["announced"] == "2024-06-01"


def test_node_attributes(graph):
    node = graph.nodes["t-r-chip"]
    assert node["label"] == "Tee Chip" and node["cls"] == "ChipDesigner"
    assert node["layers"] == ["chips"] and node["arenas"] == ["ai-accelerators"]


def test_ended_partnership_left_out_by_default(graph):
    assert not graph.has_edge("t-r-lab", "t-r-chip")


def test_as_of(store):
    from alliances.graph.dependency import dependency_graph

    old = dependency_graph(store, as_of="2023-06-30")
    assert old.has_edge("t-r-lab", "t-r-chip")
    assert not old.has_edge("t-r-lab", "t-r-cloud2")
    mid = dependency_graph(store, as_of="2025-03-31")
    assert mid.has_edge("t-r-lab", "t-r-cloud") and not mid.has_edge("t-r-lab", "t-r-cloud2")
    assert mid.edges["t-r-lab", "t-r-cloud"]["shares"]["compute"] == pytest.approx(0.6)


def test_kinds_filter(store):
    from alliances.graph.dependency import dependency_graph

    g = dependency_graph(store, kinds=["compute"])
    assert {d["kind"] for _, _, d in g.edges(data=True)} == {"compute"}
    assert g.edges["t-r-lab", "t-r-cloud"]["weight"] == pytest.approx(0.6)
    assert g.edges["t-r-lab", "t-r-cloud2"]["weight"] == pytest.approx(0.4)


def test_stated_shares_above_one_are_scaled():
    import networkx as nx

    from alliances.graph.dependency import assign_weights

    g = nx.DiGraph()
    g.add_edge("a", "b", stated={"chips": 0.8})
    g.add_edge("a", "c", stated={"chips": 0.7})
    g.add_edge("a", "d", stated={"chips": None})
    assign_weights(g)
    assert g.edges["a", "b"]["weight"] + g.edges["a", "c"]["weight"] == pytest.approx(1.0)
    assert g.edges["a", "d"]["weight"] == 0.0 and g.edges["a", "d"]["estimated"]


def test_shipped_graph_builds(shipped_store):
    from alliances.graph.dependency import dependency_graph

    g = dependency_graph(shipped_store)
    assert g.number_of_edges() > 0


def test_cli_kinds_are_the_ontology_dependency_kinds(shipped_store):
    """The one list the CLI checks `--kind` against is the ontology's dep: scheme
    ("ownership" and "other" are kinds the projection adds: subsidiaryOf, dependsOn)."""
    from alliances.kinds import KINDS
    from alliances.vocab import local_id

    scheme = {local_id(r["k"]) for r in shipped_store.select(
        "SELECT ?k WHERE { ?k skos:inScheme al:DependencyKinds }")}
    assert scheme - set(KINDS) == set()
    assert set(KINDS) == scheme


def test_kind_option_is_comma_separated_and_repeatable_everywhere(cli, tmp_path):
    """Regression: `graph --kind chips,foundry` was refused while `risk` took it."""
    out = tmp_path / "k.html"
    assert cli("graph", "--kind", "chips,foundry", "--kind", "memory", "-o", out).exit_code == 0
    assert cli("risk", "tsmc", "--kind", "foundry", "--kind", "chips", "--top", "1").exit_code == 0
    bad = cli("graph", "--kind", "chip", "-o", out)
    assert bad.exit_code == 2 and "unknown kind 'chip'" in bad.stderr


def test_layer_lists_are_the_ontology_value_layers(shipped_store):
    """--layer and the integration table check against alliances.kinds; the ontology is the truth."""
    from alliances.kinds import LAYERS, LEAF_LAYERS
    from alliances.vocab import local_id

    rows = shipped_store.select("""SELECT ?l (COUNT(?narrower) AS ?n) WHERE {
        ?l skos:inScheme al:ValueLayers OPTIONAL { ?narrower skos:broader ?l } } GROUP BY ?l""")
    assert {local_id(r["l"]) for r in rows} == set(LAYERS)
    leaves = {local_id(r["l"]) for r in rows if int(r["n"]) == 0}
    assert leaves == set(LEAF_LAYERS)


def test_a_segment_figure_shows_the_edge_but_not_its_share(shipped_store):
    """Regression: TSMC's CoWoS capacity shares (Nvidia 60%, Broadcom 15%: one segment)
    were read as shares of TSMC's whole foundry sales, and once averaged with the
    whole-company 22%. Only whole-company figures give a share; a segment figure still
    shows the dependency and is cited on its edge."""
    from alliances.graph.dependency import dependency_graph

    g = dependency_graph(shipped_store)
    nvidia = g.edges["nvidia", "tsmc"]
    assert nvidia["customer_stated"] == {"foundry": 0.22}
    assert "obs-tsmc-cowos-share-nvidia-2026" in nvidia["observations"]
    broadcom = g.edges["broadcom", "tsmc"]
    assert broadcom["customer_stated"] == {}
    assert broadcom["observations"] == ["obs-tsmc-cowos-share-broadcom-2026"]
