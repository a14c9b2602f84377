"""Exposure on textbook graphs (hand-computed), hypothesis properties, and the fixture."""

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliances.graph.exposure import exposure, solve

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "risk-x.ttl"


def graph(*edges):
    g = nx.DiGraph()
    for x, y, w, *kind in edges:
        g.add_edge(x, y, weight=w, kind=kind[0] if kind else "chips", estimated=False)
    return g


def test_chain():
    e = exposure(graph(("a", "b", 0.5), ("b", "c", 0.8)), "c")
    assert e.value("b") == pytest.approx(0.8)
    assert e.value("a") == pytest.approx(0.4)
    a = e.get("a")
    assert a.direct == 0 and a.indirect == pytest.approx(0.4)
    assert e.get("b").direct == pytest.approx(0.8)
    assert [x.id for x in e.entities] == ["b", "a"]
    assert a.paths[0].nodes == ["a", "b", "c"] and a.paths[0].weight == pytest.approx(0.4)


def test_diamond():
    g = graph(("a", "b", 0.5), ("a", "c", 0.5), ("b", "d", 1.0), ("c", "d", 0.4))
    e = exposure(g, "d")
    assert e.value("a") == pytest.approx(0.5 * 1.0 + 0.5 * 0.4)
    assert [p.nodes for p in e.get("a").paths] == [["a", "b", "d"], ["a", "c", "d"]]
    assert e.get("a").paths[1].weight == pytest.approx(0.2)


def test_cycle():
    g = graph(("a", "b", 0.5), ("a", "s", 0.5), ("b", "a", 0.5), ("b", "s", 0.25))
    e = exposure(g, "s")
    # x_a = 0.5 x_b + 0.5, x_b = 0.5 x_a + 0.25
    assert e.value("a") == pytest.approx(5 / 6)
    assert e.value("b") == pytest.approx(2 / 3)
    assert e.get("a").direct == pytest.approx(0.5)


def test_cycle_without_leak_is_fully_exposed():
    e = exposure(graph(("a", "b", 1.0), ("b", "a", 0.5), ("b", "s", 0.5)), "s")
    assert e.value("a") == pytest.approx(1.0) and e.value("b") == pytest.approx(1.0)


def test_disconnected_and_closed_cycle_are_zero():
    g = graph(("a", "s", 0.3), ("x", "y", 1.0), ("y", "x", 1.0))
    e = exposure(g, "s")
    assert e.value("x") == 0 and e.get("x") is None
    assert [x.id for x in e.entities] == ["a"]


def test_target_excluded_and_missing_target():
    e = exposure(graph(("a", "s", 0.3), ("s", "a", 0.2)), ["s", "nowhere"])
    assert e.get("s") is None
    assert e.missing == ["nowhere"]


def test_shock_scales_linearly():
    g = graph(("a", "b", 0.5), ("b", "c", 0.8))
    assert exposure(g, "c", shock=0.5).value("a") == pytest.approx(0.2)
    assert exposure(g, "c", shock=0).entities == []


def test_bad_shock():
    from alliances.errors import AlliancesError

    with pytest.raises(AlliancesError):
        exposure(graph(("a", "b", 0.5)), "b", shock=1.5)


def test_combined_shock():
    g = graph(("a", "s", 0.5), ("a", "t", 0.5))
    assert exposure(g, "s").value("a") == pytest.approx(0.5)
    assert exposure(g, ["s", "t"]).value("a") == pytest.approx(1.0)


def test_kinds_filter_on_plain_graph():
    g = graph(("a", "s", 0.5, "chips"), ("a", "b", 0.5, "capital"), ("b", "s", 1.0, "chips"))
    assert exposure(g, "s", kinds=["chips"]).value("a") == pytest.approx(0.5)


def test_coverage_follows_the_chains():
    """The row-level `estimated` flag became `coverage`: the part of the exposure that
    rests on stated shares alone. b's only share is unstated (its sole known supplier),
    so nothing of b's or a's exposure is covered; c's share is stated."""
    from alliances.graph.weights import assign_weights

    g = nx.DiGraph()
    g.add_edge("a", "b", stated={"chips": 0.5})
    g.add_edge("b", "s", stated={"chips": None})
    g.add_edge("c", "s", stated={"chips": 0.1})
    assign_weights(g)
    e = exposure(g, "s")
    assert e.value("a") == pytest.approx(0.5) and e.value("b") == pytest.approx(1.0)
    assert e.get("a").coverage == 0 and e.get("b").coverage == 0
    assert e.get("c").coverage == pytest.approx(1.0) and e.value("c") == pytest.approx(0.1)
    assert e.get("b").basis == ["even split"] and e.get("c").basis == ["stated"]


