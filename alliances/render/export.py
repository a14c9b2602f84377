"""The graph in the formats other tools read: RDF (Turtle, N-Triples, TriG, JSON-LD) for
triple stores, GraphML and GEXF for Gephi and networkx, Cytoscape.js JSON, and CSV tables
for spreadsheets and pandas.

RDF formats carry every triple. The other formats carry a *projection*: the dependency
graph (:func:`alliances.graph.dependency.dependency_graph`), or the money graph once
``alliances.graph.money`` exists. Their list and dict attributes are flattened to strings
and numbers (:func:`flat_attrs`), which GraphML and GEXF require: lists become
``;``-joined strings, ``{kind: share}`` dicts become one ``share_<kind>`` number per kind.

>>> flat_attrs({"kind": "chips", "shares": {"chips": 0.5}, "sources": ["a", "b"], "announced": None})
{'kind': 'chips', 'share_chips': 0.5, 'sources': 'a;b'}
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from alliances.errors import AlliancesError

RDF_FORMATS = ("turtle", "nt", "trig", "jsonld")
GRAPH_FORMATS = ("graphml", "gexf", "cytoscape")
FORMATS = RDF_FORMATS + GRAPH_FORMATS + ("csv",)
TABLES = ("nodes", "edges", "partnerships", "observations", "sources")
PROJECTIONS = ("dependency", "money")

# dict attributes: the prefix of their flattened keys ({"chips": 0.5} -> share_chips)
DICT_PREFIX = {"shares": "share", "stated": "stated_share"}
# what an edge's weight rests on: shares the data states, or shares split evenly (estimated)
BASIS_NOTE = ("basis: 'derived' = the weight is computed from shares the sources state or imply;"
              " 'estimated' = it rests on a share the data does not state (split evenly)")
# graph IRIs of the shipped files: the same on every machine (user files keep their file: IRI)
SHIPPED_GRAPH = "https://w3id.org/alliances/graph/"


def flat_value(value):
    """A value GraphML, GEXF and CSV can hold: str, float or bool (None stays None).

    >>> flat_value(["a", "b"]), flat_value(3), flat_value(True), flat_value(None)
    ('a;b', 3.0, True, None)
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ";".join(str(flat_value(v)) for v in items if v is not None)
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def flat_attrs(attrs: dict) -> dict:
    """Node or edge attributes with lists joined by ';' and dicts spread into one key per
    entry (``shares`` -> ``share_<kind>``, ``stated`` -> ``stated_share_<kind>``); None
    values are left out (GraphML and GEXF have no null)."""
    out = {}
    for key, value in attrs.items():
        if isinstance(value, dict):
            prefix = DICT_PREFIX.get(key, key)
            for sub, item in sorted(value.items()):
                item = flat_value(item)
                if item is not None:
                    out[f"{prefix}_{sub}"] = item
            continue
        value = flat_value(value)
        if value is not None:
            out[key] = value
    return out


def projection(store, name: str = "dependency", as_of: str | None = None):
    """The networkx graph a graph format exports: 'dependency' or 'money'."""
    if name == "dependency":
        from alliances.graph.dependency import dependency_graph

        return dependency_graph(store, as_of=as_of)
    if name != "money":
        raise AlliancesError(f"--projection: unknown projection '{name}' (one of: {', '.join(PROJECTIONS)})")
    import importlib
    import importlib.util

    if importlib.util.find_spec("alliances.graph.money") is None:
        raise AlliancesError("--projection money: the money graph is not in this version (graph/money.py)")
    money = importlib.import_module("alliances.graph.money")
    if not hasattr(money, "money_graph"):
        raise AlliancesError("--projection money: alliances.graph.money has no money_graph()")
    return money.money_graph(store, as_of=as_of)


