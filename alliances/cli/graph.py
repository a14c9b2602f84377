"""CLI commands of the graph area, added to the `alliances` group by :func:`register`.

Only click is imported at module import time, so `alliances --help` stays fast.
"""

from __future__ import annotations

import click

from alliances.cli import complete
from alliances.cli.options import as_of_option, kind_option
from alliances.kinds import LAYERS


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
    @main.command("graph")
    @click.option("-o", "--output", "output", default="alliances.html", show_default=True,
                  type=click.Path(dir_okay=False), help="The HTML file to write.")
    @click.option("--open", "open_", is_flag=True, help="Open the page in the browser.")
    @click.option("--focus", metavar="ENTITY", shell_complete=complete.entities,
                  help="Draw ENTITY's neighbourhood, nodes coloured by their exposure to it.")
    @click.option("--depth", type=click.IntRange(min=1), default=2, show_default=True,
                  help="Hops around --focus.")
    @click.option("--layer", "layers", multiple=True, type=click.Choice(LAYERS),
                  help="Only entities in this layer (repeatable).")
    @kind_option
    @as_of_option
    @click.option("--title", default="AI alliances: who depends on whom", show_default=True,
                  help="Page title.")
    @click.pass_obj
    def graph(obj, output, open_, focus, depth, layers, kinds, as_of, title):
        """Write an interactive, offline HTML map of who depends on whom.

        \b
        Examples:
          alliances graph -o out.html
          alliances graph --focus nvidia --depth 2 -o nvidia.html
          alliances graph --kind chips,foundry --as-of 2025-06
        """
        from alliances.catalog.listing import source_index
        from alliances.errors import AlliancesError
        from alliances.graph.dependency import dependency_graph
        from alliances.kinds import parse_kinds
        from alliances.render.html import (
            exposure_scores,
            filter_graph,
            neighbourhood,
            render_html,
            write_html,
        )
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        wanted = parse_kinds(kinds)
        full = dependency_graph(obj.store, as_of=date, kinds=wanted)
        drawn = filter_graph(full, layers=layers or None, kinds=wanted)
        focus_id = exposure = None
        if focus:
            focus_id = obj.resolve(focus).id
            if focus_id not in full:
                raise AlliancesError(f"'{focus_id}' has no dependency in the graph (with these filters)")
            exposure = exposure_scores(full, focus_id)
            if focus_id not in drawn:
                drawn.add_node(focus_id, **full.nodes[focus_id])
            drawn = neighbourhood(drawn, focus_id, depth)
        sources = source_index(obj.store)
        data_date = as_of or max((s.get("date", "") for s in sources.values()), default="") or None
        page = render_html(drawn, title=title, focus=focus_id, exposure=exposure, sources=sources,
                           data_date=data_date)
        try:
            path = write_html(page, output)
        except OSError as exc:
            raise AlliancesError(f"{output}: {exc.strerror or exc}") from None
        click.echo(f"wrote {path} ({drawn.number_of_nodes()} entities, {drawn.number_of_edges()} "
                   f"dependencies, {len(page.encode('utf-8')) // 1024} KB)", err=True)
        if open_:
            import webbrowser

            webbrowser.open(path.resolve().as_uri())
