"""The `alliances` command line: parses options, calls the library, formats output.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 a finding (validation
violations, a risk threshold crossed), 2 bad input or error.
"""

from __future__ import annotations

import sys

import click

from . import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Group(click.Group):
    """Turns library errors into one line on stderr and exit code 2."""

    def invoke(self, ctx):
        from .errors import AlliancesError

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
            from .backends import open_store

            self._store = open_store(self.store_spec, self.endpoint, self.data)
        return self._store

    def resolve(self, name):
        from .resolve import resolve

        return resolve(self.store, name)


format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="Output format.")
as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE",
    help="Only facts that hold on DATE (YYYY-MM-DD, YYYY-MM or YYYY).")


kind_option = click.option(
    "--kind", "kinds", multiple=True, metavar="KINDS",
    help="Only these dependency kinds: comma-separated or repeated (chips, foundry, memory,"
         " equipment, compute, models, capital, distribution, licensing, power, ownership, other).")


def emit(text: str) -> None:
    click.echo(text, nl=False)


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


@main.command(context_settings=CONTEXT)
@format_option
@click.pass_obj
def stats(obj, fmt):
    """Triples, entities per class, partnerships per kind, sources."""
    from .catalog import stats as compute
    from .formats import render

    emit(render(compute(obj.store).rows(), ["section", "name", "count"], fmt))


@main.command("list", context_settings=CONTEXT)
@click.argument("what", default="entities")
@click.option("--kind", help="Partnership kind (investment, chip-supply, cloud-compute, ...).")
@click.option("--metric", help="Observation metric (capex, users, market-share, ...).")
@as_of_option
@format_option
@click.pass_obj
def list_(obj, what, kind, metric, as_of, fmt):
    """List entities of a class: companies, chips, models, partnerships, observations...

    \b
    Examples:
      alliances list companies
      alliances list partnerships --kind investment
      alliances list observations --metric capex
    """
    from . import catalog
    from .formats import render
    from .timeline import parse_as_of

    cls = catalog.class_for(what, obj.store)
    date = parse_as_of(as_of)
    if cls == "Partnership":
        rows = catalog.partnerships(obj.store, kind=kind, as_of=date)
        cols = ["id", "kind", "parties", "announced", "status", "amount", "sources"]
    elif cls == "Observation":
        rows = catalog.observations(obj.store, metric=metric, as_of=date)
        cols = ["id", "subject", "metric", "value", "value_max", "unit", "period", "sources"]
    else:
        rows = catalog.entities(obj.store, cls)
        cols = ["id", "label", "class", "developer", "aliases"]
    emit(render(rows, cols, fmt))


@main.command(context_settings=CONTEXT)
@click.argument("entity")
@as_of_option
@format_option
@click.pass_obj
def show(obj, entity, as_of, fmt):
    """Every fact about ENTITY (id, label or alias) with its sources."""
    import json

    from .catalog import show as report_for
    from .formats import plain, render
    from .timeline import parse_as_of

    report = report_for(obj.store, obj.resolve(entity), as_of=parse_as_of(as_of))
    if fmt == "json":
        emit(json.dumps(plain(report.as_dict()), indent=2) + "\n")
        return
    sections = [
        ("facts", report.facts, ["property", "value"]),
        ("partnerships", report.partnerships,
         ["id", "kind", "role", "parties", "announced", "status", "sources"]),
        ("observations", report.observations,
         ["id", "metric", "value", "value_max", "unit", "period", "sources"]),
        ("claims", report.claims, ["id", "statement", "source"]),
        ("referenced by", report.incoming, ["id", "property"]),
    ]
    if fmt == "csv":
        rows = [{"section": name, **{c: r.get(c) for c in cols}}
                for name, rows, cols in sections for r in rows]
        emit(render(rows, ["section", "id", "property", "value", "kind", "role", "parties",
                           "metric", "unit", "period", "statement", "sources"], "csv"))
        return
    e = report.entity
    emit(f"{e.label} ({e.id}, {e.cls})\n")
    entity_sources = report.facts[0]["sources"] if report.facts else []
    emit(f"sources: {', '.join(entity_sources) or '(none)'}\n")
    for name, rows, cols in sections:
        if rows:
            emit(f"\n## {name} ({len(rows)})\n" + render(rows, cols, "table"))


