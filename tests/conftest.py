"""Shared fixtures: the shipped store, a store of the tiny test world, a CLI runner."""

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shipped_store():
    from alliances.store.memory import load

    return load()


@pytest.fixture(scope="session")
def mini_store():
    from alliances.store.memory import load

    return load([FIXTURES / "mini.ttl"], shipped=False)


@pytest.fixture()
def cli():
    """Run `alliances ARGS...`; returns click's Result (stdout and stderr apart)."""
    from alliances.cli.app import main

    runner = CliRunner()

    def run(*args, **kwargs):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return run


@pytest.fixture(scope="module")
def store():
    """The hand-made supply chain of tests/fixtures/risk-x.ttl (ids t-r-*), without shipped data."""
    from alliances.store.memory import load

    return load([FIXTURES / "risk-x.ttl"], shipped=False)


@pytest.fixture(scope="module")
def graph(store):
    """The dependency graph of `store`."""
    from alliances.graph.dependency import dependency_graph

    return dependency_graph(store)


@pytest.fixture(scope="session")
def g():
    """The ontology and every shipped data file parsed into one plain rdflib Graph (the data
    tests read it with rdflib alone, independent of the package's stores). Read-only."""
    import rdflib

    root = Path(__file__).resolve().parents[1]
    graph = rdflib.Graph()
    for path in [root / "ontology" / "alliances.ttl", *sorted((root / "data").glob("*.ttl"))]:
        graph.parse(path)
    return graph
