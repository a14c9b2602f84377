"""Every `$` example of the README prints what the README shows (tools/update_readme.py
--check): run with bash from a temporary directory, timings, sizes and install paths
masked, one test per console block (the examples of a block depend on each other), and
a unified diff per example that changed.

It takes over a minute, so it runs only with ALLIANCES_README_TEST=1 (`.ci/run` runs it as
a step of its own); `python tools/update_readme.py` refreshes the README.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RUN = os.environ.get("ALLIANCES_README_TEST") == "1"


def tool():
    """tools/update_readme.py as a module (loaded once)."""
    import sys

    if "update_readme" not in sys.modules:
        spec = importlib.util.spec_from_file_location("update_readme", ROOT / "tools" / "update_readme.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["update_readme"] = module  # dataclasses look their module up here
        spec.loader.exec_module(module)
    return sys.modules["update_readme"]


def blocks():
    """The console blocks of the README: (first line, [examples])."""
    update = tool()
    text = README.read_text(encoding="utf-8")
    found = []
    for block in update.BLOCK.finditer(text):
        inside = update.examples(block.group(0))
        if inside:
            line = text.count("\n", 0, block.start()) + 1
            for example in inside:
                example.line += line - 1
            found.append((line, inside))
    return found


BLOCKS = blocks()


@pytest.fixture(scope="module")
def env():
    update = tool()
    bin_dir = update.shim_dir()
    yield update.environment(bin_dir)
    shutil.rmtree(bin_dir, ignore_errors=True)


@pytest.mark.skipif(not RUN, reason="slow (over a minute): set ALLIANCES_README_TEST=1, or run"
                                    " `python tools/update_readme.py --check`")
@pytest.mark.parametrize("line, block", BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_readme_examples_print_what_the_readme_shows(env, line, block):
    update = tool()
    failures = []
    for example in block:
        lines = update.diff(example, update.run(example.command, env))
        if lines:
            failures.append((example, lines))
    assert not failures, "README output changed (refresh: python tools/update_readme.py):\n\n" + \
        update.report(failures)


def test_examples_are_found_with_their_output():
    update = tool()
    found = update.examples("text\n```console\n$ alliances a\nout 1\nout 2\n$ alliances b\n```\n")
    assert [(e.command, e.expected, e.line) for e in found] == [
        ("alliances a", "out 1\nout 2\n", 3), ("alliances b", "", 6)]
    assert sum(len(b) for _, b in blocks()) == len(update.examples(README.read_text(encoding="utf-8")))


def test_masks_what_varies_and_diffs_per_example():
    update = tool()
    example = update.Example("alliances load --store oxigraph:/tmp/x",
                             "loaded /work/main/data/claims.ttl (0.01 s)\nloaded 1 files in 0.26 s\n", 7)
    same = "loaded /usr/lib/python3/site-packages/alliances/data/claims.ttl (0.5 s)\nloaded 1 files in 3 s\n"
    assert update.diff(example, same) == []
    changed = update.diff(example, same.replace("1 files", "2 files"))
    assert changed[:2] == ["--- README.md:7", "+++ real output"]
    assert "-loaded 1 files in <T> s" in changed and "+loaded 2 files in <T> s" in changed


def test_a_server_left_running_is_killed_and_a_slow_command_bounded(env):
    update = tool()
    assert update.run("sleep 30 & echo started", env, timeout=20).strip() == "started"
    assert "timed out after 1 s" in update.run("sleep 30", env, timeout=1)


def test_every_example_runs_outside_the_checkout():
    """The README names no file of the checkout: shipped examples are `examples:NAME`."""
    commands = [e.command for e in tool().examples(README.read_text(encoding="utf-8"))]
    assert commands
    for command in commands:
        assert "tests/" not in command and "data/" not in command and "ontology/" not in command, command
