"""CLI commands of the catalog area: stats, list, show, query, queries, validate, conflicts.

Only click is imported at module import time; the library is imported inside the
commands, so `alliances --help` stays fast.
"""

from __future__ import annotations

import sys

import click

from alliances.cli import complete
from alliances.cli.options import UserPath, as_of_option, emit, format_option

QUERY_FILE_LIMIT = 10_000_000


def _looks_like_a_name(text: str) -> bool:
    """A single word with no braces: meant as a saved query's name, not as SPARQL.

    >>> _looks_like_a_name("investmnts"), _looks_like_a_name("ASK {}")
    (True, False)
    """
    return bool(text.strip()) and not any(c.isspace() or c in "{}()" for c in text.strip())


def _check_list_options(cls: str, kind, metric, as_of) -> None:
    """An option that does not apply to what is listed is an error, not silently ignored."""
    from alliances.errors import AlliancesError

    if kind and cls != "Partnership":
        raise AlliancesError(f"--kind applies to partnerships (alliances list partnerships --kind {kind}),"
                             f" not to {cls}")
    if metric and cls != "Observation":
        raise AlliancesError(f"--metric applies to observations (alliances list observations --metric "
                             f"{metric}), not to {cls}")
    if as_of and cls not in ("Partnership", "Observation"):
        raise AlliancesError(f"--as-of applies to partnerships and observations, not to {cls}")