def flat_graph(graph):
    """A copy of `graph` whose node and edge attributes are flat (:func:`flat_attrs`),
    with ``basis`` on every dependency edge ('derived' or 'estimated'), in sorted order.

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "b", weight=0.5, shares={"chips": 0.5}, estimated=True, sources=["s"])
    >>> flat_graph(g).edges["a", "b"]
    {'weight': 0.5, 'share_chips': 0.5, 'estimated': True, 'sources': 's', 'basis': 'estimated'}
    """

    flat = type(graph)()
    for node in sorted(graph, key=str):
        flat.add_node(node, **flat_attrs(graph.nodes[node]))
    if graph.is_multigraph():  # the money graph: one edge per flow, keyed by partnership
        for x, y, key, data in sorted(graph.edges(keys=True, data=True),
                                      key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
            flat.add_edge(x, y, key=key, **flat_attrs(data))
        return flat
    for x, y in sorted(graph.edges(), key=lambda e: (str(e[0]), str(e[1]))):
        data = flat_attrs(graph.edges[x, y])
        if "estimated" in graph.edges[x, y] and "basis" not in data:
            data["basis"] = "estimated" if graph.edges[x, y]["estimated"] else "derived"
        flat.add_edge(x, y, **data)
    return flat


def graphml(graph) -> bytes:
    """`graph` as GraphML (flattened; networkx.read_graphml and Gephi read it back)."""
    import networkx as nx

    out = io.BytesIO()
    nx.write_graphml(flat_graph(graph), out)
    return out.getvalue()


def gexf(graph) -> bytes:
    """`graph` as GEXF 1.2 (flattened; Gephi's own format, networkx.read_gexf reads it)."""
    import networkx as nx

    out = io.BytesIO()
    nx.write_gexf(flat_graph(graph), out)
    return out.getvalue()


def cytoscape(graph) -> dict:
    """`graph` as Cytoscape.js elements JSON: ``{"elements": {"nodes": [{"data": ...}],
    "edges": [{"data": {"id", "source", "target", ...}}]}}``, attributes flattened.

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("a", label="A")
    >>> g.add_edge("a", "b", weight=1.0)
    >>> cytoscape(g)["elements"]["edges"]
    [{'data': {'id': 'a->b', 'source': 'a', 'target': 'b', 'weight': 1.0}}]
    """
    flat = flat_graph(graph)
    nodes = [{"data": {"id": str(n), **{k: v for k, v in d.items() if k != "id"}}}
             for n, d in flat.nodes(data=True)]
    edges = [{"data": {"id": f"{x}->{y}", "source": str(x), "target": str(y),
                       **{k: v for k, v in d.items() if k not in ("id", "source", "target")}}}
             for x, y, d in flat.edges(data=True)]
    return {"elements": {"nodes": nodes, "edges": edges}}


# --- tables ---------------------------------------------------------------------------

NODE_COLUMNS = ["id", "label", "cls", "layers", "arenas"]
EDGE_COLUMNS = ["source", "target", "kind", "weight", "basis", "estimated", "estimated_kinds",
                "announced", "partnerships", "sources"]
PARTNERSHIP_COLUMNS = ["id", "label", "kind", "parties", "announced", "start", "end", "status",
                       "amount", "currency", "share", "sources"]
OBSERVATION_COLUMNS = ["id", "label", "subject", "metric", "value", "value_max", "unit", "period",
                       "qualifier", "as_of", "confidence", "sources"]
SOURCE_COLUMNS = ["id", "title", "publisher", "date", "url"]


def _columns(first: list[str], rows: list[dict], skip=()) -> list[str]:
    """`first` (those present in some row), then every other key of `rows`, sorted."""
    seen = {k for r in rows for k in r}
    rest = sorted(seen - set(first) - set(skip))
    return [c for c in first if c in seen or not rows] + rest


def graph_tables(graph) -> dict[str, tuple[list[dict], list[str]]]:
    """{"nodes": (rows, columns), "edges": (rows, columns)} of a projection, flattened:
    one row per node (id first) and per edge (source, target first)."""
    flat = flat_graph(graph)
    nodes = [{"id": str(n), **d} for n, d in flat.nodes(data=True)]
    edges = [{"source": str(x), "target": str(y), **d} for x, y, d in flat.edges(data=True)]
    return {"nodes": (nodes, _columns(NODE_COLUMNS, nodes)),
            "edges": (edges, _columns(EDGE_COLUMNS, edges, skip=("stated",)))}


def table(store, name: str, projection_name: str = "dependency", as_of: str | None = None,
          graph=None) -> tuple[list[dict], list[str]]:
    """One table as (rows, columns): 'nodes' or 'edges' of a projection, or the
    'partnerships', 'observations' and 'sources' of the catalog (lists joined by ';')."""
    from alliances.catalog import listing

    if name in ("nodes", "edges"):
        return graph_tables(graph if graph is not None else projection(store, projection_name, as_of))[name]
    if name == "partnerships":
        rows, cols = listing.partnerships(store, as_of=as_of), PARTNERSHIP_COLUMNS
    elif name == "observations":
        rows, cols = listing.observations(store, as_of=as_of), OBSERVATION_COLUMNS
    elif name == "sources":
        rows = [{"id": sid, **info} for sid, info in sorted(listing.source_index(store).items())]
        cols = SOURCE_COLUMNS
    else:
        raise AlliancesError(f"--table: unknown table '{name}' (one of: {', '.join(TABLES)})")
    return [{c: flat_value(r.get(c)) for c in cols} for r in rows], cols


def csv_text(rows: list[dict], columns: list[str]) -> str:
    """Rows as CSV (the same cells as every --format csv of the CLI)."""
    from alliances.render.formats import render

    return render(rows, columns, "csv")


def write_csv_folder(store, folder, projection_name: str = "dependency", as_of: str | None = None,
                     graph=None) -> list[Path]:
    """Write nodes.csv and edges.csv of a projection into `folder` (made if missing);
    each file is written to a temporary name and renamed. Returns the paths written."""
    from alliances.atomic import write_atomic_set

    folder = Path(folder)
    try:
        exists = folder.exists()
    except (OSError, ValueError) as exc:
        raise AlliancesError(f"-o {folder}: {getattr(exc, 'strerror', None) or exc}") from None
    if exists and not folder.is_dir():
        raise AlliancesError(f"-o {folder}: csv without --table writes a folder, and this is a file")
    if not folder.parent.is_dir():
        raise AlliancesError(f"-o {folder}: folder {folder.parent} does not exist")
    # both tables before anything is written; then both files at once (nothing half-written)
    tables = graph_tables(graph if graph is not None else projection(store, projection_name, as_of))
    files = {folder / f"{name}.csv": csv_text(*tables[name]) for name in ("nodes", "edges")}
    if not exists:
        try:
            folder.mkdir()
        except OSError as exc:
            raise AlliancesError(f"-o {folder}: {exc.strerror or exc}") from None
    try:
        return write_atomic_set(files)
    except BaseException:
        if not exists:  # the folder this run made goes too
            try:
                folder.rmdir()
            except OSError:
                pass
        raise


# --- RDF --------------------------------------------------------------------------------

def graph_name_for(iri: str) -> str:
    """The name a loaded file's graph gets in TriG: a stable IRI for the shipped ontology
    and data files (the same on every machine), the file's own IRI for the user's files.

    >>> from alliances.store.paths import ontology_path
    >>> graph_name_for(ontology_path().as_uri())
    'https://w3id.org/alliances/graph/ontology/alliances.ttl'
    >>> graph_name_for("file:///home/me/deals.ttl")
    'file:///home/me/deals.ttl'
    """
    from urllib.parse import unquote, urlparse

    from alliances.store.paths import shipped_dir

    if iri.startswith("file:"):
        path = Path(unquote(urlparse(iri).path))
        for folder in ("ontology", "data"):
            base = shipped_dir(folder)
            if path.parent == base:
                return f"{SHIPPED_GRAPH}{folder}/{path.name}"
    return iri


def _named_quads(store, graph_name: str | None):
    """(graph IRI, [triples]) of every named graph of `store`."""
    import rdflib

    from alliances.store.memory import MemoryStore

    graphs: dict[str, list] = {}
    if isinstance(store, MemoryStore):
        for graph in store.dataset.graphs():
            name = str(graph.identifier)
            if name == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID) or len(graph) == 0:
                continue
            graphs[name] = list(graph.triples((None, None, None)))
    else:
        for row in store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"):
            graphs.setdefault(str(row["g"]), []).append((row["s"], row["p"], row["o"]))
    if not graphs:
        raise AlliancesError(
            f"--format trig: {store.description} keeps no named graph per file (`alliances load` puts"
            " every file in the default graph); export trig from the memory store (no --store),"
            " or use --format nt")
    if graph_name:
        graphs = {g: t for g, t in graphs.items() if g.endswith("/" + graph_name)}
        if not graphs:
            loaded = ", ".join(p.name for p in store.files())
            raise AlliancesError(f"--graph: no loaded file named '{graph_name}' (loaded: {loaded})")
    return sorted(graphs.items())


