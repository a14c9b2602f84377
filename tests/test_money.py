"""The money graph, `alliances money` and `alliances graph --money`.

tests/fixtures/money.ttl is a hand-made world (ids t-m-*) whose cycles and circulating
amounts are worked out by hand in its header comment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from alliances.graph.money import (
    circular_deals,
    entity_money,
    group_roots,
    largest_flows,
    money_graph,
    money_rules,
    parse_money_kinds,
)

MONEY = Path(__file__).resolve().parent / "fixtures" / "money.ttl"
B = 1e9
# (entities in order, circulating) by hand: see the fixture's header
EXPECTED = [
    (["t-m-chipco", "t-m-lab"], 30 * B),
    (["t-m-chipco", "t-m-lab", "t-m-neo"], 5 * B),
    (["t-m-chipco", "t-m-neo"], 1 * B),
    (["t-m-lab", "t-m-mem"], None),
]
EXPECTED_GROUPED = EXPECTED[:2] + [(["t-m-cloud", "t-m-lab"], 4 * B)] + EXPECTED[2:]


@pytest.fixture(scope="module")
def money_store():
    from alliances.store.memory import load

    return load([MONEY], shipped=False)


@pytest.fixture(scope="module")
def g(money_store):
    return money_graph(money_store)


def summary(cycles):
    return [(c.entities, c.circulating) for c in cycles]


def test_rules_are_read_from_the_ontology(money_store):
    rules = money_rules(money_store)
    al = "https://w3id.org/alliances/ontology#"
    assert rules["investment"].payers == {al + "investor"} and rules["investment"].payees == {al + "investee"}
    assert rules["chip-supply"].payers == {al + "consumer"} and rules["chip-supply"].flow == "purchase"
    assert rules["licensing"].payers == {al + "licensee"} and rules["licensing"].payees == {al + "licensor"}
    assert rules["model-hosting"].payers == {al + "hosted"}
    # guarantor (provider) -> beneficiary (consumer); warrants: issuer (investee) -> receiver (investor)
    backstop = rules["capacity-backstop"]
    assert backstop.payers == {al + "provider"} and backstop.flow == "investment"
    assert rules["warrant"].payers == {al + "investee"} and rules["warrant"].payees == {al + "investor"}
    assert "joint-venture" not in rules and "regulatory-review" not in rules


def test_a_kind_of_your_own_gets_its_direction_from_data(tmp_path):
    from alliances.store.memory import load

    extra = tmp_path / "royalty.ttl"
    extra.write_text("""
@prefix al: <https://w3id.org/alliances/ontology#> . @prefix e: <https://w3id.org/alliances/id/> .
@prefix kind: <https://w3id.org/alliances/kind/> . @prefix flow: <https://w3id.org/alliances/flow/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kind:t-royalty a skos:Concept ; skos:inScheme al:PartnershipKinds ;
    al:moneyFrom al:licensee ; al:moneyTo al:licensor ; al:flowType flow:purchase .
e:p-t-m-royalty al:kind kind:t-royalty ; al:licensee e:t-m-neo ; al:licensor e:t-m-lab ;
    al:amount 7.0 ; al:currency "USD" .
