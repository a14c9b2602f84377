"""CLI commands of the graph area, added to the `alliances` group by :func:`register`.

Only click is imported at module import time, so `alliances --help` stays fast.
"""

from __future__ import annotations

import click

from alliances.cli.options import as_of_option, kind_option

LAYERS = ["infrastructure", "chips", "cloud", "intelligence", "models", "orchestration", "application"]

SOURCES = """
SELECT ?s ?title ?url ?publisher ?date WHERE {
  ?s a ?c . ?c rdfs:subClassOf* al:Source .
  OPTIONAL { ?s dcterms:title ?title } OPTIONAL { ?s schema:url ?url }
  OPTIONAL { ?s dcterms:publisher ?publisher } OPTIONAL { ?s dcterms:date ?date }
}
"""

def build_graph(store, as_of=None, kinds=None):
    """The dependency graph of :mod:`alliances.graph.dependency` (edges dependent -> dependency)."""
    try:
        from alliances.graph.dependency import dependency_graph
    except ImportError as exc:  # the module ships separately
        from alliances.errors import AlliancesError

        raise AlliancesError(f"the dependency graph is not available: {exc}") from None
    return dependency_graph(store, as_of=as_of, kinds=kinds)


def source_index(store) -> dict[str, dict]:
    """Source id -> {title, url, publisher, date} for tooltips and links."""
    from alliances.vocab import local_id

    out: dict[str, dict] = {}
    for row in store.select(SOURCES):
        info = out.setdefault(local_id(row["s"]), {})
        for key in ("title", "url", "publisher", "date"):
            if row[key] is not None and key not in info:
                info[key] = str(row[key])
    return out


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
    @main.command("graph")
    @click.option("-o", "--output", "output", default="alliances.html", show_default=True,
                  type=click.Path(dir_okay=False), help="The HTML file to write.")
    @click.option("--open", "open_", is_flag=True, help="Open the page in the browser.")
    @click.option("--focus", metavar="ENTITY",
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
        from alliances.errors import AlliancesError
        from alliances.graph.exposure import exposure_scores
        from alliances.kinds import parse_kinds
        from alliances.render.html import filter_graph, neighbourhood, render_html, write_html
        from alliances.timeline import parse_as_of

        date = parse_as_of(as_of)
        wanted = parse_kinds(kinds)
        full = build_graph(obj.store, as_of=date, kinds=wanted)
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
