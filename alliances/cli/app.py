"""The `alliances` command line: parses options, calls the library, formats output.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 a finding (validation
violations, a risk threshold crossed), 2 bad input or error.
"""

from __future__ import annotations

import sys

import click

from alliances import __version__
from alliances.cli.options import CONTEXT


class Group(click.Group):
    """Turns library errors into one line on stderr and exit code 2."""

    def invoke(self, ctx):
        from alliances.errors import AlliancesError

        try:
            return super().invoke(ctx)
        except AlliancesError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except BrokenPipeError:  # `alliances list | head`
            sys.stderr.close()
            ctx.exit(0)


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
            from alliances.store.backends import open_store

            with Progress("parsing", min_total=LOAD_MIN_BYTES) as progress:  # a bar only on a terminal
                self._store = open_store(self.store_spec, self.endpoint, self.data, progress=progress)
        return self._store

    def resolve(self, name):
        from alliances.catalog.resolve import resolve

        return resolve(self.store, name)


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="alliances")
@click.option("--data", "data", multiple=True, type=click.Path(), metavar="PATH",
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
    from alliances.cli import catalog, graph, risk, scale

    for module in (catalog, risk, graph, scale):
        module.register(main)


_register_commands()
