"""Shell completion: the callbacks of alliances/cli/complete.py, and one real round trip
through click's completion protocol (`_ALLIANCES_COMPLETE=bash_complete`)."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest

from alliances.cli import complete

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "risk-x.ttl")


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ALLIANCES_NO_CACHE", raising=False)
    return tmp_path / "cache" / "alliances" / "complete"


def context(**params):
    """A context as click builds it while completing: the global options typed so far."""
    from alliances.cli.app import main

    ctx = click.Context(main)
    ctx.params = {"data": (), "store_spec": "memory", "endpoint": None, **params}
    return ctx


def values(items):
    return [item.value for item in items]


def test_entity_ids_with_labels_as_help():
    items = complete.entities(context(), None, "nvi")
    assert "nvidia" in values(items) and "nvidia-h100" in values(items)
    assert all(v.startswith("nvi") for v in values(items))
    assert {i.value: i.help for i in items}["nvidia"] == "Nvidia"
    assert values(complete.entities(context(), None, "TSM"))[0] == "tsmc"  # case-insensitive


def test_names_are_cached_per_data_and_refreshed_when_a_file_changes(private_cache, tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text(open(FIXTURE, encoding="utf-8").read())
    ctx = context(data=(str(mine),))
    assert "t-r-chip" in values(complete.entities(ctx, None, "t-r-c"))
    cached = list(private_cache.glob("*.json"))
    assert len(cached) == 1
    key = complete.vocabulary_key((str(mine),))
    assert cached[0].name == f"{key}.json"
    # the second Tab reads the file, not the graph
    cached[0].write_text('{"entities": [["only-from-cache", "X"]]}')
    assert values(complete.entities(ctx, None, "")) == ["only-from-cache"]
    # a changed data file is another key: fresh names
    mine.write_text(mine.read_text() + "\n# changed\n")
    assert complete.vocabulary_key((str(mine),)) != key
    assert "t-r-chip" in values(complete.entities(ctx, None, "t-r-c"))


def test_classes_kinds_metrics_saved_queries():
    assert {"labs", "ModelLab"} <= set(values(complete.class_names(context(), None, "")))
    assert values(complete.class_names(context(), None, "hyper")) == ["hyperscalers", "Hyperscaler"]
    assert "investment" in values(complete.partnership_kinds(context(), None, "inv"))
    assert "capex" in values(complete.metrics(context(), None, "cap"))
    saved = complete.saved_query_names(context(), None, "chip")
    assert values(saved) == ["chip-suppliers"] and saved[0].help.startswith("Who supplies chips")


def test_dependency_kinds_after_commas():
    from alliances.kinds import KINDS

    assert values(complete.dependency_kinds(None, None, "")) == list(KINDS)
    offered = values(complete.dependency_kinds(None, None, "chips,"))
    assert "chips,foundry" in offered and "chips,chips" not in offered
    assert values(complete.dependency_kinds(None, None, "chips,MEM")) == ["chips,memory"]


@pytest.mark.parametrize("params", [{"store_spec": "oxigraph:/nonexistent/ox"}, {"data": ("/nope.ttl",)},
                                    {"endpoint": "http://127.0.0.1:9/sparql"}, {"store_spec": "sqlite:x"}])
def test_a_completion_never_fails(params):
    assert complete.entities(context(**params), None, "nv") == []


def test_bash_round_trip_through_python_m_alliances(tmp_path):
    env = {**os.environ, "PYTHONPATH": ROOT, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "_ALLIANCES_COMPLETE": "bash_complete", "COMP_WORDS": "alliances show anthr", "COMP_CWORD": "2"}
    done = subprocess.run([sys.executable, "-m", "alliances"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["plain,anthropic"]
    markers = {"bash": "complete -o nosort -F", "zsh": "compdef",
               "fish": "complete --no-files --command alliances"}
    for shell, marker in markers.items():
        source = subprocess.run([sys.executable, "-m", "alliances"], capture_output=True, text=True,
                                timeout=60, env={**env, "_ALLIANCES_COMPLETE": f"{shell}_source"})
        assert marker in source.stdout, (shell, source.stdout[:200])
