"""CLI commands of the risk area (`risk`, `metrics`, `portfolio`), added to the
`alliances` group by :func:`register`.

Only click is imported at module import time; the library modules are imported
inside the commands, so `alliances --help` stays fast.
"""

from __future__ import annotations

import sys

import click

from alliances.cli import complete
from alliances.cli.options import as_of_option, emit, format_option, kind_option, shock_option, top_option

METRICS = ("concentration", "chokepoints", "coopetition", "integration", "capex")
ESTIMATED_NOTE = ("estimated = yes: the number rests on shares the data does not state "
                  "(the need split evenly among the known providers)")


def _sections(sections, fmt) -> str:
    """Several tables: titled text tables, one JSON object, or CSV blocks headed '# name'."""
    import json

    from alliances.render.formats import plain, render

    if fmt == "json":
        return json.dumps({name: [{c: plain(r.get(c)) for c in cols} for r in rows]
                           for name, rows, cols in sections}, indent=2) + "\n"
    out = []
    for name, rows, cols in sections:
        if fmt == "csv":
            out.append(f"# {name}\n" + render(rows, cols, "csv"))
        else:
            out.append(f"## {name} ({len(rows)})\n" + render(rows, cols, "table"))
    return "\n".join(out)


def _finite(ctx, param, value):
    """Refuse nan and inf: every comparison with nan is false, so the check would never fail."""
    import math

    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number", ctx=ctx, param=param)
    return value


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
    from alliances.kinds import parse_kinds

    @main.command()
    @click.argument("entities", nargs=-1, required=True, shell_complete=complete.entities)
    @shock_option("the entities'")
    @click.option("--fail-above", "fail_above", type=float, metavar="X", callback=_finite,
                  help="Exit 1 when an exposure (or --for's) exceeds X.")
    @click.option("--for", "for_", metavar="ENTITY", help="With --fail-above: check only ENTITY.",
                  shell_complete=complete.entities)
    @kind_option
    @top_option(20, "most exposed entities")
    @as_of_option
    @format_option
    @click.pass_obj
    def risk(obj, entities, shock, fail_above, for_, kinds, top, as_of, fmt):
        """Who is exposed to ENTITIES (a combined shock when several), and through what.

        Exposure is the share of an entity's need that is lost when the shocked
        entities lose a share --shock of their supply, through direct dependencies
        and chains (Leontief propagation, see README). Exit 0, 1 when --fail-above
        is crossed, 2 on bad input.

        \b
        Examples:
          alliances risk nvidia
          alliances risk nvidia tsmc --shock 0.5 --kind chips,foundry
          alliances risk tsmc --fail-above 0.5 --for openai
        """
        import json

        from alliances.errors import AlliancesError
        from alliances.graph.dependency import dependency_graph
        from alliances.graph.exposure import exposure
        from alliances.render.formats import plain, render
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        wanted = parse_kinds(kinds)
        refs = list({r.id: r for r in (obj.resolve(name) for name in entities)}.values())
        target = obj.resolve(for_) if for_ else None
        if for_ and fail_above is None:
            raise AlliancesError("--for needs --fail-above")
        graph = dependency_graph(obj.store, as_of=date, kinds=wanted, provenance=False)
        result = exposure(graph, [r.id for r in refs], shock=shock, paths=3, paths_for=top)
        rows = result.rows(top)
        cols = ["entity", "exposure", "direct", "indirect", "kinds", "top_path", "estimated"]
        names = ", ".join(r.label for r in refs)
        if fmt == "json":
            body = {"targets": [r.id for r in refs], "shock": shock, "as_of": date,
                    "kinds": wanted, "entities": rows, "exposed": len(result.entities),
                    "layers": result.hits("layers"), "arenas": result.hits("arenas")}
            emit(json.dumps(plain(body), indent=2) + "\n")
        elif fmt == "csv":
            emit(render(rows, cols, "csv"))
        else:
            hit_cols = ["name", "entities", "total_loss", "max_loss", "most_hit"]
            emit(f"exposure to {names} (shock {shock:g})\n" + render(rows, cols, "table"))
            emit(f"\n## layers hit\n{render(result.hits('layers'), hit_cols, 'table')}")
            emit(f"\n## arenas hit\n{render(result.hits('arenas'), hit_cols, 'table')}")
        click.echo(f"{len(result.entities)} entities exposed to {names}"
                   + (f", {len(rows)} shown" if len(rows) < len(result.entities) else ""), err=True)
        if any(r["estimated"] for r in rows):
            click.echo(ESTIMATED_NOTE, err=True)
        if fail_above is not None:
            if target is not None:
                crossed = [e for e in result.entities if e.id == target.id and e.total > fail_above]
            else:
                crossed = [e for e in result.entities if e.total > fail_above]
            if crossed:
                worst = crossed[0]
                click.echo(f"fail: exposure of {worst.id} to {names} is {worst.total:.4g} "
                           f"> {fail_above:g}" + (f" ({len(crossed)} entities)" if len(crossed) > 1
                                                   else ""), err=True)
                sys.exit(1)

    @main.command()
    @click.argument("which", required=False, default="all",
                    type=click.Choice(["all", *METRICS]))
    @kind_option
    @top_option(what="rows of each table")
    @as_of_option
    @format_option
    @click.pass_obj
    def metrics(obj, which, kinds, top, as_of, fmt):
        """Concentration (HHI), chokepoints, coopetition, vertical integration and capex.

        \b
        Examples:
          alliances metrics                       every table
          alliances metrics concentration --format csv
          alliances metrics chokepoints --kind chips,foundry --top 10
        """
        from alliances.graph import metrics as m
        from alliances.graph.dependency import dependency_graph
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        wanted = parse_kinds(kinds)
        store = obj.store
        graph = None
        if which in ("all", "concentration", "chokepoints"):
            graph = dependency_graph(store, as_of=date, kinds=wanted, provenance=False)
        sections = []
        if which in ("all", "concentration"):
            sections += [
                ("supplier concentration", m.supplier_hhi(graph),
                 ["entity", "kind", "suppliers", "hhi", "band", "top_supplier", "top_share",
                  "estimated"]),
                ("market concentration", m.market_hhi(store),
                 ["market", "period", "hhi", "band", "firms", "coverage", "shares", "sources"]),
                ("single-supplier dependencies", m.single_supplier(graph),
                 ["entity", "kind", "supplier", "share", "estimated", "partnerships"]),
            ]
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
            sections.append(("integration", m.integration(store),
                             ["company", *m.LAYERS, "layers"]))
        if which in ("all", "capex"):
            sections.append(("capex", m.capex(store, as_of=date),
                             ["company", "period", "unit", "values", "conflict", "sources"]))
        sections = [(name, rows[:top], cols) for name, rows, cols in sections]
        if which != "all" and len(sections) == 1:
            from alliances.render.formats import render

            name, rows, cols = sections[0]
            emit(render(rows, cols, fmt))
        else:
            emit(_sections(sections, fmt))

    @main.command()
    @click.argument("file", type=click.Path(dir_okay=False))
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
        from alliances.graph.portfolio import portfolio_exposure, read_holdings
        from alliances.render.formats import plain, render
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        wanted = parse_kinds(kinds)
        from alliances.store.paths import example_path

        holdings = read_holdings(example_path(file), resolver_for(obj.store))  # examples:holdings.csv
        graph = dependency_graph(obj.store, as_of=date, kinds=wanted, provenance=False)
        result = portfolio_exposure(graph, holdings, shock=shock)
        rows = result.rows[:top]
        cols = ["supplier", "exposure", "loss", "held", "holders", "chokepoint", "estimated"]
        if fmt == "json":
            body = {"holdings": [{"entity": h.entity, "weight": h.weight, "line": h.line}
                                 for h in holdings], "shock": shock, "suppliers": rows}
            emit(json.dumps(plain(body), indent=2) + "\n")
        else:
            emit(render([{**r, "holders": [f"{k} {v:.3g}" for k, v in r["holders"].items()]}
                         for r in rows], cols, fmt))
        click.echo(f"{len(holdings)} holdings, {len(result.rows)} suppliers", err=True)
        if any(r["estimated"] for r in rows):
            click.echo(ESTIMATED_NOTE, err=True)
