"""Progress bars on long work: drawn on stderr only when it is a terminal (and the work big
enough), one tick per file while parsing (memory store) and loading (`alliances load`)."""

from __future__ import annotations

import io

import pytest

from alliances.cli import progress as progress_module
from alliances.cli.progress import Progress

FIXTURES = ["tests/fixtures/mini.ttl", "tests/fixtures/risk-x.ttl"]


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Ticks(list):
    def __call__(self, done, total, item=None):
        self.append((done, total, getattr(item, "name", item)))


def test_bar_on_a_terminal_wiped_when_done():
    out = Terminal()
    with Progress("loading", stream=out) as tick:
        tick(0, 30, "a.ttl")
        tick(10, 30, "b.ttl")
        tick(30, 30, None)
    text = out.getvalue()
    assert "loading" in text and "a.ttl" in text and "b.ttl" in text and "100%" in text
    assert text.endswith("\r\033[K\033[?25h")  # the line wiped, the cursor shown again


def test_nothing_when_not_a_terminal_or_small():
    out = io.StringIO()
    with Progress("loading", stream=out) as tick:
        tick(0, 30, "a.ttl")
        tick(30, 30, None)
    assert out.getvalue() == ""
    small = Terminal()
    with Progress("loading", stream=small, min_total=100) as tick:
        tick(0, 30, "a.ttl")
        tick(30, 30, None)
    assert small.getvalue() == ""


def test_a_failure_leaves_the_bar_on_its_own_line():
    out = Terminal()
    with pytest.raises(ValueError), Progress("loading", stream=out) as tick:
        tick(0, 30, "a.ttl")
        raise ValueError("bad file")
    assert out.getvalue().endswith("\n") and "a.ttl" in out.getvalue()


def test_messages_between_ticks_keep_the_bar_below():
    out = Terminal()
    with Progress("loading", stream=out) as tick:
        tick(0, 2, "a.ttl")
        tick.echo("loaded a.ttl (0.01 s)")
        tick(2, 2, None)
    assert "\r\033[Kloaded a.ttl (0.01 s)\n" in out.getvalue()
    quiet = io.StringIO()
    Progress("loading", stream=quiet).echo("loaded a.ttl")
    assert quiet.getvalue() == "loaded a.ttl\n"


def test_embedded_store_ticks_once_per_file_in_bytes():
    from pathlib import Path

    from alliances.store.embedded import EmbeddedStore

    files = [Path(f) for f in FIXTURES]
    ticks = Ticks()
    EmbeddedStore(files, progress=ticks)
    sizes = [f.stat().st_size for f in files]
    assert ticks == [(0, sum(sizes), "mini.ttl"), (sizes[0], sum(sizes), "risk-x.ttl"),
                     (sum(sizes), sum(sizes), None)]


def test_load_oxigraph_ticks_once_per_file(tmp_path):
    from pathlib import Path

    from alliances.store.oxigraph import load_oxigraph

    files = [Path(f) for f in FIXTURES]
    ticks, lines = Ticks(), []
    load_oxigraph(tmp_path / "ox", files, report=lines.append, progress=ticks)
    assert [t[2] for t in ticks] == ["mini.ttl", "risk-x.ttl", None]
    assert ticks[-1][0] == ticks[-1][1] == sum(f.stat().st_size for f in files)
    assert len(lines) == 2


@pytest.fixture()
def terminal(monkeypatch):
    """CliRunner's stderr counts as a terminal, and any load is big enough for a bar."""
    import click._termui_impl

    monkeypatch.setattr(progress_module, "is_terminal", lambda stream: True)
    monkeypatch.setattr(click._termui_impl, "isatty", lambda stream: True)  # click's own check
    monkeypatch.setattr(progress_module, "LOAD_MIN_BYTES", 0)


def test_cli_draws_bars_on_a_terminal_only(cli, terminal, tmp_path):
    stats = cli("--data", FIXTURES[0], "stats", "--format", "csv")
    assert stats.exit_code == 0
    assert "parsing" in stats.stderr and "mini.ttl" in stats.stderr and "parsing" not in stats.stdout
    load = cli("load", "--store", f"oxigraph:{tmp_path / 'ox'}", "--no-shipped", FIXTURES[1])
    assert load.exit_code == 0 and "loading" in load.stderr and "risk-x.ttl (" in load.stderr
    assert load.stderr.rstrip().splitlines()[-1].endswith("s")  # the summary after the wiped bar


def test_cli_without_a_terminal_prints_no_bar(cli, tmp_path):
    stats = cli("--data", FIXTURES[0], "stats")
    assert "\r" not in stats.stderr and "parsing" not in stats.stderr
    load = cli("load", "--store", f"oxigraph:{tmp_path / 'ox'}", "--no-shipped", FIXTURES[1])
    assert "\r" not in load.stderr and load.stderr.count("loaded ") == 3  # 2 files + the summary
