"""CLI commands of the risk area (`risk`, `metrics`, `portfolio`), added to the
`alliances` group by :func:`register`.

Only click is imported at module import time; the library modules are imported
inside the commands, so `alliances --help` stays fast.
"""

from __future__ import annotations

import sys

import click

from alliances.cli import complete
from alliances.cli.options import (
    UserPath,
    as_of_option,
    emit,
    format_option,
    kind_option,
    note_undated,
    parse_dependency_kinds,
    render_sections,
    shock_option,
    top_option,
)

METRICS = ("concentration", "coverage", "chokepoints", "coopetition", "integration", "capex")
RANGE_NOTE = ("range: the least and greatest exposure over every split of the shares the data does not "
              "state; coverage: the part of the exposure that rests on stated shares alone "
              "(`alliances metrics coverage` counts the bases)")
RISK_COLUMNS = ["entity", "exposure", "range", "direct", "coverage", "kinds", "basis", "top_path"]
CSV_COLUMNS = ["entity", "exposure", "low", "high", "direct", "indirect", "coverage", "kinds", "basis",
               "top_path"]



def _finite(ctx, param, value):
    """Refuse nan and inf: every comparison with nan is false, so the check would never fail."""
    import math

    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number", ctx=ctx, param=param)
    return value


def _print_risk(store, result, names, top, fmt, explain, extra) -> None:
    """The risk report in `fmt`, with the sources of its paths (JSON always; a table
    with --explain lists them under each row)."""
    import json

    from alliances.graph.explain import attach_sources
    from alliances.render.formats import plain, render

    sources: dict = {}
    if fmt == "json" or explain:
        sources = attach_sources(store, result, top)
    rows = result.rows(top)
    if fmt == "json":
        body = {"targets": result.targets, "direction": result.direction, "shock": result.shock,
                **extra, "shocked": result.shocked, "entities": rows, "exposed": len(result.entities),
                "layers": result.hits("layers"), "arenas": result.hits("arenas"), "sources": sources}
        emit(json.dumps(plain(body), indent=2) + "\n")
        return
    if fmt == "csv":
        emit(render(rows, CSV_COLUMNS, "csv"))
        return
    side = "exposure to" if result.direction == "down" else "supplier-side exposure to (lost sales)"
    table = render(rows, RISK_COLUMNS, "table")
    if explain and rows:
        lines = table.splitlines()
        table = "\n".join(lines[:2] + [line + "\n" + _explanation(e, sources)
                                        for line, e in zip(lines[2:], result.entities)]) + "\n"
    hit_cols = ["name", "entities", "total_loss", "max_loss", "most_hit"]
    emit(f"{side} {names} (shock {result.shock:g})\n" + table)
    emit(f"\n## layers hit\n{render(result.hits('layers'), hit_cols, 'table')}")
    emit(f"\n## arenas hit\n{render(result.hits('arenas'), hit_cols, 'table')}")


def _explanation(entity, sources) -> str:
    """The paths of one row, each hop with its share, basis, partnerships and sources."""
    from alliances.graph.explain import source_text

    out = []
    for n, path in enumerate(entity.paths, 1):
        out.append(f"    path {n}: {path.text()}")
        for h in path.hops:
            whose = f"{h.consumer}'s {h.kind}" if path.arrow.strip() == "->" else \
                f"{h.supplier}'s {h.kind} sales"
            out.append(f"      {h.consumer} -> {h.supplier} ({h.kind}): {h.share:.3g} of {whose}, "
                       f"{h.basis}; " + (", ".join(h.facts) if h.entity is None else f"a fact of {h.entity}"))
            for s in h.sources:
                out.append(f"        {source_text(s, sources.get(s, {}))}")
    return "\n".join(out)


def _fail_above(result, names, limit, bound, target) -> None:
    """Exit 1 when an exposure (the point estimate, or the upper end with --bound high) exceeds `limit`."""
    def value(e):
        return e.high if bound == "high" else e.total

    crossed = [e for e in result.entities if value(e) > limit and (target is None or e.id == target.id)]
    if crossed:
        worst = max(crossed, key=value)
        what = "upper bound of the exposure" if bound == "high" else "exposure"
        click.echo(f"fail: {what} of {worst.id} to {names} is {value(worst):.4g} > {limit:g}"
                   + (f" ({len(crossed)} entities)" if len(crossed) > 1 else ""), err=True)
        sys.exit(1)