def register(main) -> None:
    """Add this module's commands to the click group `main`."""

    @main.command()
    @format_option
    @click.pass_obj
    def stats(obj, fmt):
        """Triples, entities per class, partnerships per kind, sources."""
        from alliances.catalog.listing import stats as compute
        from alliances.render.formats import render

        emit(render(compute(obj.store).rows(), ["section", "name", "count"], fmt))


    @main.command("list")
    @click.argument("what", required=False, shell_complete=complete.class_names)
    @click.option("--kind", help="Partnership kind (investment, chip-supply, cloud-compute, ...), or a"
                                 " dependency kind for all of its partnership kinds (chips).",
                  shell_complete=complete.partnership_kinds)
    @click.option("--metric", help="Observation metric (capex, users, market-share, ...).",
                  shell_complete=complete.metrics)
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
        from alliances.catalog import listing as catalog
        from alliances.render.formats import render
        from alliances.timeline import parse_as_of, undated_note

        if what is None:  # the options say what is listed; else every entity
            what = "partnerships" if kind else "observations" if metric else "entities"
        cls = catalog.class_for(what, obj.store)
        _check_list_options(cls, kind, metric, as_of)
        date = parse_as_of(as_of)
        if cls == "Partnership":
            rows = catalog.partnerships(obj.store, kind=kind, as_of=date)
            cols = ["id", "kind", "parties", "announced", "status", "amount", "sources"]
        elif cls == "Observation":
            rows = catalog.observations(obj.store, metric=metric, as_of=date)
            cols = ["id", "subject", "metric", "value", "value_max", "unit", "period", "sources"]
        if cls in ("Partnership", "Observation"):
            note = undated_note({"partnerships" if cls == "Partnership" else "observations": len(
                {r["id"] for r in rows if not (r.get("announced") or r.get("start") or r.get("as_of"))})},
                date)
            if note:
                click.echo(note, err=True)
        else:
            rows = catalog.entities(obj.store, cls)
            cols = ["id", "label", "class", "developer", "aliases"]
        emit(render(rows, cols, fmt))


    @main.command()
    @click.argument("entity", shell_complete=complete.entities)
    @as_of_option
    @format_option
    @click.pass_obj
    def show(obj, entity, as_of, fmt):
        """Every fact about ENTITY (id, label, alias, ticker or Wikidata QID) with its sources."""
        from alliances.catalog.listing import show as report_for
        from alliances.graph.dependency import entity_dependencies
        from alliances.render.sections import render_entity_report
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        report = report_for(obj.store, obj.resolve(entity), as_of=date)
        report.dependencies = entity_dependencies(obj.store, report.entity.id, date)  # graph layer
        emit(render_entity_report(report, fmt))

    @main.command()
    @click.argument("text", required=False, shell_complete=complete.saved_query_names)
    @click.option("-f", "--file", "path", type=UserPath(dir_okay=False), help="Read the query from a file.")
    @click.option("-q", "--saved", "saved", metavar="NAME", shell_complete=complete.saved_query_names,
                  help="Run a saved query (see `alliances queries`).")
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

        from alliances.catalog.saved import load_saved, saved_queries
        from alliances.errors import AlliancesError
        from alliances.render.formats import render_query_result
        from alliances.store.gate import run_user_query
        from alliances.timeline import parse_as_of, rows_as_of, undated_facts, undated_note

        given = [x for x in (text, path, saved) if x is not None]
        if len(given) != 1:
            raise AlliancesError("give exactly one of: query text, -f FILE, --saved NAME")
        if path:
            from alliances.userfiles import read_input

            data = read_input(path, QUERY_FILE_LIMIT)  # bounded, and a FIFO does not hang
            if len(data) > QUERY_FILE_LIMIT:
                raise AlliancesError(f"{path}: larger than {QUERY_FILE_LIMIT // 1_000_000} MB; not a query")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = exc.object[:exc.start].count(b"\n") + 1
                raise AlliancesError(f"{path}:{line}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x});"
                                     " save the query as UTF-8") from None
        elif saved is not None or text in saved_queries():
            text = load_saved(text if saved is None else saved)
        elif _looks_like_a_name(text):
            import difflib

            close = difflib.get_close_matches(text, list(saved_queries()), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else " (see `alliances queries`)"
            raise AlliancesError(f"no saved query '{text}'{hint}")
        if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
            # nothing but blanks and comments (else the gate would call it an update)
            raise AlliancesError("empty query" + (f" in {path}" if path else ""))
        date = parse_as_of(as_of)
        result = run_user_query(obj.store, text)
        if date is not None:
            result, dropped = rows_as_of(obj.store, result, date)
            click.echo(f"--as-of {date}: {dropped} rows left out (naming facts that did not hold then)",
                       err=True)
            named = {str(v) for row in result.rows for v in row.values() if type(v).__name__ == "URIRef"}
            note = undated_note(undated_facts(obj.store, iris=named), date)
            if note:
                click.echo(note, err=True)
        emit(render_query_result(result, fmt))


    @main.command()
    @format_option
    def queries(fmt):
        """List the saved queries (run one with `alliances query NAME`)."""
        from alliances.catalog.saved import describe_saved, saved_queries
        from alliances.render.formats import render

        rows = [{"name": n, "description": describe_saved(p)} for n, p in saved_queries().items()]
        emit(render(rows, ["name", "description"], fmt))


    @main.command()
    @format_option
    @click.pass_obj
    def validate(obj, fmt):
        """Check the data against the SHACL shapes: exit 0 conforms, 1 violations, 2 error."""
        from alliances.catalog.validate import validate as run
        from alliances.render.formats import render

        report = run(obj.store)
        if report.conforms:
            click.echo(f"conforms: {obj.store.triple_count()} triples checked", err=True)
            if fmt != "table":
                emit(render([], ["focus", "path", "message", "severity"], fmt))
            return
        emit(render(report.rows(), ["focus", "path", "message", "severity"], fmt))
        click.echo(f"{len(report.violations)} violation(s)", err=True)
        sys.exit(1)


    @main.command()
    @format_option
    @click.pass_obj
    def conflicts(obj, fmt):
        """Figures that sources give differently for the same subject, metric and period."""
        from alliances.catalog.conflicts import find_conflicts
        from alliances.render.formats import render

        rows = find_conflicts(obj.store)
        emit(render(rows, ["subject", "metric", "period", "value", "value_max", "unit",
                           "observation", "sources"], fmt))
