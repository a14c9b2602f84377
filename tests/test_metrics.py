"""Concentration, chokepoints, coopetition, integration and capex on tests/fixtures/risk-x.ttl."""

import json
from pathlib import Path

import networkx as nx
import pytest

from alliances.graph import metrics as m

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "risk-x.ttl"


def test_hhi_and_bands():
    assert m.hhi([1.0]) == 10000
    assert m.hhi([0.25] * 4) == pytest.approx(2500)
    assert m.band(999) == "unconcentrated"
    assert m.band(1000) == m.band(1800) == "moderate"
    assert m.band(1801) == "high"


def test_supplier_hhi(graph):
    rows = {(r["entity"], r["kind"]): r for r in m.supplier_hhi(graph)}
    # 0.5 stated, the other 0.5 the remainder: derived from the stated share
    assert rows[("t-r-cloud", "chips")]["hhi"] == pytest.approx(5000)
    assert rows[("t-r-cloud", "chips")]["basis"] == ["stated", "remainder"]
    assert rows[("t-r-cloud", "chips")]["coverage"] == pytest.approx(0.5)
    assert rows[("t-r-lab", "compute")]["hhi"] == pytest.approx(60 ** 2 + 40 ** 2)
    assert rows[("t-r-lab", "compute")]["top_supplier"] == "t-r-cloud"
    # one known supplier and no share: missing coverage, not a verified sole source
    # (was band "high", HHI 10,000)
    fab = rows[("t-r-chip", "foundry")]
    assert fab["band"] == "unknown" and fab["hhi"] is None and fab["coverage"] == 0
    assert fab["basis"] == ["even split"]


def test_single_supplier(graph):
    rows = {(r["entity"], r["kind"]): r["supplier"] for r in m.single_supplier(graph)}
    assert rows[("t-r-chip", "foundry")] == "t-r-fab"
    assert rows[("t-r-parent", "ownership")] == "t-r-sub"
    assert ("t-r-cloud", "chips") not in rows


def test_market_hhi(store):
    rows = m.market_hhi(store)
    assert len(rows) == 1
    row = rows[0]
    assert row["market"] == "ai-accelerators" and row["period"] == "2025"
    assert row["hhi"] == pytest.approx(80 ** 2 + 20 ** 2)
    assert row["band"] == "high" and row["firms"] == 2 and row["coverage"] == 100


def test_chokepoints(graph):
    result = m.chokepoints(graph)
    rows = {r["entity"]: r for r in result.rows}
    assert result.rows[0]["entity"] == "t-r-fab"
    # chip, chip2, cloud, model, app fully exposed; lab 0.3 (its capital from cloud does not
    # need chips: 0.6 / 2); t-r-sub hangs off t-r-parent (was 5.8, kind-blind)
    assert rows["t-r-fab"]["criticality"] == pytest.approx(5.3)
    assert rows["t-r-cloud"]["articulation"] and not rows["t-r-fab"]["articulation"]
    assert rows["t-r-fab"]["dominated"] == ["t-r-chip", "t-r-chip2", "t-r-cloud"]
    assert rows["t-r-cloud"]["dominated"] == ["t-r-model"]
    assert not result.sampled


def test_chokepoints_sampled_betweenness():
    g = nx.gnp_random_graph(60, 0.05, seed=1, directed=True)
    nx.set_edge_attributes(g, 0.2, "weight")
    result = m.chokepoints(g, sample_above=50, k=10)
    assert result.sampled and result.k == 10 and "sampled" in result.notes[0]


def test_coopetition(store):
    rows = m.coopetition(store)
    assert [(r["a"], r["b"], r["arena"], r["partnership"]) for r in rows] == [
        ("t-r-chip", "t-r-chip2", "ai-accelerators", "p-t-r-chips-jv")]


def test_integration(store):
    rows = {r["company"]: r for r in m.integration(store)}
    cloud = rows["t-r-cloud"]
    assert cloud["cloud"] == ["t-r-cloud"] and cloud["application"] == ["t-r-app"]
    assert cloud["orchestration"] == ["t-r-agents"] and cloud["layers"] == 3
    assert rows["t-r-lab"]["models"] == ["t-r-lab", "t-r-model"]
    assert m.integration(store)[0]["company"] == "t-r-cloud"


def test_capex_conflict_side_by_side(store):
    rows = m.capex(store)
    assert len(rows) == 1
    row = rows[0]
    assert row["conflict"] and row["observations"] == ["obs-t-r-cloud-capex-a", "obs-t-r-cloud-capex-b"]
    assert row["values"] == "10,000,000,000 [src-t-r] | 12,000,000,000 [src-t-r2]"


# ---------------------------------------------------------------- CLI

def metrics(cli, *args):
    return cli("--data", FIXTURE, "metrics", *args)


@pytest.mark.parametrize("which", ["concentration", "chokepoints", "coopetition", "integration", "capex"])
def test_cli_each_table_in_each_format(cli, which):
    for fmt in ("table", "json", "csv"):
        r = metrics(cli, which, "--format", fmt)
        assert r.exit_code == 0, r.stderr
        assert "t-r-" in r.stdout
        if fmt == "json":
            json.loads(r.stdout)


def test_cli_single_table_json_is_a_list(cli):
    body = json.loads(metrics(cli, "coopetition", "--format", "json").stdout)
    assert any(r["partnership"] == "p-t-r-chips-jv" for r in body)


def test_cli_all_sections(cli):
    r = metrics(cli, "--top", "3")
    assert r.exit_code == 0
    for name in ("supplier concentration", "market concentration", "single-supplier dependencies",
                 "chokepoints", "coopetition", "integration", "capex"):
        assert f"## {name}" in r.stdout
    body = json.loads(metrics(cli, "--format", "json").stdout)
    assert set(body) >= {"chokepoints", "capex", "integration"}
    assert "# capex" in metrics(cli, "--format", "csv").stdout


def test_cli_kind_as_of_and_errors(cli):
    body = json.loads(metrics(cli, "chokepoints", "--kind", "foundry", "--format", "json").stdout)
    assert {r["entity"] for r in body} >= {"t-r-fab"}
    assert "t-r-cloud" not in {r["entity"] for r in body}
    assert metrics(cli, "chokepoints", "--as-of", "2023", "--format", "json").exit_code == 0
    assert metrics(cli, "nonsense").exit_code == 2
    assert metrics(cli, "--kind", "bogus").exit_code == 2
