"""Portfolio look-through exposure on tests/fixtures/risk-x.ttl, hand-computed."""

import json
from pathlib import Path

import pytest

from alliances.errors import AlliancesError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "risk-x.ttl"


@pytest.fixture(scope="module")
def resolver(store):
    from alliances.catalog.resolve import Resolver

    return Resolver(store)


@pytest.fixture()
def holdings_file(tmp_path):
    path = tmp_path / "holdings.csv"
    # lab by alias, cloud by ticker; weights are normalised
    path.write_text("entity,weight\n# a comment\nTLab,50\n\nTRCL,50\n", encoding="utf-8")
    return path


def test_read_holdings(holdings_file, resolver):
    from alliances.graph.portfolio import read_holdings

    hs = read_holdings(holdings_file, resolver)
    assert [(h.entity, h.weight, h.line) for h in hs] == [("t-r-lab", 0.5, 3), ("t-r-cloud", 0.5, 5)]


def test_bad_rows_are_reported_by_line(tmp_path, resolver):
    from alliances.graph.portfolio import read_holdings

    path = tmp_path / "bad.csv"
    path.write_text("t-r-lab,1\nt-r-nope,1\nt-r-cloud,abc\nt-r-chip,1,2\nt-r-fab,-1\n", encoding="utf-8")
    with pytest.raises(AlliancesError) as err:
        read_holdings(path, resolver)
    text = str(err.value)
    assert "\n" not in text
    for line in (2, 3, 4, 5):
        assert f"{path}:{line}:" in text
    assert f"{path}:1:" not in text


def test_missing_and_empty_file(tmp_path, resolver):
    from alliances.graph.portfolio import read_holdings

    with pytest.raises(AlliancesError):
        read_holdings(tmp_path / "none.csv", resolver)
    (tmp_path / "empty.csv").write_text("entity,weight\n", encoding="utf-8")
    with pytest.raises(AlliancesError, match="no holdings"):
        read_holdings(tmp_path / "empty.csv", resolver)


def test_portfolio_exposure(holdings_file, resolver, graph):
    from alliances.graph.portfolio import portfolio_exposure, read_holdings

    result = portfolio_exposure(graph, read_holdings(holdings_file, resolver))
    # lab to cloud: (0.6 compute + 1.0 capital) / 2 = 0.8, the shocked cloud's capital lost too;
    # lab to fab and chip: only through compute (capital needs no chips): 0.6 / 2 and 0.6 * 0.5 / 2
    assert result.value("t-r-cloud") == pytest.approx(0.5 * 0.8 + 0.5 * 1.0)
    assert result.value("t-r-fab") == pytest.approx(0.5 * 0.3 + 0.5 * 1.0)  # was 0.9
    assert result.value("t-r-chip") == pytest.approx(0.5 * 0.15 + 0.5 * 0.5)  # was 0.45
    assert result.value("t-r-cloud2") == pytest.approx(0.1)
    assert result.value("t-r-app") == 0  # nobody held depends on the app
    row = next(r for r in result.rows if r["supplier"] == "t-r-cloud")
    assert row["held"] and row["chokepoint"]
    assert row["holders"] == {"t-r-cloud": 0.5, "t-r-lab": 0.4}
    # lab's capital share is unstated (its sole investor): 0.3 of its 0.8 rests on stated shares
    assert row["coverage"] == pytest.approx((0.5 + 0.5 * 0.3) / 0.9)
    assert row["low"] == row["high"] == pytest.approx(0.9)  # one candidate per group: no choice


def test_portfolio_shock(holdings_file, resolver, graph):
    from alliances.graph.portfolio import portfolio_exposure, read_holdings

    result = portfolio_exposure(graph, read_holdings(holdings_file, resolver), shock=0.5)
    row = next(r for r in result.rows if r["supplier"] == "t-r-chip")
    assert row["loss"] == pytest.approx(0.325 * 0.5)  # was 0.225
    with pytest.raises(AlliancesError):
        portfolio_exposure(graph, [], shock=2)


def test_cli_portfolio(cli, holdings_file):
    r = cli("--data", FIXTURE, "portfolio", holdings_file, "--format", "json", "--shock", "0.5")
    assert r.exit_code == 0, r.stderr
    body = json.loads(r.stdout)
    losses = {s["supplier"]: s["loss"] for s in body["suppliers"]}
    assert losses["t-r-chip"] == pytest.approx(0.1625)
    assert [h["entity"] for h in body["holdings"]] == ["t-r-lab", "t-r-cloud"]
    table = cli("--data", FIXTURE, "portfolio", holdings_file, "--top", "2")
    assert table.exit_code == 0 and len(table.stdout.strip().splitlines()) == 4
    csv = cli("--data", FIXTURE, "portfolio", holdings_file, "--format", "csv", "--kind", "chips")
    assert csv.stdout.startswith("supplier,exposure,low,high,coverage,loss")


def test_cli_portfolio_bad_input(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("t-r-lab,1\nt-r-nope,1\n", encoding="utf-8")
    r = cli("--data", FIXTURE, "portfolio", bad)
    assert r.exit_code == 2 and f"{bad}:2:" in r.stderr
    assert cli("--data", FIXTURE, "portfolio", tmp_path / "missing.csv").exit_code == 2
    assert cli("--data", FIXTURE, "portfolio", bad, "--shock", "-1").exit_code == 2


def test_rows_naming_one_entity_add_up_with_a_note(tmp_path, resolver, cli):
    """Regression: two rows naming the same entity (an alias and a ticker) were kept as
    two holdings without a word; they are one holding now, and the CLI says so."""
    from alliances.graph.portfolio import read_holdings, repeated_rows

    path = tmp_path / "dup.csv"
    path.write_text("entity,weight\nTLab,1\nTRCL,2\nt-r-lab,1\n", encoding="utf-8")
    hs = read_holdings(path, resolver)
    assert [(h.entity, h.weight, h.lines) for h in hs] == [("t-r-lab", 0.5, (2, 4)), ("t-r-cloud", 0.5, (3,))]
    assert repeated_rows(hs) == ["lines 2, 4 (TLab, t-r-lab) all name t-r-lab: their weights add up"]
    result = cli("--data", FIXTURE, "portfolio", path)
    assert result.exit_code == 0
    assert "lines 2, 4 (TLab, t-r-lab) all name t-r-lab" in result.stderr