def trig(store, graph_name: str | None = None) -> bytes:
    """Every loaded file as its own named graph (TriG), so each triple keeps the file it
    came from. The memory store and SPARQL endpoints with named graphs only: an Oxigraph
    store built by `alliances load` holds the union of the files in its default graph."""
    import rdflib

    from alliances.vocab import PREFIXES

    # One graph at a time, in order of name: rdflib's TriG writer orders the graphs
    # differently on every run (Python's hash seed); its Turtle bodies are stable.
    prefixes: dict[str, None] = {}  # every @prefix line the graphs use, once, in order
    bodies = []
    named = sorted((graph_name_for(name), triples) for name, triples in _named_quads(store, graph_name))
    for name, triples in named:
        dataset = rdflib.Dataset()
        for prefix, ns in PREFIXES.items():
            dataset.bind(prefix, ns, override=True)
        graph = dataset.graph(rdflib.URIRef(name))
        for triple in triples:
            graph.add(triple)
        lines = dataset.serialize(format="trig").splitlines(keepends=True)
        prefixes.update(dict.fromkeys(line for line in lines if line.startswith("@prefix ")))
        bodies.append("".join(line for line in lines if not line.startswith("@prefix ")).lstrip("\n"))
    parts = ["".join(prefixes), *bodies]
    return "\n".join(parts).encode("utf-8")