def test_large_system_iteration_matches_direct_solve():
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.linalg import spsolve

    rng = np.random.default_rng(1)
    n = 6000
    m = sp.random(n, n, density=3 / n, random_state=2, format="csr")
    m = sp.diags(0.9 / np.maximum(1.0, np.asarray(m.sum(axis=1)).ravel())) @ m
    b = rng.random(n) * 0.1
    coo = m.tocoo()
    assert np.allclose(solve(n, coo.row, coo.col, coo.data, b), spsolve((sp.identity(n) - m).tocsc(), b),
                       atol=1e-9)


@st.composite
def weighted_graphs(draw):
    n = draw(st.integers(2, 8))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.floats(0.01, 1.0)), max_size=20))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for x, y, w in pairs:
        if x != y:
            g.add_edge(x, y, weight=w, kind="chips", estimated=False)
    for node in g:  # rows substochastic
        total = sum(d["weight"] for _, _, d in g.out_edges(node, data=True))
        for _, _, d in g.out_edges(node, data=True):
            d["weight"] /= max(1.0, total)
    return g


def _values(g, target, shock=1.0):
    e = exposure(g, [target], shock=shock, paths=0)
    return {n: e.value(n) for n in g if n != target}


@settings(max_examples=80, deadline=None)
@given(weighted_graphs(), st.floats(0, 1))
def test_exposure_in_unit_interval_and_zero_without_path(g, shock):
    values = _values(g, 0, shock)
    ancestors = nx.ancestors(g, 0)
    for node, v in values.items():
        assert 0.0 <= v <= 1.0
        if node not in ancestors:
            assert v == 0.0


@settings(max_examples=60, deadline=None)
@given(weighted_graphs(), st.floats(0, 1), st.floats(0, 1))
def test_monotone_in_shock(g, f1, f2):
    lo, hi = sorted((f1, f2))
    a, b = _values(g, 0, lo), _values(g, 0, hi)
    assert all(a[n] <= b[n] + 1e-9 for n in a)


@settings(max_examples=60, deadline=None)
@given(weighted_graphs(), st.integers(1, 7), st.integers(0, 7), st.floats(0.01, 1.0))
def test_adding_an_edge_never_lowers_exposure(g, x, y, w):
    x, y = x % len(g), y % len(g)
    if x == y or g.has_edge(x, y):
        return
    room = 1.0 - sum(d["weight"] for _, _, d in g.out_edges(x, data=True))
    if room <= 1e-9:
        return
    before = _values(g, 0)
    g.add_edge(x, y, weight=min(w, room), kind="chips", estimated=False)
    after = _values(g, 0)
    assert all(before[n] <= after[n] + 1e-9 for n in before)


@settings(max_examples=40, deadline=None)
@given(weighted_graphs())
def test_solution_satisfies_the_balance_equation(g):
    values = _values(g, 0)
    values[0] = 1.0
    for node in g:
        if node == 0:
            continue
        expected = sum(d["weight"] * values[s] for _, s, d in g.out_edges(node, data=True))
        assert values[node] == pytest.approx(min(1.0, expected), abs=1e-9)


def test_fixture_exposure():
    from alliances.graph.dependency import dependency_graph
    from alliances.store.memory import load

    g = dependency_graph(load([FIXTURE], shipped=False))
    fab = exposure(g, "t-r-fab")
    assert fab.value("t-r-cloud") == pytest.approx(1.0)
    # Kind-aware: lab needs compute (0.6 from cloud, whose compute needs chips made by fab;
    # 0.4 from cloud2, which has no supplier) and capital from cloud, which needs nothing:
    # (0.6 * 1 + 0.4 * 0) / 2 + 0 / 2 = 0.3 (kind-blind, capital passed the loss on: 0.8)
    assert fab.value("t-r-lab") == pytest.approx(0.3)
    chip = exposure(g, "t-r-chip", shock=0.5)
    assert chip.value("t-r-cloud") == pytest.approx(0.25)
    assert chip.value("t-r-lab") == pytest.approx(0.5 * 0.6 * 0.25)  # 0.075 (was 0.2)
    assert chip.get("t-r-lab").kinds == ["compute"]
    text = chip.get("t-r-lab").paths[0].text()
    assert text == "Tee Lab -> Tee Cloud -> Tee Chip (compute/chips, 0.075)"
    # every share on both chains is stated: the figures rest on them entirely
    assert chip.get("t-r-cloud").coverage == pytest.approx(1.0)
    assert chip.get("t-r-lab").coverage == pytest.approx(1.0)
    layers = {r["name"]: r for r in chip.hits("layers")}
    assert layers["cloud"]["most_hit"] == "t-r-cloud"
    arenas = {r["name"] for r in chip.hits("arenas")}
    assert arenas == {"ai-compute"}
    assert exposure(g, "t-r-chip", kinds=["compute"]).entities == []
    assert exposure(g, "t-r-fab", kinds=["chips", "foundry"]).value("t-r-cloud") == pytest.approx(1.0)


