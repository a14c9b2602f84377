"""Hostile output targets, full disks, and what the outputs hold (CSV, N-Triples, the map)."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from _hostile import MINI, one_error, turtle

ROOT = Path(__file__).resolve().parents[2]


def no_temp_left(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], list(folder.iterdir())


@pytest.mark.parametrize("command", [["export"], ["graph"]])
def test_output_into_a_missing_folder(run, tmp_path, command):
    # before (export): FileNotFoundError from mkstemp
    one_error(run("--data", MINI, *command, "-o", tmp_path / "missing" / "out"), "missing", "does not exist")


@pytest.mark.parametrize("command", [["export"], ["graph"]])
def test_full_disk_on_output_file(run, tmp_path, monkeypatch, command):
    target = tmp_path / "out"
    target.write_text("the old content\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("alliances.atomic.os.fsync", full)
    one_error(run("--data", MINI, *command, "-o", target), "out", "No space left on device")
    assert target.read_text() == "the old content\n"  # nothing half-written
    no_temp_left(tmp_path)


@pytest.mark.parametrize("command", [["list", "companies"], ["risk", "t-chipco"], ["export"],
                                     ["list", "partnerships", "--format", "csv"]])
def test_full_disk_on_stdout(run, monkeypatch, command):
    def full(text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("alliances.cli.options._write_stdout", full)
    one_error(run("--data", MINI, *command), "cannot write to stdout", "No space left on device")


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full")
def test_full_disk_on_stdout_for_real(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path)}
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "alliances", "--data", str(MINI), "list", "companies"],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr  # before: a traceback, exit 1
    assert done.stderr.splitlines() == ["error: cannot write to stdout: No space left on device"]


def special_files(tmp_path: Path) -> dict[str, Path]:
    """A FIFO, a symlink to a regular file, and (as root) a character device, in tmp_path."""
    out = {}
    os.mkfifo(tmp_path / "fifo")
    out["a FIFO"] = tmp_path / "fifo"
    (tmp_path / "real.txt").write_text("keep\n")
    (tmp_path / "link").symlink_to(tmp_path / "real.txt")
    out["a symlink"] = tmp_path / "link"
    if os.geteuid() == 0:
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        out["a character device"] = tmp_path / "null"
    return out


@pytest.mark.parametrize("command", [["export"], ["graph"]])
def test_output_onto_fifo_device_or_symlink_is_refused(run, tmp_path, command):
    # before: each was replaced by a regular file (as root, `export -o /dev/full` broke the machine)
    for what, target in special_files(tmp_path).items():
        before = os.lstat(target)
        one_error(run("--data", MINI, *command, "-o", target), str(target), f"is {what}", "refusing")
        after = os.lstat(target)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert (tmp_path / "real.txt").read_text() == "keep\n"


def test_one_atomic_writer():
    # every output and cache is written by alliances.atomic.write_atomic, not its own copy
    for module in ("store/cache.py", "cli/scale.py", "render/html.py", "cli/graph.py"):
        text = (ROOT / "alliances" / module).read_text()
        assert "mkstemp" not in text and "os.replace" not in text, module


HOSTILE_CELLS = """
e:t-formula a al:Company ; rdfs:label "=HYPERLINK(\\"http://evil\\",\\"x\\")" ;
    skos:altLabel "@SUM(A1)", "+1+2", "-2+3", "\\tTAB" .
"""


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(run, tmp_path):
    data = turtle(tmp_path / "formula.ttl", HOSTILE_CELLS)
    out = run("--data", data, "list", "companies", "--format", "csv").stdout
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["id"] == "t-formula")
    assert row["label"] == "'=HYPERLINK(\"http://evil\",\"x\")"  # before: =HYPERLINK(...) ran as a formula
    assert row["aliases"] == "'\tTAB;+1+2;-2+3;@SUM(A1)"
    query = run("--data", data, "query", "--format", "csv",
                "SELECT ?l ?n WHERE { e:t-formula rdfs:label ?l BIND(-2.5 AS ?n) }").stdout
    assert list(csv.reader(io.StringIO(query)))[1] == ["'=HYPERLINK(\"http://evil\",\"x\")", "-2.5"]


def test_csv_numbers_booleans_and_lists_are_written_one_way(run, tmp_path):
    out = run("--data", MINI, "list", "partnerships", "--format", "csv").stdout
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["p-t-labco-cloudco"]["amount"] == "1000000000"  # before: 1000000000.0
    risk = run("--data", MINI, "risk", "t-chipco", "--format", "csv").stdout
    first = next(csv.DictReader(io.StringIO(risk)))
    assert first["exposure"] == "1" or "." in first["exposure"]
    holdings = tmp_path / "holdings.csv"
    holdings.write_text("entity,weight\nt-labco,1\n", encoding="utf-8")
    out = run("--data", MINI, "portfolio", holdings, "--format", "csv").stdout
    held = next(csv.DictReader(io.StringIO(out)))
    assert held["held"] in ("true", "false")  # before: True / False
    from alliances.render.formats import render

    assert render([{"k": ["a", "b"], "n": -3.0, "t": "-x"}], ["k", "n", "t"], "csv") == "k,n,t\na;b,-3,'-x\n"


def test_aliases_with_a_bar_stay_whole(run, tmp_path):
    data = turtle(tmp_path / "bar.ttl",
                  'e:t-bar a al:Company ; rdfs:label "Bar" ; skos:altLabel "A|B", "C" .\n')
    out = run("--data", data, "list", "companies", "--format", "json").stdout
    import json

    row = next(r for r in json.loads(out) if r["id"] == "t-bar")
    assert row["aliases"] == ["A|B", "C"]  # before: ["A", "B", "C"]


def test_a_source_dated_2099_does_not_date_the_map(run, tmp_path):
    data = turtle(tmp_path / "future.ttl", """
e:src-t-future a al:Source ; dcterms:title "From the future" ; dcterms:publisher "Typo" ;
    dcterms:date "2099-01-01"^^xsd:date .
""")
    result = run("--data", MINI, "--data", data, "graph", "-o", tmp_path / "map.html")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "map.html").read_text()
    assert "2099" not in page and "2025-07-01" in page  # the latest date not after today
    assert "src-t-future" in result.stderr and "after today" in result.stderr


def test_export_nt_is_the_same_bytes_on_memory_and_oxigraph(tmp_path):
    pytest.importorskip("pyoxigraph")
    from alliances.store.backends import export_graph
    from alliances.store.memory import load
    from alliances.store.oxigraph import OxigraphStore, load_oxigraph
    from alliances.store.paths import ontology_path

    data = turtle(tmp_path / "d.ttl", "e:t-x al:value 30.0, 0.50, 7 ; al:share 1.000 .\n")
    memory = export_graph(load([data], shipped=False), "nt")
    load_oxigraph(tmp_path / "ox", [ontology_path(), data], report=None)
    oxigraph = export_graph(OxigraphStore.open(tmp_path / "ox"), "nt")
    assert b'"30"^^<http://www.w3.org/2001/XMLSchema#decimal>' in memory  # before: "30.0"
    assert memory == oxigraph

