"""CLI commands of the scale area, added to the `alliances` group by :func:`register`:
`load` (build an on-disk Oxigraph store), `serve` (a read-only SPARQL endpoint) and
`export` (the graph as RDF, GraphML, GEXF, Cytoscape.js JSON or CSV).

Only click is imported at module import time, so `alliances --help` stays fast.
"""

import click

from alliances.cli.options import FiniteFloatRange, UserPath


def register(main) -> None:
    """Add this module's commands to the click group `main`."""
    main.add_command(load)
    main.add_command(serve)
    main.add_command(export)


@click.command()
@click.argument("paths", nargs=-1, type=UserPath())
@click.option("--store", "store_spec", metavar="SPEC",
              help="Store to build: oxigraph:DIR (default: the global --store).")
@click.option("--no-shipped", is_flag=True, help="Load only the ontology and PATHS, not the shipped data.")
@click.pass_obj
def load(obj, paths, store_spec, no_shipped):
    """Bulk-load the ontology, the shipped data and PATHS into an on-disk store.

    Replaces the store's contents; later commands open it read-only with --store.

    \b
    Examples:
      alliances load --store oxigraph:~/.alliances/ox my-deals.ttl
      alliances --store oxigraph:~/.alliances/ox risk nvidia
    """
    import time

    from alliances.errors import AlliancesError
    from alliances.store.backends import parse_spec
    from alliances.store.oxigraph import load_oxigraph
    from alliances.store.paths import data_files

    spec = store_spec or obj.store_spec
    kind, where = parse_spec(spec)
    if kind != "oxigraph":
        raise AlliancesError("load builds an on-disk store: give --store oxigraph:DIR"
                             " (the memory store reads the files on every command)")
    from alliances.cli.progress import Progress

    files = data_files(list(obj.data) + list(paths), shipped=not no_shipped)
    started = time.perf_counter()
    with Progress("loading") as progress:  # a bar on stderr when it is a terminal
        meta = load_oxigraph(where, files, report=progress.echo, progress=progress)
    click.echo(f"loaded {len(files)} files, {meta['triples']} triples into oxigraph:{where}"
               f" in {time.perf_counter() - started:.2f} s", err=True)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0 picks a free one).")
@click.option("--allow-remote", is_flag=True,
              help="Required to bind an interface other than localhost (anyone who reaches it can query).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable); by default only this"
                   " server's address and localhost, so DNS rebinding is refused.")
@click.option("--timeout", "timeout", default=30.0, show_default=True, type=FiniteFloatRange(0.1),
              help="Seconds a query may run; then its worker process is killed (HTTP 503).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1),
              help="Largest result (rows, or triples of a CONSTRUCT) returned.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Queries run at once, each in its own process.")
@click.option("--max-memory", "max_memory", default=2048, show_default=True, type=click.IntRange(16),
              metavar="MB", help="Memory a query's process may add; past it the query is stopped (503).")
@click.option("--cors", "cors", metavar="ORIGIN",
              help="Send Access-Control-Allow-Origin: ORIGIN (off by default; '*' for any).")
@click.pass_obj
def serve(obj, host, port, allow_remote, allow_hosts, timeout, max_rows, workers, max_memory, cors):
    """Serve the loaded graph as a read-only SPARQL 1.1 endpoint at /sparql.

    The query gate applies: updates, SERVICE and FROM are refused. Each query runs in a
    worker process, killed at --timeout; requests from other web sites (Origin,
    Sec-Fetch-Site) and for other host names (DNS rebinding) get 403.

    \b
    Examples:
      alliances serve --port 7878
      alliances --store oxigraph:~/.alliances/ox serve
    """
    from alliances.store.serve import make_server, serve_forever

    local = host in ("127.0.0.1", "localhost", "::1")
    if not local and not allow_remote:
        from alliances.errors import AlliancesError

        raise AlliancesError(f"--host {host} exposes the graph beyond this machine; add --allow-remote")
    if not local:
        click.echo(f"warning: listening on {host}: anyone who can reach it can query the graph", err=True)
    server = make_server(obj.store, host, port, timeout=timeout, max_rows=max_rows, cors=cors,
                         allow_hosts=allow_hosts, workers=workers, max_memory_mb=max_memory)
    click.echo(f"serving {obj.store.description} at {server.url} (Ctrl-C stops)", err=True)
    import gc

    gc.enable()  # commands run with the cyclic collector off (cli/app.py); a server runs for long
    serve_forever(server)


EXPORT_FORMATS = ("turtle", "nt", "trig", "jsonld", "graphml", "gexf", "cytoscape", "csv")


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle", show_default=True,
              help="RDF (turtle, nt, trig: one named graph per file, jsonld), the projection as"
                   " graphml, gexf or cytoscape (Cytoscape.js JSON), or csv tables.")
@click.option("-o", "--output", type=UserPath(), metavar="PATH",
              help="Write to FILE (default: stdout); with csv and no --table, the folder for"
                   " nodes.csv and edges.csv.")
@click.option("--graph", "graph_name", metavar="FILE-NAME",
              help="Only the triples of one loaded file, e.g. entities.ttl (RDF formats; memory store"
                   " and endpoints).")
@click.option("--projection", type=click.Choice(["dependency", "money"]), default="dependency",
              show_default=True, help="Which graph graphml, gexf, cytoscape and csv nodes/edges carry.")
@click.option("--table", "table_name",
              type=click.Choice(["nodes", "edges", "partnerships", "observations", "sources"]),
              help="With --format csv: one table, to stdout or -o FILE.")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Graph and csv formats: only facts that hold on DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.pass_obj
def export(obj, fmt, output, graph_name, projection, table_name, as_of):
    """Write the graph for other tools: a triple store, Gephi, Cytoscape, pandas.

    RDF formats carry every triple; graphml, gexf, cytoscape and csv carry the dependency
    graph (--projection), with list attributes joined by ';' and shares as share_<kind>.

    \b
    Examples:
      alliances export -o all.ttl
      alliances export --format trig -o all.trig
      alliances export --format gexf -o alliances.gexf
      alliances export --format csv -o tables/
      alliances export --format csv --table partnerships > partnerships.csv
      alliances --store oxigraph:~/.alliances/ox export --format nt > all.nt
    """

    from alliances.atomic import check_target, write_atomic
    from alliances.cli.options import emit
    from alliances.render import export as exporter
    from alliances.timeline import parse_as_of

    folder = fmt == "csv" and not table_name  # nodes.csv and edges.csv into the folder -o names
    if output and not folder:
        check_target(output)  # before the work: a FIFO, a device or a link is refused
    date = parse_as_of(as_of)
    if folder:
        if not output:
            from alliances.errors import AlliancesError

            raise AlliancesError("--format csv without --table writes nodes.csv and edges.csv:"
                                 " give -o DIR (or --table NAME for one table on stdout)")
        if graph_name:
            from alliances.errors import AlliancesError

            raise AlliancesError("--graph (one loaded file) goes with turtle, nt, trig or jsonld")
        for path in exporter.write_csv_folder(obj.store, output, projection, date):
            click.echo(f"wrote {path} ({path.stat().st_size} bytes)", err=True)
        return
    data = exporter.export(obj.store, fmt, graph_name, projection, table_name, date)
    if not output:
        emit(data)
        return
    target = write_atomic(output, data)
    click.echo(f"wrote {target} ({len(data)} bytes)", err=True)
