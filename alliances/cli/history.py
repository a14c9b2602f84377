"""CLI commands of the history area: `diff` (what changed between two dates) and
`timeline` (one entity's dated facts), added to the `alliances` group by :func:`register`.

Only click is imported at module import time, so `alliances --help` stays fast.
"""

from __future__ import annotations

import click

from alliances.cli.options import emit, format_option, top_option

BASIS_NOTE = ("basis = estimated: the exposure rests on shares the data does not state"
              " (the need split evenly among the known providers); derived: from stated shares")


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
    main.add_command(diff)
    main.add_command(timeline)


@click.command()
@click.option("--from", "date_from", required=True, metavar="DATE",
              help="Start of the period (excluded): YYYY-MM-DD, YYYY-MM or YYYY (its last day).")
@click.option("--to", "date_to", metavar="DATE",
              help="End of the period (included): YYYY-MM-DD, YYYY-MM or YYYY. Default: today.")
@click.option("--chokepoints", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
              help="How many of the most critical entities (on --to) to follow.")
@top_option(None, "rows of each section (the largest exposure moves per chokepoint)")
@format_option
@click.pass_obj
def diff(obj, date_from, date_to, chokepoints, top, fmt):
    """What changed between two dates: partnerships, figures, exposure to the chokepoints.

    Partnerships that started (announced or started), changed (announced before, in
    effect now) or ended in the period; figures stated in it (new, or revising an earlier
    one); and, for the most critical entities on --to, how each entity's exposure to them
    moved, with the partnerships on its strongest chain that began or ended (via) and
    their sources. Undated facts cannot be placed in time: they count on both dates.

    \b
    Examples:
      alliances diff --from 2024 --to 2025
      alliances diff --from 2025-06 --to 2025-12 --top 5 --format json
    """
    import datetime as dt

    from alliances.graph.diff import diff as compute
    from alliances.render.sections import render_sections
    from alliances.timeline import parse_as_of

    start = parse_as_of(date_from, "--from")
    end = parse_as_of(date_to, "--to") if date_to else dt.date.today().isoformat()
    result = compute(obj.store, start, end, chokepoints=chokepoints, top=top)
    if fmt == "table":
        click.echo(f"changes after {start} up to {end}", err=True)
    emit(render_sections(result.sections(), fmt))
    undated = sum(result.undated.values())
    if undated:
        parts = ", ".join(f"{n} {kind}" for kind, n in result.undated.items() if n)
        click.echo(f"{undated} undated facts kept ({parts}): in the graph on both dates,"
                   " in no change list", err=True)
    if result.exposure:
        click.echo(BASIS_NOTE, err=True)


@click.command()
@click.argument("entity")
@top_option(None, "dated facts")
@format_option
@click.pass_obj
def timeline(obj, entity, top, fmt):
    """ENTITY's dated facts in date order, with sources; undated facts listed apart.

    Partnerships appear once per date they carry (announced, started, ended), figures
    at their as-of date, claims about ENTITY at their source's publication date.

    \b
    Examples:
      alliances timeline anthropic
      alliances timeline "Project Rainier" --format csv
    """
    import json

    from alliances.graph.diff import timeline as compute
    from alliances.render.formats import plain
    from alliances.render.sections import render_sections

    ref = obj.resolve(entity)
    result = compute(obj.store, ref)
    result.dated = result.dated[:top]
    if fmt == "json":
        emit(json.dumps({"id": ref.id, "label": ref.label, "class": ref.cls,
                         **{name: [{c: plain(r.get(c)) for c in cols} for r in rows]
                            for name, rows, cols in result.sections()}}, indent=2) + "\n")
        return
    if fmt == "table":
        emit(f"{ref.label} ({ref.id}, {ref.cls})\n\n")
    emit(render_sections(result.sections(), fmt))
