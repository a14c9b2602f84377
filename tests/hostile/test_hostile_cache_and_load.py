"""The answers cache under attack (corrupted, planted, shared folders) and `load` leftovers."""

from __future__ import annotations

import os
import pickle
import time

import pytest
from _hostile import turtle

from alliances.store import cache

QUERY = "SELECT ?label WHERE { e:t-x rdfs:label ?label }"


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def store_with_answer(tmp_path):
    from alliances.store.memory import load

    store = load([turtle(tmp_path / "x.ttl", 'e:t-x rdfs:label "x" .\n')], shipped=False)
    assert store.values(QUERY) == [("x",)]
    path = cache._answer_path(store.cache_key(), QUERY)
    assert path.is_file() and path.suffix == ".json"
    return store, path


@pytest.mark.parametrize("junk", [
    b"", b"{", b"\x80\x04\x95garbage", b'{"format": 1, "rows": 5}', b'[1, 2, 3]',
    b'{"format": 1, "query": "?", "rows": [[{"a": 1}]]}', b"\xff" * 1000,
    pickle.dumps([("x",)]),  # an entry of the old format
])
def test_a_corrupted_answer_is_a_miss_and_is_rewritten(fresh_cache, tmp_path, junk):
    store, path = store_with_answer(tmp_path)
    path.write_bytes(junk)
    assert store.values(QUERY) == [("x",)]  # before: TypeError / MemoryError / OverflowError
    assert cache._read_answer(path, QUERY) == [("x",)]  # rewritten


def test_reading_an_answer_cannot_run_code(fresh_cache, tmp_path):
    store, path = store_with_answer(tmp_path)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path.write_bytes(pickle.dumps(Evil()))
    assert store.values(QUERY) == [("x",)]
    assert not marker.exists()  # before: the answers cache was a pickle


def test_a_corrupted_parse_cache_is_a_miss_and_is_rewritten(fresh_cache, tmp_path):
    from alliances.store.memory import load

    data = turtle(tmp_path / "x.ttl", 'e:t-x rdfs:label "x" .\n')
    load([data], shipped=False)
    (entry,) = cache.cache_dir().glob("*.pickle")
    entry.write_bytes(b"\x80\x05\x95\xff\xff\xff\xff\xff\xff\xff\x7f")  # a frame of 2**63 bytes
    store = load([data], shipped=False)
    assert store.ask('ASK { e:t-x rdfs:label "x" }')
    assert cache.get(store.files()) is not None  # rewritten


def test_the_whole_cache_path_is_checked(fresh_cache, tmp_path):
    store, path = store_with_answer(tmp_path)
    fresh_cache.chmod(0o777)  # a folder above the cache that anyone can write into
    try:
        assert cache.get_answer(store.cache_key(), QUERY) is None  # before: only the leaf was checked
        assert cache._private_dir() is None
    finally:
        fresh_cache.chmod(0o700)
    assert cache.get_answer(store.cache_key(), QUERY) == [("x",)]
    cache.cache_root().chmod(0o755)  # the cache's own root readable by others
    assert cache.get_answer(store.cache_key(), QUERY) is None


def test_a_symlinked_cache_folder_pointing_elsewhere_is_not_used(fresh_cache, tmp_path):
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir(mode=0o777)
    elsewhere.chmod(0o777)
    (fresh_cache / "alliances").symlink_to(elsewhere)
    assert cache._private_dir() is None


def test_a_failed_load_leaves_no_build_folder(run, tmp_path):
    pytest.importorskip("pyoxigraph")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n")
    result = run("load", "--store", f"oxigraph:{tmp_path / 'ox'}", bad)
    assert result.exit_code == 2 and "bad.ttl:1" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["bad.ttl"]


def test_stale_build_folders_are_swept_on_the_next_load(run, tmp_path):
    pytest.importorskip("pyoxigraph")
    dead = tmp_path / ".ox.load-999999999-abc"  # a load killed with SIGKILL: its pid is gone
    old = tmp_path / ".ox.load-xyz"  # an old-style name, two hours old
    alive = tmp_path / f".ox.load-{os.getpid()}-def"  # a load running now (this process)
    for folder in (dead, old, alive):
        folder.mkdir()
        (folder / "junk").write_bytes(b"x" * 1000)
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    data = turtle(tmp_path / "d.ttl", 'e:t-x rdfs:label "x" .\n')
    assert run("load", "--store", f"oxigraph:{tmp_path / 'ox'}", data).exit_code == 0
    assert not dead.exists() and not old.exists()  # before: left forever
    assert alive.exists()
