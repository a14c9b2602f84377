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


class UserPath(click.Path):
    """A path the user names (--data, -o, FILE): refused at parse time, as one line naming
    it, when no file could ever have that name (a NUL byte, a name longer than the file
    system takes, a loop of symlinks): the commands then only meet missing or present
    files, whatever they probe it with.

    >>> UserPath().convert("a\\x00b", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'a\\x00b': holds a NUL byte
    >>> UserPath().convert("x" * 300, None, None)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'xxx...'...: File name too long
    """

    def convert(self, value, param, ctx):
        import os

        text = os.fspath(value)
        shown = repr(text) if len(text) <= 60 else repr(text[:57]) + "..."
        if "\x00" in text:
            self.fail(f"{shown}: holds a NUL byte", param, ctx)
        try:
            os.lstat(text)
        except (FileNotFoundError, NotADirectoryError):
            pass
        except OSError as exc:
            self.fail(f"{shown}: {exc.strerror or exc}", param, ctx)
        return super().convert(value, param, ctx)


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange without nan (every comparison with nan is false, so the range
    let it through) and with -0 read as 0.

    >>> FiniteFloatRange(0, 1).convert("-0", None, None)
    0.0
    >>> FiniteFloatRange(0, 1).convert("nan", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: nan is not a finite number.
    """

    def convert(self, value, param, ctx):
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{number} is not a finite number.", param, ctx)
        return number + 0.0  # -0.0 -> 0.0


def top_option(default: int | None = None, what: str = "rows"):
    """--top N: only the N first rows (of each table)."""
    return click.option("--top", type=click.IntRange(min=1), default=default,
                        show_default=default is not None,
                        metavar="N", help=f"Show only the N first {what}.")


def shock_option(whose: str):
    """--shock S: the share (0..1) of a supply that is lost."""
    return click.option("--shock", type=FiniteFloatRange(0, 1), default=1.0, show_default=True,
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
