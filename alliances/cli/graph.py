"""CLI commands of the graph area, added to the `alliances` group by :func:`register`.

Only click is imported at module import time, so `alliances --help` stays fast.
"""

from __future__ import annotations

import click

from alliances.cli import complete
from alliances.cli.options import UserPath, as_of_option, kind_option, note_undated, parse_dependency_kinds
from alliances.kinds import LAYERS


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
    @main.command("graph")
    @click.option("-o", "--output", "output", default="alliances.html", show_default=True,
                  type=UserPath(dir_okay=False), help="The HTML file to write.")
    @click.option("--open", "open_", is_flag=True, help="Open the page in the browser.")
    @click.option("--focus", metavar="ENTITY", shell_complete=complete.entities,
                  help="Draw ENTITY's neighbourhood, nodes coloured by their exposure to it.")
    @click.option("--depth", type=click.IntRange(min=1), default=2, show_default=True,
                  help="Hops around --focus.")
    @click.option("--layer", "layers", multiple=True, type=click.Choice(LAYERS),
                  help="Only entities in this layer (repeatable).")
    @kind_option
    @as_of_option
    @click.option("--money", is_flag=True,
                  help="Draw the money graph instead (who pays whom; --kind then takes partnership kinds)"
                       " and mark the top circular deals.")
    @click.option("--group", is_flag=True, help="With --money: subsidiaries count as their parent.")
    @click.option("--title", default=None, help="Page title.  [default: AI alliances: who depends on whom]")
    @click.pass_obj
    def graph(obj, output, open_, focus, depth, layers, kinds, as_of, money, group, title):
        """Write an interactive, offline HTML map of who depends on whom (or, with
        --money, of who pays whom).

        \b
        Examples:
          alliances graph -o out.html
          alliances graph --focus nvidia --depth 2 -o nvidia.html
          alliances graph --kind chips,foundry --as-of 2025-06
          alliances graph --money --focus openai -o money.html
        """
        from alliances.atomic import check_target

        check_target(output)  # before the work: a FIFO, a device or a link is refused
        if money:
            return _money_map(obj, output, open_, focus, depth, layers, kinds, as_of, group, title)
        if group:
            from alliances.errors import AlliancesError

            raise AlliancesError("--group works with --money")
        title = title or "AI alliances: who depends on whom"
        from alliances.catalog.listing import data_as_of, source_index
        from alliances.errors import AlliancesError
        from alliances.graph.dependency import dependency_graph
        from alliances.graph.exposure import exposure_scores
        from alliances.render.html import filter_graph, neighbourhood, render_html, write_html
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        note_undated(obj.store, date)
        wanted = parse_dependency_kinds(obj.store, kinds)
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
        data_date = as_of
        if not as_of:
            data_date, future = data_as_of(obj.store, sources)
            if future:
                click.echo(f"note: {len(future)} source(s) dated after today ({', '.join(future[:3])}"
                           f"{', ...' if len(future) > 3 else ''}) do not count for the page's"
                           f" 'data as of' date ({data_date or 'none'})", err=True)
        page = render_html(drawn, title=title, focus=focus_id, exposure=exposure, sources=sources,
                           data_date=data_date)
        path = write_html(page, output)
        click.echo(f"wrote {path} ({drawn.number_of_nodes()} entities, {drawn.number_of_edges()} "
                   f"dependencies, {len(page.encode('utf-8')) // 1024} KB)", err=True)
        if open_:
            import webbrowser

            webbrowser.open(path.resolve().as_uri())


def _money_map(obj, output, open_, focus, depth, layers, kinds, as_of, group, title) -> None:
    """`alliances graph --money`: the money graph, its top circular deals marked."""
    import networkx as nx

    from alliances.catalog.listing import data_as_of, source_index
    from alliances.errors import AlliancesError
    from alliances.graph.money import circular_deals, group_roots, money_graph, parse_money_kinds
    from alliances.render.html import money_payload, render_html, write_html
    from alliances.timeline import parse_as_of

    if layers:
        raise AlliancesError("--layer does not apply to --money (money flows between organisations)")
    store = obj.store
    date = parse_as_of(as_of)
    note_undated(store, date)
    wanted = parse_money_kinds(store, kinds)
    full = money_graph(store, as_of=date, kinds=wanted, group=group)
    focus_id = None
    drawn = full
    if focus:
        ref = obj.resolve(focus)
        focus_id = group_roots(store).get(ref.id, ref.id) if group else ref.id
        if focus_id not in full:
            raise AlliancesError(f"'{focus_id}' has no money flow in the graph (with these filters)")
        near = nx.single_source_shortest_path_length(full.to_undirected(as_view=True), focus_id, cutoff=depth)
        drawn = full.subgraph(near).copy()
    cycles = [c for c in circular_deals(full, through=focus_id) if all(n in drawn for n in c.entities)]
    sources = source_index(store)
    data_date = as_of or data_as_of(store, sources)[0]
    title = title or "AI alliances: follow the money"
    payload = money_payload(drawn, cycles, title=title, focus=focus_id, sources=sources, data_date=data_date)
    page = render_html(drawn, title=title, payload=payload)
    try:
        path = write_html(page, output)
    except OSError as exc:
        raise AlliancesError(f"{output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {path} ({drawn.number_of_nodes()} entities, {drawn.number_of_edges()} money flows, "
               f"{len(payload['cycles'])} circular deals marked, {len(page.encode('utf-8')) // 1024} KB)",
               err=True)
    if open_:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