def _metric_sections(store, graph, which, date) -> list:
    """(title, rows, columns) of each table `alliances metrics WHICH` shows."""
    from alliances.graph import metrics as m

    sections = []
    if which in ("all", "concentration"):
        sections += [
            ("supplier concentration", m.supplier_hhi(graph),
             ["entity", "kind", "suppliers", "hhi", "band", "top_supplier", "top_share", "basis",
              "coverage"]),
            ("market concentration", m.market_hhi(store),
             ["market", "period", "hhi", "band", "firms", "coverage", "shares", "sources"]),
            ("single-supplier dependencies", m.single_supplier(graph),
             ["entity", "kind", "supplier", "share", "basis", "partnerships"]),
        ]
    if which in ("all", "coverage"):
        sections.append(("coverage", m.coverage(graph),
                         ["kind", "edges", "stated", "remainder", "amounts", "market share", "even split",
                          "stated_share"]))
    if which in ("all", "chokepoints"):
        chokes = m.chokepoints(graph)
        for note in chokes.notes:
            click.echo(note, err=True)
        sections.append(("chokepoints", chokes.rows,
                         ["entity", "criticality", "dependents", "betweenness", "articulation",
                          "dominates", "dominated"]))
    if which in ("all", "coopetition"):
        sections.append(("coopetition", m.coopetition(store),
                         ["a", "b", "arena", "partnership", "kind", "deal"]))
    if which in ("all", "integration"):
        sections.append(("integration", m.integration(store), ["company", *m.LAYERS, "layers"]))
    if which in ("all", "capex"):
        sections.append(("capex", m.capex(store, as_of=date),
                         ["company", "period", "unit", "values", "conflict", "sources"]))
    return sections


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
    @main.command()
    @click.argument("entities", nargs=-1, required=True, shell_complete=complete.entities)
    @click.option("--direction", type=click.Choice(["down", "up"]), default="down", show_default=True,
                  help="down: who depends on ENTITIES (would lose supply); up: who sells to them "
                       "(would lose sales).")
    @shock_option("the entities'")
    @click.option("--fail-above", "fail_above", type=float, metavar="X", callback=_finite,
                  help="Exit 1 when an exposure (or --for's) exceeds X.")
    @click.option("--bound", type=click.Choice(["point", "high"]), default="point", show_default=True,
                  help="With --fail-above: compare the point estimate or the upper end of its range.")
    @click.option("--for", "for_", metavar="ENTITY", help="With --fail-above: check only ENTITY.",
                  shell_complete=complete.entities)
    @click.option("--explain", is_flag=True,
                  help="Under each row, the edges of its main paths: share, basis, partnerships, sources.")
    @kind_option
    @top_option(20, "most exposed entities")
    @as_of_option
    @format_option
    @click.pass_obj
    def risk(obj, entities, direction, shock, fail_above, bound, for_, explain, kinds, top, as_of, fmt):
        """Who is exposed to ENTITIES (a combined shock when several), and through what.

        Exposure is the share of an entity's need (--direction down) or of its sales
        (--direction up) that is lost when ENTITIES lose a share --shock of their
        supply (or demand), passed on only through the inputs each output needs (the
        needs table of the ontology; see README, "How exposure is computed"). Each row
        has its range over the shares the data does not state, the part resting on
        stated shares (coverage) and the basis of its strongest chain. Exit 0, 1 when
        --fail-above is crossed, 2 on bad input.

        \b
        Examples:
          alliances risk nvidia
          alliances risk nvidia --direction up --top 10
          alliances risk nvidia tsmc --shock 0.5 --kind chips,foundry
          alliances risk nvidia --explain --top 3
          alliances risk tsmc --fail-above 0.5 --bound high --for openai
        """
        from alliances.errors import AlliancesError
        from alliances.graph.dependency import dependency_graph
        from alliances.graph.exposure import exposure
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        note_undated(obj.store, date)
        wanted = parse_dependency_kinds(obj.store, kinds)
        refs = list({r.id: r for r in (obj.resolve(name) for name in entities)}.values())
        target = obj.resolve(for_) if for_ else None
        if for_ and fail_above is None:
            raise AlliancesError("--for needs --fail-above")
        graph = dependency_graph(obj.store, as_of=date, kinds=wanted, provenance=False)
        result = exposure(graph, [r.id for r in refs], shock=shock, paths=3, paths_for=top,
                          direction=direction)
        names = ", ".join(r.label for r in refs)
        _print_risk(obj.store, result, names, top, fmt, explain, {"as_of": date, "kinds": wanted})
        side = "exposed to" if direction == "down" else "selling to"
        click.echo(f"{len(result.entities)} entities {side} {names}"
                   + (f", {min(top, len(result.entities))} shown" if top < len(result.entities) else "")
                   + (f" (shocked with its parts: {', '.join(result.shocked)})" if result.shocked else ""),
                   err=True)
        if result.entities:
            click.echo(RANGE_NOTE, err=True)
        if fail_above is not None:
            _fail_above(result, names, fail_above, bound, target)

    @main.command()
    @click.argument("which", required=False, default="all",
                    type=click.Choice(["all", *METRICS]))
    @kind_option
    @top_option(what="rows of each table")
    @as_of_option
    @format_option
    @click.pass_obj
    def metrics(obj, which, kinds, top, as_of, fmt):
        """Concentration (HHI), coverage, chokepoints, coopetition, vertical integration and capex.

        `coverage` counts the dependency edges by the basis of their share (stated,
        remainder, amounts, market share, even split), per kind: where the data's gaps are.

        \b
        Examples:
          alliances metrics                       every table
          alliances metrics coverage
          alliances metrics concentration --format csv
          alliances metrics chokepoints --kind chips,foundry --top 10
        """
        from alliances.graph.dependency import dependency_graph
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        note_undated(obj.store, date)
        wanted = parse_dependency_kinds(obj.store, kinds)
        graph = None
        if which in ("all", "concentration", "coverage", "chokepoints"):
            graph = dependency_graph(obj.store, as_of=date, kinds=wanted, provenance=False)
        sections = _metric_sections(obj.store, graph, which, date)
        sections = [(name, rows[:top], cols) for name, rows, cols in sections]
        if which != "all" and len(sections) == 1:
            from alliances.render.formats import render

            name, rows, cols = sections[0]
            emit(render(rows, cols, fmt))
        else:
            emit(render_sections(sections, fmt))

    @main.command()
    @click.argument("file", type=UserPath(dir_okay=False))
    @shock_option("each supplier's")
    @kind_option
    @top_option(20, "largest exposures")
    @as_of_option
    @format_option
    @click.pass_obj
    def portfolio(obj, file, shock, kinds, top, as_of, fmt):
        """Look-through exposure of a portfolio (CSV `entity,weight`) to every supplier.

        Entities by id, label, alias or ticker; weights are normalised to sum to 1.
        Bad rows are reported by line number (exit 2).

        \b
        Example:
          alliances portfolio holdings.csv --shock 0.3
        """
        import json

        from alliances.catalog.resolve import resolver_for
        from alliances.graph.dependency import dependency_graph
        from alliances.graph.portfolio import portfolio_exposure, read_holdings, repeated_rows
        from alliances.render.formats import plain, render
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        note_undated(obj.store, date)
        wanted = parse_dependency_kinds(obj.store, kinds)
        from alliances.store.paths import example_path

        holdings = read_holdings(example_path(file), resolver_for(obj.store))  # examples:holdings.csv
        for note in repeated_rows(holdings):
            click.echo(f"note: {file}: {note}", err=True)
        graph = dependency_graph(obj.store, as_of=date, kinds=wanted, provenance=False)
        result = portfolio_exposure(graph, holdings, shock=shock)
        rows = result.rows[:top]
        cols = ["supplier", "exposure", "range", "coverage", "loss", "held", "holders", "chokepoint"]
        if fmt == "csv":
            cols = ["supplier", "exposure", "low", "high", "coverage", "loss", "held", "holders",
                    "chokepoint"]
        if fmt == "json":
            body = {"holdings": [{"entity": h.entity, "weight": h.weight, "line": h.line}
                                 for h in holdings], "shock": shock, "suppliers": rows}
            emit(json.dumps(plain(body), indent=2) + "\n")
        else:
            emit(render([{**r, "holders": [f"{k} {v:.3g}" for k, v in r["holders"].items()]}
                         for r in rows], cols, fmt))
        click.echo(f"{len(holdings)} holdings, {len(result.rows)} suppliers", err=True)
        if rows:
            click.echo(RANGE_NOTE, err=True)
