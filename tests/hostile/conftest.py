"""The hostile suite: attacks an outside tester would try, each with the safe behaviour
expected (one `error:` line and exit 2, or a warning and the rest of the data).

Every test runs on a small world (the ontology and the files the test names, not the
shipped data) and a private cache folder, so the whole suite stays fast.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile-cache")


@pytest.fixture(autouse=True)
def small_world(monkeypatch, cache_home):
    """No shipped data (the ontology only, plus what a test loads), a private cache."""
    monkeypatch.setattr("alliances.store.paths.shipped_data_files", lambda: [])
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.delenv("ALLIANCES_NO_CACHE", raising=False)
    monkeypatch.delenv("ALLIANCES_DEBUG", raising=False)


@pytest.fixture()
def run():
    """`alliances ARGS...` through click's CliRunner; an exception escaping the CLI fails
    the test (catch_exceptions=False), so "no traceback" is checked on every call."""
    from alliances.cli.app import main

    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, prog_name="alliances",
                             **kwargs)

    return invoke