""")
    graph = money_graph(load([MONEY, extra], shipped=False))
    assert graph.edges["t-m-neo", "t-m-lab", "p-t-m-royalty"]["flow"] == "purchase"
    assert graph.edges["t-m-neo", "t-m-lab", "p-t-m-royalty"]["usd"] == 7.0


def test_one_edge_per_flow(g):
    assert isinstance(g, nx.MultiDiGraph)
    assert sorted(g["t-m-lab"]["t-m-chipco"]) == ["p-t-m-lab-chipco-gpus-1", "p-t-m-lab-chipco-gpus-2"]
    assert list(g["t-m-chipco"]["t-m-lab"]) == ["p-t-m-chipco-lab-investment"]
    edge = g.edges["t-m-lab", "t-m-chipco", "p-t-m-lab-chipco-gpus-1"]
    assert (edge["kind"], edge["flow"], edge["amount"], edge["currency"], edge["date"], edge["status"],
            edge["sources"]) == ("chip-supply", "purchase", 30 * B, "USD", "2025-10-01", "active",
                                 ["src-t-m-wire"])


def test_up_to_amounts_are_used_and_said(g):
    edge = g.edges["t-m-chipco", "t-m-lab", "p-t-m-chipco-lab-investment"]
    assert edge["amount"] is None and edge["amount_max"] == 100 * B
    assert edge["value"] == 100 * B and edge["up_to"] and edge["amount_text"] == "up to $100 billion"
    first = circular_deals(g)[0]
    assert first.up_to and "p-t-m-chipco-lab-investment" in first.counted


def test_two_loop_and_three_loop_with_hand_computed_amounts(g):
    assert summary(circular_deals(g)) == EXPECTED
    two = circular_deals(g)[0]
    # per hop the largest flow of the type picked: 30e9 of the two purchases, not 30 + 10
    assert sorted(two.counted) == ["p-t-m-chipco-lab-investment", "p-t-m-lab-chipco-gpus-1"]
    three = circular_deals(g)[1]
    assert [(u, v) for u, v, _ in three.hops] == [("t-m-chipco", "t-m-lab"), ("t-m-lab", "t-m-neo"),
                                                  ("t-m-neo", "t-m-chipco")]


def test_a_purchase_only_cycle_is_not_a_circular_deal(g):
    simple = nx.DiGraph(g)
    assert ["t-m-chipco", "t-m-fab"] in [sorted(c) for c in nx.simple_cycles(simple, length_bound=4)]
    assert not [c for c in circular_deals(g) if "t-m-fab" in c.entities]


def test_unknown_amounts_rank_last_and_name_the_flow(g):
    cycles = circular_deals(g)
    last = cycles[-1]
    assert last.entities == ["t-m-lab", "t-m-mem"] and last.circulating is None
    assert last.missing == [{"from": "t-m-mem", "to": "t-m-lab", "kind": "investment", "type": "investment",
                             "partnership": "p-t-m-mem-lab-investment", "why": "no amount stated"}]
    assert all(c.circulating is not None for c in cycles[:-1])


def test_group_merges_subsidiaries(money_store, g):
    assert group_roots(money_store) == {"t-m-cloudsub": "t-m-cloud"}
    assert "t-m-cloud" not in [n for c in circular_deals(g) for n in c.entities]
    grouped = money_graph(money_store, group=True)
    assert "t-m-cloudsub" not in grouped and grouped.nodes["t-m-cloud"]["members"] == ["t-m-cloudsub"]
    assert summary(circular_deals(grouped)) == EXPECTED_GROUPED
    assert not list(nx.selfloop_edges(grouped))


def test_shared_rounds_never_credit_one_investor(g):
    shared = g.edges["t-m-chipco", "t-m-neo", "p-t-m-neo-round"]
    assert shared["amount"] is None and shared["deal_total"] == 3 * B and shared["shared"] == 2
    assert g.edges["t-m-evil", "t-m-neo", "p-t-m-neo-round"]["value"] is None
    total = g.edges["t-m-eu", "t-m-neo", "p-t-m-neo-series-b"]  # al:amountScope "round-total"
    assert total["value"] is None and total["deal_total"] == 2 * B


def test_cancelled_deals_and_products(g):
    assert not g.has_edge("t-m-neo", "t-m-fab")
    hosting = g.edges["t-m-lab", "t-m-cloudsub", "p-t-m-platform-model-hosting"]
    assert hosting["via"] == {"t-m-model": "t-m-lab", "t-m-platform": "t-m-cloudsub"}


def test_other_currencies_convert_only_with_a_sourced_rate_of_the_date(g):
    converted = g.edges["t-m-eu", "t-m-lab", "p-t-m-eu-lab-investment"]
    assert converted["currency"] == "EUR" and converted["value"] == 1 * B
    assert converted["usd"] == pytest.approx(1.17 * B)
    assert converted["rate"]["id"] == "obs-t-m-eurusd-2025-09-09"
    assert converted["rate"]["sources"] == ["src-t-m-fx"]
    kept = g.edges["t-m-eu", "t-m-neo", "p-t-m-eu-neo-investment"]
    assert kept["usd"] is None and kept["value"] == 0.5 * B and "no sourced exchange rate" in kept["unknown"]


def test_as_of_and_kinds(money_store):
    later = money_graph(money_store, as_of="2025-10-15")
    assert not later.has_edge("t-m-lab", "t-m-chipco", "p-t-m-lab-chipco-gpus-2")
    assert summary(circular_deals(later))[0] == (["t-m-chipco", "t-m-lab"], 30 * B)
    before = money_graph(money_store, as_of="2025-09-01")
    assert ["t-m-chipco", "t-m-lab"] not in [c.entities for c in circular_deals(before)]
    chips = money_graph(money_store, kinds=parse_money_kinds(money_store, ["investment,chip-supply"]))
    assert summary(circular_deals(chips)) == [(["t-m-chipco", "t-m-lab"], 30 * B),
                                              (["t-m-chipco", "t-m-neo"], 1 * B)]


def test_entity_money_totals(g):
    report = entity_money(g, "t-m-lab")
    totals = {(t["direction"], t["currency"]): t for t in report["totals"]}
    assert totals[("out", "USD")]["amount"] == 63 * B  # 30 + 10 + 12 + 8 + 3
    assert totals[("in", "USD")]["amount"] == 104 * B + 1e6  # up to 100 + 4 + 0.001
    assert totals[("in", "USD")]["up_to"] == 1
    assert totals[("in", "EUR")]["amount"] == 1 * B
    assert totals[("in", "USD incl. converted")]["amount"] == pytest.approx(105.17 * B + 1e6)
    assert totals[("in", None)]["without_amount"] == 1  # mem's investment: counted, not guessed
    chipco = [r for r in report["out"] if r["counterparty"] == "t-m-chipco"]
    assert chipco[0]["flows"] == 2 and chipco[0]["amount"] == 40 * B and chipco[0]["basis"] == "sum of stated"
    assert largest_flows(g)[0]["partnership"] == "p-t-m-chipco-lab-investment"


def test_same_cycles_on_oxigraph(tmp_path, money_store, g):
    pytest.importorskip("pyoxigraph")
    from alliances.store.oxigraph import OxigraphStore, load_oxigraph
    from alliances.store.paths import ontology_path

    load_oxigraph(tmp_path / "ox", [ontology_path(), MONEY], report=None)
    ox = OxigraphStore.open(tmp_path / "ox")
    for group in (False, True):
        mem, oxi = money_graph(money_store, group=group), money_graph(ox, group=group)
        assert sorted(oxi.edges(keys=True, data=True)) == sorted(mem.edges(keys=True, data=True))
        assert [c.as_dict() for c in circular_deals(oxi)] == [c.as_dict() for c in circular_deals(mem)]
    assert summary(circular_deals(money_graph(ox))) == EXPECTED


# -------------------------------------------------------------------- CLI --

def test_cli_cycles_json_shape(cli):
    result = cli("--data", MONEY, "money", "t-m-chipco", "--cycles", "--format", "json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert list(body) == ["cycles"]
    assert [(c["entities"], c["circulating"]) for c in body["cycles"]] == EXPECTED[:3]
    for cycle in body["cycles"]:
        for edge in cycle["edges"]:
            assert {"from", "to", "kind", "amount", "currency", "date", "partnership", "sources"} <= set(edge)
    first = body["cycles"][0]["edges"]
    assert [(e["from"], e["to"], e["partnership"], e["amount"], e["counted"]) for e in first] == [
        ("t-m-chipco", "t-m-lab", "p-t-m-chipco-lab-investment", 100 * B, True),
        ("t-m-lab", "t-m-chipco", "p-t-m-lab-chipco-gpus-1", 30 * B, True),
        ("t-m-lab", "t-m-chipco", "p-t-m-lab-chipco-gpus-2", 10 * B, False)]
    assert first[0]["up_to"] is True and first[0]["sources"] == ["src-t-m-wire"]


def test_cli_cycles_table_and_csv(cli):
    table = cli("--data", MONEY, "money", "t-m-lab", "--cycles")
    assert table.exit_code == 0
    assert "Em ChipCo -> Em Lab -> Em ChipCo" in table.stdout and "30,000,000,000" in table.stdout
    assert "p-t-m-mem-lab-investment" in table.stdout
    assert "circular deals (" in table.stderr
    csv = cli("--data", MONEY, "money", "t-m-lab", "--cycles", "--format", "csv", "--top", "1")
    lines = csv.stdout.splitlines()
    assert lines[0].startswith("rank,circulating,from,to,kind")
    assert len(lines) == 4 and all(line.startswith("1,30000000000,") for line in lines[1:])


def test_cli_group(cli):
    result = cli("--data", MONEY, "money", "t-m-cloudsub", "--group", "--cycles", "--format", "json")
    assert result.exit_code == 0
    assert "t-m-cloudsub counts as t-m-cloud (--group)" in result.stderr
    assert [(c["entities"], c["circulating"]) for c in json.loads(result.stdout)["cycles"]] == \
        [(["t-m-cloud", "t-m-lab"], 4 * B)]
    assert json.loads(cli("--data", MONEY, "money", "t-m-cloudsub", "--cycles", "--format", "json")
                      .stdout)["cycles"] == []


def test_cli_entity_and_largest_flows(cli):
    result = cli("--data", MONEY, "money", "Em Lab")
    assert result.exit_code == 0
    assert result.stdout.startswith("money of Em Lab (t-m-lab)")
    for section in ("## money out (", "## money in (", "## totals"):
        assert section in result.stdout
    body = json.loads(cli("--data", MONEY, "money", "t-m-lab", "--format", "json").stdout)
    assert {"entity", "out", "in", "totals", "flows"} <= set(body)
    flows = json.loads(cli("--data", MONEY, "money", "--format", "json", "--top", "3").stdout)
    assert len(flows["flows"]) == 3 and flows["flows"][0]["amount"] >= flows["flows"][1]["amount"]


@pytest.mark.parametrize("args, message", [
    (["--kind", "investmnt"],
     "error: --kind: unknown partnership kind 'investmnt'; did you mean 'investment'?"),
    (["--kind", "joint-venture"], "error: --kind: 'joint-venture' moves no money"),
    (["nvidai"], "error: no entity 'nvidai'; did you mean 'nvidia'?"),
    (["--as-of", "soon"], "error: --as-of: 'soon' is not a date"),
])
def test_cli_bad_input(cli, args, message):
    result = cli("money", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


# ------------------------------------------------------------ shipped data --

@pytest.fixture(scope="module")
def shipped_cycles(shipped_store):
    return {group: circular_deals(money_graph(shipped_store, group=group)) for group in (False, True)}


@pytest.mark.parametrize("pair, group", [
    ({"nvidia", "openai"}, False),
    ({"microsoft", "openai"}, False),
    ({"microsoft", "anthropic"}, False),
    ({"amazon", "anthropic"}, True),     # Anthropic buys from AWS, Amazon invests
    ({"alphabet", "anthropic"}, True),   # Anthropic buys from Google Cloud, Google invests
])
def test_shipped_data_has_the_loops_of_the_issue(shipped_cycles, pair, group):
    found = [c for c in shipped_cycles[group] if set(c.entities) == pair]
    assert found, f"no circular deal between {sorted(pair)}"
    kinds = {f["type"] for _, _, fs in found[0].hops for f in fs}
    assert kinds >= {"investment", "purchase"}


def test_shipped_microsoft_openai_amount(shipped_cycles):
    loop = next(c for c in shipped_cycles[False] if set(c.entities) == {"microsoft", "openai"})
    assert loop.circulating is not None and loop.circulating >= 10 * B  # at least the 2023 investment


def test_shipped_nvidia_coreweave_loop(shipped_store, shipped_cycles):
    graph = money_graph(shipped_store)
    if not graph.has_edge("coreweave", "nvidia"):
        pytest.skip("the data holds no CoreWeave -> Nvidia purchase yet (neocloud GPU purchases)")
    assert [c for c in shipped_cycles[False] if set(c.entities) == {"coreweave", "nvidia"}]


# ------------------------------------------------------------------- HTML --

def payload(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>',
                                page, re.S).group(1))


def test_money_map(cli, tmp_path):
    out = tmp_path / "money.html"
    result = cli("--data", MONEY, "graph", "--money", "--focus", "t-m-lab", "--depth", "1", "-o", out,
                 "--title", "<b>money</b>")
    assert result.exit_code == 0, result.stderr
    assert re.match(r"wrote .*money\.html \(\d+ entities, \d+ money flows, \d+ circular deals marked, "
                    r"\d+ KB\)", result.stderr)
    page = out.read_text()
    data = payload(page)
    edges = {e["id"]: e for e in data["edges"]}
    inv = edges["t-m-chipco->t-m-lab:investment"]
    assert inv["mark"] and inv["color"] != edges["t-m-lab->t-m-chipco:purchase"]["color"]
    assert edges["t-m-lab->t-m-chipco:purchase"]["width"] > edges["t-m-lab->t-m-mem:purchase"]["width"]
    assert edges["t-m-mem->t-m-lab:investment"]["dashes"]  # amount unknown
    assert not inv["dashes"] and "t-m-fab" not in {n["id"] for n in data["nodes"]}  # 2 hops away
    assert data["focus"] == "t-m-lab" and data["cycles"][0]["label"] == "1. Em ChipCo -> Em Lab -> Em ChipCo"
    assert {k["name"] for k in data["kinds"]} == {"investment", "purchase"}
    # labels travel as data and are escaped: nothing of them is HTML in the page
    assert any(n["label"] == "<img src=x onerror=alert(1)>" for n in data["nodes"])
    assert "<img" not in page and "<b>money</b>" not in page and "&lt;b&gt;money&lt;/b&gt;" in page


def test_money_map_options(cli, tmp_path):
    result = cli("graph", "--group", "-o", tmp_path / "x.html")
    assert result.exit_code == 2 and "error: --group works with --money" in result.stderr
    result = cli("graph", "--money", "--layer", "chips", "-o", tmp_path / "x.html")
    assert result.exit_code == 2 and "--layer does not apply to --money" in result.stderr
    result = cli("graph", "--money", "--kind", "chipz", "-o", tmp_path / "x.html")
    assert result.exit_code == 2 and "unknown partnership kind 'chipz'" in result.stderr
    # a dependency kind stands for its partnership kinds (chip-supply, custom-silicon)
    assert cli("graph", "--money", "--kind", "chips", "-o", tmp_path / "x.html").exit_code == 0
    assert (tmp_path / "x.html").exists()


def test_a_negative_amount_is_skipped_with_a_warning(cli, tmp_path):
    """Regression: `al:amount -1e300` became a flow running backwards (and validate did not
    object); it is now skipped and reported once, and the shapes refuse it."""
    mini = Path(__file__).resolve().parent / "fixtures" / "mini.ttl"
    neg = tmp_path / "neg.ttl"
    neg.write_text(mini.read_text(encoding="utf-8").split("\ne:", 1)[0] + """
e:p-t-neg a al:Partnership ; rdfs:label "neg" ; al:kind kind:chip-supply ;
    al:consumer e:t-labco ; al:provider e:t-chipco ; al:amount -1e300 ; al:source e:src-t-wire .
""", encoding="utf-8")
    result = cli("--data", mini, "--data", neg, "money", "--format", "json")
    assert result.exit_code == 0
    flows = json.loads(result.stdout)["flows"]
    assert all(f["partnership"] != "p-t-neg" or f["amount"] is None for f in flows)
    assert "p-t-neg al:amount" in result.stderr and ">= 0" in result.stderr
    checked = cli("--data", mini, "--data", neg, "validate")
    assert checked.exit_code == 1 and "non-negative" in checked.stdout