@main.command(context_settings=CONTEXT)
@click.argument("text", required=False)
@click.option("-f", "--file", "path", type=click.Path(dir_okay=False), help="Read the query from a file.")
@click.option("-q", "--saved", "saved", metavar="NAME", help="Run a saved query (see `alliances queries`).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Leave out rows naming a partnership or figure that did not hold on DATE"
                   " (YYYY-MM-DD, YYYY-MM or YYYY). Aggregates are not recomputed.")
@format_option
@click.pass_obj
def query(obj, text, path, saved, as_of, fmt):
    """Run a read-only SPARQL query: TEXT, -f FILE, or a saved query by name.

    The prefixes al:, e:, kind:, layer:, metric:, rdfs:, skos:, dcterms: ... are predeclared.
    Updates, SERVICE and FROM are refused. TEXT that names a saved query runs it.

    \b
    Examples:
      alliances query 'SELECT ?c WHERE { ?c a al:Hyperscaler }'
      alliances query chip-suppliers
      alliances query chip-suppliers --as-of 2024
      alliances query -f my.rq --format csv
    """
    from pathlib import Path

    from .errors import AlliancesError
    from .formats import render_query_result
    from .sparql import load_saved, run_user_query, saved_queries
    from .timeline import parse_as_of, rows_as_of

    given = [x for x in (text, path, saved) if x]
    if len(given) != 1:
        raise AlliancesError("give exactly one of: query text, -f FILE, --saved NAME")
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise AlliancesError(f"{path}: {exc.strerror}") from None
    elif saved or text in saved_queries():
        text = load_saved(saved or text)
    date = parse_as_of(as_of)
    result = run_user_query(obj.store, text)
    if date is not None:
        result, dropped = rows_as_of(obj.store, result, date)
        click.echo(f"--as-of {date}: {dropped} rows left out (naming facts that did not hold then)",
                   err=True)
    emit(render_query_result(result, fmt))


@main.command(context_settings=CONTEXT)
@format_option
def queries(fmt):
    """List the saved queries (run one with `alliances query NAME`)."""
    from .formats import render
    from .sparql import describe_saved, saved_queries

    rows = [{"name": n, "description": describe_saved(p)} for n, p in saved_queries().items()]
    emit(render(rows, ["name", "description"], fmt))


@main.command(context_settings=CONTEXT)
@format_option
@click.pass_obj
def validate(obj, fmt):
    """Check the data against the SHACL shapes: exit 0 conforms, 1 violations, 2 error."""
    from .formats import render
    from .validate import validate as run

    report = run(obj.store)
    if report.conforms:
        click.echo(f"conforms: {obj.store.triple_count()} triples checked", err=True)
        if fmt != "table":
            emit(render([], ["focus", "path", "message", "severity"], fmt))
        return
    emit(render(report.rows(), ["focus", "path", "message", "severity"], fmt))
    click.echo(f"{len(report.violations)} violation(s)", err=True)
    sys.exit(1)


@main.command(context_settings=CONTEXT)
@format_option
@click.pass_obj
def conflicts(obj, fmt):
    """Figures that sources give differently for the same subject, metric and period."""
    from .conflicts import find_conflicts
    from .formats import render

    rows = find_conflicts(obj.store)
    emit(render(rows, ["subject", "metric", "period", "value", "value_max", "unit",
                       "observation", "sources"], fmt))


def _register_commands() -> None:
    """Commands that live in their own modules (each imports only click at import time)."""
    from . import cli_graph, cli_risk, cli_scale

    for module in (cli_risk, cli_graph, cli_scale):
        module.register(main)


_register_commands()
