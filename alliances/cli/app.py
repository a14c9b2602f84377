"""The `alliances` command line: parses options, calls the library, formats output.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 a finding (validation
violations, a risk threshold crossed), 2 bad input or error.
"""

from __future__ import annotations

import sys

import click

from alliances import __version__
from alliances.cli.options import CONTEXT, UserPath


def _one_line(text: str) -> str:
    from alliances.errors import one_line

    return one_line(text)


def _bad_argument(args) -> str | None:
    """Why an argument cannot be taken, or None: a NUL byte (no path or name holds one), or
    bytes that are not UTF-8 (Python keeps them as lone surrogates, which no output can
    encode) unless the argument names an existing file.

    >>> _bad_argument(["risk", "nvidia"]) is None, _bad_argument(["show", "caf\\udce9"])
    (True, "argument 'caf\\\\udce9' is not UTF-8 (byte 0xe9); use UTF-8 text")
    """
    import os

    for arg in args:
        if not isinstance(arg, str):
            continue
        if "\x00" in arg:
            return f"argument {_one_line(repr(arg))} holds a NUL byte"
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            if os.path.lexists(arg):
                continue
            code = ord(arg[exc.start])
            byte = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
            return f"argument '{_one_line(arg)}' is not UTF-8 ({byte}); use UTF-8 text"
    return None


def _help_width(max_width: int) -> int | None:
    """The width of help text, as click computes it, without importing shutil (with
    bz2, lzma and zlib: a tenth of `alliances --help`): COLUMNS, else the terminal's
    width, else 80; None (click decides) when click forces a width (its test runner).

    >>> 50 <= _help_width(100) <= 98
    True
    """
    import os

    from click import formatting

    if formatting.FORCED_WIDTH is not None:
        return None
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, max_width) - 2, 50)


class Group(click.Group):
    """Turns every failure into one line on stderr: `error: ...` and exit code 2 for bad
    input, library errors, click usage errors and unexpected exceptions (the safety net:
    `error: internal error: TYPE: message`; ALLIANCES_DEBUG=1 shows the traceback
    instead); Ctrl-C exits 130 with no traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        problem = _bad_argument(sys.argv[1:] if args is None else args)
        if problem:
            click.echo(f"error: {problem}", err=True)
            sys.exit(2)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:  # unknown option or command, bad option value
            hint = f" (see '{exc.ctx.command_path} -h')" if exc.ctx is not None else ""
            click.echo(f"error: {_one_line(exc.format_message())}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"error: {_one_line(exc.format_message())}", err=True)
            sys.exit(2 if exc.exit_code == 1 else exc.exit_code)
        except click.Abort:  # Ctrl-C while click parses, or end of input at a prompt
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def make_context(self, info_name, args, parent=None, **extra):
        if parent is None and "terminal_width" not in extra:
            extra["terminal_width"] = _help_width(self.context_settings.get("max_content_width", 80))
        return super().make_context(info_name, args, parent, **extra)

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            if close:
                ctx.fail(f"no command '{name}'; did you mean '{close[0]}'?")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        import gc
        import os

        from alliances.errors import AlliancesError

        # A command runs once and exits: the cyclic collector would walk the millions of
        # (acyclic) objects of a large graph again and again (about 15% of a risk at 1M
        # triples); reference counting still frees them. `serve` runs for long: it turns
        # the collector on again before serving (the subcommand is not known here yet).
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            return super().invoke(ctx)
        except AlliancesError as exc:
            click.echo(f"error: {_one_line(exc)}", err=True)
            ctx.exit(2)
        except BrokenPipeError:  # `alliances list | head`
            sys.stderr.close()
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the safety net: never a traceback
            if os.environ.get("ALLIANCES_DEBUG", "") not in ("", "0"):
                raise
            message = _one_line(exc)
            click.echo(f"error: internal error: {type(exc).__name__}: {message}"
                       " (ALLIANCES_DEBUG=1 shows the traceback)", err=True)
            ctx.exit(2)
        finally:
            if paused:
                gc.enable()


class Context:
    """Global options, and the store opened on first use (so --help stays fast)."""

    def __init__(self, data, store_spec, endpoint):
        self.data = data
        self.store_spec = store_spec
        self.endpoint = endpoint
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from alliances.cli.progress import LOAD_MIN_BYTES, Progress
            from alliances.datavalues import quiet_rdflib
            from alliances.store.backends import open_store

            quiet_rdflib()
            with Progress("parsing", min_total=LOAD_MIN_BYTES) as progress:  # a bar only on a terminal
                self._store = open_store(self.store_spec, self.endpoint, self.data, progress=progress)
        return self._store

    def resolve(self, name):
        from alliances.catalog.resolve import resolve

        return resolve(self.store, name)


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="alliances")
@click.option("--data", "data", multiple=True, type=UserPath(), metavar="PATH",
              help="Extra Turtle file or directory, loaded on top of the shipped data (repeatable).")
@click.option("--store", "store_spec", default="memory", show_default=True, metavar="SPEC",
              help="Where the graph lives: 'memory' (rdflib, loads the files) or 'oxigraph:DIR'.")
@click.option("--endpoint", metavar="URL",
              help="Run read commands against a SPARQL 1.1 endpoint instead of a local store.")
@click.pass_context
def main(ctx, data, store_spec, endpoint):
    """A sourced knowledge graph of the AI industry's alliances.

    \b
    Examples:
      alliances risk nvidia            who depends on Nvidia, and how much
      alliances show anthropic         every fact about Anthropic, with sources
      alliances query capex-by-company a saved SPARQL query
    """
    ctx.obj = Context(data, store_spec, endpoint)


def _register_commands() -> None:
    """Commands that live in their own modules (each imports only click at import time)."""
    from alliances.cli import catalog, graph, money, risk, scale

    for module in (catalog, risk, graph, scale, money):
        module.register(main)
    from alliances.cli import history  # diff, timeline

    history.register(main)


_register_commands()
