"""Options shared by several commands, defined once, and the one way to print data.

Only click is imported here, so `alliances --help` stays fast.
"""

from __future__ import annotations

import click

from alliances.cli.complete import dependency_kinds

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="Output format.")
as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE",
    help="Only facts that hold on DATE (YYYY-MM-DD, YYYY-MM or YYYY).")


kind_option = click.option(
    "--kind", "kinds", multiple=True, metavar="KINDS", shell_complete=dependency_kinds,
    help="Only these dependency kinds: comma-separated or repeated (chips, foundry, memory,"
         " equipment, compute, models, capital, distribution, licensing, power, ownership, other);"
         " a partnership kind stands for its dependency kind (chip-supply: chips).")


def parse_dependency_kinds(store, values) -> list[str] | None:
    """The dependency kinds of `--kind` (partnership kinds mapped through the ontology)."""
    from alliances.kinds import parse_kinds

    def partnership_kinds():
        from alliances.catalog.kind_map import kind_pairs

        return kind_pairs(store)

    return parse_kinds(values, partnership_kinds)


def emit(text: str | bytes) -> None:
    """Write data to stdout; a failed write (full disk, closed device) is one error line."""
    try:
        _write_stdout(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        from alliances.errors import AlliancesError

        _silence_stdout()
        raise AlliancesError(f"cannot write to stdout: {exc.strerror or exc}") from None


def _write_stdout(text: str | bytes) -> None:
    import sys

    if isinstance(text, bytes):
        sys.stdout.buffer.write(text)
    else:
        click.echo(text, nl=False)
    sys.stdout.flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit does not fail a second time."""
    import os
    import sys

    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (tests capture stdout)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def top_option(default: int | None = None, what: str = "rows"):
    """--top N: only the N first rows (of each table)."""
    return click.option("--top", type=click.IntRange(min=1), default=default,
                        show_default=default is not None,
                        metavar="N", help=f"Show only the N first {what}.")


def shock_option(whose: str):
    """--shock S: the share (0..1) of a supply that is lost."""
    return click.option("--shock", type=click.FloatRange(0, 1), default=1.0, show_default=True,
                        help=f"Share (0..1) of {whose} supply that is lost.")


def note_undated(store, date: str | None) -> None:
    """With --as-of, say on stderr how many undated facts the dependency graph keeps (they
    have no date to compare, so `risk nvidia --as-of 1999` still shows rows)."""
    if date is None:
        return
    from alliances.timeline import undated_facts, undated_note

    note = undated_note(undated_facts(store, what=("partnerships", "dependencies")), date)
    if note:
        click.echo(note, err=True)


def render_sections(sections, fmt) -> str:
    """:func:`alliances.render.sections.render_sections`, imported on use (--help stays fast)."""
    from alliances.render.sections import render_sections as render

    return render(sections, fmt)