def jsonld(store, graph_name: str | None = None) -> bytes:
    """The graph as JSON-LD, compacted with an ``@context`` of the library's prefixes
    (al:, e:, kind:, dep:, metric:, dcterms:, schema: ...); nodes sorted by ``@id``."""
    import rdflib

    from alliances.store.backends import export_graph
    from alliances.vocab import PREFIXES

    graph = rdflib.Graph()
    graph.parse(data=export_graph(store, "nt", graph_name), format="nt")
    context = {p: str(ns) for p, ns in PREFIXES.items()}
    doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(doc.get("@graph"), list):
        doc["@graph"].sort(key=lambda node: str(node.get("@id", "")))
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def rdf(store, fmt: str, graph_name: str | None = None) -> bytes:
    """The graph's triples in an RDF format: turtle, nt, trig or jsonld."""
    if fmt in ("turtle", "nt"):
        from alliances.store.backends import export_graph

        return export_graph(store, fmt, graph_name)
    if fmt == "trig":
        return trig(store, graph_name)
    if fmt == "jsonld":
        return jsonld(store, graph_name)
    raise AlliancesError(f"--format: '{fmt}' is not an RDF format ({', '.join(RDF_FORMATS)})")


# --- one entry point ---------------------------------------------------------------------

def export(store, fmt: str, graph_name: str | None = None, projection_name: str = "dependency",
           table_name: str | None = None, as_of: str | None = None) -> bytes:
    """One export as bytes: an RDF format, a graph format of a projection, or one CSV table
    (`table_name`; the folder of nodes.csv and edges.csv is :func:`write_csv_folder`)."""
    if fmt not in FORMATS:
        raise AlliancesError(f"--format: unknown format '{fmt}' (one of: {', '.join(FORMATS)})")
    if table_name and fmt != "csv":
        raise AlliancesError("--table: only with --format csv")
    if fmt in RDF_FORMATS:
        if as_of is not None:
            raise AlliancesError(f"--as-of: not with --format {fmt} (RDF exports carry every fact"
                                 " with its dates)")
        if projection_name != "dependency":
            raise AlliancesError(f"--projection: not with --format {fmt} (RDF exports carry every triple)")
        return rdf(store, fmt, graph_name)
    if graph_name:
        raise AlliancesError("--graph (one loaded file) goes with turtle, nt, trig or jsonld;"
                             f" --format {fmt} exports a projection (--projection)")
    if fmt == "csv":
        if not table_name:
            raise AlliancesError("--format csv: give --table NAME, or -o DIR for nodes.csv and edges.csv")
        return csv_text(*table(store, table_name, projection_name, as_of)).encode("utf-8")
    graph = projection(store, projection_name, as_of)
    if fmt == "graphml":
        return graphml(graph)
    if fmt == "gexf":
        return gexf(graph)
    return (json.dumps(cytoscape(graph), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