# ---------------------------------------------------------------- CLI: alliances risk

def risk(cli, *args):
    return cli("--data", FIXTURE, "risk", *args)


def test_cli_table(cli):
    r = risk(cli, "t-r-chip")
    assert r.exit_code == 0
    assert "t-r-cloud" in r.stdout and "Tee Cloud -> Tee Chip (chips, 0.5)" in r.stdout
    assert "## layers hit" in r.stdout and "## arenas hit" in r.stdout
    assert "range" in r.stderr and "coverage" in r.stderr


def test_cli_json_and_label_resolution(cli):
    import json

    body = json.loads(risk(cli, "Tee Chip", "--format", "json").stdout)
    values = {e["entity"]: e for e in body["entities"]}
    assert body["targets"] == ["t-r-chip"]
    assert values["t-r-cloud"]["exposure"] == pytest.approx(0.5)
    assert values["t-r-cloud"]["coverage"] == pytest.approx(1.0)
    assert values["t-r-lab"]["exposure"] == pytest.approx(0.15)  # 0.6 * 0.5 / 2 (was 0.4)
    assert values["t-r-lab"]["direct"] == 0 and values["t-r-lab"]["indirect"] == pytest.approx(0.15)
    assert {x["name"] for x in body["layers"]} >= {"cloud", "models"}


def test_cli_csv_and_top(cli):
    r = risk(cli, "t-r-chip", "--format", "csv", "--top", "2")
    lines = r.stdout.strip().splitlines()
    assert lines[0] == "entity,exposure,low,high,direct,indirect,coverage,kinds,basis,top_path"
    assert len(lines) == 3


def test_cli_shock(cli):
    import json

    body = json.loads(risk(cli, "t-r-chip", "--shock", "0.5", "--format", "json").stdout)
    assert {e["entity"]: e["exposure"] for e in body["entities"]}["t-r-lab"] == pytest.approx(0.075)
    assert risk(cli, "t-r-chip", "--shock", "1.5").exit_code == 2


def test_cli_kind_and_as_of(cli):
    import json

    body = json.loads(risk(cli, "t-r-chip", "--kind", "compute", "--format", "json").stdout)
    assert body["entities"] == []
    body = json.loads(risk(cli, "t-r-chip", "--as-of", "2023", "--format", "json").stdout)
    assert {e["entity"]: e["exposure"] for e in body["entities"]} == {"t-r-lab": pytest.approx(1.0)}
    assert risk(cli, "t-r-chip", "--kind", "chipz").exit_code == 2
    assert risk(cli, "t-r-chip", "--as-of", "yesterday").exit_code == 2


def test_cli_combined_shock(cli):
    import json

    body = json.loads(risk(cli, "t-r-chip", "t-r-chip2", "--format", "json").stdout)
    values = {e["entity"]: e["exposure"] for e in body["entities"]}
    assert values["t-r-cloud"] == pytest.approx(1.0)
    assert "t-r-chip" not in values and "t-r-chip2" not in values


def test_cli_fail_above(cli):
    assert risk(cli, "t-r-chip", "--fail-above", "0.45").exit_code == 1
    assert risk(cli, "t-r-chip", "--fail-above", "0.6").exit_code == 0
    assert risk(cli, "t-r-chip", "--fail-above", "0.45", "--for", "TLab").exit_code == 0
    r = risk(cli, "t-r-chip", "--fail-above", "0.45", "--for", "t-r-cloud")
    assert r.exit_code == 1 and "t-r-cloud" in r.stderr
    assert risk(cli, "t-r-chip", "--for", "t-r-cloud").exit_code == 2


def test_cli_unknown_entity(cli):
    r = risk(cli, "t-r-chp")
    assert r.exit_code == 2 and "did you mean" in r.stderr


def test_golden_nvidia_on_shipped_data(cli, shipped_store):
    import json

    from alliances.graph.dependency import dependency_graph

    if not dependency_graph(shipped_store).has_node("nvidia") or not list(
            dependency_graph(shipped_store).predecessors("nvidia")):
        pytest.skip("shipped data: nobody depends on e:nvidia yet")
    body = json.loads(cli("risk", "nvidia", "--format", "json", "--top", "200").stdout)
    exposed = {e["entity"] for e in body["entities"]}
    assert {"openai", "microsoft", "meta"} <= exposed


def test_dense_sparse_and_iterative_solvers_agree(monkeypatch):
    """The three ways of solving (I - M) x = rhs give the same answer on one random
    substochastic system with cycles (regression guard for the dense path)."""
    import random

    import numpy as np

    from alliances.graph import exposure as risk

    rng = random.Random(7)
    n, rows, cols, vals = 60, [], [], []
    for i in range(n):
        targets = rng.sample(range(n), 3)
        weights = [rng.random() for _ in targets]
        scale = rng.uniform(0.3, 0.95) / sum(weights)  # every row sums below 1
        for j, w in zip(targets, weights):
            rows.append(i), cols.append(j), vals.append(w * scale)
    rhs = [rng.random() * 0.05 for _ in range(n)]
    dense = risk.solve(n, rows, cols, vals, rhs)
    monkeypatch.setattr(risk, "DENSE_LIMIT", 0)
    sparse = risk.solve(n, rows, cols, vals, rhs)
    monkeypatch.setattr(risk, "ITERATE_ABOVE", 0)
    iterative = risk.solve(n, rows, cols, vals, rhs)
    assert np.allclose(dense, sparse, atol=1e-12) and np.allclose(dense, iterative, atol=1e-10)
    assert dense.min() > 0


def _criticality_one_solve_per_node(g):
    # a shock on an organization is one on its parts too: Alphabet has no dependent, but
    # shocking it shocks Google
    return {v: sum(e.total for e in exposure(g, v, paths=0, bounds=False).entities) for v in g}


def test_criticality_on_textbook_graphs():
    from alliances.graph.exposure import criticality

    chain = nx.DiGraph()
    chain.add_edge("a", "b", weight=0.5)
    chain.add_edge("b", "s", weight=0.8)
    assert criticality(chain) == pytest.approx({"a": 0.0, "b": 0.5, "s": 1.2})
    # a closed pair (each needs only the other) and a consumer of it
    closed = nx.DiGraph()
    closed.add_edge("a", "b", weight=1.0)
    closed.add_edge("b", "a", weight=1.0)
    closed.add_edge("c", "a", weight=0.5)
    assert criticality(closed) == pytest.approx({"a": 1.5, "b": 1.5, "c": 0.0})
    # a leaking cycle: x <-> y at 0.5 each way, y also on s
    cycle = nx.DiGraph()
    cycle.add_weighted_edges_from([("x", "y", 0.5), ("y", "x", 0.5), ("y", "s", 0.5)])
    assert criticality(cycle) == pytest.approx(_criticality_one_solve_per_node(cycle))


def test_criticality_of_shipped_graph_equals_one_solve_per_node(shipped_store):
    from alliances.graph.dependency import dependency_graph
    from alliances.graph.exposure import criticality

    shipped = dependency_graph(shipped_store)
    assert max(criticality(shipped).values()) > 1  # TSMC, Nvidia... carry many
    assert criticality(shipped) == pytest.approx(_criticality_one_solve_per_node(shipped), abs=1e-9)


@given(weighted_graphs())
@settings(max_examples=60, deadline=None)
def test_criticality_equals_one_solve_per_node(g):
    from alliances.graph.exposure import criticality

    for x in g:  # rows sum to at most 1, as the dependency graph's do
        total = sum(d["weight"] for _, _, d in g.out_edges(x, data=True))
        for _, _, d in g.out_edges(x, data=True):
            d["weight"] = d["weight"] / total if total > 1 else d["weight"]
    assert criticality(g) == pytest.approx(_criticality_one_solve_per_node(g), abs=1e-9)


def test_criticality_of_a_large_component_without_the_dense_inverse():
    """Components above dense_limit use one sparse LU and unit-vector solves."""
    from alliances.graph.exposure import criticality

    g = nx.DiGraph()
    ring = [f"n{i}" for i in range(12)]
    for i, node in enumerate(ring):
        g.add_edge(node, ring[(i + 1) % 12], weight=0.6)
        g.add_edge(node, "s", weight=0.3)
    assert criticality(g, dense_limit=4) == pytest.approx(criticality(g), abs=1e-12)
